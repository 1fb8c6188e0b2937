package com.mediaflow.pretraffic;

/** What the hook needs of Lambda: one synchronous invocation (RequestResponse) of one published version. */
public interface Versions {
    /**
     * The answer of an invocation.
     *
     * @param functionError Lambda's {@code FunctionError} ("Unhandled" when the handler or its init threw); null when none
     * @param payload the response payload, as JSON; for a function error, Lambda's error document
     */
    record Invocation(String functionError, String payload) {
        public static Invocation ok(String payload) {
            return new Invocation(null, payload);
        }
    }

    /** Invokes {@code functionName} at {@code version} (a version number, never the alias) with this JSON event. */
    Invocation invoke(String functionName, String version, String payload);
}
