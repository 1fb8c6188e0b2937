package com.mediaflow.shared.error;

/** A required environment variable is missing or malformed. Raised at cold start, never later. */
public class ConfigException extends MediaflowException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
