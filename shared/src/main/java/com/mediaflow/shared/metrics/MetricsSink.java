package com.mediaflow.shared.metrics;

/**
 * Where EMF documents go, one JSON line each. On Lambda that is standard output, which the runtime
 * sends to CloudWatch Logs, where the embedded metric format is turned into metrics; the embedded
 * stack and tests put their own sink in its place ({@link StepMetrics#sink(MetricsSink)}).
 */
@FunctionalInterface
public interface MetricsSink {
    /** Standard output, a whole line per call, so lines of concurrent invocations never interleave. */
    MetricsSink STDOUT = line -> {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    };

    void accept(String emfLine);
}
