package com.mediaflow.shared.model;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import java.util.List;

/**
 * Put on the CompletionQueue once for each upload that reaches a final state (READY, QUARANTINED
 * or FAILED). Delivery is at least once: consumers deduplicate by {@code eventId}, which is the
 * same for the same upload in the same state (SHA-256 of {@code bucket|key|version|status}, see
 * {@link Upload}); a later state of the same upload (FAILED, then READY after a redrive) is a new
 * event with a new id. The JSON Schema is
 * {@code infra/src/main/resources/mediaflow-completion-event.schema.json}.
 *
 * @param upload the ingest key, as in the previous version (same as {@code key}); null only in the
 *     previous version's item-level events
 * @param type the item's detected format, written as its MIME type
 * @param bucket the ingest bucket of the upload
 * @param key the ingest key of the upload
 * @param etag the upload's ETag, without quotes
 * @param sequencer the S3 event's sequencer; null when the event had none
 * @param uploadId SHA-256 of {@code bucket|key|version}
 * @param receiptKey the upload's receipt in the media bucket
 * @param duplicate whether the bytes were stored or claimed before by another upload
 * @param itemDeleted only in a {@link MediaStatus#DELETED} event: whether this deletion also removed the
 *     item (no other upload referred to it); null (left out) in every other event
 */
public record CompletionEvent(String mediaId, MediaStatus status, MediaFormat type, String manifestKey, String upload,
                              List<Reason> reasons, String eventId, String bucket, String key, String etag,
                              String sequencer, String uploadId, String receiptKey, Boolean duplicate,
                              Boolean itemDeleted) implements Versioned {
    public CompletionEvent {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** An event of a final state other than DELETED: no {@code itemDeleted}. */
    public CompletionEvent(String mediaId, MediaStatus status, MediaFormat type, String manifestKey, String upload,
                           List<Reason> reasons, String eventId, String bucket, String key, String etag,
                           String sequencer, String uploadId, String receiptKey, Boolean duplicate) {
        this(mediaId, status, type, manifestKey, upload, reasons, eventId, bucket, key, etag, sequencer, uploadId, receiptKey,
                duplicate, null);
    }

    /** The previous version's shape: about an item, or an upload named by its key alone. */
    public CompletionEvent(String mediaId, MediaStatus status, MediaFormat type, String manifestKey, String upload, List<Reason> reasons) {
        this(mediaId, status, type, manifestKey, upload, reasons, null, null, null, null, null, null, null, null);
    }

    /**
     * The event of an upload in its final state.
     *
     * @param manifestKey where the item's manifest is stored; ignored for an upload with no item
     * @param receiptKey where the upload's receipt is stored (the storage layout is the pipeline's, not the model's)
     * @throws IllegalArgumentException when the receipt is not final
     */
    public static CompletionEvent of(Receipt settled, String manifestKey, String receiptKey) {
        if (!settled.isFinal() || settled.eventId() == null) {
            throw new IllegalArgumentException("a completion event needs a final receipt with its eventId; found "
                    + settled.status() + " for s3://" + settled.bucket() + "/" + settled.key());
        }
        return new CompletionEvent(settled.mediaId(), settled.status(), settled.detectedType(),
                settled.mediaId() == null ? null : manifestKey, settled.key(), settled.reasons(),
                settled.eventId(), settled.bucket(), settled.key(), settled.etag(), settled.sequencer(), settled.uploadId(),
                receiptKey, settled.duplicate());
    }

    /**
     * The event of an upload deleted through the upload API: its identity as its receipt holds it,
     * status DELETED, and its own event id for that state (the same however often the deletion is
     * retried). The manifest key is left out when the item went with it.
     *
     * @param receipt the upload's receipt, in whatever state it was
     * @param receiptKey where that receipt was stored (it is deleted just after the event is sent)
     */
    public static CompletionEvent deleted(Receipt receipt, String manifestKey, String receiptKey, boolean itemDeleted) {
        Upload upload = receipt.upload();
        return new CompletionEvent(receipt.mediaId(), MediaStatus.DELETED, receipt.detectedType(),
                receipt.mediaId() == null || itemDeleted ? null : manifestKey, receipt.key(), receipt.reasons(),
                upload.eventId(MediaStatus.DELETED), receipt.bucket(), receipt.key(), receipt.etag(), receipt.sequencer(),
                upload.id(), receiptKey, receipt.duplicate(), itemDeleted);
    }
}
