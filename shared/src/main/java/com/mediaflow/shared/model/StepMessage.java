package com.mediaflow.shared.model;

/** Validate to a step: work on this stored original. */
public record StepMessage(String mediaId, String step, String type, String category, String bucket, String key) {
}
