package com.mediaflow.shared.codec;

import com.mediaflow.shared.error.CodecException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The encodes of one {@link StillRenderer#render} call, run beside its scaling: while the caller's
 * thread scales the next rendition, the previous one is encoded on a pool thread (the display
 * WebP, the largest single cost, overlaps the display JPEG and every thumbnail). One thread fewer
 * than the machine has cores; an encode runs on the caller's thread when every pool thread is
 * busy (another render's encodes, as when several steps run in one JVM), so no render ever waits
 * in a queue behind another's, and with one core everything runs on the caller's thread.
 *
 * <p>The frames an encode reads must outlive it: {@link #close()} waits for every encode,
 * failed or not, and only then may the caller free them.
 */
final class BackgroundEncodes implements AutoCloseable {
    private static final int THREADS = Runtime.getRuntime().availableProcessors() - 1;
    private static final ExecutorService POOL = THREADS < 1 ? null : Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "mediaflow-encode");
        t.setDaemon(true);
        return t;
    });

    /** A permit per pool thread: taken when an encode goes to the pool, given back when it ends. */
    private static final Semaphore IDLE = new Semaphore(Math.max(0, THREADS));

    private final List<Future<?>> pending = new ArrayList<>();

    /** Runs {@code encode} on an idle pool thread, or on this thread when none is idle. */
    void submit(Runnable encode) {
        if (!trySubmit(encode)) {
            encode.run();
        }
    }

    /** Runs {@code encode} on an idle pool thread; false, and nothing run, when none is idle. */
    boolean trySubmit(Runnable encode) {
        if (POOL == null || !IDLE.tryAcquire()) {
            return false;
        }
        try {
            pending.add(POOL.submit(() -> {
                try {
                    encode.run();
                } finally {
                    IDLE.release();
                }
            }));
            return true;
        } catch (RuntimeException e) {
            IDLE.release();
            throw e;
        }
    }

    /**
     * Waits for every encode submitted so far.
     *
     * @throws RuntimeException the first encode's failure, as it was thrown (a
     *     {@link CodecException} for FFmpeg's refusals)
     */
    void awaitAll() {
        RuntimeException first = null;
        for (Future<?> f : pending) {
            Throwable failure = await(f);
            if (failure != null && first == null) {
                first = failure instanceof RuntimeException r ? r
                        : failure instanceof Error e ? rethrow(e)
                        : new CodecException("Cannot encode a rendition: expected the encoder to finish, found "
                                + failure, failure);
            }
        }
        pending.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Waits for every encode, its failure ignored (awaitAll reports it): the frames can be freed after this. */
    @Override
    public void close() {
        for (Future<?> f : pending) {
            await(f);
        }
        pending.clear();
    }

    /** The encode's failure, or null; waits through interrupts (the frames it reads must stay alive), then restores the flag. */
    private static Throwable await(Future<?> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException rethrow(Error e) {
        throw e;
    }
}
