package com.mediaflow.shared.validation.internal.parsers;

import java.io.IOException;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pins the full verdict of {@link EbmlParser} (detected type; accepted with its whole report, or
 * rejected with reason code and message) under the default and the fuzzing limits, on the WebM and
 * Matroska files its tests write with FFmpeg (written out once into {@code EbmlVerdictsTest/}: VP8,
 * VP9, H.264, a live stream of unknown sizes, a file of more clusters than are examined), its fuzz
 * seeds, and seeded mutants of each: half anywhere, half in the first 1024 bytes, where the header,
 * Info and Tracks are. A refactoring must keep every line of {@code verdicts.txt}; see {@link Verdicts}.
 */
class EbmlVerdictsTest {
    private static final int MUTATIONS = 42;

    @Test
    void everyMatroskaFileAndItsMutants_keepTheirRecordedVerdicts() throws IOException {
        // given
        Map<String, byte[]> inputs = Verdicts.inputs(Map.of(
                "recorded", Verdicts.PARSERS.resolve("EbmlVerdictsTest"),
                "seed", Verdicts.PARSERS.resolve("EbmlParserFuzzTestInputs/parse")),
                ".webm", ".mkv");

        // when
        var actual = Verdicts.lines(inputs, MUTATIONS, data -> IntStream.range(0, Math.min(1024, data.length)).toArray(),
                data -> Verdicts.parse(new EbmlParser(), "WEBM", data));

        // then
        Verdicts.assertSameAsRecorded(Verdicts.PARSERS.resolve("EbmlVerdictsTest/verdicts.txt"), actual, 300);
    }
}
