package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.codec.document.EmbeddedPreview;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The preview extractor ({@link EmbeddedPreview}: finds the thumbnail or cover a package names,
 * inflates it through the bounded ZIP reader and validates it as an upload) reads
 * attacker-controlled parts. Its contract: on any input it returns a result and throws nothing
 * (StorageException only when a file cannot be read or written, which the scratch files can);
 * a preview it keeps is a file in the scratch folder holding an image; one it refuses leaves no
 * file behind and is one DOCUMENT_PREVIEW_INVALID warning. The format is what detection finds, or
 * DOCX when it finds no package, as for PackageParserFuzzTest.
 * In {@code mvn verify}: the seeds in .../EmbeddedPreviewFuzzTestInputs/parse. To fuzz:
 * {@code shared/fuzz EmbeddedPreviewFuzzTest MINUTES}. See FuzzSupport.
 */
public class EmbeddedPreviewFuzzTest {
    private static final Path FILE = FuzzSupport.scratchFile(".pkg");
    private static final Path SCRATCH = scratchFolder();
    private static final EmbeddedPreview EXTRACTOR = new EmbeddedPreview(PackageInfoFuzzTest.LIMITS, FuzzSupport.LIMITS);

    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        MediaFormat detected = Detector.detect(data);
        MediaFormat format = detected.isPackage() ? detected : MediaFormat.DOCX;
        FuzzSupport.write(FILE, data);
        check(EXTRACTOR.extract(FILE, format, SCRATCH));
    }

    /** Extracts the preview of {@code pkg} into the scratch folder and checks the contract on the result. */
    static void extract(java.nio.file.Path pkg, MediaFormat format) {
        check(EXTRACTOR.extract(pkg, format, SCRATCH));
    }

    /** The contract: a kept preview is an image file in the scratch folder; a refused one leaves no file and one warning. */
    private static void check(EmbeddedPreview.Result r) {
        try {
            if (r.image() != null) {
                if (!r.warnings().isEmpty() || r.format() == null || r.format().category() != MediaCategory.IMAGE
                        || !r.image().getParent().equals(SCRATCH) || !Files.isRegularFile(r.image())) {
                    throw new IllegalStateException("expected a kept preview to be an image file in the scratch folder without "
                            + "warnings, found " + r);
                }
            } else if (r.format() != null || r.warnings().size() > 1) {
                throw new IllegalStateException("expected no format and at most one warning without a preview, found " + r);
            }
            for (Reason w : r.warnings()) {
                if (w.code() != ReasonCode.DOCUMENT_PREVIEW_INVALID || w.rejects()) {
                    throw new IllegalStateException("expected a DOCUMENT_PREVIEW_INVALID warning, found " + w);
                }
            }
            try (Stream<Path> left = Files.list(SCRATCH)) {
                long files = left.count();
                if (files != (r.image() == null ? 0 : 1)) {
                    throw new IllegalStateException("expected " + (r.image() == null ? 0 : 1) + " file(s) in the scratch folder, found "
                            + files + " (a refused preview must be deleted)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (r.image() != null) {
                try {
                    Files.deleteIfExists(r.image());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static Path scratchFolder() {
        try {
            Path dir = Files.createTempDirectory("fuzz-preview-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
