package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * FLAC: "fLaC", metadata blocks (STREAMINFO first and exactly 34 bytes, then types 1..6, each
 * inside the file, the last one flagged), then the first frame header right after them. STREAMINFO
 * gives the duration. PICTURE blocks have their MIME type, description and data inside the block;
 * a broken SEEKTABLE or VORBIS_COMMENT is only a warning. Frames are not walked: FLAC frames carry no
 * length, and the stream simply runs to the end of the file, so there is no logical end (-1).
 */
public final class FlacParser implements FormatParser {
    static final int MAX_BLOCKS = 10_000;
    static final int MAX_MIME = 256;

    private static final int STREAMINFO = 0;
    private static final int SEEKTABLE = 3;
    private static final int VORBIS_COMMENT = 4;
    private static final int PICTURE = 6;

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        if (!c.fourcc().equals("fLaC")) {
            throw c.invalid("expected 'fLaC' at offset 0");
        }
        StructureReport.Builder report = StructureReport.builder().tracks(1).logicalEnd(-1);
        boolean last = false;
        int blocks = 0;
        while (!last) {
            long at = c.position();
            if (++blocks > MAX_BLOCKS) {
                throw c.invalid("more than " + MAX_BLOCKS + " metadata blocks by offset " + at);
            }
            if (!c.hasRemaining()) {
                throw c.truncated("the file ends at offset " + at + " before the last metadata block");
            }
            int header = c.u8();
            last = (header & 0x80) != 0;
            int type = header & 0x7F;
            long length = c.u24be();
            String what = "metadata block " + (blocks - 1) + " (type " + type + ") at offset " + at;
            if (type > PICTURE) {
                throw c.invalid(what + " has type " + type + ", expected 0..6");
            }
            if (blocks == 1 && type != STREAMINFO) {
                throw c.invalid(what + " comes first, expected STREAMINFO (type 0) first");
            }
            if (blocks > 1 && type == STREAMINFO) {
                throw c.invalid(what + " is a second STREAMINFO, expected one");
            }
            Cursor block = c.region(length, what);
            if (type == STREAMINFO) {
                streamInfo(block, length, what, report);
            } else if (type == PICTURE) {
                picture(block, what);
            } else if (type == SEEKTABLE && length % 18 != 0) {
                report.warn(ReasonCode.STRUCTURE_INVALID, "FLAC: " + what + " is a SEEKTABLE of " + length
                        + " bytes, expected a multiple of 18; ignored");
            } else if (type == VORBIS_COMMENT) {
                vorbisComment(block, what, report);
            }
            c.skip(length, what);
        }
        frameHeader(c);
        return report.build();
    }

    /** STREAMINFO: block and frame sizes, sample rate, bits, total samples (the duration). */
    private static void streamInfo(Cursor b, long length, String what, StructureReport.Builder report) {
        if (length != 34) {
            throw b.invalid(what + " is a STREAMINFO of " + length + " bytes, expected 34");
        }
        int minBlock = b.u16be();
        int maxBlock = b.u16be();
        long minFrame = b.u24be();
        long maxFrame = b.u24be();
        long packed = (b.u32be() << 32) | b.u32be(); // 20 bits rate, 3 channels-1, 5 bits-1, 36 total samples
        long rate = packed >>> 44;
        int bits = (int) ((packed >>> 36) & 31) + 1;
        long total = packed & 0xFFFFFFFFFL;
        if (minBlock < 16 || maxBlock < 16 || minBlock > maxBlock) {
            throw b.invalid(what + " has block sizes " + minBlock + ".." + maxBlock + ", expected 16 <= min <= max");
        }
        if (minFrame != 0 && maxFrame != 0 && minFrame > maxFrame) {
            throw b.invalid(what + " has frame sizes " + minFrame + ".." + maxFrame + ", expected min <= max");
        }
        if (rate == 0) {
            throw b.invalid(what + " has sample rate 0, expected above 0");
        }
        if (bits < 4) {
            throw b.invalid(what + " has " + bits + " bits per sample, expected 4..32");
        }
        if (total > 0) {
            report.duration(total / (double) rate);
        }
    }

    private static void picture(Cursor b, String what) {
        b.skip(4, "PICTURE type");
        long mime = b.u32be();
        if (mime > MAX_MIME || mime > b.remaining()) {
            throw b.invalid(what + " has a PICTURE MIME type of " + mime + " bytes, expected at most "
                    + Math.min(MAX_MIME, b.remaining()) + " (inside the block)");
        }
        b.skip(mime, "PICTURE MIME type");
        long description = b.u32be();
        if (description > b.remaining()) {
            throw b.invalid(what + " has a PICTURE description of " + description + " bytes, but only "
                    + b.remaining() + " remain in the block");
        }
        b.skip(description, "PICTURE description");
        b.require(16, what + " PICTURE dimensions");
        b.skip(16, "PICTURE width, height, depth, colours");
        long data = b.u32be();
        if (data > b.remaining()) {
            throw b.invalid(what + " has PICTURE data of " + data + " bytes, but only " + b.remaining()
                    + " remain in the block");
        }
    }

    private static void vorbisComment(Cursor b, String what, StructureReport.Builder report) {
        long vendor = b.remaining() >= 4 ? b.u32le() : -1;
        if (vendor < 0 || vendor > b.remaining()) {
            report.warn(ReasonCode.STRUCTURE_INVALID, "FLAC: " + what + " has a VORBIS_COMMENT vendor string of "
                    + vendor + " bytes, more than the block holds; ignored");
            return;
        }
        b.skip(vendor, "vendor string");
        long count = b.remaining() >= 4 ? b.u32le() : -1;
        if (count < 0 || count > b.remaining() / 4) {
            report.warn(ReasonCode.STRUCTURE_INVALID, "FLAC: " + what + " declares " + count
                    + " comments, more than the block holds; ignored");
            return;
        }
        for (long i = 0; i < count; i++) {
            long len = b.remaining() >= 4 ? b.u32le() : -1;
            if (len < 0 || len > b.remaining()) {
                report.warn(ReasonCode.STRUCTURE_INVALID, "FLAC: " + what + " comment " + i + " declares " + len
                        + " bytes, more than the block holds; ignored");
                return;
            }
            b.skip(len, "comment");
        }
    }

    /** The first frame's header: sync 0xFFF8/0xFFF9 and no reserved codes. */
    private static void frameHeader(Cursor c) {
        long at = c.position();
        if (c.remaining() < 4) {
            throw c.truncated("the file ends at offset " + c.sourceSize() + ", expected a frame header at offset " + at);
        }
        int sync = c.u16be();
        int b2 = c.u8();
        int b3 = c.u8();
        if (sync != 0xFFF8 && sync != 0xFFF9) {
            throw c.invalid(String.format("first frame at offset %d starts 0x%04X, expected the sync 0xFFF8 or 0xFFF9",
                    at, sync));
        }
        int blockCode = b2 >> 4;
        int rateCode = b2 & 15;
        int channelCode = b3 >> 4;
        int sizeCode = (b3 >> 1) & 7;
        if (blockCode == 0 || rateCode == 15 || channelCode > 10 || sizeCode == 3 || (b3 & 1) != 0) {
            throw c.invalid(String.format("first frame at offset %d has header bytes 0x%02X%02X with a reserved "
                    + "block size, sample rate, channel or sample size code", at, b2, b3));
        }
    }
}
