package com.mediaflow.shared.validation.internal.parsers.zip;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a ZIP's end-of-central-directory record, its central directory and every local header,
 * and holds them to each other and to the {@link ZipLimits}. ZIP64, multi-disk archives,
 * encrypted entries and methods other than stored and deflated are refused with a reason.
 */
final class CentralDirectory {
    static final long EOCD_SIG = 0x06054b50L;
    static final long CENTRAL_SIG = 0x02014b50L;
    static final long LOCAL_SIG = 0x04034b50L;
    static final long DESCRIPTOR_SIG = 0x08074b50L;
    static final long ZIP64_LOCATOR_SIG = 0x07064b50L;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 65535;

    private final Cursor c;
    private final ZipLimits limits;
    private final int maxDepth;
    private long eocdEnd;

    CentralDirectory(Cursor c, ZipLimits limits, int maxDepth) {
        this.c = c;
        this.limits = limits;
        this.maxDepth = maxDepth;
    }

    long logicalEnd() {
        return eocdEnd;
    }

    List<ZipEntry> read() {
        long size = c.sourceSize();
        long eocd = findEocd(size);
        c.seek(eocd + 4);
        int disk = c.u16le();
        int cdDisk = c.u16le();
        int onDisk = c.u16le();
        int total = c.u16le();
        long cdSize = c.u32le();
        long cdOffset = c.u32le();
        int commentLength = c.u16le();
        eocdEnd = eocd + EOCD_SIZE + commentLength;
        if (eocd >= 20 && sigAt(eocd - 20) == ZIP64_LOCATOR_SIG || total == 0xFFFF || cdSize == 0xFFFFFFFFL
                || cdOffset == 0xFFFFFFFFL) {
            throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, c.format()
                    + ": a ZIP64 package, expected a plain ZIP (ZIP64 is refused: no document a chat user sends needs it)");
        }
        if (disk != 0 || cdDisk != 0 || onDisk != total) {
            throw c.invalid("the end-of-central-directory record names disk " + disk + "/" + cdDisk + " with " + onDisk
                    + " of " + total + " entries, expected a single-disk archive");
        }
        if (total > limits.maxEntries()) {
            throw limit("the package has " + total + " entries, expected at most " + limits.maxEntries());
        }
        if (cdOffset + cdSize != eocd) {
            throw c.invalid("the central directory at offset " + cdOffset + " (" + cdSize + " bytes) ends at "
                    + (cdOffset + cdSize) + ", expected it to end where the end record starts, at " + eocd);
        }
        c.seek(cdOffset);
        List<ZipEntry> entries = new ArrayList<>(total);
        Set<String> names = new HashSet<>();
        long totalBytes = 0;
        for (int i = 0; i < total; i++) {
            ZipEntry e = centralEntry(i, eocd);
            if (!names.add(e.name())) {
                throw c.invalid("two entries are named '" + e.name() + "', expected unique names (readers disagree on which wins)");
            }
            totalBytes += e.size();
            if (totalBytes > limits.maxTotalBytes()) {
                throw limit("the entries declare more than " + limits.maxTotalBytes()
                        + " uncompressed bytes in all, expected at most that");
            }
            entries.add(e);
        }
        if (c.position() != eocd) {
            throw c.invalid("the central directory's " + total + " entries end at offset " + c.position()
                    + ", expected them to fill it up to " + eocd);
        }
        checkLayout(entries, cdOffset);
        return entries;
    }

    private long findEocd(long size) {
        if (size < EOCD_SIZE) {
            throw c.truncated("the file is " + size + " bytes, shorter than an end-of-central-directory record");
        }
        long lowest = Math.max(0, size - EOCD_SIZE - MAX_COMMENT);
        for (long at = size - EOCD_SIZE; at >= lowest; at--) {
            if (c.peek(at) == 'P' && c.peek(at + 1) == 'K' && c.peek(at + 2) == 5 && c.peek(at + 3) == 6) {
                int comment = c.peek(at + 20) | (c.peek(at + 21) << 8);
                if (at + EOCD_SIZE + comment == size) {
                    return at;
                }
            }
        }
        throw c.invalid("no end-of-central-directory record ends the file, expected one in its last "
                + (EOCD_SIZE + MAX_COMMENT) + " bytes");
    }

    private long sigAt(long at) {
        return (c.peek(at) & 0xFFL) | ((c.peek(at + 1) & 0xFFL) << 8) | ((c.peek(at + 2) & 0xFFL) << 16)
                | ((c.peek(at + 3) & 0xFFL) << 24);
    }

    private ZipEntry centralEntry(int index, long cdEnd) {
        long at = c.position();
        if (c.u32le() != CENTRAL_SIG) {
            throw c.invalid("central directory entry " + index + " at offset " + at + " has no PK\\1\\2 signature");
        }
        c.skip(4, "versions");
        int flags = c.u16le();
        int method = c.u16le();
        c.skip(4, "time and date");
        long crc = c.u32le();
        long compressed = c.u32le();
        long size = c.u32le();
        int nameLength = c.u16le();
        int extraLength = c.u16le();
        int commentLength = c.u16le();
        int startDisk = c.u16le();
        c.skip(6, "attributes");
        long localOffset = c.u32le();
        byte[] rawName = c.bytes(nameLength, 65535, "entry " + index + "'s name");
        c.skip(extraLength + (long) commentLength, "entry " + index + "'s extra field and comment");
        String name = EntryNames.decode(rawName, flags, c, index);
        EntryNames.check(name, c, maxDepth);
        if ((flags & 0x41) != 0) {
            throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, c.format() + ": entry '" + name
                    + "' is encrypted, expected plain entries (encrypted content cannot be inspected)");
        }
        if (method != 0 && method != 8) {
            throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, c.format() + ": entry '" + name
                    + "' uses compression method " + method + ", expected 0 (stored) or 8 (deflated)");
        }
        if (compressed == 0xFFFFFFFFL || size == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL || startDisk != 0) {
            throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, c.format() + ": entry '" + name
                    + "' needs ZIP64 or another disk, expected a plain single-disk ZIP");
        }
        if (method == 0 && compressed != size) {
            throw c.invalid("stored entry '" + name + "' declares " + compressed + " bytes in the file but " + size
                    + " uncompressed, expected them equal");
        }
        if (size > limits.maxEntryBytes()) {
            throw limit("entry '" + name + "' declares " + size + " uncompressed bytes, expected at most " + limits.maxEntryBytes());
        }
        if (size > limits.ratioAfter() && size / Math.max(1, compressed) > limits.maxRatio()) {
            throw limit("entry '" + name + "' inflates " + compressed + " bytes to " + size + " (ratio "
                    + size / Math.max(1, compressed) + "), expected at most " + limits.maxRatio() + " (a zip bomb)");
        }
        if (localOffset >= cdEnd) {
            throw c.invalid("entry '" + name + "' has its local header at offset " + localOffset
                    + ", expected it before the central directory");
        }
        long back = c.position();
        ZipEntry e = localEntry(index, name, rawName, flags, method, crc, compressed, size, localOffset);
        c.seek(back);
        return e;
    }

    private ZipEntry localEntry(int index, String name, byte[] rawName, int flags, int method, long crc, long compressed,
                                long size, long at) {
        c.seek(at);
        if (c.u32le() != LOCAL_SIG) {
            throw c.invalid("entry '" + name + "': expected a local header (PK\\3\\4) at offset " + at + ", found none");
        }
        c.skip(2, "version");
        int localFlags = c.u16le();
        int localMethod = c.u16le();
        c.skip(4, "time and date");
        long localCrc = c.u32le();
        long localCompressed = c.u32le();
        long localSize = c.u32le();
        int nameLength = c.u16le();
        int extraLength = c.u16le();
        byte[] localName = c.bytes(nameLength, 65535, "entry '" + name + "''s local name");
        c.skip(extraLength, "entry '" + name + "''s local extra field");
        boolean descriptor = (flags & 0x08) != 0;
        if (!java.util.Arrays.equals(localName, rawName) || localMethod != method
                || (localFlags & 0x49) != (flags & 0x49)) {
            throw c.invalid("entry " + index + ": its local header says '" + EntryNames.printable(localName) + "', method "
                    + localMethod + ", flags " + localFlags + ", but the central directory says '" + name + "', method "
                    + method + ", flags " + flags + "; expected them to agree");
        }
        boolean zeroed = descriptor && localCrc == 0 && localCompressed == 0 && localSize == 0;
        if (!zeroed && (localCrc != crc || localCompressed != compressed || localSize != size)) {
            throw c.invalid("entry '" + name + "': its local header says CRC " + Long.toHexString(localCrc) + ", "
                    + localCompressed + " bytes, " + localSize + " uncompressed, but the central directory says CRC "
                    + Long.toHexString(crc) + ", " + compressed + ", " + size + "; expected them to agree");
        }
        long data = c.position();
        c.require(compressed, "entry '" + name + "''s data");
        return new ZipEntry(name, index, method, crc, compressed, size, at, data, descriptor);
    }

    /** Entries in file order must follow each other without overlap or gap, and end where the directory starts. */
    private void checkLayout(List<ZipEntry> entries, long cdOffset) {
        List<ZipEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(ZipEntry::headerOffset));
        long expected = 0;
        String previous = null;
        for (ZipEntry e : byOffset) {
            if (e.headerOffset() < expected) {
                throw c.invalid("entry '" + e.name() + "' starts at offset " + e.headerOffset() + ", inside entry '"
                        + previous + "', which ends at " + expected + "; expected entries that do not overlap");
            }
            if (e.headerOffset() > expected) {
                throw c.invalid((e.headerOffset() - expected) + " bytes at offset " + expected
                        + " belong to no entry, expected entry '" + e.name() + "' there");
            }
            expected = e.dataOffset() + e.compressedSize() + descriptorLength(e);
            previous = e.name();
        }
        if (expected != cdOffset) {
            throw c.invalid((cdOffset - expected) + " bytes at offset " + expected
                    + " belong to no entry, expected the central directory there");
        }
    }

    /** A data descriptor after the data (flag bit 3): CRC and sizes, with or without its signature; checked. */
    private long descriptorLength(ZipEntry e) {
        if (!e.descriptor()) {
            return 0;
        }
        long at = e.dataOffset() + e.compressedSize();
        c.seek(at);
        c.require(12, "entry '" + e.name() + "''s data descriptor");
        long first = c.u32le();
        boolean signed = first == DESCRIPTOR_SIG && !(e.crc() == DESCRIPTOR_SIG && sigAt(at + 4) == e.compressedSize());
        long crc = signed ? c.u32le() : first;
        long compressed = c.u32le();
        long size = c.u32le();
        if (crc != e.crc() || compressed != e.compressedSize() || size != e.size()) {
            throw c.invalid("entry '" + e.name() + "''s data descriptor says CRC " + Long.toHexString(crc) + ", " + compressed
                    + " bytes, " + size + " uncompressed, expected what the central directory says");
        }
        return signed ? 16 : 12;
    }

    private MediaRejectedException limit(String message) {
        return new MediaRejectedException(ReasonCode.ARCHIVE_LIMIT, c.format() + ": " + message);
    }
}
