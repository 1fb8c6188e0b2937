package com.mediaflow.shared.lambda;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming for one function: Lambda calls {@link #beforeCheckpoint} once, when it
 * publishes a version and snapshots the initialised environment, and {@link #afterRestore} in each
 * environment restored from that snapshot. The priming work runs the function's own code on a
 * synthetic input so that the classes it loads and the code the JIT compiles are in the snapshot.
 * The work must make no network call (no S3, no SQS): credentials and connections taken before a
 * snapshot would be shared by every restored environment.
 *
 * <p>org.crac may hold registered resources weakly: the handler keeps this object in a field.
 * Only the handler's public no-arg constructor (the one Lambda calls) registers; the embedded stack
 * and tests construct handlers otherwise and may call the hooks themselves. Off a CRaC-capable JVM
 * registering does nothing.
 *
 * <p>A failing priming run is logged and recorded, never thrown: the snapshot is taken anyway and
 * the function works as it would unprimed, only its first invocations are slower.
 */
public final class Priming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

    private final String name;
    private final Supplier<String> work;
    private int runs;
    private int restores;
    private Duration lastDuration = Duration.ZERO;
    private String lastOutcome = "not primed";
    private boolean lastFailed;
    private boolean registered;

    /**
     * @param name the function, for the log
     * @param work the priming work; returns a short description of what it did
     */
    public Priming(String name, Supplier<String> work) {
        this.name = Objects.requireNonNull(name, "name");
        this.work = Objects.requireNonNull(work, "work");
    }

    /** Registers this object with the global CRaC context; Lambda's no-arg handler constructor calls it. */
    public synchronized Priming register() {
        if (!registered) {
            Core.getGlobalContext().register(this);
            registered = true;
        }
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public synchronized void afterRestore(Context<? extends Resource> context) {
        restores++;
        LOG.info("{}: restored from the SnapStart snapshot (primed {} time(s): {})", name, runs, lastOutcome);
    }

    /** Runs the priming work once and records its outcome; what {@link #beforeCheckpoint} does. */
    public synchronized String prime() {
        long start = System.nanoTime();
        try {
            lastOutcome = work.get();
            lastFailed = false;
        } catch (RuntimeException | LinkageError e) {
            lastOutcome = "failed: " + e;
            lastFailed = true;
            LOG.warn("{}: priming failed, the snapshot is taken unprimed: {}", name, e.toString(), e);
        }
        lastDuration = Duration.ofNanos(System.nanoTime() - start);
        runs++;
        if (!lastFailed) {
            LOG.info("{}: primed in {} ms: {}", name, lastDuration.toMillis(), lastOutcome);
        }
        return lastOutcome;
    }

    public String name() {
        return name;
    }

    public synchronized boolean registered() {
        return registered;
    }

    /** How many times the priming work ran. */
    public synchronized int runs() {
        return runs;
    }

    /** How many times an environment was restored from the snapshot. */
    public synchronized int restores() {
        return restores;
    }

    public synchronized Duration lastDuration() {
        return lastDuration;
    }

    /** The last run's description of what it did, "failed: ..." when it threw, "not primed" before any. */
    public synchronized String lastOutcome() {
        return lastOutcome;
    }

    public synchronized boolean lastFailed() {
        return lastFailed;
    }
}
