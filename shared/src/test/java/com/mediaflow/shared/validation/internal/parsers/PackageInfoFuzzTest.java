package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.codec.document.PackageInfo;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The document metadata reader ({@link PackageInfo}: OOXML, ODF and EPUB properties from XML parts
 * through the bounded ZIP reader) reads attacker-controlled parts. Its contract: on any input it
 * returns a result, whose warnings are PROPERTIES_INCOMPLETE, whose counts are whole numbers of 0
 * or more and whose title and author are at most {@link PackageInfo#MAX_TEXT} characters; it
 * throws nothing (StorageException only when the file cannot be read, which a scratch file can).
 * The format is what detection finds, or DOCX when it finds no package, as for
 * PackageParserFuzzTest; the reader does not wait for validation to accept the package.
 * In {@code mvn verify}: the seeds in .../PackageInfoFuzzTestInputs/parse. To fuzz:
 * {@code shared/fuzz PackageInfoFuzzTest MINUTES}. See FuzzSupport.
 */
public class PackageInfoFuzzTest {
    /** Small limits, so that the fuzzer reaches them instead of allocating (as PackageParserFuzzTest's). */
    static final ZipLimits LIMITS = new ZipLimits(1000, 1 << 20, 1 << 24, 200, 64 * 1024, 1 << 20, 2, 1 << 22);
    private static final Path FILE = FuzzSupport.scratchFile(".pkg");
    private static final Set<String> COUNTS = Set.of("pageCount", "sheetCount", "slideCount");
    private static final Set<String> TEXTS = Set.of("title", "author");

    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        MediaFormat detected = Detector.detect(data);
        MediaFormat format = detected.isPackage() ? detected : MediaFormat.DOCX;
        FuzzSupport.write(FILE, data);
        check(PackageInfo.read(FILE, format, LIMITS, FuzzSupport.LIMITS.maxDepth()));
    }

    /** The contract on a result: only counts of 0 or more, a title and an author of 1 to MAX_TEXT characters; PROPERTIES_INCOMPLETE warnings. */
    static void check(PackageInfo.Result r) {
        for (Map.Entry<String, Object> e : r.metadata().entrySet()) {
            if (COUNTS.contains(e.getKey())) {
                if (!(e.getValue() instanceof Integer n) || n < 0) {
                    throw new IllegalStateException("expected " + e.getKey() + " to be a whole number of 0 or more, found " + e.getValue());
                }
            } else if (TEXTS.contains(e.getKey())) {
                String s = (String) e.getValue();
                if (s.isBlank() || s.length() > PackageInfo.MAX_TEXT) {
                    throw new IllegalStateException("expected a " + e.getKey() + " of 1 to " + PackageInfo.MAX_TEXT
                            + " characters, found " + s.length());
                }
            } else {
                throw new IllegalStateException("expected only counts, title and author, found the key " + e.getKey());
            }
        }
        for (Reason w : r.warnings()) {
            if (w.code() != ReasonCode.PROPERTIES_INCOMPLETE || w.rejects()) {
                throw new IllegalStateException("expected PROPERTIES_INCOMPLETE warnings, found " + w);
            }
        }
    }
}
