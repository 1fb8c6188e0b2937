package com.mediaflow.uploadapi;

/**
 * A request the API answers with an error and nothing else: no URL, nothing written. {@code code}
 * is a {@link com.mediaflow.shared.error.ReasonCode} name when validation's limits table or its
 * formats refuse the upload, else one of the API's own codes ({@link #BAD_REQUEST}, {@link #NOT_FOUND},
 * {@link #UNAUTHORIZED}).
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String UNAUTHORIZED = "UNAUTHORIZED";

    private final int status;
    private final String code;

    ApiError(int status, String code, String message) {
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
