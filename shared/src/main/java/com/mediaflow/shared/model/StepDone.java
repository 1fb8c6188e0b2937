package com.mediaflow.shared.model;

/** A step to finalize: my result for this item is stored. */
public record StepDone(String mediaId, String step) {
}
