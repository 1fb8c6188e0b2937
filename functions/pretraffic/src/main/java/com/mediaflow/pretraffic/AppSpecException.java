package com.mediaflow.pretraffic;

import com.mediaflow.shared.error.MalformedEventException;

/** A deployment's AppSpec that is not the Lambda AppSpec CodeDeploy writes. Permanent: the hook reports Failed. */
public class AppSpecException extends MalformedEventException {
    private static final long serialVersionUID = 1L;

    public AppSpecException(String message) {
        super(message);
    }

    public AppSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
