package com.mediaflow.shared.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinalizerProgressTest {
    @Test
    void aCountingLine_onlyMovesForward() {
        assertThat(Finalizer.advances(null, "segments 0/12")).isTrue();
        assertThat(Finalizer.advances("segments 3/12", "segments 4/12")).isTrue();
        assertThat(Finalizer.advances("segments 4/12", "segments 3/12")).isFalse();
        assertThat(Finalizer.advances("segments 4/12", "segments 4/12")).isFalse();
    }

    @Test
    void linesOfOtherShapes_replaceEachOther_unlessEqual() {
        assertThat(Finalizer.advances("encoded 40%", "encoded 50%")).isTrue();
        assertThat(Finalizer.advances("encoded 40%", "encoded 40%")).isFalse();
        assertThat(Finalizer.advances("segments 4/12", "segments 1/3")).isTrue();
    }
}
