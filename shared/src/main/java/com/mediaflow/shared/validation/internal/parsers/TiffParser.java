package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.PixelLayout;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.HashSet;
import java.util.Set;

/**
 * TIFF 6.0 (classic, not BigTIFF): the byte-order header, then the chain of IFDs, each inside the
 * file, visited once (a loop is an error), with at most 4096 entries and at most 1000 IFDs in all.
 * IFD0 needs ImageWidth and ImageLength above 0; every image IFD needs strips or tiles whose offset
 * and byte-count tables agree in length (bounded by MAX_SAMPLE_ENTRIES) and whose every strip lies
 * inside the file. SubIFDs are followed to MAX_NESTING_DEPTH; the EXIF, GPS and Interoperability
 * IFDs are optional metadata: their faults are warnings. Every page and sub-image is held to
 * MAX_PIXELS. TIFF has no end marker, so the logical end is -1. The pixel layout is IFD0's:
 * BitsPerSample (of the first sample; 8 for palettes), PhotometricInterpretation (grey, colour or
 * CMYK) and ExtraSamples (alpha); none when IFD0 has no readable PhotometricInterpretation.
 */
public final class TiffParser implements FormatParser {
    static final int MAX_ENTRIES = 4096;
    static final int MAX_IFDS = 1000;

    private static final int IMAGE_WIDTH = 256;
    private static final int IMAGE_LENGTH = 257;
    private static final int BITS_PER_SAMPLE = 258;
    private static final int PHOTOMETRIC = 262;
    private static final int EXTRA_SAMPLES = 338;
    private static final int STRIP_OFFSETS = 273;
    private static final int STRIP_BYTE_COUNTS = 279;
    private static final int TILE_OFFSETS = 324;
    private static final int TILE_BYTE_COUNTS = 325;
    private static final int SUB_IFDS = 330;
    private static final int EXIF_IFD = 34665;
    private static final int GPS_IFD = 34853;
    private static final int INTEROP_IFD = 40965;

    /** Walk state shared by every IFD of one file. */
    private static final class Walk {
        final Cursor c;
        final Limits limits;
        final boolean little;
        final StructureReport.Builder report;
        final Set<Long> visited = new HashSet<>();

        Walk(Cursor c, Limits limits, boolean little, StructureReport.Builder report) {
            this.c = c;
            this.limits = limits;
            this.little = little;
            this.report = report;
        }

        int u16() {
            return little ? c.u16le() : c.u16be();
        }

        long u32() {
            return little ? c.u32le() : c.u32be();
        }
    }

    /** What one IFD said about its image; pixels null when its tags do not say. */
    private record Ifd(long width, long height, boolean hasImageData, long next, PixelLayout pixels) {
    }

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        if (c.remaining() < 8) {
            throw c.invalid("expected an 8-byte header, found " + c.remaining() + " bytes");
        }
        int b0 = c.u8();
        int b1 = c.u8();
        boolean little;
        if (b0 == 'I' && b1 == 'I') {
            little = true;
        } else if (b0 == 'M' && b1 == 'M') {
            little = false;
        } else {
            throw c.invalid("expected byte order 'II' or 'MM' at offset 0");
        }
        StructureReport.Builder report = StructureReport.builder();
        Walk w = new Walk(c, limits, little, report);
        int magic = w.u16();
        if (magic == 43) {
            throw c.invalid("BigTIFF (version 43) is not supported, expected classic TIFF (42)");
        }
        if (magic != 42) {
            throw c.invalid("version is " + magic + ", expected 42");
        }
        long offset = w.u32();
        long pages = 0;
        while (offset != 0) {
            pages++;
            Ifd ifd = ifd(w, offset, "IFD" + (pages - 1), 0, true);
            if (pages == 1) {
                if (ifd.width <= 0 || ifd.height <= 0) {
                    throw c.invalid("IFD0 at offset " + offset + " has ImageWidth " + ifd.width + " and ImageLength "
                            + ifd.height + ", expected both present and above 0");
                }
                report.dimensions(ifd.width, ifd.height);
                report.pixels(ifd.pixels);
            }
            offset = ifd.next;
        }
        if (pages == 0) {
            throw c.invalid("IFD0 offset is 0, expected an image");
        }
        return report.frames(pages).logicalEnd(-1).build();
    }

    /**
     * Walks one IFD at {@code offset}: entries, image data, and the IFDs it points at.
     *
     * @param image whether this IFD describes an image (IFD chain, SubIFDs) rather than metadata
     */
    private Ifd ifd(Walk w, long offset, String name, int depth, boolean image) {
        Cursor c = w.c;
        if (w.visited.size() >= MAX_IFDS) {
            throw c.invalid("more than " + MAX_IFDS + " IFDs");
        }
        if (!w.visited.add(offset)) {
            throw c.invalid(name + " at offset " + offset + " was already visited: the IFDs form a loop");
        }
        if (offset < 8 || offset + 2 > c.sourceSize()) {
            if (offset >= 8) {
                throw c.truncated(name + " offset is " + offset + ", past the end of the file at " + c.sourceSize());
            }
            throw c.invalid(name + " offset is " + offset + ", inside the 8-byte header");
        }
        c.seek(offset);
        int count = w.u16();
        if (count == 0 || count > MAX_ENTRIES) {
            throw c.invalid(name + " at offset " + offset + " has " + count + " entries, expected 1.." + MAX_ENTRIES);
        }
        c.require(12L * count + 4, name + " with " + count + " entries at offset " + offset);
        long width = -1;
        long height = -1;
        long[] stripOffsets = null;
        long[] stripCounts = null;
        long[] tileOffsets = null;
        long[] tileCounts = null;
        long[] subIfds = null;
        long[] metadataIfds = new long[3];
        int bits = 1; // the TIFF 6.0 default
        int photometric = -1;
        boolean extraAlpha = false;
        for (int i = 0; i < count; i++) {
            long entryAt = offset + 2 + 12L * i;
            c.seek(entryAt);
            int tag = w.u16();
            int type = w.u16();
            long n = w.u32();
            switch (tag) {
                case IMAGE_WIDTH -> width = single(w, tag, type, n, entryAt);
                case IMAGE_LENGTH -> height = single(w, tag, type, n, entryAt);
                case BITS_PER_SAMPLE -> bits = (int) firstShort(w, type, n, bits);
                case PHOTOMETRIC -> photometric = (int) firstShort(w, type, n, photometric);
                case EXTRA_SAMPLES -> {
                    long kind = firstShort(w, type, n, 0);
                    extraAlpha = kind == 1 || kind == 2; // associated or unassociated alpha
                }
                case STRIP_OFFSETS -> stripOffsets = values(w, "StripOffsets", type, n, entryAt);
                case STRIP_BYTE_COUNTS -> stripCounts = values(w, "StripByteCounts", type, n, entryAt);
                case TILE_OFFSETS -> tileOffsets = values(w, "TileOffsets", type, n, entryAt);
                case TILE_BYTE_COUNTS -> tileCounts = values(w, "TileByteCounts", type, n, entryAt);
                case SUB_IFDS -> subIfds = values(w, "SubIFDs", type == 13 ? 4 : type, n, entryAt);
                case EXIF_IFD, GPS_IFD, INTEROP_IFD -> {
                    int slot = tag == EXIF_IFD ? 0 : tag == GPS_IFD ? 1 : 2;
                    try {
                        metadataIfds[slot] = single(w, tag, type == 13 ? 4 : type, n, entryAt);
                    } catch (MediaRejectedException e) {
                        w.report.warn(ReasonCode.STRUCTURE_INVALID, e.getMessage());
                    }
                }
                default -> {
                    // other tags are not needed to judge the structure
                }
            }
        }
        c.seek(offset + 2 + 12L * count);
        long next = w.u32();
        boolean hasImageData = false;
        if (image) {
            hasImageData = imageData(w, name, stripOffsets, stripCounts, tileOffsets, tileCounts);
            if (!hasImageData) {
                throw c.invalid(name + " at offset " + offset + " has neither StripOffsets nor TileOffsets");
            }
            if (width > 0 && height > 0) {
                w.limits.checkPixels("TIFF " + name, width, height);
            }
        }
        if (subIfds != null) {
            w.limits.checkDepth("TIFF", depth + 1, "SubIFDs of " + name);
            for (int i = 0; i < subIfds.length; i++) {
                ifd(w, subIfds[i], name + ".SubIFD" + i, depth + 1, true);
            }
        }
        String[] names = {"ExifIFD", "GPSIFD", "InteropIFD"};
        for (int i = 0; i < metadataIfds.length; i++) {
            if (metadataIfds[i] != 0) {
                try {
                    w.limits.checkDepth("TIFF", depth + 1, names[i] + " of " + name);
                    ifd(w, metadataIfds[i], name + "." + names[i], depth + 1, false);
                } catch (MediaRejectedException e) {
                    w.report.warn(e.code(), e.getMessage());
                }
            }
        }
        PixelLayout pixels = null;
        if (photometric >= 0 && bits > 0) {
            PixelLayout.ColourModel colour = switch (photometric) {
                case 0, 1 -> PixelLayout.ColourModel.GRAY;
                case 5 -> PixelLayout.ColourModel.CMYK;
                default -> PixelLayout.ColourModel.RGB;
            };
            pixels = new PixelLayout(photometric == 3 ? 8 : bits, colour, extraAlpha);
        }
        return new Ifd(width, height, hasImageData, next, pixels);
    }

    /**
     * The first value of a SHORT tag (inline, or where the entry points when there are more than
     * two), for tags that only describe the pixels: {@code fallback} when the type is not SHORT
     * or the values lie outside the file. The cursor is on the entry's value field.
     */
    private static long firstShort(Walk w, int type, long n, long fallback) {
        if (type != 3 || n == 0) {
            return fallback;
        }
        if (n <= 2) {
            return w.u16();
        }
        long at = w.u32();
        if (at + 2 > w.c.sourceSize()) {
            return fallback;
        }
        w.c.seek(at);
        return w.u16();
    }

    private static boolean imageData(Walk w, String name, long[] stripOffsets, long[] stripCounts, long[] tileOffsets,
            long[] tileCounts) {
        boolean any = false;
        if (stripOffsets != null || stripCounts != null) {
            pieces(w, name, "strip", stripOffsets, stripCounts);
            any = true;
        }
        if (tileOffsets != null || tileCounts != null) {
            pieces(w, name, "tile", tileOffsets, tileCounts);
            any = true;
        }
        return any;
    }

    private static void pieces(Walk w, String name, String kind, long[] offsets, long[] counts) {
        Cursor c = w.c;
        if (offsets == null || counts == null) {
            throw c.invalid(name + " has " + kind + " " + (offsets == null ? "byte counts but no offsets"
                    : "offsets but no byte counts"));
        }
        if (offsets.length != counts.length) {
            throw c.invalid(name + " has " + offsets.length + " " + kind + " offsets and " + counts.length
                    + " byte counts, expected as many of each");
        }
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] + counts[i] > c.sourceSize()) {
                throw c.truncated(name + ": " + kind + " " + i + " of " + counts[i] + " bytes at offset " + offsets[i]
                        + " ends past the end of the file at " + c.sourceSize());
            }
        }
    }

    private static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12 -> 8;
            default -> 0;
        };
    }

    /** A tag that must hold one SHORT or LONG. */
    private static long single(Walk w, int tag, int type, long n, long entryAt) {
        if ((type != 3 && type != 4) || n != 1) {
            throw w.c.invalid("tag " + tag + " at offset " + entryAt + " has type " + type + " and count " + n
                    + ", expected one SHORT or LONG");
        }
        return type == 3 ? w.u16() : w.u32();
    }

    /** Strips or tiles of one image: far beyond any real file (a 100000-row image in one-row strips). */
    static final int MAX_VALUES = 1_000_000;

    /** The SHORT or LONG values of a tag, read from the entry or from where it points. */
    private static long[] values(Walk w, String what, int type, long n, long entryAt) {
        Cursor c = w.c;
        if (type != 3 && type != 4) {
            throw c.invalid(what + " at offset " + entryAt + " has type " + type + ", expected SHORT (3) or LONG (4)");
        }
        if (n == 0) {
            throw c.invalid(what + " at offset " + entryAt + " has no values");
        }
        w.limits.checkEntries("TIFF", n, what);
        if (n > MAX_VALUES) {
            // the values are held in memory: a hostile table within MAX_SAMPLE_ENTRIES could still cost 80 MB
            throw c.invalid(what + " at offset " + entryAt + " has " + n + " values, expected at most " + MAX_VALUES);
        }
        int size = typeSize(type);
        long bytes = n * size;
        if (bytes > 4) {
            long at = w.u32();
            if (at + bytes > c.sourceSize()) {
                throw c.truncated(what + " at offset " + entryAt + " points at " + n + " values at offset " + at
                        + ", past the end of the file at " + c.sourceSize());
            }
            c.seek(at);
        }
        long[] out = new long[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = type == 3 ? w.u16() : w.u32();
        }
        return out;
    }
}
