package com.mediaflow.shared.model;

import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;

/**
 * Validate to a step: work on this stored original.
 *
 * @param type the detected format, written as its MIME type
 * @param category the format's category, written as its lowercase name
 *
 * @param shadow true on a shadow copy (shadow mode, {@link com.mediaflow.shared.pipeline.Shadow}): the step
 *     writes only under {@code shadow/<mediaId>/<step>/} and compares; null (left out of the JSON) on the real one
 */
public record StepMessage(String mediaId, String step, MediaFormat type, MediaCategory category, String bucket, String key, Boolean shadow) implements Versioned {
    public StepMessage(String mediaId, String step, MediaFormat type, MediaCategory category, String bucket, String key) {
        this(mediaId, step, type, category, bucket, key, null);
    }

    /** Whether this is a shadow copy (named so that JSON sees only the {@code shadow} component). */
    public boolean shadowCopy() {
        return Boolean.TRUE.equals(shadow);
    }

    /** The same work, marked as a shadow copy. */
    public StepMessage asShadow() {
        return new StepMessage(mediaId, step, type, category, bucket, key, Boolean.TRUE);
    }
}
