package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.format.TextEncoding;

/**
 * The text check, and detection's idea of text, which must agree: whatever the parser accepts
 * whole, detection must call text (else an accepted text could never be detected as one).
 * In {@code mvn verify}: the seeds in .../TextParserFuzzTestInputs/parse. To fuzz:
 * {@code shared/fuzz TextParserFuzzTest MINUTES}. See FuzzSupport.
 */
public class TextParserFuzzTest {
    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        boolean text = TextEncoding.looksLikeText(data, data.length);
        if (FuzzSupport.parse(new TextParser(64 * 1024), data, "TEXT") != null && !text) {
            throw new IllegalStateException("the text parser accepts " + data.length + " bytes that detection does not call text");
        }
    }
}
