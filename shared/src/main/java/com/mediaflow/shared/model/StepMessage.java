package com.mediaflow.shared.model;

import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import java.util.Collection;
import java.util.List;

/**
 * Validate to a step: work on this stored original.
 *
 * @param type the detected format, written as its MIME type
 * @param category the format's category, written as its lowercase name
 *
 * @param shadow true on a shadow copy (shadow mode, {@link com.mediaflow.shared.pipeline.Shadow}): the step
 *     writes only under {@code shadow/<mediaId>/<step>/} and compares; null (left out of the JSON) on the real one
 * @param steps every step the item runs (its manifest's steps, this one included), in name order: a step
 *     tells finalize only when the other steps' results are stored too, so that finalize runs once per
 *     item, not once per step. Null (left out of the JSON, and in messages of the previous version): the
 *     step tells finalize whenever it is done.
 */
public record StepMessage(String mediaId, String step, MediaFormat type, MediaCategory category, String bucket, String key,
                          Boolean shadow, List<String> steps) implements Versioned {
    public StepMessage {
        steps = steps == null ? null : List.copyOf(steps);
    }

    public StepMessage(String mediaId, String step, MediaFormat type, MediaCategory category, String bucket, String key) {
        this(mediaId, step, type, category, bucket, key, null, null);
    }

    /** Whether this is a shadow copy (named so that JSON sees only the {@code shadow} component). */
    public boolean shadowCopy() {
        return Boolean.TRUE.equals(shadow);
    }

    /** The same work, marked as a shadow copy. */
    public StepMessage asShadow() {
        return new StepMessage(mediaId, step, type, category, bucket, key, Boolean.TRUE, steps);
    }

    /** The same work, naming every step of the item ({@link #steps()}). */
    public StepMessage withSteps(Collection<String> itemSteps) {
        return new StepMessage(mediaId, step, type, category, bucket, key, shadow, itemSteps.stream().sorted().toList());
    }

    /**
     * The other steps whose results must be stored before this one tells finalize; empty when this
     * message does not name the item's steps (then it always tells).
     */
    public List<String> otherSteps() {
        return steps == null ? List.of() : steps.stream().filter(s -> !s.equals(step)).toList();
    }
}
