package com.mediaflow.shared.error;

/** S3 or SQS did not do what was asked. Retryable: the message goes back to its queue. */
public class StorageException extends MediaflowException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
