package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The exact bytes of what the transcode queue carries, pinned: a deployment runs the old and the new
 * version side by side, and each must read the other's jobs.
 */
class TranscodeWireTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void jobs_areWritten_byteForByte_asBefore() {
        assertThat(Json.write(TranscodeJob.segment(ID, "media", 3, "360p")))
                .isEqualTo("{\"job\":\"segment\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"segment\":3,\"target\":\"360p\",\"v\":2}");
        assertThat(Json.write(TranscodeJob.audio(ID, "media")))
                .isEqualTo("{\"job\":\"audio\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"v\":2}");
        assertThat(Json.write(TranscodeJob.stitch(ID, "media")))
                .isEqualTo("{\"job\":\"stitch\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"v\":2}");
    }

    @Test
    void theStepMessage_isWritten_asBefore() {
        assertThat(Json.write(new StepMessage(ID, "transcode", "video/mp4", "video", "media", "media/" + ID + "/original")))
                .isEqualTo("{\"mediaId\":\"" + ID + "\",\"step\":\"transcode\",\"type\":\"video/mp4\",\"category\":\"video\","
                        + "\"bucket\":\"media\",\"key\":\"media/" + ID + "/original\",\"v\":2}");
    }
}
