package com.mediaflow.shared.model;

/** What became of a media item or an upload. */
public enum MediaStatus {
    /** Accepted; at least one step has not reported yet. */
    PROCESSING,
    /** Every step that applies to its type is done. */
    READY,
    /** Rejected; the reasons say why. The bytes are kept in the quarantine bucket. */
    QUARANTINED
}
