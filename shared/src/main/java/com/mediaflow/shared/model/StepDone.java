package com.mediaflow.shared.model;

/**
 * A step to finalize: my result for this item is stored; or, with {@code progress} set, I am still
 * working and this is how far I am (finalize records it in the manifest while it is PROCESSING).
 */
public record StepDone(String mediaId, String step, String progress) implements Versioned {
    public StepDone(String mediaId, String step) {
        this(mediaId, step, null);
    }

    public static StepDone progress(String mediaId, String step, String line) {
        return new StepDone(mediaId, step, line);
    }

    public boolean inProgress() {
        return progress != null;
    }
}
