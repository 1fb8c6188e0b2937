package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The demo's inputs are the same bytes in every run, so a user who runs it twice, or compares it
 * with the README's sample table, sees the same media ids: content addresses of these bytes. And a
 * second run, which writes them again into the same folder, logs nothing at WARN.
 */
class DemoSamplesTest {

    @Test
    void everySample_isTheSameBytes_inTwoRuns(@TempDir Path first, @TempDir Path second) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Path> a = Demo.samples(first, new PrintStream(err, true, StandardCharsets.UTF_8));
        Thread.sleep(2_100); // past a zip entry's 2-second DOS time and the clock a PDF's file identifier would take
        List<Path> b = Demo.samples(second, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).getFileName()).isEqualTo(a.get(i).getFileName());
            assertThat(sha256(b.get(i))).as("SHA-256 of %s in the second run", b.get(i).getFileName())
                    .isEqualTo(sha256(a.get(i)));
        }
        assertThat(a).extracting(p -> p.getFileName().toString()).contains("report.pdf", "holiday.jpg");
    }

    @Test
    void samplesWrittenAgainIntoTheSameFolder_logNothingAtWarn(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Demo.samples(dir, quiet);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        try {
            Demo.samples(dir, quiet); // what every `./mediaflow demo` after the first does
        } finally {
            root.detachAppender(logged);
        }

        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).isEmpty();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
