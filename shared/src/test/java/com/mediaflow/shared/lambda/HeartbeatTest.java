package com.mediaflow.shared.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    @Test
    void heartbeat_extendsTheLease_threeIntervalsAhead_untilClosed() throws Exception {
        List<Duration> extensions = new CopyOnWriteArrayList<>();

        try (Heartbeat beat = Heartbeat.start(extensions::add, Duration.ofMillis(50), "test")) {
            Thread.sleep(300);
            assertThat(beat.beats()).isGreaterThanOrEqualTo(3);
        }
        int afterClose = extensions.size();
        Thread.sleep(200);

        assertThat(extensions).allMatch(d -> d.equals(Duration.ofMillis(150)));
        assertThat(extensions).hasSize(afterClose);
    }

    @Test
    void aFailingBeat_isLogged_andTheNextOneStillRuns() throws Exception {
        int[] calls = {0};
        Lease flaky = d -> {
            calls[0]++;
            if (calls[0] == 1) {
                throw new IllegalStateException("throttled");
            }
        };

        try (Heartbeat beat = Heartbeat.start(flaky, Duration.ofMillis(40), "flaky")) {
            Thread.sleep(250);
            assertThat(beat.beats()).isGreaterThanOrEqualTo(2);
        }
        assertThat(calls[0]).isGreaterThanOrEqualTo(3);
    }
}
