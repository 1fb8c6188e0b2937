package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * The demo's inputs are the same bytes in every run, so a user who runs it twice, or compares it
 * with the README's sample table, sees the same media ids: content addresses of these bytes.
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

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
