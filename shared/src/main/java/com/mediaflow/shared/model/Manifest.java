package com.mediaflow.shared.model;

import com.mediaflow.shared.validation.Reason;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One per media item, at {@code media/<mediaId>/manifest.json}: where the item is and what became
 * of it.
 *
 * @param mediaId the SHA-256 of the original bytes, lowercase hex
 * @param type the detected MIME type
 * @param category image, video, audio or document
 * @param original where the original bytes are (media bucket when accepted, quarantine bucket when not)
 * @param steps each step that applies to this item and whether it has reported: PENDING or DONE
 */
public record Manifest(
        String mediaId,
        MediaStatus status,
        String type,
        String category,
        long size,
        Location original,
        Map<String, String> steps,
        List<Reason> reasons,
        List<Output> outputs,
        Map<String, Object> metadata) {

    public static final String PENDING = "PENDING";
    public static final String DONE = "DONE";

    public Manifest {
        steps = steps == null ? Map.of() : new TreeMap<>(steps);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        metadata = metadata == null ? Map.of() : new TreeMap<>(metadata);
    }

    public record Location(String bucket, String key) {
    }

    public boolean terminal() {
        return status == MediaStatus.READY || status == MediaStatus.QUARANTINED;
    }
}
