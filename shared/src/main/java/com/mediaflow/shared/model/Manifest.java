package com.mediaflow.shared.model;

import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One per media item, at {@code media/<mediaId>/manifest.json}: where the item is and what became
 * of it.
 *
 * @param mediaId the SHA-256 of the original bytes, lowercase hex
 * @param type the detected format, written as its MIME type
 * @param category its category, written as image, video, audio, document or other
 * @param original where the original bytes are (media bucket when accepted, quarantine bucket when not)
 * @param steps each step that applies to this item and whether it has reported ({@link StepState})
 * @param progress while PROCESSING, what a long step has done so far, such as
 *     {@code transcode: "segments 37/60"}; empty once terminal
 * @param claimedBy the id of the upload whose validate run created this manifest with a
 *     conditional create, and so stores the original and fans out (see {@link Upload#id()}); null in
 *     manifests of the previous version
 */
public record Manifest(
        String mediaId,
        MediaStatus status,
        MediaFormat type,
        MediaCategory category,
        long size,
        Location original,
        Map<String, StepState> steps,
        List<Reason> reasons,
        List<Output> outputs,
        Map<String, Object> metadata,
        Map<String, String> progress,
        String claimedBy) implements Versioned {

    public Manifest {
        steps = steps == null ? Map.of() : new TreeMap<>(steps);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        metadata = metadata == null ? Map.of() : new TreeMap<>(metadata);
        progress = progress == null ? Map.of() : new TreeMap<>(progress);
    }

    /** A manifest without progress and without a claim, as the previous version wrote them. */
    public Manifest(String mediaId, MediaStatus status, MediaFormat type, MediaCategory category, long size, Location original,
                    Map<String, StepState> steps, List<Reason> reasons, List<Output> outputs, Map<String, Object> metadata) {
        this(mediaId, status, type, category, size, original, steps, reasons, outputs, metadata, Map.of(), null);
    }

    /** This manifest with one step's progress line replaced. */
    public Manifest withProgress(String step, String line) {
        Map<String, String> p = new TreeMap<>(progress);
        p.put(step, line);
        return new Manifest(mediaId, status, type, category, size, original, steps, reasons, outputs, metadata, p, claimedBy);
    }

    /**
     * This manifest with {@code published} added to its outputs (those of the same key replaced):
     * while PROCESSING, the renditions a step has already stored, so a client can show the first
     * thumbnail before the item is READY. The terminal write replaces the list with every step's.
     */
    public Manifest withPublished(List<Output> published) {
        java.util.LinkedHashMap<String, Output> byKey = new java.util.LinkedHashMap<>();
        outputs.forEach(o -> byKey.put(o.key(), o));
        published.forEach(o -> byKey.put(o.key(), o));
        return new Manifest(mediaId, status, type, category, size, original, steps, reasons, List.copyOf(byKey.values()),
                metadata, progress, claimedBy);
    }

    /** This item in a new state, claim kept, progress cleared. */
    public Manifest withOutcome(MediaStatus newStatus, Location newOriginal, Map<String, StepState> newSteps, List<Reason> newReasons,
                                List<Output> newOutputs, Map<String, Object> newMetadata) {
        return new Manifest(mediaId, newStatus, type, category, size, newOriginal, newSteps, newReasons, newOutputs, newMetadata,
                Map.of(), claimedBy);
    }

    public record Location(String bucket, String key) {
    }

    /** READY, QUARANTINED or FAILED: the item's uploads end in this state and get their completion events. */
    public boolean terminal() {
        return status != null && status.isFinal();
    }

    /** READY or QUARANTINED: finalize has nothing left to merge. */
    public boolean settled() {
        return status != null && status.isSettled();
    }
}
