package com.mediaflow.infra.stack;

import com.mediaflow.shared.metrics.MetricsSink;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The functions' metric lines (CloudWatch EMF) on the embedded stack: where Lambda would send them
 * to CloudWatch Logs, the stack keeps the last {@value #KEEP} in memory, for tests and the CLI to
 * read, and logs each at DEBUG under {@code com.mediaflow.metrics}; they do not go to standard
 * output, which is the CLI's.
 */
public final class MetricLines implements MetricsSink {
    static final int KEEP = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger("com.mediaflow.metrics");

    private final Deque<String> lines = new ArrayDeque<>();

    @Override
    public void accept(String emfLine) {
        LOG.debug("{}", emfLine);
        synchronized (lines) {
            if (lines.size() == KEEP) {
                lines.removeFirst();
            }
            lines.addLast(emfLine);
        }
    }

    /** The lines kept, oldest first. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
