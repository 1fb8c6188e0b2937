package com.mediaflow.shared.validation.parsers;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.isobmff.HeifItems;
import com.mediaflow.shared.isobmff.HeifMetaReader;
import com.mediaflow.shared.isobmff.HeifPicture;
import com.mediaflow.shared.isobmff.IsoBmffException;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ISO base media file format family: MP4, MOV (QuickTime), M4A, 3GP and HEIF/HEIC/AVIF.
 *
 * <p>Walks the box tree (every box inside its parent and the file, depth and box count capped),
 * recursing only into known containers and never reading {@code mdat}. A {@code moov} is a movie:
 * {@code mvhd}/{@code tkhd}/{@code mdhd} timing and size, and every track's sample tables checked
 * against each other ({@code stts} against {@code stsz}, {@code stsc} over the chunks of
 * {@code stco}/{@code co64} against {@code stsz}) and every chunk's samples against the end of the
 * file, in one pass over the tables; {@code esds} descriptors; fragments' {@code trun} counts and
 * data offsets. The top-level {@code meta} is read by {@link HeifMetaReader}, the item reader the
 * HEIF decoder uses, and when its handler is {@code pict} (an image) its primary picture is checked
 * by {@link HeifPicture} as the decoder will build it, so what is accepted here is decodable. The
 * report gives the stored (unrotated) size of the primary video track or image item.
 */
public final class IsoBmffParser implements FormatParser {
    /** Boxes visited in one file, all levels together. */
    static final int MAX_BOXES = 1_000_000;
    /** MPEG-4 descriptors nest ES > DecoderConfig > DecoderSpecificInfo: a few levels. */
    static final int MAX_DESCRIPTOR_DEPTH = 8;
    static final int MAX_WARNINGS = 20;
    /** Compatible brands read from {@code ftyp}. */
    private static final int MAX_BRANDS = 1024;

    /** Boxes whose body is only boxes, walked without meaning wherever they occur. */
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "dinf", "edts",
            "udta", "mvex", "moof", "traf", "sinf", "schi", "mfra", "tref", "iprp", "rinf", "strk", "strd", "wave");
    private static final Set<String> IMAGE_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1",
            "msf1", "avif", "avis", "mif2");

    @Override
    public StructureReport parse(Cursor cursor, Limits limits) {
        return new Walk(cursor, limits).run();
    }

    /** The state of one parse. */
    private static final class Walk {
        private final Cursor c;
        private final Limits limits;
        private final String fmt;
        private final long fileSize;
        private final StructureReport.Builder report = StructureReport.builder();
        private int boxes;
        private boolean imageBrand;

        // movie
        private boolean moovSeen;
        private long movieTimescale;
        private long movieDuration = -1;
        private long fragmentDuration = -1;
        private final List<Track> tracks = new ArrayList<>();
        /** Samples of the longest 'pict' track: the frames of an image sequence (AVIF 'avis', HEIF 'msf1'). */
        private long sequenceFrames;
        private long fragmentSamples;

        // image
        private boolean metaSeen;
        private HeifItems image;

        Walk(Cursor c, Limits limits) {
            this.c = c;
            this.limits = limits;
            this.fmt = c.format();
            this.fileSize = c.sourceSize();
        }

        StructureReport run() {
            long logicalEnd = c.position();
            boolean ftyp = false;
            int index = 0;
            while (c.remaining() >= 8) {
                long at = c.position();
                String type = fourccAt(at + 4);
                if (ftyp && !printable(type)) {
                    break; // not a box: something else follows the boxes; the validator judges it
                }
                Box b = next(c, 1, true);
                index++;
                if (!ftyp) {
                    if (b.type.equals("ftyp")) {
                        ftyp = true;
                    } else if (!b.type.equals("free") && !b.type.equals("skip") && !b.type.equals("wide")) {
                        throw c.invalid("expected 'ftyp' as the first box, found '" + printableType(b.type)
                                + "' at offset " + at + " (box " + index + ")");
                    }
                }
                switch (b.type) {
                    case "ftyp" -> ftyp(b);
                    case "moov" -> {
                        if (moovSeen) {
                            throw c.invalid("a second 'moov' box at offset " + at + ", expected one");
                        }
                        moovSeen = true;
                        movie(b);
                    }
                    case "meta" -> {
                        if (metaSeen) {
                            throw c.invalid("a second top-level 'meta' box at offset " + at + ", expected one");
                        }
                        metaSeen = true;
                        topMeta(b);
                    }
                    case "moof" -> moof(b);
                    case "mdat", "free", "skip", "wide" -> {
                        // never read media data or padding
                    }
                    default -> other(b);
                }
                logicalEnd = b.end();
            }
            if (!ftyp) {
                throw c.invalid("no 'ftyp' box, expected one at offset 0");
            }
            boolean isImage = image != null && image.image();
            if (!moovSeen && !isImage) {
                throw c.invalid("no 'moov' box (a movie) and no top-level 'meta' box with handler 'pict' (an image)"
                        + (imageBrand ? "; the brands say image but there is no 'pict' meta" : ""));
            }
            if (moovSeen) {
                finishMovie(!isImage);
            }
            if (isImage) {
                finishImage();
                if (sequenceFrames > 1) {
                    limits.checkFrames(fmt, sequenceFrames);
                    report.frames(sequenceFrames);
                }
            }
            return report.logicalEnd(logicalEnd).build();
        }

        // --- boxes ------------------------------------------------------------------------------

        /** A box: its type, where it starts, its size, and a cursor over its body (after the header). */
        private record Box(String type, long at, long size, int depth, Cursor body) {
            long end() {
                return at + size;
            }
        }

        /** Reads the next box header in {@code parent}; the parent moves past the whole box. */
        private Box next(Cursor parent, int depth, boolean topLevel) {
            if (++boxes > MAX_BOXES) {
                throw c.invalid("more than " + MAX_BOXES + " boxes, the last at offset " + parent.position());
            }
            long at = parent.position();
            long size = parent.u32be();
            String type = parent.fourcc();
            long header = 8;
            if (size == 1) {
                size = parent.u64be();
                header = 16;
            } else if (size == 0) {
                if (!topLevel) {
                    throw c.invalid("box '" + printableType(type) + "' at offset " + at
                            + " has size 0 ('to the end of the file'), allowed only for the last top-level box");
                }
                size = parent.end() - at;
            }
            if (type.equals("uuid")) {
                header += 16;
            }
            if (size < header) {
                throw c.invalid("box '" + printableType(type) + "' at offset " + at + " declares size " + size
                        + ", smaller than its " + header + "-byte header");
            }
            if (size > fileSize - at) {
                throw c.truncated("box '" + printableType(type) + "' at offset " + at + " declares " + size
                        + " bytes, but the file ends at " + fileSize);
            }
            if (size > parent.end() - at) {
                throw c.invalid("box '" + printableType(type) + "' at offset " + at + " declares " + size
                        + " bytes, past the end of its parent at offset " + parent.end());
            }
            limits.checkDepth(fmt, depth, "box '" + printableType(type) + "' at offset " + at);
            if (type.equals("uuid")) {
                parent.skip(16, "the extended type of a 'uuid' box");
            }
            long bodyLength = size - header;
            Cursor body = parent.region(bodyLength, "box '" + printableType(type) + "'");
            parent.skip(bodyLength, "box '" + printableType(type) + "'");
            return new Box(type, at, size, depth, body);
        }

        /** Walks the child boxes of {@code parent}, handing each to {@code handler}. */
        private void children(Cursor parent, int depth, String parentType, java.util.function.Consumer<Box> handler) {
            while (parent.remaining() >= 8) {
                handler.accept(next(parent, depth, false));
            }
            long left = parent.remaining();
            if (left > 0) {
                long at = parent.position();
                boolean zero = true;
                for (long i = 0; i < left; i++) {
                    zero &= parent.u8() == 0;
                }
                if (!zero) {
                    warn(left + " stray bytes at offset " + at + " at the end of '" + printableType(parentType)
                            + "', too few for a box");
                }
            }
        }

        /** A box with no meaning here: containers are walked (depth, sizes), anything else skipped. */
        private void other(Box b) {
                        if (CONTAINERS.contains(b.type)) {
                children(b.body, b.depth + 1, b.type, this::other);
            } else if (b.type.equals("meta")) {
                metaBody(b);
                children(b.body, b.depth + 1, b.type, this::other);
            }
        }

        /**
         * ISO's 'meta' is a full box (version and flags), QuickTime's is not: its first child's
         * type ('hdlr') then sits at offset 4 of the body instead of 8.
         */
        private void metaBody(Box b) {
            long s = b.body.start();
            if (!fourccAt(s + 4).equals("hdlr")) {
                fullBox(b, "meta", 0);
            }
        }

        // --- ftyp -------------------------------------------------------------------------------

        private void ftyp(Box b) {
            Cursor body = b.body;
            if (body.remaining() < 8) {
                throw c.invalid("'ftyp' at offset " + b.at + " is " + b.size + " bytes, expected at least 16");
            }
            String major = body.fourcc();
            body.u32be();
            imageBrand |= IMAGE_BRANDS.contains(major);
            for (int i = 0; i < MAX_BRANDS && body.remaining() >= 4; i++) {
                imageBrand |= IMAGE_BRANDS.contains(body.fourcc());
            }
        }

        // --- movie ------------------------------------------------------------------------------

        private void movie(Box moov) {
            children(moov.body, moov.depth + 1, "moov", b -> {
                switch (b.type) {
                    case "mvhd" -> mvhd(b);
                    case "trak" -> track(b);
                    case "mvex" -> children(b.body, b.depth + 1, "mvex", x -> {
                        if (x.type.equals("mehd")) {
                            int v = fullBox(x, "mehd", 1);
                            fragmentDuration = duration(x.body, v, x);
                        } else if (x.type.equals("trex")) {
                            trex(x);
                        } else {
                            other(x);
                        }
                    });
                    default -> other(b);
                }
            });
        }

        private void mvhd(Box b) {
            int v = fullBox(b, "mvhd", 1);
            Cursor x = b.body;
            x.skip(v == 1 ? 16 : 8, "'mvhd' creation and modification times");
            movieTimescale = x.u32be();
            movieDuration = duration(x, v, b);
            if (movieTimescale == 0) {
                throw c.invalid("'mvhd' at offset " + b.at + " has timescale 0, expected above 0");
            }
        }

        private void track(Box trak) {
            Track t = new Track(tracks.size() + 1, trak.at);
            tracks.add(t);
            limits.checkTracks(fmt, tracks.size());
            int d = trak.depth + 1;
            children(trak.body, d, "trak", b -> {
                switch (b.type) {
                    case "tkhd" -> tkhd(t, b);
                    case "mdia" -> children(b.body, d + 1, "mdia", m -> {
                        switch (m.type) {
                            case "mdhd" -> mdhd(t, m);
                            case "hdlr" -> {
                                fullBox(m, "hdlr", 0);
                                m.body.u32be();
                                t.handler = m.body.fourcc();
                            }
                            case "minf" -> children(m.body, d + 2, "minf", n -> {
                                if (n.type.equals("stbl")) {
                                    t.stbl = true;
                                    children(n.body, d + 3, "stbl", s -> {
                                        table(t, s);
                                    });
                                } else {
                                    other(n);
                                }
                            });
                            default -> other(m);
                        }
                    });
                    default -> other(b);
                }
            });
            finishTrack(t);
        }

        private void tkhd(Track t, Box b) {
            int v = fullBox(b, "tkhd", 1);
            Cursor x = b.body;
            x.skip(v == 1 ? 16 : 8, "'tkhd' times");
            t.id = x.u32be();
            x.skip(4, "'tkhd' reserved");
            x.skip(v == 1 ? 8 : 4, "'tkhd' duration");
            x.skip(8 + 2 + 2 + 2 + 2 + 36, "'tkhd' layer, volume and matrix");
            t.tkhdWidth = x.u32be() >>> 16;
            t.tkhdHeight = x.u32be() >>> 16;
        }

        private void mdhd(Track t, Box b) {
            int v = fullBox(b, "mdhd", 1);
            Cursor x = b.body;
            x.skip(v == 1 ? 16 : 8, "'mdhd' times");
            t.timescale = x.u32be();
            t.duration = Math.max(0, duration(x, v, b));
            if (t.timescale == 0) {
                throw c.invalid("track " + t.number + ": 'mdhd' at offset " + b.at
                        + " has timescale 0, expected above 0");
            }
        }

        /**
         * A 32-bit (version 0) or 64-bit (version 1) duration; all ones means "unknown" (fragmented
         * and live files write it) and gives -1.
         */
        private long duration(Cursor x, int version, Box b) {
            if (version == 0) {
                long d = x.u32be();
                return d == 0xFFFFFFFFL ? -1 : d;
            }
            long hi = x.u32be();
            long lo = x.u32be();
            if (hi == 0xFFFFFFFFL && lo == 0xFFFFFFFFL) {
                return -1;
            }
            if ((hi & 0x80000000L) != 0) {
                throw c.invalid("'" + b.type + "' at offset " + b.at + " has a duration above 2^63");
            }
            return (hi << 32) | lo;
        }

        /** One box of a sample table: the tables are checked for size here, against each other later. */
        private void table(Track t, Box b) {
            String where = "track " + t.number + ": '" + b.type + "' at offset " + b.at;
            switch (b.type) {
                case "stsd" -> stsd(t, b);
                case "stsz" -> {
                    fullBox(b, "stsz", 0);
                    once(t.sizes != null, where);
                    long sampleSize = b.body.u32be();
                    long count = b.body.u32be();
                    limits.checkEntries(fmt, count, where + " (samples)");
                    t.sampleCount = count;
                    t.sizeField = sampleSize == 0 ? 32 : 0;
                    t.constantSize = sampleSize;
                    t.sizes = tableRegion(b, sampleSize == 0 ? count * 4 : 0, where, count + " samples");
                }
                case "stz2" -> {
                    fullBox(b, "stz2", 0);
                    once(t.sizes != null, where);
                    b.body.u24be();
                    int field = b.body.u8();
                    long count = b.body.u32be();
                    if (field != 4 && field != 8 && field != 16) {
                        throw c.invalid(where + " has field size " + field + ", expected 4, 8 or 16");
                    }
                    limits.checkEntries(fmt, count, where + " (samples)");
                    t.sampleCount = count;
                    t.sizeField = field;
                    t.sizes = tableRegion(b, (count * field + 7) / 8, where, count + " samples");
                }
                case "stco", "co64" -> {
                    fullBox(b, b.type, 0);
                    once(t.chunks != null, where);
                    long count = b.body.u32be();
                    limits.checkEntries(fmt, count, where + " (chunks)");
                    t.chunkCount = count;
                    t.chunk64 = b.type.equals("co64");
                    t.chunks = tableRegion(b, count * (t.chunk64 ? 8 : 4), where, count + " chunks");
                }
                case "stsc" -> {
                    fullBox(b, "stsc", 0);
                    once(t.stsc != null, where);
                    long count = b.body.u32be();
                    limits.checkEntries(fmt, count, where);
                    t.stscCount = count;
                    t.stsc = tableRegion(b, count * 12, where, count + " entries");
                }
                case "stts" -> {
                    fullBox(b, "stts", 0);
                    once(t.sttsSamples >= 0, where);
                    long count = b.body.u32be();
                    limits.checkEntries(fmt, count, where);
                    Table stts = new Table(tableRegion(b, count * 8, where, count + " entries"), where);
                    long samples = 0;
                    long ticks = 0;
                    for (long i = 0; i < count; i++) {
                        long n = stts.u32();
                        samples += n;
                        ticks += n * stts.u32(); // sample delta; at most 2^32 x 2^32 per entry, summed in a long that
                        // saturates long before the limits allow so many entries to matter
                        if (ticks < 0) {
                            ticks = Long.MAX_VALUE;
                        }
                    }
                    t.sttsSamples = samples;
                    t.sttsTicks = ticks;
                }
                case "ctts" -> {
                    fullBox(b, "ctts", 1);
                    long count = b.body.u32be();
                    limits.checkEntries(fmt, count, where);
                    tableRegion(b, count * 8, where, count + " entries");
                }
                case "stss" -> {
                    fullBox(b, "stss", 0);
                    long count = b.body.u32be();
                    limits.checkEntries(fmt, count, where);
                    t.stssCount = count;
                    t.stss = tableRegion(b, count * 4, where, count + " entries");
                }
                default -> other(b);
            }
        }

        private void once(boolean seen, String where) {
            if (seen) {
                throw c.invalid(where + " is a second table of its kind in the same 'stbl', expected one");
            }
        }

        /** The {@code length} bytes of a table at the body's position, which must hold them. */
        private Cursor tableRegion(Box b, long length, String where, String what) {
            if (length > b.body.remaining()) {
                throw c.invalid(where + " declares " + what + " (" + length + " bytes), but the box holds "
                        + b.body.remaining() + " after its header");
            }
            return b.body.region(length, where);
        }

        private void stsd(Track t, Box b) {
            String where = "track " + t.number + ": 'stsd' at offset " + b.at;
            fullBox(b, "stsd", 1);
            if (t.stsdCount >= 0) {
                throw c.invalid(where + " is a second 'stsd' in the same 'stbl', expected one");
            }
            long count = b.body.u32be();
            limits.checkEntries(fmt, count, where);
            for (long i = 0; i < count; i++) {
                if (b.body.remaining() < 8) {
                    throw c.invalid(where + " declares " + count + " sample entries, but only " + i
                            + " fit in the box (it ends at offset " + b.body.end() + ")");
                }
                Box e = next(b.body, b.depth + 1, false);
                if (i == 0) {
                    sampleEntry(t, e);
                }
            }
            t.stsdCount = count;
        }

        private void sampleEntry(Track t, Box e) {
            Cursor x = e.body;
            String where = "track " + t.number + ": sample entry '" + printableType(e.type) + "' at offset " + e.at;
            if ("vide".equals(t.handler)) {
                if (x.remaining() < 78) {
                    throw c.invalid(where + " is " + e.size + " bytes, expected at least 86 for a visual sample entry");
                }
                x.skip(24, "visual sample entry");
                t.entryWidth = x.u16be();
                t.entryHeight = x.u16be();
                x.skip(50, "visual sample entry");
                if (e.type.equals("mp4v") || e.type.equals("encv")) {
                    entryChildren(x, e.depth, e.type);
                }
            } else if ("soun".equals(t.handler)) {
                if (x.remaining() < 28) {
                    throw c.invalid(where + " is " + e.size + " bytes, expected at least 36 for an audio sample entry");
                }
                x.skip(8, "audio sample entry");
                int version = x.u16be(); // QuickTime's sound description version; reserved 0 in ISO
                x.skip(18, "audio sample entry");
                if (e.type.equals("mp4a") || e.type.equals("enca")) {
                    if (version == 1) {
                        x.skip(16, "QuickTime sound description v1");
                    } else if (version == 2) {
                        x.skip(36, "QuickTime sound description v2");
                    }
                    entryChildren(x, e.depth, e.type);
                }
            }
        }

        /** The boxes inside an MPEG-4 sample entry, looking for its 'esds' (also inside QuickTime's 'wave'). */
        private void entryChildren(Cursor x, int depth, String parentType) {
            children(x, depth + 1, parentType, ch -> {
                if (ch.type.equals("esds")) {
                    fullBox(ch, "esds", 0);
                    descriptors(ch.body, 1, ch);
                } else if (ch.type.equals("wave")) {
                    entryChildren(ch.body, ch.depth, "wave");
                } else {
                    other(ch);
                }
            });
        }

        /** MPEG-4 descriptors (ISO/IEC 14496-1): tag, a length of 1-4 bytes of 7 bits, then the body. */
        private void descriptors(Cursor x, int level, Box esds) {
            if (level > MAX_DESCRIPTOR_DEPTH) {
                throw c.invalid("'esds' at offset " + esds.at + ": descriptors nested " + level
                        + " deep, expected at most " + MAX_DESCRIPTOR_DEPTH);
            }
            int count = 0;
            while (x.hasRemaining()) {
                if (++count > 256) {
                    throw c.invalid("'esds' at offset " + esds.at + ": more than 256 descriptors in one level");
                }
                long at = x.position();
                int tag = x.u8();
                long length = 0;
                int b;
                int n = 0;
                do {
                    if (!x.hasRemaining()) {
                        throw c.invalid("'esds' at offset " + esds.at + ": descriptor tag 0x" + hex(tag) + " at offset "
                                + at + " has a length running past the box");
                    }
                    b = x.u8();
                    length = (length << 7) | (b & 0x7F);
                    n++;
                } while ((b & 0x80) != 0 && n < 4);
                if ((b & 0x80) != 0) {
                    throw c.invalid("'esds' at offset " + esds.at + ": descriptor tag 0x" + hex(tag) + " at offset "
                            + at + " has a length of more than 4 bytes");
                }
                if (length > x.remaining()) {
                    throw c.invalid("'esds' at offset " + esds.at + ": descriptor tag 0x" + hex(tag) + " at offset "
                            + at + " declares " + length + " bytes, but only " + x.remaining()
                            + " remain in its enclosing descriptor or box (length past the box)");
                }
                Cursor d = x.region(length, "descriptor tag 0x" + hex(tag));
                x.skip(length, "descriptor");
                if (tag == 0x03) { // ES_Descriptor
                    d.u16be();
                    int flags = d.u8();
                    if ((flags & 0x80) != 0) {
                        d.u16be();
                    }
                    if ((flags & 0x40) != 0) {
                        d.skip(d.u8(), "ES_Descriptor URL");
                    }
                    if ((flags & 0x20) != 0) {
                        d.u16be();
                    }
                    descriptors(d, level + 1, esds);
                } else if (tag == 0x04) { // DecoderConfigDescriptor
                    d.skip(13, "DecoderConfigDescriptor");
                    descriptors(d, level + 1, esds);
                }
            }
        }

        private void trex(Box b) {
            fullBox(b, "trex", 0);
            long id = b.body.u32be();
            b.body.u32be();
            long duration = b.body.u32be();
            long size = b.body.u32be();
            pendingTrex.put(id, new long[] {duration, size});
        }

        /** 'trex' may come before the 'trak's it describes (mvex sits anywhere in moov). */
        private final Map<Long, long[]> pendingTrex = new HashMap<>();

        private void finishTrack(Track t) {
            String tr = "track " + t.number + " (at offset " + t.at + ")";
            if (t.timescale == 0) {
                throw c.invalid(tr + " has no 'mdhd', expected one in 'mdia'");
            }
            if (!t.stbl || t.stsdCount < 0) {
                throw c.invalid(tr + " has no sample table ('stbl' with 'stsd')");
            }
            if (t.stsdCount < 1) {
                throw c.invalid(tr + ": 'stsd' has 0 sample entries, expected at least 1");
            }
            if (t.sizes == null) {
                throw c.invalid(tr + " has no 'stsz' or 'stz2'");
            }
            if (t.chunks == null) {
                throw c.invalid(tr + " has no 'stco' or 'co64'");
            }
            if (t.stsc == null) {
                throw c.invalid(tr + " has no 'stsc'");
            }
            if (t.sttsSamples < 0) {
                throw c.invalid(tr + " has no 'stts'");
            }
            if (t.sttsSamples != t.sampleCount) {
                throw c.invalid(tr + ": 'stts' accounts for " + t.sttsSamples + " samples, but 'stsz' declares "
                        + t.sampleCount);
            }
            checkStss(t, tr);
            checkChunks(t, tr);
        }

        private void checkStss(Track t, String tr) {
            if (t.stss == null) {
                return;
            }
            Table stss = new Table(t.stss.region(t.stss.remaining(), "stss"), "stss");
            long previous = 0;
            for (long i = 0; i < t.stssCount; i++) {
                long s = stss.u32();
                if (s <= previous || s > t.sampleCount) {
                    throw c.invalid(tr + ": 'stss' entry " + (i + 1) + " is sample " + s + ", expected "
                            + (previous + 1) + ".." + t.sampleCount + " (increasing, within the samples)");
                }
                previous = s;
            }
        }

        /**
         * Walks {@code stsc} over the chunks of {@code stco}/{@code co64}, taking each chunk's
         * samples' sizes from {@code stsz}/{@code stz2}: the chunks must hold exactly the samples
         * {@code stsz} declares, and every chunk's samples must end inside the file. One pass, no
         * allocation per sample.
         */
        private void checkChunks(Track t, String tr) {
            Table stsc = new Table(t.stsc.region(t.stsc.remaining(), "stsc"), "stsc");
            Table chunks = new Table(t.chunks.region(t.chunks.remaining(), "chunk offsets"), "chunk offsets");
            Table sizes = new Table(t.sizes.region(t.sizes.remaining(), "sample sizes"), "sample sizes");
            long samplesLeft = t.sampleCount;
            long sample = 1;
            long[] e = new long[3];
            long entry = 0;
            long perChunk = 0;
            long nextFirst = Long.MAX_VALUE;
            long nextPerChunk = 0;
            if (t.stscCount > 0) {
                stscEntry(stsc, t, tr, ++entry, 0, e);
                if (e[0] != 1) {
                    throw c.invalid(tr + ": 'stsc' entry 1 starts at chunk " + e[0] + ", expected chunk 1");
                }
                perChunk = e[1];
                if (entry < t.stscCount) {
                    stscEntry(stsc, t, tr, ++entry, e[0], e);
                    nextFirst = e[0];
                    nextPerChunk = e[1];
                }
            } else if (t.chunkCount > 0) {
                throw c.invalid(tr + " has " + t.chunkCount + " chunks but 'stsc' has no entries");
            }
            for (long chunk = 1; chunk <= t.chunkCount; chunk++) {
                if (chunk == nextFirst) {
                    perChunk = nextPerChunk;
                    nextFirst = Long.MAX_VALUE;
                    if (entry < t.stscCount) {
                        stscEntry(stsc, t, tr, ++entry, e[0], e);
                        nextFirst = e[0];
                        nextPerChunk = e[1];
                    }
                }
                long offset = t.chunk64 ? chunks.u64() : chunks.u32();
                if (perChunk > samplesLeft) {
                    throw c.invalid(tr + ": 'stsc' puts " + perChunk + " samples in chunk " + chunk + ", but only "
                            + samplesLeft + " of the " + t.sampleCount + " samples 'stsz' declares are left");
                }
                long bytes;
                if (t.sizeField == 0) {
                    if (t.constantSize != 0 && perChunk > Long.MAX_VALUE / t.constantSize) {
                        bytes = Long.MAX_VALUE;
                    } else {
                        bytes = perChunk * t.constantSize;
                    }
                } else {
                    bytes = 0;
                    for (long i = 0; i < perChunk; i++) {
                        bytes += sizes.size(t.sizeField);
                    }
                }
                if (offset > fileSize || bytes > fileSize - offset) {
                    throw c.invalid(tr + ": chunk " + chunk + " at file offset " + offset + " holds samples "
                            + sample + ".." + (sample + perChunk - 1) + " of " + bytes + " bytes, past the end of the file at "
                            + fileSize + " (sample offset past EOF)");
                }
                samplesLeft -= perChunk;
                sample += perChunk;
            }
            // the fields of any entries past the last chunk must still be sane
            while (entry < t.stscCount) {
                stscEntry(stsc, t, tr, ++entry, e[0], e);
            }
            if (samplesLeft != 0) {
                throw c.invalid(tr + ": the " + t.chunkCount + " chunks of 'stsc' hold " + (t.sampleCount - samplesLeft)
                        + " samples, but 'stsz' declares " + t.sampleCount);
            }
        }

        private void stscEntry(Table stsc, Track t, String tr, long n, long previousFirst, long[] out) {
            long first = stsc.u32();
            long perChunk = stsc.u32();
            long description = stsc.u32();
            if (first <= previousFirst) {
                throw c.invalid(tr + ": 'stsc' entry " + n + " starts at chunk " + first + ", expected above "
                        + previousFirst + " (increasing)");
            }
            if (perChunk == 0) {
                throw c.invalid(tr + ": 'stsc' entry " + n + " has 0 samples per chunk, expected at least 1");
            }
            if (description < 1 || description > t.stsdCount) {
                throw c.invalid(tr + ": 'stsc' entry " + n + " uses sample description " + description + ", expected 1.."
                        + t.stsdCount + " ('stsd' entries)");
            }
            out[0] = first;
            out[1] = perChunk;
            out[2] = description;
        }

        private void finishMovie(boolean primary) {
            if (movieTimescale == 0) {
                throw c.invalid("'moov' has no 'mvhd', expected one");
            }
            double seconds = 0;
            if (movieDuration > 0) {
                seconds = movieDuration / (double) movieTimescale;
            }
            if (fragmentDuration > 0) {
                seconds = Math.max(seconds, fragmentDuration / (double) movieTimescale);
            }
            Track video = null;
            for (Track t : tracks) {
                if ("pict".equals(t.handler)) {
                    sequenceFrames = Math.max(sequenceFrames, t.sampleCount + t.fragmentSamples);
                }
                double d = (t.duration + (double) t.fragmentDuration) / t.timescale;
                seconds = Math.max(seconds, d);
                if (video == null && "vide".equals(t.handler)) {
                    video = t;
                }
            }
            report.duration(seconds).tracks(tracks.size());
            if (primary && video != null) {
                // the sample entry holds the stored (coded) size; tkhd the presentation size, which
                // differs for non-square pixels
                long w = video.entryWidth;
                long h = video.entryHeight;
                if (w == 0 || h == 0) {
                    w = video.tkhdWidth;
                    h = video.tkhdHeight;
                }
                if (w > 0 && h > 0) {
                    report.dimensions(w, h);
                }
                // the average rate over the sample durations themselves: mdhd's duration may include
                // an edit's delay. One frame, or frames lasting 0 s, cannot be judged.
                long samples = video.sampleCount + video.fragmentSamples;
                double videoSeconds = (video.sttsTicks + (double) video.fragmentDuration) / video.timescale;
                if (samples > 1 && videoSeconds > 0) {
                    report.frameRate(samples / videoSeconds);
                }
            }
        }

        // --- fragments ----------------------------------------------------------------------------

        private void moof(Box moof) {
            children(moof.body, moof.depth + 1, "moof", b -> {
                if (b.type.equals("traf")) {
                    traf(moof, b);
                } else {
                    other(b);
                }
            });
        }

        private void traf(Box moof, Box traf) {
            Track[] track = new Track[1];
            long[] defaults = new long[3]; // base offset, duration, size
            boolean[] tfhd = new boolean[1];
            children(traf.body, traf.depth + 1, "traf", b -> {
                if (b.type.equals("tfhd")) {
                    tfhd[0] = true;
                    fullBox(b, "tfhd", 0);
                    long id = b.body.u32be();
                    for (Track t : tracks) {
                        if (t.id == id) {
                            track[0] = t;
                        }
                    }
                    if (track[0] == null) {
                        throw c.invalid("'tfhd' at offset " + b.at + " is for track ID " + id
                                + ", which has no 'trak' in 'moov'");
                    }
                    long[] trex = pendingTrex.get(id);
                    defaults[0] = (flags & 0x01) != 0 ? b.body.u64be() : moof.at;
                    if ((flags & 0x02) != 0) {
                        b.body.u32be();
                    }
                    defaults[1] = (flags & 0x08) != 0 ? b.body.u32be() : trex == null ? 0 : trex[0];
                    defaults[2] = (flags & 0x10) != 0 ? b.body.u32be() : trex == null ? 0 : trex[1];
                } else if (b.type.equals("trun")) {
                    if (!tfhd[0]) {
                        throw c.invalid("'trun' at offset " + b.at + " comes before its 'tfhd'");
                    }
                    trun(b, track[0], defaults);
                } else {
                    other(b);
                }
            });
        }

        private void trun(Box b, Track t, long[] defaults) {
            String where = "'trun' at offset " + b.at;
            fullBox(b, "trun", 1);
            long flags = this.flags;
            Cursor x = b.body;
            long count = x.u32be();
            limits.checkEntries(fmt, count, where + " (samples)");
            fragmentSamples += count;
            limits.checkEntries(fmt, fragmentSamples, "the fragments' 'trun' boxes together (samples)");
            Long dataOffset = null;
            if ((flags & 0x01) != 0) {
                dataOffset = (long) (int) x.u32be();
            }
            if ((flags & 0x04) != 0) {
                x.u32be();
            }
            int perSample = ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0)
                    + ((flags & 0x400) != 0 ? 4 : 0) + ((flags & 0x800) != 0 ? 4 : 0);
            if (count * perSample > x.remaining()) {
                throw c.invalid(where + " declares " + count + " samples of " + perSample + " bytes, but the box holds "
                        + x.remaining() + " after its header");
            }
            long duration = 0;
            long bytes = 0;
            if (perSample == 0) {
                duration = saturatingMultiply(count, defaults[1]);
                bytes = saturatingMultiply(count, defaults[2]);
            } else {
                Table s = new Table(x.region(count * perSample, where), where);
                for (long i = 0; i < count; i++) {
                    duration += (flags & 0x100) != 0 ? s.u32() : defaults[1];
                    bytes += (flags & 0x200) != 0 ? s.u32() : defaults[2];
                    if ((flags & 0x400) != 0) {
                        s.u32();
                    }
                    if ((flags & 0x800) != 0) {
                        s.u32();
                    }
                }
            }
            t.fragmentDuration = saturatingAdd(t.fragmentDuration, duration);
            t.fragmentSamples += count;
            if (dataOffset != null) {
                long start = defaults[0] > fileSize ? Long.MAX_VALUE : defaults[0] + dataOffset;
                if (start < 0 || start > fileSize || bytes > fileSize - start) {
                    throw c.invalid(where + ": its " + count + " samples (" + bytes + " bytes) start at file offset " + start
                            + ", past the end of the file at " + fileSize + " (sample offset past EOF)");
                }
            }
        }

        // --- image ------------------------------------------------------------------------------

        /** The top-level 'meta': read by the one HEIF item reader, which the decoder uses too. */
        private void topMeta(Box meta) {
            long length = meta.body.remaining();
            if (length > HeifMetaReader.MAX_META_BYTES) {
                throw c.invalid("'meta' at offset " + meta.at + " is " + length + " bytes, expected at most "
                        + HeifMetaReader.MAX_META_BYTES);
            }
            byte[] body = meta.body.bytes((int) length, (int) HeifMetaReader.MAX_META_BYTES, "the 'meta' box");
            try {
                image = HeifMetaReader.read(ByteBuffer.wrap(body), meta.body.start(), meta.at, fileSize);
            } catch (IsoBmffException e) {
                throw rejected(e);
            }
            image.warnings().forEach(this::warn);
        }

        /** The primary picture, checked as the decoder will build it; the report has its stored size. */
        private void finishImage() {
            HeifPicture picture;
            try {
                picture = HeifPicture.of(image, (offset, length) -> {
                    c.seek(offset);
                    return c.bytes(length, length, "item data at offset " + offset);
                }, limits.maxPixels());
            } catch (IsoBmffException e) {
                throw rejected(e);
            }
            report.dimensions(picture.width(), picture.height()).frames(1);
        }

        private MediaRejectedException rejected(IsoBmffException e) {
            return switch (e.kind()) {
                case INVALID -> c.invalid(e.describe());
                case TRUNCATED -> c.truncated(e.describe());
                case PIXELS -> new MediaRejectedException(ReasonCode.PIXEL_LIMIT, fmt + ": " + e.describe(), e);
            };
        }

        // --- helpers ----------------------------------------------------------------------------

        private int warnings;

        /** A soft finding; a hostile file could make one per box, so only the first few are kept. */
        private void warn(String message) {
            if (++warnings <= MAX_WARNINGS) {
                report.warn(ReasonCode.STRUCTURE_INVALID, fmt + ": " + message);
            }
        }

        /** Reads a full box's version and flags; a version above {@code maxVersion} is invalid. */
        private int fullBox(Box b, String what, int maxVersion) {
            long vf = b.body.u32be();
            flags = vf & 0xFFFFFF;
            int v = (int) (vf >>> 24);
            if (v > maxVersion) {
                throw c.invalid("'" + what + "' at offset " + b.at + " has version " + v + ", expected 0.."
                        + maxVersion);
            }
            return v;
        }

        /** The flags of the full box read last. */
        private long flags;

        private String fourccAt(long at) {
            char[] ch = new char[4];
            for (int i = 0; i < 4; i++) {
                int v = c.peek(at + i);
                ch[i] = (char) (v < 0 ? 0 : v);
            }
            return new String(ch);
        }
    }

    /** What one track declares. */
    private static final class Track {
        final int number;
        final long at;
        long id = -1;
        String handler;
        long tkhdWidth;
        long tkhdHeight;
        long timescale;
        long duration;
        long fragmentDuration;
        long fragmentSamples;
        boolean stbl;
        long stsdCount = -1;
        long entryWidth;
        long entryHeight;
        Cursor sizes;
        int sizeField;
        long constantSize;
        long sampleCount;
        Cursor chunks;
        boolean chunk64;
        long chunkCount;
        Cursor stsc;
        long stscCount;
        long sttsSamples = -1;
        /** Sum of the sample durations in 'stts', in the track's timescale. */
        long sttsTicks;
        Cursor stss;
        long stssCount;

        Track(int number, long at) {
            this.number = number;
            this.at = at;
        }
    }

    /** Reads a table's entries in blocks through the cursor: no allocation per entry. */
    private static final class Table {
        private static final int BLOCK = 16 * 1024;
        private final Cursor region;
        private final String what;
        private byte[] buf = new byte[0];
        private int pos;
        private int nibble = -1;

        Table(Cursor region, String what) {
            this.region = region;
            this.what = what;
        }

        int u8() {
            if (pos == buf.length) {
                buf = region.bytes((int) Math.min(BLOCK, region.remaining()), BLOCK, what);
                pos = 0;
                if (buf.length == 0) {
                    throw region.invalid(what + " ends early at offset " + region.position());
                }
            }
            return buf[pos++] & 0xFF;
        }

        long u32() {
            return ((long) u8() << 24) | ((long) u8() << 16) | ((long) u8() << 8) | u8();
        }

        long u64() {
            long hi = u32();
            long lo = u32();
            if ((hi & 0x80000000L) != 0) {
                throw region.invalid(what + ": a 64-bit offset is larger than 2^63");
            }
            return (hi << 32) | lo;
        }

        long size(int field) {
            switch (field) {
                case 32:
                    return u32();
                case 16:
                    return (u8() << 8) | u8();
                case 8:
                    return u8();
                default:
                    if (nibble >= 0) {
                        int v = nibble & 0xF;
                        nibble = -1;
                        return v;
                    }
                    int b = u8();
                    nibble = b;
                    return b >>> 4;
            }
        }
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    static long saturatingMultiply(long a, long b) {
        if (a != 0 && b > Long.MAX_VALUE / a) {
            return Long.MAX_VALUE;
        }
        return a * b;
    }

    static boolean printable(String type) {
        for (int i = 0; i < type.length(); i++) {
            char ch = type.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                return false;
            }
        }
        return true;
    }

    static String printableType(String type) {
        StringBuilder sb = new StringBuilder();
        for (char ch : type.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }

    static String hex(int v) {
        return String.format("%02X", v);
    }

}
