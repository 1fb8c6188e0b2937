package com.mediaflow.shared.natives;

import java.util.List;
import java.util.stream.Collectors;

/** The natives of a package break the Lambda rules: the message lists every violation. */
public final class NativeViolationsError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient List<NativeViolation> violations;

    public NativeViolationsError(List<NativeViolation> violations) {
        super(message(violations));
        this.violations = List.copyOf(violations);
    }

    public List<NativeViolation> violations() {
        return violations;
    }

    private static String message(List<NativeViolation> violations) {
        return violations.size()
                + (violations.size() == 1 ? " native library violation" : " native library violations")
                + " for AWS Lambda (expected glibc <= " + LambdaNativeRules.MAX_GLIBC
                + " and every NEEDED library shipped or in the base image):"
                + violations.stream().map(v -> "\n  - " + v.describe()).collect(Collectors.joining());
    }
}
