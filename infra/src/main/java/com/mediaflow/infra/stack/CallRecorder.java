package com.mediaflow.infra.stack;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Observes every S3 and SQS call a hosted function makes, for the least-privilege check
 * ({@code IamIT}): which function, which operation, on which bucket and key or queue.
 *
 * <p>The SDK instantiates global interceptors ({@link CallRecordingInterceptor}, registered in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the test classpath)
 * once per client it builds; {@link FunctionHost} names the function on the thread that builds the
 * handler and runs it, so each client remembers the function it belongs to. Recording is off
 * unless {@link #start()} was called; clients built outside a {@link FunctionHost} (the stack's
 * own, a test's) record nothing.
 */
public final class CallRecorder {
    /**
     * One call. {@code resource} is the bucket (S3) or queue URL (SQS); {@code key} the object key,
     * the list prefix, or null; {@code sourceBucket}/{@code sourceKey} the source of a copy;
     * {@code status} the HTTP status of the answer (0 before it is known).
     */
    public record Call(String function, String service, String operation, String resource, String key,
                       String sourceBucket, String sourceKey, int status) {
        public Call withStatus(int s) {
            return new Call(function, service, operation, resource, key, sourceBucket, sourceKey, s);
        }

        @Override
        public String toString() {
            return function + " " + service + ":" + operation + " " + resource + (key == null ? "" : " " + key)
                    + (sourceKey == null ? "" : " (from " + sourceBucket + "/" + sourceKey + ")")
                    + (status == 0 ? "" : " -> " + status);
        }
    }

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static volatile boolean recording;

    private CallRecorder() {
    }

    /** Runs {@code work} with {@code function} named as the function on this thread. */
    public static <T> T as(String function, Supplier<T> work) {
        String before = CURRENT.get();
        CURRENT.set(function);
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    static String current() {
        return CURRENT.get();
    }

    public static void start() {
        CALLS.clear();
        recording = true;
    }

    /** Stops recording and returns what was recorded since {@link #start()}. */
    public static List<Call> stop() {
        recording = false;
        return List.copyOf(CALLS);
    }

    static boolean recording() {
        return recording;
    }

    static void add(Call call) {
        if (recording) {
            CALLS.add(call);
        }
    }
}
