package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.testkit.Corpus;
import java.io.IOException;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pins the full verdict of {@link IsoBmffParser} (detected type; accepted with its whole report, or
 * rejected with reason code and message) under the default and the fuzzing limits, on the MP4, MOV,
 * 3GP, M4A, ISMV and AVIF files its tests write with FFmpeg (written out once into
 * {@code IsoBmffVerdictsTest/}), its and the HEIF item reader's fuzz seeds, the corpus's HEIF photos,
 * and seeded mutants of each: half anywhere, half outside the media data ({@code mdat}), where the
 * boxes are. A refactoring must keep every line of {@code verdicts.txt}; see {@link Verdicts}.
 */
class IsoBmffVerdictsTest {
    private static final int MUTATIONS = 42;

    @Test
    void everyIsoBmffFileAndItsMutants_keepTheirRecordedVerdicts() throws IOException {
        // given
        Map<String, byte[]> inputs = Verdicts.inputs(Map.of(
                "recorded", Verdicts.PARSERS.resolve("IsoBmffVerdictsTest"),
                "seed", Verdicts.PARSERS.resolve("IsoBmffParserFuzzTestInputs/parse"),
                "heif-seed", Verdicts.PARSERS.resolve("HeifItemReaderFuzzTestInputs/parse"),
                "corpus", Corpus.dir().resolve("heic")),
                ".mp4", ".mov", ".3gp", ".m4a", ".ismv", ".avif", ".heic", ".heif");

        // when
        var actual = Verdicts.lines(inputs, MUTATIONS, IsoBmffVerdictsTest::outsideMdat,
                data -> Verdicts.parse(new IsoBmffParser(), "MP4", data));

        // then
        Verdicts.assertSameAsRecorded(Verdicts.PARSERS.resolve("IsoBmffVerdictsTest/verdicts.txt"), actual, 1000);
    }

    /** Every offset but the bodies of top-level 'mdat' boxes (a plain walk of 32-bit box sizes). */
    static int[] outsideMdat(byte[] b) {
        boolean[] media = new boolean[b.length];
        long at = 0;
        while (at + 8 <= b.length) {
            long size = ((b[(int) at] & 0xFFL) << 24) | ((b[(int) at + 1] & 0xFF) << 16)
                    | ((b[(int) at + 2] & 0xFF) << 8) | (b[(int) at + 3] & 0xFF);
            String type = new String(b, (int) at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (size == 0) {
                size = b.length - at;
            }
            if (size < 8) {
                break;
            }
            if (type.equals("mdat")) {
                for (long i = at + 8; i < Math.min(b.length, at + size); i++) {
                    media[(int) i] = true;
                }
            }
            at += size;
        }
        return IntStream.range(0, b.length).filter(i -> !media[i]).toArray();
    }
}
