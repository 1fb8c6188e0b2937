package com.mediaflow.shared.validation.io;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.error.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A bounded reader over a {@link ByteSource}: a position and an end it can never pass. Every read
 * is checked against both the end of this region and the end of the source; running past the
 * source is {@link ReasonCode#TRUNCATED}, past a region is {@link ReasonCode#STRUCTURE_INVALID}.
 * Reads go through a small window so that walking a header costs few source reads.
 */
public final class Cursor {
    private static final int WINDOW = 8 * 1024;
    /** What {@link #skipTo} reads at a time: payload scans want big reads, header walks small ones. */
    private static final int SCAN_WINDOW = 64 * 1024;

    private final ByteSource source;
    private final String format;
    private final long start;
    private final long end;
    private long pos;
    private final Window window;

    /** One read window per source, shared by a cursor and its regions so they never disagree. */
    private static final class Window {
        final byte[] buf = new byte[SCAN_WINDOW];
        long start = -1;
        int length;
    }

    private Cursor(ByteSource source, String format, long start, long end, Window window) {
        this.source = source;
        this.format = format;
        this.start = start;
        this.end = end;
        this.pos = start;
        this.window = window;
    }

    /** The whole source. {@code format} names it in messages, e.g. "PNG". */
    public static Cursor over(ByteSource source, String format) {
        return new Cursor(source, format, 0, source.size(), new Window());
    }

    /** A region of {@code length} bytes from the current position; this cursor does not move. */
    public Cursor region(long length, String what) {
        if (length < 0 || length > remaining()) {
            if (pos + length > source.size() && end == source.size()) {
                throw truncated(what + " declares " + length + " bytes at offset " + pos + ", but only "
                        + remaining() + " remain in the file");
            }
            throw invalid(what + " declares " + length + " bytes at offset " + pos + ", but only " + remaining()
                    + " remain in its parent");
        }
        return new Cursor(source, format, pos, pos + length, window);
    }

    public String format() {
        return format;
    }

    public long position() {
        return pos;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public long remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    public long sourceSize() {
        return source.size();
    }

    public void seek(long absolute) {
        if (absolute < start || absolute > end) {
            throw invalid("offset " + absolute + " is outside " + start + ".." + end);
        }
        pos = absolute;
    }

    public void skip(long n, String what) {
        require(n, what);
        pos += n;
    }

    /** Fails unless {@code n} more bytes are available in this region. */
    public void require(long n, String what) {
        if (n < 0) {
            throw invalid(what + " has a negative length " + n);
        }
        if (n > remaining()) {
            if (pos + n > source.size()) {
                throw truncated(what + " needs " + n + " bytes at offset " + pos + ", but the file ends at " + source.size());
            }
            throw invalid(what + " needs " + n + " bytes at offset " + pos + ", but its enclosing structure ends at " + end);
        }
    }

    public int u8() {
        require(1, "a byte");
        int v = byteAt(pos) & 0xFF;
        pos++;
        return v;
    }

    public int u16be() {
        require(2, "a 16-bit value");
        int v = ((byteAt(pos) & 0xFF) << 8) | (byteAt(pos + 1) & 0xFF);
        pos += 2;
        return v;
    }

    public int u16le() {
        require(2, "a 16-bit value");
        int v = ((byteAt(pos + 1) & 0xFF) << 8) | (byteAt(pos) & 0xFF);
        pos += 2;
        return v;
    }

    public int u24be() {
        require(3, "a 24-bit value");
        int v = ((byteAt(pos) & 0xFF) << 16) | ((byteAt(pos + 1) & 0xFF) << 8) | (byteAt(pos + 2) & 0xFF);
        pos += 3;
        return v;
    }

    public int u24le() {
        require(3, "a 24-bit value");
        int v = ((byteAt(pos + 2) & 0xFF) << 16) | ((byteAt(pos + 1) & 0xFF) << 8) | (byteAt(pos) & 0xFF);
        pos += 3;
        return v;
    }

    public long u32be() {
        require(4, "a 32-bit value");
        long v = ((byteAt(pos) & 0xFFL) << 24) | ((byteAt(pos + 1) & 0xFFL) << 16) | ((byteAt(pos + 2) & 0xFFL) << 8)
                | (byteAt(pos + 3) & 0xFFL);
        pos += 4;
        return v;
    }

    public long u32le() {
        require(4, "a 32-bit value");
        long v = ((byteAt(pos + 3) & 0xFFL) << 24) | ((byteAt(pos + 2) & 0xFFL) << 16) | ((byteAt(pos + 1) & 0xFFL) << 8)
                | (byteAt(pos) & 0xFFL);
        pos += 4;
        return v;
    }

    /** An unsigned 64-bit value; one above {@link Long#MAX_VALUE} is a structure error, not a negative number. */
    public long u64be() {
        long hi = u32be();
        long lo = u32be();
        if ((hi & 0x80000000L) != 0) {
            throw invalid("a 64-bit value at offset " + (pos - 8) + " is larger than 2^63");
        }
        return (hi << 32) | lo;
    }

    public long u64le() {
        long lo = u32le();
        long hi = u32le();
        if ((hi & 0x80000000L) != 0) {
            throw invalid("a 64-bit value at offset " + (pos - 8) + " is larger than 2^63");
        }
        return (hi << 32) | lo;
    }

    /** {@code n} bytes, at most {@code max}: the cap keeps a hostile length from allocating. */
    public byte[] bytes(int n, int max, String what) {
        if (n > max) {
            throw invalid(what + " is " + n + " bytes, expected at most " + max);
        }
        require(n, what);
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            int got;
            try {
                got = source.read(pos + done, out, done, n - done);
            } catch (IOException e) {
                throw new StorageException("reading " + format + " at offset " + (pos + done) + " failed: " + e.getMessage(), e);
            }
            if (got <= 0) {
                throw truncated(what + " ends early at offset " + (pos + done));
            }
            done += got;
        }
        pos += n;
        return out;
    }

    /**
     * Moves to the next byte equal to {@code value} in this region and returns true, or to the
     * region's end and returns false. Scans eight bytes at a time: this is the one place a parser
     * walks payload (JPEG's entropy-coded data), and it must keep up with hashing.
     */
    public boolean skipTo(int value) {
        final long pattern = 0x0101010101010101L * (value & 0xFF);
        while (pos < end) {
            Window w = window;
            if (w.start < 0 || pos < w.start || pos >= w.start + w.length) {
                fill(pos, SCAN_WINDOW);
            }
            int from = (int) (pos - w.start);
            int to = (int) Math.min(w.length, end - w.start);
            byte[] buf = w.buf;
            int i = from;
            for (; i + 8 <= to; i += 8) {
                long x = ((long) LONGS.get(buf, i)) ^ pattern; // a zero byte where value was
                long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (found != 0) {
                    pos = w.start + i + (Long.numberOfTrailingZeros(found) >>> 3);
                    return true;
                }
            }
            for (; i < to; i++) {
                if ((buf[i] & 0xFF) == (value & 0xFF)) {
                    pos = w.start + i;
                    return true;
                }
            }
            pos = w.start + to;
        }
        return false;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Four ASCII bytes, e.g. an ISO-BMFF box type or a RIFF chunk id. */
    public String fourcc() {
        require(4, "a four-character code");
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (byteAt(pos + i) & 0xFF);
        }
        pos += 4;
        return new String(c);
    }

    public String ascii(int n, int max, String what) {
        return new String(bytes(n, max, what), StandardCharsets.ISO_8859_1);
    }

    /** The byte at an absolute offset of the source, without moving; -1 past the end of the source. */
    public int peek(long absolute) {
        if (absolute < 0 || absolute >= source.size()) {
            return -1;
        }
        return byteAt(absolute) & 0xFF;
    }

    public MediaRejectedException invalid(String message) {
        return new MediaRejectedException(ReasonCode.STRUCTURE_INVALID, format + ": " + message);
    }

    public MediaRejectedException truncated(String message) {
        return new MediaRejectedException(ReasonCode.TRUNCATED, format + ": " + message);
    }

    private byte byteAt(long absolute) {
        Window w = window;
        if (w.start < 0 || absolute < w.start || absolute >= w.start + w.length) {
            fill(absolute, WINDOW);
        }
        return w.buf[(int) (absolute - w.start)];
    }

    private void fill(long absolute, int length) {
        try {
            int n = source.read(absolute, window.buf, 0, length);
            if (n <= 0) {
                throw truncated("the file ends at " + source.size() + ", expected a byte at offset " + absolute);
            }
            window.start = absolute;
            window.length = n;
        } catch (IOException e) {
            throw new StorageException("reading " + format + " at offset " + absolute + " failed: " + e.getMessage(), e);
        }
    }
}
