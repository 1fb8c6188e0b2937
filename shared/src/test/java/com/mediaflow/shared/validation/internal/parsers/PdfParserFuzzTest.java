package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.validation.internal.parsers.pdf.PdfParser;

/**
 * In {@code mvn verify}: the seeds in src/test/resources/.../PdfParserFuzzTestInputs/parse as a
 * regression test. To fuzz: {@code shared/fuzz PdfParserFuzzTest MINUTES}. See FuzzSupport.
 */
public class PdfParserFuzzTest {
    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzSupport.parse(new PdfParser(), data, "PDF");
    }
}
