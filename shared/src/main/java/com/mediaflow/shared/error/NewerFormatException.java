package com.mediaflow.shared.error;

/**
 * A document written by a newer version of the code than this one (its {@code "v"} is above the
 * reader's, or a field holds an enum name the reader does not know), as happens while a deployment
 * moves traffic between two versions. Retryable: the message goes back to its queue, for a function
 * of the newer version to take, or for this one after a rollback, when no newer writer is left.
 */
public class NewerFormatException extends MediaflowException {
    private static final long serialVersionUID = 1L;

    public NewerFormatException(String message) {
        super(message, null);
    }

    public NewerFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
