package com.mediaflow.shared.error;


/** An event or queue message that is not what the function expects. Permanent. */
public class MalformedEventException extends MediaflowException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message, null);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }

    @Override
    public ReasonCode reasonCode() {
        return ReasonCode.MESSAGE_INVALID;
    }
}
