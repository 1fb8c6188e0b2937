package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.internal.parsers.document.PackageParser;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;

/**
 * The ZIP reader and the document package checks (OOXML, ODF, EPUB, what they embed). The format
 * is what detection finds, or DOCX when it finds no package, so the ZIP reader sees every input.
 * In {@code mvn verify}: the seeds in .../PackageParserFuzzTestInputs/parse. To fuzz:
 * {@code shared/fuzz PackageParserFuzzTest MINUTES}. See FuzzSupport.
 */
public class PackageParserFuzzTest {
    /** Small limits, so that the fuzzer reaches them instead of allocating. */
    private static final ZipLimits LIMITS = new ZipLimits(1000, 1 << 20, 1 << 24, 200, 64 * 1024, 1 << 20, 2, 1 << 22);

    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        MediaFormat detected = Detector.detect(data);
        MediaFormat format = detected.isPackage() ? detected : MediaFormat.DOCX;
        FuzzSupport.parse(new PackageParser(format, LIMITS), data, format.name());
    }
}
