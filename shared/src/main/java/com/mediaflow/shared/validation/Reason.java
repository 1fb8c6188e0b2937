package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import java.util.Objects;

/** One finding: a stable code, how serious it is, and a sentence with what was expected and found. */
public record Reason(ReasonCode code, Severity severity, String message) {
    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Reason error(ReasonCode code, String message) {
        return new Reason(code, Severity.ERROR, message);
    }

    public static Reason warning(ReasonCode code, String message) {
        return new Reason(code, Severity.WARNING, message);
    }

    public boolean rejects() {
        return severity == Severity.ERROR;
    }
}
