package com.mediaflow.pretraffic;

import com.mediaflow.shared.error.MalformedEventException;

/** An invocation of the hook that is not CodeDeploy's lifecycle hook event: nothing can be reported for it. */
public class HookEventException extends MalformedEventException {
    private static final long serialVersionUID = 1L;

    public HookEventException(String message) {
        super(message);
    }
}
