package com.mediaflow.shared.model;

/** What became of a media item or an upload. */
public enum MediaStatus {
    /** Accepted; at least one step has not reported yet. */
    PROCESSING,
    /** Every step that applies to its type is done. */
    READY,
    /** Rejected; the reasons say why. The bytes are kept in the quarantine bucket. */
    QUARANTINED,
    /**
     * Could not be processed: a message reached a dead-letter queue after its retries. Final, but
     * not necessarily the last word: after a redrive the item may still become READY, which is a
     * new state with a new completion event.
     */
    FAILED,
    /**
     * The upload was deleted through the upload API ({@code DELETE /uploads/{id}}); its item too when
     * no other upload referred to it. Only ever the status of a completion event: no receipt or
     * manifest is written in this state.
     */
    DELETED;

    /** READY, QUARANTINED, FAILED or DELETED: an upload in this state has its completion event. */
    public boolean isFinal() {
        return this != PROCESSING;
    }

    /** READY or QUARANTINED: nothing will change it any more. */
    public boolean isSettled() {
        return this == READY || this == QUARANTINED;
    }
}
