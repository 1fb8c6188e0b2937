package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * In {@code mvn verify}: the seeds in src/test/resources/.../JpegParserFuzzTestInputs/parse as a
 * regression test. To fuzz: {@code shared/fuzz JpegParserFuzzTest MINUTES}. See FuzzSupport.
 */
public class JpegParserFuzzTest {
    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzSupport.parse(new JpegParser(), data, "JPEG");
    }
}
