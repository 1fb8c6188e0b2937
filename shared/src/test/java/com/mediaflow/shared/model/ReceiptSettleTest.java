package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptSettleTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String BUCKET = "mediaflow-ingest-000000000000";
    private static final Reason WARNING = Reason.warning(ReasonCode.STRUCTURE_INVALID, "XMP packet is not XML, skipped");
    private static final Reason DECODE = Reason.error(ReasonCode.DECODE_FAILED, "thumbnail: expected a frame, found none");

    private static Receipt attached(String key, String sequencer, MediaStatus status, List<Reason> reasons, boolean duplicate) {
        Upload u = new Upload(BUCKET, key, sequencer, "abc");
        return new Receipt(BUCKET, key, "abc", 1234, "image/jpeg", ID, MediaFormat.JPEG, status, reasons, duplicate, sequencer, u.id(), null);
    }

    private static Manifest item(MediaStatus status, List<Reason> reasons) {
        return new Manifest(ID, status, MediaFormat.JPEG, MediaCategory.IMAGE, 1234, new Manifest.Location("media", Keys.original(ID)),
                Map.of("thumbnail", StepState.DONE), reasons, List.of(), Map.of(), Map.of(), "someone");
    }

    @Test
    void settle_duplicateOfAReadyItem_endsReadyWithItsOwnEventId() {
        Receipt first = attached("a.jpg", "01", MediaStatus.PROCESSING, List.of(WARNING), false);
        Receipt second = attached("b.jpg", "02", MediaStatus.PROCESSING, List.of(WARNING), true);

        Receipt a = first.settle(item(MediaStatus.READY, List.of(WARNING)));
        Receipt b = second.settle(item(MediaStatus.READY, List.of(WARNING)));

        assertThat(List.of(a.status(), b.status())).containsOnly(MediaStatus.READY);
        assertThat(a.eventId()).isEqualTo(first.upload().eventId(MediaStatus.READY)).isNotEqualTo(b.eventId());
        assertThat(b.duplicate()).isTrue();
        assertThat(b.reasons()).as("the item's reasons, each once").containsExactly(WARNING);
    }

    @Test
    void settle_uploadRejectedOnItsOwn_staysQuarantined_whateverTheItem() {
        Reason mismatch = Reason.error(ReasonCode.TYPE_MISMATCH, "the Content-Type 'application/pdf' says a PDF");
        Receipt liar = attached("statement.pdf", "03", MediaStatus.QUARANTINED, List.of(mismatch), false);

        Receipt settled = liar.settle(item(MediaStatus.READY, List.of()));

        assertThat(settled.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(settled.reasons()).containsExactly(mismatch);
        assertThat(liar.settle(null)).isEqualTo(settled);
    }

    @Test
    void settle_itemQuarantinedByADecoder_addsTheItemsReasonsAfterItsOwn() {
        Receipt upload = attached("a.jpg", "01", MediaStatus.PROCESSING, List.of(WARNING), false);

        Receipt settled = upload.settle(item(MediaStatus.QUARANTINED, List.of(WARNING, DECODE)));

        assertThat(settled.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(settled.reasons()).containsExactly(WARNING, DECODE);
    }

    @Test
    void settle_failedThenReadyAfterARedrive_isTwoStatesWithTwoEventIds() {
        Receipt upload = attached("a.jpg", "01", MediaStatus.PROCESSING, List.of(), false);

        Receipt failed = upload.settle(item(MediaStatus.FAILED, List.of()));
        Receipt ready = failed.settle(item(MediaStatus.READY, List.of()));

        assertThat(failed.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(ready.status()).isEqualTo(MediaStatus.READY);
        assertThat(ready.eventId()).isNotEqualTo(failed.eventId());
        assertThat(ready).isEqualTo(upload.settle(item(MediaStatus.READY, List.of())));
    }

    @Test
    void settle_itemStillProcessing_isRefused() {
        Receipt upload = attached("a.jpg", "01", MediaStatus.PROCESSING, List.of(), false);

        assertThatThrownBy(() -> upload.settle(item(MediaStatus.PROCESSING, List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected the item's manifest in a final state, found PROCESSING");
    }

    @Test
    void completionEvent_ofASettledReceipt_carriesTheUploadsIdentityStatusAndEventId() {
        Receipt settled = attached("dir/a b.jpg", "01", MediaStatus.PROCESSING, List.of(), true)
                .settle(item(MediaStatus.READY, List.of()));

        CompletionEvent event = CompletionEvent.of(settled, Keys.manifest(ID), Keys.receipt(settled.upload()));

        assertThat(event.eventId()).isEqualTo(settled.eventId());
        assertThat(event.bucket()).isEqualTo(BUCKET);
        assertThat(event.key()).isEqualTo("dir/a b.jpg").isEqualTo(event.upload());
        assertThat(event.status()).isEqualTo(MediaStatus.READY);
        assertThat(event.mediaId()).isEqualTo(ID);
        assertThat(event.sequencer()).isEqualTo("01");
        assertThat(event.uploadId()).isEqualTo(settled.uploadId());
        assertThat(event.receiptKey()).isEqualTo(Keys.receipt(settled.upload()));
        assertThat(event.manifestKey()).isEqualTo(Keys.manifest(ID));
        assertThat(event.duplicate()).isTrue();
        assertThat(Json.read(Json.write(event), CompletionEvent.class)).isEqualTo(event);
    }

    @Test
    void completionEvent_ofAReceiptStillProcessing_isRefused() {
        Receipt upload = attached("a.jpg", "01", MediaStatus.PROCESSING, List.of(), false);

        assertThatThrownBy(() -> CompletionEvent.of(upload, "media/m/manifest.json", "receipts/r.json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found PROCESSING for s3://" + BUCKET + "/a.jpg");
    }
}
