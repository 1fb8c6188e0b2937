package com.mediaflow.shared.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrimingTest {
    @Test
    void beforeCheckpoint_runsTheWorkOnce_andRecordsWhatItDid() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Priming priming = new Priming("SomeFunction", () -> "primed " + calls.incrementAndGet());

        priming.beforeCheckpoint(null);

        assertThat(calls).hasValue(1);
        assertThat(priming.runs()).isEqualTo(1);
        assertThat(priming.lastOutcome()).isEqualTo("primed 1");
        assertThat(priming.lastFailed()).isFalse();
        assertThat(priming.lastDuration()).isPositive();
    }

    @Test
    void beforeCheckpoint_whenTheWorkThrows_recordsTheFailureAndLetsTheCheckpointGoOn() throws Exception {
        Priming priming = new Priming("SomeFunction", () -> {
            throw new IllegalStateException("expected image/png, found application/octet-stream");
        });

        priming.beforeCheckpoint(null);

        assertThat(priming.runs()).isEqualTo(1);
        assertThat(priming.lastFailed()).isTrue();
        assertThat(priming.lastOutcome()).startsWith("failed: ").contains("expected image/png");
    }

    @Test
    void afterRestore_countsTheRestore_withoutRunningTheWorkAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Priming priming = new Priming("SomeFunction", () -> "primed " + calls.incrementAndGet());
        priming.beforeCheckpoint(null);

        priming.afterRestore(null);
        priming.afterRestore(null);

        assertThat(calls).hasValue(1);
        assertThat(priming.restores()).isEqualTo(2);
        assertThat(priming.lastOutcome()).isEqualTo("primed 1");
    }

    @Test
    void beforeRegistering_nothingHasRun() {
        Priming priming = new Priming("SomeFunction", () -> "primed");

        assertThat(priming.registered()).isFalse();
        assertThat(priming.runs()).isZero();
        assertThat(priming.lastOutcome()).isEqualTo("not primed");
    }

    @Test
    void register_offACracJvm_isHarmless_andHappensOnce() {
        Priming priming = new Priming("SomeFunction", () -> "primed");

        priming.register().register();

        assertThat(priming.registered()).isTrue();
        assertThat(priming.runs()).as("registering does not prime; the checkpoint does").isZero();
    }
}
