package com.mediaflow.shared.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A document that crosses a boundary between two deployed versions of the code: a queue message,
 * a manifest, a receipt, a step result, a completion event. During a gradual deployment (1 % to
 * 100 %) the old and the new version of a function run side by side and read each other's
 * documents, so each document says which format it is in, as {@code "v"}.
 *
 * <p>Readers accept {@link #CURRENT} and {@link #PREVIOUS}: a document without {@code "v"} was
 * written before formats had a number, and is version 1. Fields are only ever added, and readers
 * ignore fields they do not know, so the previous version reads the current one's documents too. A
 * document of a version newer than {@link #CURRENT} is refused by {@link Json#read} with a
 * retryable error: the message returns to its queue for a function of the new version (or this
 * one, after the rollback) to take. A name that one of the reader's enums does not have (a media
 * format, a step state, a reason code a newer version added) is refused the same way.
 */
public interface Versioned {
    /** The format written by this code: 2 added {@code "v"} itself, codec warnings as reasons and the receipts' {@code uploadedAt}. */
    int CURRENT = 2;
    /** The oldest format this code reads; documents without {@code "v"} are this version. */
    int PREVIOUS = 1;

    /** {@code "v"} in the JSON; written, never read back into the record (its format is what the reader checked). */
    @JsonProperty(value = "v", access = JsonProperty.Access.READ_ONLY)
    default int formatVersion() {
        return CURRENT;
    }
}
