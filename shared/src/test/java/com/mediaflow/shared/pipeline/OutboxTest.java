package com.mediaflow.shared.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.model.MediaStatus;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String UPLOAD = "1a4b21e45ec884762ef9f4af3ff2c73c1a4b21e45ec884762ef9f4af3ff2c73c";

    @Test
    void uploadIdOf_anAttachedUploadsKey_isItsId() {
        assertThat(Outbox.uploadIdOf(ID, Keys.upload(ID, UPLOAD))).contains(UPLOAD);
    }

    @Test
    void uploadIdOf_anyOtherKey_isEmpty() {
        assertThat(Outbox.uploadIdOf(ID, Keys.manifest(ID))).isEmpty();
        assertThat(Outbox.uploadIdOf(ID, Keys.uploadsPrefix(ID) + "not-an-id.json")).isEmpty();
        assertThat(Outbox.uploadIdOf(ID, Keys.sent(ID, UPLOAD, MediaStatus.READY))).isEmpty();
        assertThat(Outbox.uploadIdOf(UPLOAD, Keys.upload(ID, UPLOAD))).as("another item's upload").isEmpty();
    }

    @Test
    void sentMark_namesTheUploadAndTheState() {
        assertThat(Keys.sent(ID, UPLOAD, MediaStatus.READY)).isEqualTo("media/" + ID + "/events/" + UPLOAD + ".READY.json");
        assertThat(Keys.sent(ID, UPLOAD, MediaStatus.FAILED)).isNotEqualTo(Keys.sent(ID, UPLOAD, MediaStatus.READY));
    }
}
