package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two versions of a function run side by side during a deployment: what this version writes must
 * read in the previous version (which ignores unknown fields), and the reverse. The previous
 * version's shapes are written down here as it declared them.
 */
class JsonCompatibilityTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final List<Reason> REASONS = List.of(Reason.warning(ReasonCode.STRUCTURE_INVALID, "XMP skipped"));

    record PreviousManifest(String mediaId, MediaStatus status, String type, String category, long size,
                            Manifest.Location original, Map<String, String> steps, List<Reason> reasons, List<Output> outputs,
                            Map<String, Object> metadata, Map<String, String> progress) {
    }

    record PreviousReceipt(String bucket, String key, String etag, long size, String declaredType, String mediaId,
                           String detectedType, MediaStatus status, List<Reason> reasons, boolean duplicate) {
    }

    record PreviousCompletionEvent(String mediaId, MediaStatus status, String type, String manifestKey, String upload,
                                   List<Reason> reasons) {
    }

    private static Manifest claimed() {
        return new Manifest(ID, MediaStatus.PROCESSING, MediaFormat.JPEG, MediaCategory.IMAGE, 10, new Manifest.Location("media", Keys.original(ID)),
                Map.of("thumbnail", StepState.PENDING), REASONS, List.of(), Map.of("width", 4), Map.of("thumbnail", "encoded 40%"),
                "c0ffee");
    }

    @Test
    void manifestWithAClaim_readByThePreviousVersion_keepsEveryFieldItKnows() {
        Manifest now = claimed();

        PreviousManifest before = Json.read(Json.write(now), PreviousManifest.class);

        assertThat(before).isEqualTo(new PreviousManifest(ID, MediaStatus.PROCESSING, "image/jpeg", "image", 10, now.original(),
                Map.of("thumbnail", "PENDING"), REASONS, List.of(), Map.of("width", 4), Map.of("thumbnail", "encoded 40%")));
    }

    @Test
    void manifestOfThePreviousVersion_readNow_hasNoClaim() {
        PreviousManifest before = new PreviousManifest(ID, MediaStatus.READY, "image/jpeg", "image", 10,
                new Manifest.Location("media", Keys.original(ID)), Map.of("thumbnail", "DONE"), REASONS, List.of(), Map.of(),
                Map.of());

        Manifest now = Json.read(Json.write(before), Manifest.class);

        assertThat(now.claimedBy()).isNull();
        assertThat(now.terminal()).isTrue();
        assertThat(now.steps()).isEqualTo(Map.of("thumbnail", StepState.DONE));
        assertThat(now.type()).isEqualTo(MediaFormat.JPEG);
        assertThat(now.category()).isEqualTo(MediaCategory.IMAGE);
    }

    @Test
    void receiptWithTheUploadsIdentity_readByThePreviousVersion_isItsReceipt() {
        Upload u = new Upload("ingest", "a.jpg", "0A", "abc");
        Receipt now = new Receipt("ingest", "a.jpg", "abc", 10, "image/jpeg", ID, MediaFormat.JPEG, MediaStatus.READY, REASONS, true,
                "0A", u.id(), u.eventId(MediaStatus.READY));

        PreviousReceipt before = Json.read(Json.write(now), PreviousReceipt.class);

        assertThat(before).isEqualTo(new PreviousReceipt("ingest", "a.jpg", "abc", 10, "image/jpeg", ID, "image/jpeg",
                MediaStatus.READY, REASONS, true));
    }

    @Test
    void completionEvent_readByAConsumerOfThePreviousVersion_namesTheItemAndTheUpload() {
        Upload u = new Upload("ingest", "a.jpg", "0A", "abc");
        Receipt settled = new Receipt("ingest", "a.jpg", "abc", 10, "image/jpeg", ID, MediaFormat.JPEG, MediaStatus.PROCESSING,
                REASONS, false, "0A", u.id(), null).settle(claimed().withOutcome(MediaStatus.READY, claimed().original(),
                Map.of("thumbnail", StepState.DONE), REASONS, List.of(), Map.of()));

        PreviousCompletionEvent before = Json.read(Json.write(CompletionEvent.of(settled, Keys.manifest(ID), Keys.receipt(u))),
                PreviousCompletionEvent.class);

        assertThat(before).isEqualTo(new PreviousCompletionEvent(ID, MediaStatus.READY, "image/jpeg", Keys.manifest(ID), "a.jpg",
                REASONS));
    }

    @Test
    void completionEventOfThePreviousVersion_readNow_hasNoEventId() {
        PreviousCompletionEvent before = new PreviousCompletionEvent(ID, MediaStatus.READY, "image/jpeg", Keys.manifest(ID), null,
                List.of());

        CompletionEvent now = Json.read(Json.write(before), CompletionEvent.class);

        assertThat(now).isEqualTo(new CompletionEvent(ID, MediaStatus.READY, MediaFormat.JPEG, Keys.manifest(ID), null, List.of()));
        assertThat(now.eventId()).isNull();
    }
}
