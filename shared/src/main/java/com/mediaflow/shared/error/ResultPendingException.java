package com.mediaflow.shared.error;

/**
 * What a step needs to read is not written yet (the shadow compare waits for the real step's result).
 * Retryable: the message comes back after its visibility timeout and asks again.
 */
public class ResultPendingException extends MediaflowException {
    private static final long serialVersionUID = 1L;

    public ResultPendingException(String message) {
        super(message, null);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
