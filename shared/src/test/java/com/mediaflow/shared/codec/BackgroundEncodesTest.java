package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mediaflow.shared.error.CodecException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundEncodesTest {

    @Test
    void awaitAll_anEncodeFailed_throwsItsException_andCloseWaitsForTheOthers() {
        AtomicBoolean otherDone = new AtomicBoolean();
        BackgroundEncodes encodes = new BackgroundEncodes();
        encodes.submit(() -> {
            sleep(50);
            otherDone.set(true);
        });

        // on the pool it is thrown by awaitAll, on this thread (pool busy, one core) by submit
        assertThatThrownBy(() -> {
            encodes.submit(() -> {
                throw new CodecException("Cannot encode thumb-320.jpg: expected success, found EINVAL");
            });
            encodes.awaitAll();
        }).isInstanceOf(CodecException.class).hasMessageContaining("thumb-320.jpg");
        encodes.close();
        assertThat(otherDone).isTrue();
    }

    @Test
    void submit_everyPoolThreadBusy_runsOnTheCallersThread() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() == 2, "one pool thread on two cores");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        BackgroundEncodes encodes = new BackgroundEncodes();
        encodes.submit(() -> {
            first.set(Thread.currentThread());
            started.countDown();
            await(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        encodes.submit(() -> second.set(Thread.currentThread()));
        release.countDown();
        encodes.awaitAll();

        assertThat(first.get()).isNotSameAs(Thread.currentThread());
        assertThat(second.get()).as("not queued behind the busy pool thread").isSameAs(Thread.currentThread());
    }

    @Test
    void trySubmit_everyPoolThreadBusy_refusesAndRunsNothing_idleRunsOnThePool() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() == 2, "one pool thread on two cores");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        BackgroundEncodes encodes = new BackgroundEncodes();
        assertThat(encodes.trySubmit(() -> {
            started.countDown();
            await(release);
        })).isTrue();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(encodes.trySubmit(() -> ran.set(true))).as("the one pool thread is busy").isFalse();
        release.countDown();
        encodes.awaitAll();

        assertThat(ran).as("a refused encode is the caller's to run later").isFalse();
        AtomicReference<Thread> on = new AtomicReference<>();
        assertThat(encodes.trySubmit(() -> on.set(Thread.currentThread()))).isTrue();
        encodes.awaitAll();
        assertThat(on.get()).isNotNull().isNotSameAs(Thread.currentThread());
    }

    @Test
    void close_waitsForEveryEncode_soTheFramesTheyReadCanBeFreed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        BackgroundEncodes encodes = new BackgroundEncodes();
        encodes.submit(() -> {
            started.countDown();
            sleep(200);
            done.set(true);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        encodes.close();

        assertThat(done).as("close returned before the encode ended").isTrue();
    }

    @Test
    void close_interrupted_stillWaits_andKeepsTheInterrupt() {
        AtomicBoolean done = new AtomicBoolean();
        BackgroundEncodes encodes = new BackgroundEncodes();
        encodes.submit(() -> {
            sleep(200);
            done.set(true);
        });
        Thread.currentThread().interrupt();

        encodes.close();

        assertThat(done).isTrue();
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
