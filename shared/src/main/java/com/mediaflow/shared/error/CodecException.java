package com.mediaflow.shared.error;


/**
 * A decoder or encoder could not handle bytes that validation had accepted. Permanent: the same
 * bytes fail the same way on every attempt, so the item is quarantined instead of retried.
 */
public class CodecException extends MediaflowException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message, null);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }

    @Override
    public ReasonCode reasonCode() {
        return ReasonCode.DECODE_FAILED;
    }
}
