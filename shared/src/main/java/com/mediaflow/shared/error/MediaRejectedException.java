package com.mediaflow.shared.error;


/**
 * Untrusted bytes broke a rule: their format's, or one of our limits. The only exception a parser
 * of untrusted bytes may throw. Permanent: the same bytes fail the same way every time.
 */
public class MediaRejectedException extends MediaflowException {
    private static final long serialVersionUID = 1L;

    private final ReasonCode code;

    public MediaRejectedException(ReasonCode code, String message) {
        super(message, null);
        this.code = code;
    }

    public MediaRejectedException(ReasonCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ReasonCode code() {
        return code;
    }

    @Override
    public ReasonCode reasonCode() {
        return code;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
