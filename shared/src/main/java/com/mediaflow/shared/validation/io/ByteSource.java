package com.mediaflow.shared.validation.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Random access to untrusted bytes: a local file (seeks), an array, or an S3 object (ranged GETs).
 * Structural parsers read headers and indexes through it and never the whole object unless the
 * format leaves no choice. {@link #bytesRead()} counts what was actually fetched.
 */
public interface ByteSource extends Closeable {
    /** The total length in bytes. */
    long size();

    /**
     * Reads up to {@code len} bytes at {@code offset} into {@code buf}; fewer only at the end.
     *
     * @return the number of bytes read, 0 at or past the end
     */
    int read(long offset, byte[] buf, int off, int len) throws IOException;

    /** Bytes fetched from the underlying storage so far (cache hits are not counted again). */
    long bytesRead();

    @Override
    default void close() throws IOException {
    }
}
