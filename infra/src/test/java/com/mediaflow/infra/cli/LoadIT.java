package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.load.LoadMix;
import com.mediaflow.infra.load.LoadRun;
import com.mediaflow.infra.load.Report;
import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.shared.config.Config;
import com.mediaflow.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/run load} in small: about 100 uploads (photos, 10 identical JPEGs released at the
 * same moment, hostile files, two short videos) sent through the SDK into {@code mediaflow up
 * --data DIR} in a child JVM, which is killed with SIGKILL once mid-run and started again on the
 * same folder and ports. Every acknowledged upload must end final, with exactly one completion
 * event after deduplication by eventId, and the identical uploads must be processed once.
 *
 * <p>The guarantee has two halves: ElasticMQ's persisted messages, and the sweeper, which re-drives
 * what a crash still loses (an upload whose notification never became a message, an item whose
 * step message died with the process). The child runs the sweeper every {@value #SWEEP_SECONDS} s
 * and re-drives items quiet for {@value #STUCK_AFTER_SECONDS} s, so that its half is inside the
 * test's time (the local defaults, 60 s and 600 s, are not); its re-drives are printed.
 */
class LoadIT {
    static final int UPLOADS = 100;
    /** Content seed: the same files every run (kept in target/load-set between runs). */
    static final long SEED = 7;
    static final int SWEEP_SECONDS = 5;
    /** Over the p99 upload-to-final of a run (about 15 s on an idle machine), so a slow item is not re-driven. */
    static final int STUCK_AFTER_SECONDS = 30;

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void hundredUploads_tenIdenticalAtOnce_oneSigkill_noneLost_oneEventEach_duplicatesProcessedOnce() throws Exception {
        // given
        LoadMix mix = LoadMix.make(Path.of("target", "load-set").toAbsolutePath(), LoadMix.Spec.small(UPLOADS), SEED,
                Corpus.dir(), 2);
        Path data = tmp.resolve("data");
        int port = ChildStack.freePortPair();
        Path log = Path.of("target", "load-it.log").toAbsolutePath();
        Files.deleteIfExists(log);
        AtomicReference<ChildStack> current = new AtomicReference<>();
        double[] killedCpu = {0};
        LoadRun.Stack stack = new LoadRun.Stack() {
            @Override
            public JsonNode start() throws Exception {
                current.set(ChildStack.start(log, Duration.ofSeconds(120),
                        Map.of(EmbeddedStack.SWEEP_SECONDS_VARIABLE, String.valueOf(SWEEP_SECONDS)), "--data", data.toString(),
                        "--port", String.valueOf(port), "--env", Config.SWEEP_STUCK_AFTER_SECONDS + "=" + STUCK_AFTER_SECONDS,
                        "--env", Config.SWEEP_UPLOAD_GRACE_SECONDS + "=" + STUCK_AFTER_SECONDS));
                return current.get().line;
            }

            @Override
            public void kill() throws Exception {
                killedCpu[0] += current.get().stack.cpuSeconds();
                current.get().kill();
            }

            @Override
            public double cpuSeconds() {
                return killedCpu[0] + current.get().stack.cpuSeconds();
            }
        };

        // when: one SIGKILL when the run is 35 % through (acknowledged + final, of twice the uploads)
        Report report;
        try {
            report = LoadRun.run(mix, stack, new LoadRun.Options(4, List.of(0.35), 0.2, Duration.ofSeconds(90), System.err,
                    "LoadIT"));
        } finally {
            if (current.get() != null) {
                current.get().close();
            }
        }
        report.print(System.err);
        List<String> redrives = Files.readAllLines(log).stream().filter(l -> l.contains("sweep: ") && l.contains(" sent")).toList();
        System.err.println("LoadIT: the sweeper re-drove " + redrives.size() + " upload(s) or item(s) that the kill left behind"
                + (redrives.isEmpty() ? "" : ":\n  " + String.join("\n  ", redrives)));

        // then
        assertThat(report.kills()).as("the stack was killed once and restarted").hasSize(1);
        assertThat(report.acknowledged()).isEqualTo(UPLOADS);
        assertThat(report.problems()).as("what broke the guarantee; child log " + log).isEmpty();
        assertThat(report.lost()).isEmpty();
        assertThat(report.eventsPerUpload()).as("distinct eventIds per upload").isEqualTo(1.0);
        assertThat(report.burstUploads()).as("the 10 identical uploads, each with its own receipt").isGreaterThanOrEqualTo(10);
        assertThat(report.burstProcessedAsNew()).as("identical uploads processed as new").isEqualTo(1);
        assertThat(report.burstClaimedByItsOneNewUpload()).isTrue();
    }
}
