package com.mediaflow.shared.validation.internal.parsers.zip;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A ZIP read by us, strictly and within {@link ZipLimits}, for the document packages (OOXML, ODF,
 * EPUB). {@link #read} checks the end-of-central-directory record, every central directory entry
 * against its local header (names, method, flags, CRC and sizes), the names (no {@code ../},
 * absolute paths, backslashes or drive letters; depth), that entries neither overlap nor leave gaps,
 * and the declared sizes and ratios. Nothing is inflated until a check asks for a part, and then
 * only up to {@link ZipLimits#maxPartBytes()}, checked against the declared size and CRC.
 */
public final class ZipArchive {
    private static final int CHUNK = 64 * 1024;
    /** Compressed bytes read at a time when only a part's head is wanted. */
    private static final int HEAD_CHUNK = 4 * 1024;

    private final Cursor c;
    private final ZipLimits limits;
    private final List<ZipEntry> entries;
    private final Map<String, ZipEntry> byName = new LinkedHashMap<>();
    private final long logicalEnd;
    private long inspected;

    private ZipArchive(Cursor c, ZipLimits limits, List<ZipEntry> entries, long logicalEnd) {
        this.c = c;
        this.limits = limits;
        this.entries = Collections.unmodifiableList(entries);
        this.logicalEnd = logicalEnd;
        for (ZipEntry e : entries) {
            byName.put(e.name(), e);
        }
    }

    /**
     * @param c over the whole package
     * @param maxDepth the deepest folder nesting of an entry name (MAX_NESTING_DEPTH)
     */
    public static ZipArchive read(Cursor c, ZipLimits limits, int maxDepth) {
        CentralDirectory cd = new CentralDirectory(c, limits, maxDepth);
        List<ZipEntry> entries = cd.read();
        return new ZipArchive(c, limits, entries, cd.logicalEnd());
    }

    /** In central directory order. */
    public List<ZipEntry> entries() {
        return entries;
    }

    public Optional<ZipEntry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The end of the end-of-central-directory record and its comment. */
    public long logicalEnd() {
        return logicalEnd;
    }

    public String format() {
        return c.format();
    }

    public ZipLimits limits() {
        return limits;
    }

    /** The whole uncompressed part, at most {@link ZipLimits#maxPartBytes()}; its size and CRC checked. */
    public byte[] read(ZipEntry e) {
        if (e.size() > limits.maxPartBytes()) {
            throw new MediaRejectedException(ReasonCode.ARCHIVE_LIMIT, c.format() + ": part '" + e.name() + "' is "
                    + e.size() + " bytes, expected at most " + limits.maxPartBytes() + " to inspect it");
        }
        byte[] out = inflate(e, (int) e.size(), true);
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw c.invalid("part '" + e.name() + "' has CRC " + Long.toHexString(crc.getValue()) + ", expected "
                    + Long.toHexString(e.crc()) + " as its headers say");
        }
        return out;
    }

    /** The first {@code n} uncompressed bytes of a part (fewer when it is shorter), to sniff what it is. */
    public byte[] head(ZipEntry e, int n) {
        return inflate(e, (int) Math.min(n, e.size()), false);
    }

    private byte[] inflate(ZipEntry e, int want, boolean whole) {
        inspected += want;
        if (inspected > limits.maxInspectedBytes()) {
            throw new MediaRejectedException(ReasonCode.ARCHIVE_LIMIT, c.format() + ": inspecting part '" + e.name()
                    + "' would inflate more than " + limits.maxInspectedBytes() + " bytes in all, expected at most that");
        }
        if (e.stored()) {
            c.seek(e.dataOffset());
            return c.bytes(want, Math.max(want, 0), "part '" + e.name() + "'");
        }
        byte[] out = new byte[want];
        int done = 0;
        Inflater inflater = new Inflater(true);
        Feed feed = new Feed(e, whole ? CHUNK : HEAD_CHUNK);
        try {
            while (done < want) {
                if (inflater.needsInput() && !feed.into(inflater)) {
                    break;
                }
                int got = inflater.inflate(out, done, want - done);
                done += got;
                if (inflater.finished() || inflater.needsDictionary() || got == 0 && !inflater.needsInput()) {
                    break;
                }
            }
            if (done != want) {
                throw c.invalid("part '" + e.name() + "' inflates to " + done + " bytes, expected " + want);
            }
            byte[] probe = new byte[1];
            while (whole && !inflater.finished()) {
                if (inflater.needsInput() && !feed.into(inflater)) {
                    break;
                }
                int got = inflater.inflate(probe);
                if (got > 0) {
                    throw new MediaRejectedException(ReasonCode.ARCHIVE_LIMIT, c.format() + ": part '" + e.name()
                            + "' inflates past the " + e.size() + " bytes its headers declare");
                }
                if (inflater.needsDictionary() || !inflater.needsInput() && !inflater.finished()) {
                    break;
                }
            }
            if (whole && !inflater.finished()) {
                throw c.invalid("part '" + e.name() + "''s deflate stream does not end within its " + e.compressedSize()
                        + " bytes");
            }
            return out;
        } catch (DataFormatException ex) {
            throw c.invalid("part '" + e.name() + "' is not a valid deflate stream: " + ex.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** The compressed bytes of one entry, handed to an inflater a chunk at a time. */
    private final class Feed {
        private final ZipEntry e;
        private final int chunk;
        private long fed;

        Feed(ZipEntry e, int chunk) {
            this.e = e;
            this.chunk = chunk;
        }

        boolean into(Inflater inflater) {
            if (fed >= e.compressedSize()) {
                return false;
            }
            int len = (int) Math.min(chunk, e.compressedSize() - fed);
            c.seek(e.dataOffset() + fed);
            byte[] in = c.bytes(len, CHUNK, "part '" + e.name() + "'");
            fed += len;
            inflater.setInput(in, 0, len);
            return true;
        }
    }
}
