package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * In {@code mvn verify}: the seeds in src/test/resources/.../TiffParserFuzzTestInputs/parse as a
 * regression test. To fuzz: {@code shared/fuzz TiffParserFuzzTest MINUTES}. See FuzzSupport.
 */
public class TiffParserFuzzTest {
    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzSupport.parse(new TiffParser(), data, "TIFF");
    }
}
