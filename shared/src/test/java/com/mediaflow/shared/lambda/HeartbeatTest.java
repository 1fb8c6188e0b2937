package com.mediaflow.shared.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waits on the beats themselves (latches with generous time-outs), never on a sleep's length. */
class HeartbeatTest {
    private static final long PATIENCE_SECONDS = 10;

    @Test
    void heartbeat_extendsTheLease_threeIntervalsAhead_untilClosed() throws Exception {
        List<Duration> extensions = new CopyOnWriteArrayList<>();
        CountDownLatch threeBeats = new CountDownLatch(3);

        Heartbeat beat = Heartbeat.start(d -> {
            extensions.add(d);
            threeBeats.countDown();
        }, Duration.ofMillis(20), "test");
        try (beat) {
            assertThat(threeBeats.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("three beats").isTrue();
        }
        // closed: no beat is half done (a beat counts once its extension returned)
        assertThat(beat.beats()).isGreaterThanOrEqualTo(3).isEqualTo(extensions.size());
        int afterClose = extensions.size();
        Thread.sleep(100); // five intervals: a beat here would be a bug, whatever the machine's speed

        assertThat(extensions).allMatch(d -> d.equals(Duration.ofMillis(60)));
        assertThat(extensions).hasSize(afterClose);
    }

    @Test
    void aFailingBeat_isLogged_andTheNextOneStillRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch twoGoodBeats = new CountDownLatch(2);
        Lease flaky = d -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("throttled");
            }
            twoGoodBeats.countDown();
        };

        Heartbeat beat = Heartbeat.start(flaky, Duration.ofMillis(20), "flaky");
        try (beat) {
            assertThat(twoGoodBeats.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("two beats after the failed one").isTrue();
        }

        // closed: no beat is half done, so the counts are final
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        assertThat(beat.beats()).as("only successful beats count").isEqualTo(calls.get() - 1);
    }
}
