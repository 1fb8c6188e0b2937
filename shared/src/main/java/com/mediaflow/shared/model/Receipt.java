package com.mediaflow.shared.model;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * One per upload, at {@code receipts/<SHA-256 of "bucket|key">/<upload id>.json} in the media
 * bucket: that upload's own verdict and, once it has one, its final state. Checks that depend on
 * the declared name or type run per upload, so a duplicate of stored bytes still gets its own
 * receipt. Validate also keeps a copy of what it wrote under the item, at
 * {@code media/<mediaId>/uploads/<upload id>.json}: the list of uploads attached to the item.
 *
 * @param status PROCESSING while the item is; then READY, QUARANTINED or FAILED. QUARANTINED from
 *     the start when this upload itself was rejected (its content, or its declared name or type)
 * @param declaredType the Content-Type the client gave, as given (any string)
 * @param detectedType the format detected from the bytes, written as its MIME type; null when the
 *     upload never got a verdict
 * @param reasons this upload's own reasons, and once final the item's too
 * @param duplicate the bytes were already stored or claimed by another upload, so nothing was
 *     processed again for this one
 * @param sequencer the S3 event's sequencer; null when the event had none (then the ETag
 *     identifies the upload)
 * @param uploadId SHA-256 of {@code bucket|key|version}, see {@link Upload}
 * @param eventId set once final: the id of the completion event of this upload in this state
 * @param uploadedAt the S3 event's {@code eventTime} (ISO-8601), when the upload was made: where the
 *     upload-to-READY latency starts; null when the event had none, and in receipts of the previous version
 */
public record Receipt(
        String bucket,
        String key,
        String etag,
        long size,
        String declaredType,
        String mediaId,
        MediaFormat detectedType,
        MediaStatus status,
        List<Reason> reasons,
        boolean duplicate,
        String sequencer,
        String uploadId,
        String eventId,
        String uploadedAt) implements Versioned {
    public Receipt {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** A receipt without the upload's time, as the previous version wrote it. */
    public Receipt(String bucket, String key, String etag, long size, String declaredType, String mediaId,
                   MediaFormat detectedType, MediaStatus status, List<Reason> reasons, boolean duplicate, String sequencer,
                   String uploadId, String eventId) {
        this(bucket, key, etag, size, declaredType, mediaId, detectedType, status, reasons, duplicate, sequencer, uploadId,
                eventId, null);
    }

    /**
     * Milliseconds from the upload (its S3 event's time) to {@code now}; empty when the upload's time is unknown or
     * unreadable.
     */
    public java.util.OptionalLong millisSinceUpload(java.time.Instant now) {
        if (uploadedAt == null) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(java.time.Duration.between(java.time.Instant.parse(uploadedAt), now).toMillis());
        } catch (java.time.format.DateTimeParseException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** A receipt as the previous version wrote it, without the upload's identity. */
    public Receipt(String bucket, String key, String etag, long size, String declaredType, String mediaId,
                   MediaFormat detectedType, MediaStatus status, List<Reason> reasons, boolean duplicate) {
        this(bucket, key, etag, size, declaredType, mediaId, detectedType, status, reasons, duplicate, null, null, null, null);
    }

    /** The upload this receipt is about. */
    public Upload upload() {
        return new Upload(bucket, key, sequencer, etag);
    }

    public boolean isFinal() {
        return status != null && status.isFinal();
    }

    /**
     * This upload in its final state: its own rejection when validate rejected it, otherwise the
     * item's final state, with the item's reasons after its own. A pure function of the receipt
     * validate wrote and the item's manifest, so every run that completes an upload writes the
     * same receipt and sends the same event.
     *
     * @param item the item's manifest; may be null only when this upload was itself rejected
     * @throws IllegalArgumentException when this upload waits for the item and the item is not final
     */
    public Receipt settle(Manifest item) {
        if (status == MediaStatus.QUARANTINED) {
            return withFinal(MediaStatus.QUARANTINED, reasons);
        }
        if (item == null || !item.terminal()) {
            throw new IllegalArgumentException("upload " + uploadId + " (s3://" + bucket + "/" + key
                    + ") waits for its item: expected the item's manifest in a final state, found "
                    + (item == null ? "none" : item.status()));
        }
        List<Reason> all = new ArrayList<>(reasons);
        for (Reason r : item.reasons()) {
            if (!all.contains(r)) {
                all.add(r);
            }
        }
        return withFinal(item.status(), all);
    }

    private Receipt withFinal(MediaStatus finalStatus, List<Reason> finalReasons) {
        return new Receipt(bucket, key, etag, size, declaredType, mediaId, detectedType, finalStatus, finalReasons, duplicate,
                sequencer, uploadId, upload().eventId(finalStatus), uploadedAt);
    }
}
