package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every parser's fuzz test asserts: on any input, the parser returns a report or throws our
 * typed {@link MediaRejectedException}; anything else (an index, arithmetic, memory or stack error)
 * escapes and is a finding. Hangs are caught by Jazzer's per-input timeout.
 */
final class FuzzSupport {
    /** Small limits, so that the fuzzer reaches them instead of allocating. */
    static final Limits LIMITS = new Limits(1L << 30, 100_000_000L, 1000, 24 * 3600, 16, 32, 100_000);

    private FuzzSupport() {
    }

    /** A temporary file, deleted at exit, for fuzz targets whose code under test reads a path. */
    static Path scratchFile(String suffix) {
        try {
            Path file = Files.createTempFile("fuzz-", suffix);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one input over the scratch file. */
    static Path write(Path file, byte[] data) {
        try {
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StructureReport parse(FormatParser parser, byte[] data, String format) {
        try {
            return parser.parse(Cursor.over(new ArrayByteSource(data), format), LIMITS);
        } catch (MediaRejectedException expected) {
            return null;
        }
    }
}
