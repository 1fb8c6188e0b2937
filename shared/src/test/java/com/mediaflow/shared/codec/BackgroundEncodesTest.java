package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.CodecException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundEncodesTest {

    @Test
    void awaitAll_anEncodeFailed_throwsItsExceptionAfterTheOthersFinished() {
        AtomicBoolean otherDone = new AtomicBoolean();
        BackgroundEncodes encodes = new BackgroundEncodes();
        encodes.submit(() -> {
            throw new CodecException("Cannot encode thumb-320.jpg: expected success, found EINVAL");
        });
        encodes.submit(() -> {
            sleep(50);
            otherDone.set(true);
        });

        assertThatThrownBy(encodes::awaitAll).isInstanceOf(CodecException.class)
                .hasMessageContaining("thumb-320.jpg");
        assertThat(otherDone).isTrue();
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
