package com.mediaflow.shared.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.pipeline.Sweeper.Action;
import com.mediaflow.shared.pipeline.Sweeper.Decision;
import com.mediaflow.shared.pipeline.Sweeper.Redrives;
import com.mediaflow.shared.pipeline.Sweeper.Settings;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweeper's decisions, which are pure functions of ages, the re-drive record and the limits. */
class SweeperTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** Stuck after 30 min, uploads re-driven after 15 min without a receipt, 2 re-drives, 1000 objects a run. */
    private static final Settings S = new Settings(Duration.ofMinutes(30), Duration.ofMinutes(15), 2, 1000);

    private static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    // ---------------------------------------------------------------- uploads without a receipt

    @Test
    void judgeUpload_youngerThanTheGrace_isLeft() {
        Decision d = Sweeper.judgeUpload(ago(Duration.ofMinutes(14).plusSeconds(59)), null, NOW, S);

        assertThat(d.action()).isEqualTo(Action.LEAVE);
        assertThat(d.why()).contains("within the grace period of 900 s");
    }

    @Test
    void judgeUpload_pastTheGraceNeverRedriven_isRedriven() {
        Decision d = Sweeper.judgeUpload(ago(Duration.ofMinutes(15)), null, NOW, S);

        assertThat(d.action()).isEqualTo(Action.REDRIVE);
        assertThat(d.why()).contains("re-drive 1 of 2");
    }

    @Test
    void judgeUpload_redrivenRecently_isLeftWhateverItsAge() {
        Redrives once = new Redrives(1, ago(Duration.ofMinutes(5)));

        Decision d = Sweeper.judgeUpload(ago(Duration.ofDays(3)), once, NOW, S);

        assertThat(d.action()).isEqualTo(Action.LEAVE);
        assertThat(d.why()).contains("re-driven 300 s ago (1 of 2)");
    }

    @Test
    void judgeUpload_redrivenOnceLongAgo_isRedrivenAgain() {
        Decision d = Sweeper.judgeUpload(ago(Duration.ofHours(1)), new Redrives(1, ago(Duration.ofMinutes(20))), NOW, S);

        assertThat(d.action()).isEqualTo(Action.REDRIVE);
        assertThat(d.why()).contains("re-drive 2 of 2");
    }

    @Test
    void judgeUpload_redrivenAsOftenAsAllowed_isFailed_withWhatWasExpectedAndFound() {
        Decision d = Sweeper.judgeUpload(Instant.parse("2026-12-01T11:00:00Z"), new Redrives(2, ago(Duration.ofMinutes(16))),
                NOW, S);

        assertThat(d.action()).isEqualTo(Action.FAIL);
        assertThat(d.why()).isEqualTo("expected a receipt within 900 s of the upload (created 2026-12-01T11:00:00Z);"
                + " found none after 2 re-drive(s) of its notification");
    }

    @Test
    void judgeUpload_noRedrivesAllowed_failsAsSoonAsTheGraceIsOver() {
        Settings none = new Settings(S.stuckAfter(), S.uploadGrace(), 0, 1000);

        assertThat(Sweeper.judgeUpload(ago(Duration.ofMinutes(14)), null, NOW, none).action()).isEqualTo(Action.LEAVE);
        assertThat(Sweeper.judgeUpload(ago(Duration.ofMinutes(16)), null, NOW, none).action()).isEqualTo(Action.FAIL);
    }

    // ---------------------------------------------------------------- items PROCESSING

    @Test
    void judgeItem_slowButWithinTheLimit_isNeverTouched() {
        for (Duration quiet : List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(29).plusSeconds(59))) {
            Decision d = Sweeper.judgeItem(ago(quiet), null, NOW, S);

            assertThat(d.action()).as("unchanged for %s", quiet).isEqualTo(Action.LEAVE);
        }
    }

    @Test
    void judgeItem_unchangedPastTheLimit_isRedrivenFirst() {
        Decision d = Sweeper.judgeItem(ago(Duration.ofMinutes(30)), null, NOW, S);

        assertThat(d.action()).isEqualTo(Action.REDRIVE);
        assertThat(d.why()).isEqualTo("PROCESSING and unchanged for 1800 s, expected a change within 1800 s; re-drive 1 of 2");
    }

    @Test
    void judgeItem_redrivenAndStillUnchanged_waitsTheLimitFromTheRedrive() {
        Redrives once = new Redrives(1, ago(Duration.ofMinutes(10)));

        Decision d = Sweeper.judgeItem(ago(Duration.ofHours(2)), once, NOW, S);

        assertThat(d.action()).isEqualTo(Action.LEAVE);
        assertThat(d.why()).contains("last re-driven 600 s ago");
    }

    @Test
    void judgeItem_redrivenAsOftenAsAllowedAndStillUnchanged_isFailed() {
        Redrives twice = new Redrives(2, ago(Duration.ofMinutes(31)));

        Decision d = Sweeper.judgeItem(Instant.parse("2026-12-01T10:00:00Z"), twice, NOW, S);

        assertThat(d.action()).isEqualTo(Action.FAIL);
        assertThat(d.why()).isEqualTo("expected the item to leave PROCESSING within 1800 s of its last change; found it"
                + " unchanged since 2026-12-01T10:00:00Z (7200 s) after 2 re-drive(s)");
    }

    @Test
    void judgeItem_thatMovedSinceItsLastRedrive_startsCountingAgain() {
        // re-driven twice, then a progress line 40 min ago, then silence: one more re-drive, not FAILED
        Redrives twice = new Redrives(2, ago(Duration.ofMinutes(50)));

        Decision d = Sweeper.judgeItem(ago(Duration.ofMinutes(40)), twice, NOW, S);

        assertThat(d.action()).isEqualTo(Action.REDRIVE);
        assertThat(d.why()).contains("re-drive 1 of 2");
    }

    @Test
    void judgeItem_decisionsAreTheSameWhenAskedTwice() {
        Redrives once = new Redrives(1, ago(Duration.ofMinutes(45)));

        assertThat(Sweeper.judgeItem(ago(Duration.ofHours(3)), once, NOW, S))
                .isEqualTo(Sweeper.judgeItem(ago(Duration.ofHours(3)), once, NOW, S));
    }

    // ---------------------------------------------------------------- what it sends and keeps

    @Test
    void notification_forAKeyWithSpacesPlusAndUnicode_parsesBackAsValidateReadsIt() {
        String key = "uploads/été 2026/a+b %41\nphoto.jpg";

        String body = Json.write(Sweeper.notification("us-east-1", "ingest", key, "0123456789abcdef0123456789abcdef",
                NOW));
        var parsed = S3Notification.parse(body, "ingest");

        assertThat(parsed).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo(key);
            assertThat(o.etag()).isEqualTo("0123456789abcdef0123456789abcdef");
            assertThat(o.sequencer()).as("the sweeper cannot know S3's sequencer").isNull();
            assertThat(o.eventName()).startsWith("ObjectCreated:");
        });
        assertThat(body).contains("\"configurationId\":\"" + Sweeper.CONFIGURATION_ID + "\"");
    }

    @Test
    void redrivesAndCursor_roundTripThroughJson() {
        Redrives r = new Redrives(2, NOW);

        assertThat(Json.roundTrip(r, Redrives.class)).isEqualTo(r);
        assertThat(Json.roundTrip(new Sweeper.Cursor("media/x/manifest.json"), Sweeper.Cursor.class).startAfter())
                .isEqualTo("media/x/manifest.json");
    }

    @Test
    void stalledReason_isTransient_soALaterCompletionDropsIt() {
        assertThat(Failures.transientReason(Reason.error(ReasonCode.STALLED, "sweeper: ..."))).isTrue();
    }
}
