package com.mediaflow.shared.model;

import com.mediaflow.shared.validation.Reason;
import java.util.List;

/**
 * One per upload, at {@code receipts/<ingest key>.json}: that upload's own verdict. Checks that
 * depend on the declared name or type run per upload, so a duplicate of stored bytes still gets
 * its own receipt. The item's progress is in its {@link Manifest}.
 *
 * @param status QUARANTINED when this upload was rejected; otherwise PROCESSING, and the manifest
 *     says the rest
 * @param duplicate the bytes were already stored, so nothing was processed again
 */
public record Receipt(
        String bucket,
        String key,
        String etag,
        long size,
        String declaredType,
        String mediaId,
        String detectedType,
        MediaStatus status,
        List<Reason> reasons,
        boolean duplicate) {
    public Receipt {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
