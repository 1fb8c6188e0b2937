package com.mediaflow.shared.validation;

import com.mediaflow.shared.validation.io.Cursor;

/**
 * A structural parser of one family of formats. It walks the real structure through a bounded
 * {@link Cursor}: every size checked against the bytes that remain, every count against a limit,
 * recursion capped. It may throw only {@link com.mediaflow.shared.error.MediaRejectedException}
 * (and {@link com.mediaflow.shared.error.StorageException} when the bytes cannot be fetched): never
 * an index, arithmetic, memory or stack error, and it never loops without bound.
 */
public interface FormatParser {
    /**
     * @param cursor over the whole object
     * @param limits the resource limits; a parser enforces those it meets while walking (depth,
     *     table entries, frames) and reports what the validator checks after (pixels, duration, tracks)
     */
    StructureReport parse(Cursor cursor, Limits limits);
}
