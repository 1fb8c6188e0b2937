package com.mediaflow.shared.lambda;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends a {@link Lease} every {@code interval} while a long job runs, each time to three
 * intervals ahead, so one missed beat does not lose the claim. Closing it stops the beats; the
 * message is then deleted or released by the event source as usual. A failed beat is logged and
 * tried again at the next one: losing the claim only means the work may be done twice, which
 * every job tolerates.
 *
 * <p>A beat in progress when the heartbeat is closed finishes before {@link #close} returns.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final ScheduledExecutorService timer;
    private final AtomicInteger beats = new AtomicInteger();

    private Heartbeat(Lease lease, Duration interval, String what) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat " + what);
            t.setDaemon(true);
            return t;
        });
        Duration ahead = interval.multipliedBy(3);
        timer.scheduleAtFixedRate(() -> {
            try {
                lease.extend(ahead);
                beats.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.warn("could not extend the claim on {}: {}", what, e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static Heartbeat start(Lease lease, Duration interval, String what) {
        return new Heartbeat(lease, interval, what);
    }

    /** How many times the lease was extended so far. */
    public int beats() {
        return beats.get();
    }

    /** Stops the beats; when it returns, no beat is running and none will start. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("a beat on the claim is still running 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
