package com.mediaflow.testkit;

/** {@link SyntheticMedia} could not write a file: what it was making, and what FFmpeg said. */
public final class SyntheticMediaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SyntheticMediaException(String message) {
        super(message);
    }

    public SyntheticMediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
