package com.mediaflow.uploadapi;

/**
 * A request the API answers with an error and nothing else: no URL, nothing written. {@code code}
 * is a {@link com.mediaflow.shared.error.ReasonCode} name when validation's limits table or its
 * formats refuse the upload, else one of the API's own codes ({@link #BAD_REQUEST}, {@link #NOT_FOUND},
 * {@link #UNAUTHORIZED}, {@link #SIZE_MISMATCH}, {@link #CONFLICT}).
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String UNAUTHORIZED = "UNAUTHORIZED";
    /** A multipart upload whose parts do not add up to its declared size: aborted. */
    static final String SIZE_MISMATCH = "SIZE_MISMATCH";
    /** The upload is not in a state the call needs (a POST form upload completed, a multipart upload no longer open). */
    static final String CONFLICT = "CONFLICT";

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
