package com.mediaflow.shared.error;


/**
 * Root of Mediaflow's typed, unchecked exceptions. Messages say what happened, what was expected
 * and what was found; the cause is always kept.
 */
public abstract class MediaflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected MediaflowException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when trying again later may succeed (throttling, storage, network). */
    public abstract boolean retryable();

    /** The reason code recorded when this error ends a message: {@link ReasonCode#STEP_FAILED} unless a subclass knows better. */
    public ReasonCode reasonCode() {
        return ReasonCode.STEP_FAILED;
    }
}
