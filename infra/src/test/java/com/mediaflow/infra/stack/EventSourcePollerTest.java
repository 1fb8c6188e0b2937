package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventSourcePollerTest {

    @Test
    void retryWait_isTheQueuesVisibilityTimeoutTimesTheScale_roundedUpToSeconds() {
        assertThat(EventSourcePoller.retryWait(Duration.ofSeconds(720), 1)).isEqualTo(Duration.ofSeconds(720));
        assertThat(EventSourcePoller.retryWait(Duration.ofSeconds(720), 0.01)).isEqualTo(Duration.ofSeconds(8));
        assertThat(EventSourcePoller.retryWait(Duration.ofSeconds(5400), 0.002)).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void retryWait_isAtLeastASecond_soThatAFailingRecordCannotSpin_unlessTheQueueSaysZero() {
        assertThat(EventSourcePoller.retryWait(Duration.ofSeconds(180), 0.001)).isEqualTo(Duration.ofSeconds(1));
        assertThat(EventSourcePoller.retryWait(Duration.ZERO, 1)).isEqualTo(Duration.ZERO);
    }

    @Test
    void timeScale_outsideItsRange_isRefused_namingTheVariable() {
        assertThat(EmbeddedStack.timeScaleFrom(null, 1.0)).isEqualTo(1.0);
        assertThat(EmbeddedStack.timeScaleFrom(" 0.05 ", 1.0)).isEqualTo(0.05);
        assertThatThrownBy(() -> EmbeddedStack.timeScaleFrom("0", 1.0)).hasMessageStartingWith(
                "MEDIAFLOW_TIME_SCALE '0' is 0.0, expected a decimal from 0.001 to 1");
        assertThatThrownBy(() -> EmbeddedStack.timeScaleFrom("fast", 1.0)).hasMessageStartingWith(
                "MEDIAFLOW_TIME_SCALE 'fast' is not a number, expected a decimal from 0.001 to 1");
        assertThatThrownBy(() -> EmbeddedStack.timeScaleFrom("2", 1.0)).hasMessageContaining("is 2.0, expected");
    }
}
