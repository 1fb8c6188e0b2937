package com.mediaflow.render;

/** A request the render function refuses: its HTTP status, a stable code and what was expected and found. */
final class RenderError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String BAD_SIGNATURE = "BAD_SIGNATURE";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String SIZE_NOT_ALLOWED = "SIZE_NOT_ALLOWED";

    private final int status;
    private final String code;

    RenderError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
