package com.mediaflow.shared.validation.internal.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the verdict tests share (see {@link PdfVerdictsTest} for the idea): a set of named inputs,
 * seeded mutants of each, one line of verdict per input, and a golden file that a refactoring must
 * reproduce line for line. {@code -Dverdicts.record=true} re-records the golden files (a deliberate
 * change of behaviour then shows in the diff).
 */
final class Verdicts {
    static final Path PARSERS = Path.of("src/test/resources/com/mediaflow/shared/validation/internal/parsers");
    private static final String[] KINDS = {"truncate", "flip", "insert", "delete", "bump", "ones", "zeros"};

    /** Where a mutation may land: anywhere ({@code null}), or one of these positions of the input. */
    interface Structure {
        int[] positions(byte[] data);
    }

    private Verdicts() {
    }

    /** The files of each directory (not recursive) whose name ends with one of the suffixes, by name. */
    static Map<String, byte[]> inputs(Map<String, Path> dirs, String... suffixes) {
        Map<String, byte[]> inputs = new TreeMap<>();
        dirs.forEach((prefix, dir) -> {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (Arrays.stream(suffixes).anyMatch(x -> name.toLowerCase().endsWith(x))) {
                        inputs.put(prefix + "/" + name, Files.readAllBytes(f));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return inputs;
    }

    /** Each input's verdict, then its {@code mutations} mutants' (half anywhere, half in its structure). */
    static List<String> lines(Map<String, byte[]> inputs, int mutations, Structure structure,
            Function<byte[], String> verdict) {
        List<String> lines = new ArrayList<>();
        inputs.forEach((name, data) -> {
            lines.add(name + " " + verdict.apply(data));
            java.util.Random random = new java.util.Random(name.hashCode());
            int[] inside = structure == null ? null : structure.positions(data);
            for (int i = 0; data.length > 0 && i < mutations; i++) {
                String kind = KINDS[i % KINDS.length];
                boolean structural = inside != null && inside.length > 0 && (i / KINDS.length) % 2 == 1;
                int at = structural ? inside[random.nextInt(inside.length)] : random.nextInt(data.length);
                byte[] mutant = mutate(data, kind, at, random);
                lines.add(name + "#" + i + "-" + kind + "@" + at + " " + verdict.apply(mutant));
            }
        });
        return lines;
    }

    private static byte[] mutate(byte[] data, String kind, int at, java.util.Random random) {
        byte[] b = data.clone();
        switch (kind) {
            case "truncate":
                return Arrays.copyOf(data, at);
            case "flip":
                b[at] ^= (byte) (1 << random.nextInt(8));
                return b;
            case "insert":
                byte[] longer = new byte[data.length + 1];
                System.arraycopy(data, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(data, at, longer, at + 1, data.length - at);
                return longer;
            case "delete":
                byte[] shorter = new byte[data.length - 1];
                System.arraycopy(data, 0, shorter, 0, at);
                System.arraycopy(data, at + 1, shorter, at, data.length - at - 1);
                return shorter;
            case "bump":
                b[at] += random.nextBoolean() ? 1 : -1;
                return b;
            case "ones":
            case "zeros":
                for (int i = at; i < Math.min(b.length, at + 4); i++) {
                    b[i] = (byte) (kind.equals("ones") ? 0xFF : 0);
                }
                return b;
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** A parser's verdict under the default and the fuzzing limits, and the detector's. */
    static String parse(FormatParser parser, String format, byte[] data) {
        return "detected=" + Detector.detect(data) + " defaults=" + parse(parser, format, data, Limits.DEFAULTS)
                + " fuzz=" + parse(parser, format, data, FuzzSupport.LIMITS);
    }

    private static String parse(FormatParser parser, String format, byte[] data, Limits limits) {
        try {
            StructureReport r = parser.parse(Cursor.over(new ArrayByteSource(data), format), limits);
            return "ACCEPTED " + r;
        } catch (MediaRejectedException e) {
            return "REJECTED " + e.code() + " " + oneLine(e.getMessage());
        } catch (RuntimeException e) {
            return "THREW " + e.getClass().getName() + " " + oneLine(e.getMessage());
        }
    }

    static String oneLine(String s) {
        return String.valueOf(s).replace("\n", "\\n");
    }

    /** Compares with the golden file (re-recording it first with {@code -Dverdicts.record=true}). */
    static void assertSameAsRecorded(Path golden, List<String> actual, int atLeast) throws IOException {
        if (Boolean.getBoolean("verdicts.record")) {
            Files.write(golden, actual, StandardCharsets.UTF_8);
        }
        List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
        assertThat(actual).hasSizeGreaterThan(atLeast).containsExactlyElementsOf(expected);
    }
}
