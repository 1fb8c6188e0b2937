package com.mediaflow.shared.validation.parsers;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;

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

    static StructureReport parse(FormatParser parser, byte[] data, String format) {
        try {
            return parser.parse(Cursor.over(new ArrayByteSource(data), format), LIMITS);
        } catch (MediaRejectedException expected) {
            return null;
        }
    }
}
