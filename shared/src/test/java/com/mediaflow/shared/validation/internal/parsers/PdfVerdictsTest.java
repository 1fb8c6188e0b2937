package com.mediaflow.shared.validation.internal.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.internal.parsers.pdf.PdfParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the full verdict of {@link PdfParser} on every PDF that the other tests parse (written out
 * once from {@code PdfParserTest}, the fuzz seeds and the validator tests) and on seeded mutations of
 * each (truncations, byte flips, inserted and deleted bytes): detected type, accepted with its whole
 * report, or rejected with its reason code and message, under the default and the fuzzing limits.
 * A refactoring of the parser must keep every line of {@code verdicts.txt}; a deliberate change of
 * behaviour re-records it with {@code -Dpdf.verdicts.record=true} and shows up in the diff.
 */
class PdfVerdictsTest {
    private static final Path DIR = Path.of("src/test/resources/com/mediaflow/shared/validation/internal/parsers/PdfVerdictsTest");
    private static final Path GOLDEN = DIR.resolve("verdicts.txt");
    private static final int MUTATIONS = 12;

    @Test
    void everyPdfAndItsMutations_keepTheirRecordedVerdicts() throws IOException {
        // given
        List<String> actual = verdicts();

        // when
        if (Boolean.getBoolean("pdf.verdicts.record")) {
            Files.write(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        List<String> expected = Files.readAllLines(GOLDEN, StandardCharsets.UTF_8);

        // then
        assertThat(actual).hasSizeGreaterThan(100).containsExactlyElementsOf(expected);
    }

    private static List<String> verdicts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            byte[] pdf = Files.readAllBytes(f);
            String name = f.getFileName().toString();
            lines.add(name + " " + verdict(pdf));
            Random random = new Random(name.hashCode());
            for (int i = 0; pdf.length > 0 && i < MUTATIONS; i++) {
                String kind = switch (i % 4) {
                    case 0 -> "truncate";
                    case 1 -> "flip";
                    case 2 -> "insert";
                    default -> "delete";
                };
                lines.add(name + "#" + i + "-" + kind + " " + verdict(mutate(pdf, kind, random)));
            }
        }
        return lines;
    }

    private static byte[] mutate(byte[] pdf, String kind, Random random) {
        int at = random.nextInt(pdf.length);
        switch (kind) {
            case "truncate":
                return Arrays.copyOf(pdf, at);
            case "flip":
                byte[] flipped = pdf.clone();
                flipped[at] ^= (byte) (1 << random.nextInt(8));
                return flipped;
            case "insert":
                byte[] longer = new byte[pdf.length + 1];
                System.arraycopy(pdf, 0, longer, 0, at);
                longer[at] = (byte) " 0/<>[]()R\n".charAt(random.nextInt(11));
                System.arraycopy(pdf, at, longer, at + 1, pdf.length - at);
                return longer;
            default:
                byte[] shorter = new byte[pdf.length - 1];
                System.arraycopy(pdf, 0, shorter, 0, at);
                System.arraycopy(pdf, at + 1, shorter, at, pdf.length - at - 1);
                return shorter;
        }
    }

    private static String verdict(byte[] pdf) {
        return "detected=" + Detector.detect(pdf) + " defaults=" + parse(pdf, Limits.DEFAULTS)
                + " fuzz=" + parse(pdf, FuzzSupport.LIMITS);
    }

    private static String parse(byte[] pdf, Limits limits) {
        try {
            StructureReport r = new PdfParser().parse(Cursor.over(new ArrayByteSource(pdf), "PDF"), limits);
            return "ACCEPTED " + r;
        } catch (MediaRejectedException e) {
            return "REJECTED " + e.code() + " " + e.getMessage().replace("\n", "\\n");
        }
    }
}
