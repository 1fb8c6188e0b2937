package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.internal.parsers.IsoBmffBoxes.Box;

/**
 * A track's sample table ({@code stbl}): each table's size checked as it is read ({@code stsd} with
 * its first sample entry and that entry's {@code esds} descriptors, {@code stsz}/{@code stz2},
 * {@code stco}/{@code co64}, {@code stsc}, {@code stts}, {@code ctts}, {@code stss}), then, when the
 * track ends, the tables against each other: {@code stts} against {@code stsz}, {@code stss} within
 * the samples, and {@code stsc} over the chunks against {@code stsz} and every chunk's samples
 * against the end of the file, in one pass.
 */
final class IsoBmffSampleTables {
    /** MPEG-4 descriptors nest ES > DecoderConfig > DecoderSpecificInfo: a few levels. */
    static final int MAX_DESCRIPTOR_DEPTH = 8;

    private final IsoBmffBoxes boxes;
    private final Cursor c;
    private final Limits limits;
    private final String fmt;
    private final long fileSize;

    IsoBmffSampleTables(IsoBmffBoxes boxes) {
        this.boxes = boxes;
        this.c = boxes.c;
        this.limits = boxes.limits;
        this.fmt = boxes.fmt;
        this.fileSize = boxes.fileSize;
    }

    /** One box of a sample table: the tables are checked for size here, against each other later. */
    void table(IsoBmffTrack t, Box b) {
        String where = "track " + t.number + ": '" + b.type() + "' at offset " + b.at();
        switch (b.type()) {
            case "stsd" -> stsd(t, b);
            case "stsz" -> {
                boxes.fullBox(b, "stsz", 0);
                once(t.sizes != null, where);
                long sampleSize = b.body().u32be();
                long count = b.body().u32be();
                limits.checkEntries(fmt, count, where + " (samples)");
                t.sampleCount = count;
                t.sizeField = sampleSize == 0 ? 32 : 0;
                t.constantSize = sampleSize;
                t.sizes = tableRegion(b, sampleSize == 0 ? count * 4 : 0, where, count + " samples");
            }
            case "stz2" -> {
                boxes.fullBox(b, "stz2", 0);
                once(t.sizes != null, where);
                b.body().u24be();
                int field = b.body().u8();
                long count = b.body().u32be();
                if (field != 4 && field != 8 && field != 16) {
                    throw c.invalid(where + " has field size " + field + ", expected 4, 8 or 16");
                }
                limits.checkEntries(fmt, count, where + " (samples)");
                t.sampleCount = count;
                t.sizeField = field;
                t.sizes = tableRegion(b, (count * field + 7) / 8, where, count + " samples");
            }
            case "stco", "co64" -> {
                boxes.fullBox(b, b.type(), 0);
                once(t.chunks != null, where);
                long count = b.body().u32be();
                limits.checkEntries(fmt, count, where + " (chunks)");
                t.chunkCount = count;
                t.chunk64 = b.type().equals("co64");
                t.chunks = tableRegion(b, count * (t.chunk64 ? 8 : 4), where, count + " chunks");
            }
            case "stsc" -> {
                boxes.fullBox(b, "stsc", 0);
                once(t.stsc != null, where);
                long count = b.body().u32be();
                limits.checkEntries(fmt, count, where);
                t.stscCount = count;
                t.stsc = tableRegion(b, count * 12, where, count + " entries");
            }
            case "stts" -> {
                boxes.fullBox(b, "stts", 0);
                once(t.sttsSamples >= 0, where);
                long count = b.body().u32be();
                limits.checkEntries(fmt, count, where);
                IsoBmffTable stts = new IsoBmffTable(tableRegion(b, count * 8, where, count + " entries"), where);
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
                boxes.fullBox(b, "ctts", 1);
                long count = b.body().u32be();
                limits.checkEntries(fmt, count, where);
                tableRegion(b, count * 8, where, count + " entries");
            }
            case "stss" -> {
                boxes.fullBox(b, "stss", 0);
                long count = b.body().u32be();
                limits.checkEntries(fmt, count, where);
                t.stssCount = count;
                t.stss = tableRegion(b, count * 4, where, count + " entries");
            }
            default -> boxes.other(b);
        }
    }

    private void once(boolean seen, String where) {
        if (seen) {
            throw c.invalid(where + " is a second table of its kind in the same 'stbl', expected one");
        }
    }

    /** The {@code length} bytes of a table at the body's position, which must hold them. */
    private Cursor tableRegion(Box b, long length, String where, String what) {
        if (length > b.body().remaining()) {
            throw c.invalid(where + " declares " + what + " (" + length + " bytes), but the box holds "
                    + b.body().remaining() + " after its header");
        }
        return b.body().region(length, where);
    }

    private void stsd(IsoBmffTrack t, Box b) {
        String where = "track " + t.number + ": 'stsd' at offset " + b.at();
        boxes.fullBox(b, "stsd", 1);
        if (t.stsdCount >= 0) {
            throw c.invalid(where + " is a second 'stsd' in the same 'stbl', expected one");
        }
        long count = b.body().u32be();
        limits.checkEntries(fmt, count, where);
        for (long i = 0; i < count; i++) {
            if (b.body().remaining() < 8) {
                throw c.invalid(where + " declares " + count + " sample entries, but only " + i
                        + " fit in the box (it ends at offset " + b.body().end() + ")");
            }
            Box e = boxes.next(b.body(), b.depth() + 1, false);
            if (i == 0) {
                sampleEntry(t, e);
            }
        }
        t.stsdCount = count;
    }

    private void sampleEntry(IsoBmffTrack t, Box e) {
        Cursor x = e.body();
        String where = "track " + t.number + ": sample entry '" + IsoBmffBoxes.printableType(e.type()) + "' at offset " + e.at();
        if ("vide".equals(t.handler)) {
            if (x.remaining() < 78) {
                throw c.invalid(where + " is " + e.size() + " bytes, expected at least 86 for a visual sample entry");
            }
            x.skip(24, "visual sample entry");
            t.entryWidth = x.u16be();
            t.entryHeight = x.u16be();
            x.skip(50, "visual sample entry");
            if (e.type().equals("mp4v") || e.type().equals("encv")) {
                entryChildren(x, e.depth(), e.type());
            }
        } else if ("soun".equals(t.handler)) {
            if (x.remaining() < 28) {
                throw c.invalid(where + " is " + e.size() + " bytes, expected at least 36 for an audio sample entry");
            }
            x.skip(8, "audio sample entry");
            int version = x.u16be(); // QuickTime's sound description version; reserved 0 in ISO
            x.skip(18, "audio sample entry");
            if (e.type().equals("mp4a") || e.type().equals("enca")) {
                if (version == 1) {
                    x.skip(16, "QuickTime sound description v1");
                } else if (version == 2) {
                    x.skip(36, "QuickTime sound description v2");
                }
                entryChildren(x, e.depth(), e.type());
            }
        }
    }

    /** The boxes inside an MPEG-4 sample entry, looking for its 'esds' (also inside QuickTime's 'wave'). */
    private void entryChildren(Cursor x, int depth, String parentType) {
        boxes.children(x, depth + 1, parentType, ch -> {
            if (ch.type().equals("esds")) {
                boxes.fullBox(ch, "esds", 0);
                descriptors(ch.body(), 1, ch);
            } else if (ch.type().equals("wave")) {
                entryChildren(ch.body(), ch.depth(), "wave");
            } else {
                boxes.other(ch);
            }
        });
    }

    /** MPEG-4 descriptors (ISO/IEC 14496-1): tag, a length of 1-4 bytes of 7 bits, then the body. */
    private void descriptors(Cursor x, int level, Box esds) {
        if (level > MAX_DESCRIPTOR_DEPTH) {
            throw c.invalid("'esds' at offset " + esds.at() + ": descriptors nested " + level
                    + " deep, expected at most " + MAX_DESCRIPTOR_DEPTH);
        }
        int count = 0;
        while (x.hasRemaining()) {
            if (++count > 256) {
                throw c.invalid("'esds' at offset " + esds.at() + ": more than 256 descriptors in one level");
            }
            long at = x.position();
            int tag = x.u8();
            long length = 0;
            int b;
            int n = 0;
            do {
                if (!x.hasRemaining()) {
                    throw c.invalid("'esds' at offset " + esds.at() + ": descriptor tag 0x" + hex(tag) + " at offset "
                            + at + " has a length running past the box");
                }
                b = x.u8();
                length = (length << 7) | (b & 0x7F);
                n++;
            } while ((b & 0x80) != 0 && n < 4);
            if ((b & 0x80) != 0) {
                throw c.invalid("'esds' at offset " + esds.at() + ": descriptor tag 0x" + hex(tag) + " at offset "
                        + at + " has a length of more than 4 bytes");
            }
            if (length > x.remaining()) {
                throw c.invalid("'esds' at offset " + esds.at() + ": descriptor tag 0x" + hex(tag) + " at offset "
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
    void finishTrack(IsoBmffTrack t) {
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

    private void checkStss(IsoBmffTrack t, String tr) {
        if (t.stss == null) {
            return;
        }
        IsoBmffTable stss = new IsoBmffTable(t.stss.region(t.stss.remaining(), "stss"), "stss");
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
    private void checkChunks(IsoBmffTrack t, String tr) {
        IsoBmffTable stsc = new IsoBmffTable(t.stsc.region(t.stsc.remaining(), "stsc"), "stsc");
        IsoBmffTable chunks = new IsoBmffTable(t.chunks.region(t.chunks.remaining(), "chunk offsets"), "chunk offsets");
        IsoBmffTable sizes = new IsoBmffTable(t.sizes.region(t.sizes.remaining(), "sample sizes"), "sample sizes");
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

    private void stscEntry(IsoBmffTable stsc, IsoBmffTrack t, String tr, long n, long previousFirst, long[] out) {
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

    static String hex(int v) {
        return String.format("%02X", v);
    }
}
