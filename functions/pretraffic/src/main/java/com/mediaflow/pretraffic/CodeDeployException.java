package com.mediaflow.pretraffic;

/** CodeDeploy refused a call or answered something other than its API's JSON: the error type and message it gave. */
public class CodeDeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String errorType;

    public CodeDeployException(String message, int status, String errorType, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorType = errorType;
    }

    /** The HTTP status; 0 when no answer came. */
    public int status() {
        return status;
    }

    /** CodeDeploy's {@code __type} without its namespace (e.g. DeploymentDoesNotExistException); null when none. */
    public String errorType() {
        return errorType;
    }

    /** Worth another attempt: throttled, a server error, or no answer at all. */
    boolean retryable() {
        return status == 0 || status >= 500 || status == 429 || "ThrottlingException".equals(errorType);
    }
}
