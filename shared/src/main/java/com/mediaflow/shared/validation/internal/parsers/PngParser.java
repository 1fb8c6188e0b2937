package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.PixelLayout;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.zip.CRC32;

/**
 * PNG (ISO/IEC 15948, W3C PNG 3rd edition): the signature, then chunks of at most 2^31-1 bytes
 * inside the file, each with a matching CRC-32; IHDR first with a valid bit depth and colour type;
 * PLTE where the colour type needs or allows it; one run of consecutive IDATs; no unknown critical
 * chunk; IEND last and empty. APNG's acTL and fcTL are checked and counted. The logical end is the
 * offset after IEND's CRC. The pixel layout comes from IHDR (bit depth, colour type) and the
 * presence of {@code tRNS}.
 */
public final class PngParser implements FormatParser {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final long MAX_CHUNK = 0x7FFF_FFFFL;
    private static final int MAX_CHUNKS = 10_000_000;
    private static final int CRC_BUFFER = 64 * 1024;

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        for (int i = 0; i < SIGNATURE.length; i++) {
            int b = c.hasRemaining() ? c.u8() : -1;
            if (b != (SIGNATURE[i] & 0xFF)) {
                throw c.invalid("signature byte " + i + " is " + (b < 0 ? "missing" : "0x" + hex(b)) + ", expected 0x"
                        + hex(SIGNATURE[i] & 0xFF) + " (89 50 4E 47 0D 0A 1A 0A)");
            }
        }
        StructureReport.Builder report = StructureReport.builder();
        long width = 0;
        long height = 0;
        int colourType = -1;
        int bitDepth = 0;
        boolean trns = false;
        boolean plte = false;
        int idatState = 0; // 0 none yet, 1 in the run, 2 after the run
        long declaredFrames = -1;
        long fcTl = 0;
        int chunks = 0;
        while (true) {
            if (!c.hasRemaining()) {
                throw c.truncated("the file ends at offset " + c.position() + " before IEND");
            }
            if (++chunks > MAX_CHUNKS) {
                throw c.invalid("more than " + MAX_CHUNKS + " chunks");
            }
            long at = c.position();
            long length = c.u32be();
            if (length > MAX_CHUNK) {
                throw c.invalid("chunk at offset " + at + " declares " + length + " bytes, expected at most 2^31-1");
            }
            String type = c.fourcc();
            String name = "chunk '" + WavParser.printable(type) + "' at offset " + at;
            for (int i = 0; i < 4; i++) {
                char ch = type.charAt(i);
                if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) {
                    throw c.invalid(name + " has a type byte 0x" + hex(ch) + ", expected ASCII letters");
                }
            }
            if (chunks == 1 && !type.equals("IHDR")) {
                throw c.invalid("first chunk is '" + WavParser.printable(type) + "', expected IHDR");
            }
            checkCrc(c, type, length, name);
            Cursor data = c.region(length, name);
            boolean critical = Character.isUpperCase(type.charAt(0));
            if (!type.equals("IDAT") && idatState == 1) {
                idatState = 2;
            }
            switch (type) {
                case "IHDR" -> {
                    if (chunks != 1) {
                        throw c.invalid("a second IHDR at offset " + at);
                    }
                    if (length != 13) {
                        throw c.invalid("IHDR is " + length + " bytes, expected 13");
                    }
                    width = data.u32be();
                    height = data.u32be();
                    int depth = data.u8();
                    colourType = data.u8();
                    int compression = data.u8();
                    int filter = data.u8();
                    int interlace = data.u8();
                    if (width == 0 || height == 0 || width > MAX_CHUNK || height > MAX_CHUNK) {
                        throw c.invalid("IHDR is " + width + "x" + height + ", expected 1..2^31-1 each");
                    }
                    if (!validDepth(colourType, depth)) {
                        throw c.invalid("IHDR has colour type " + colourType + " with bit depth " + depth
                                + ", expected one of 0/1,2,4,8,16 2/8,16 3/1,2,4,8 4/8,16 6/8,16");
                    }
                    if (compression != 0 || filter != 0 || interlace > 1) {
                        throw c.invalid("IHDR has compression " + compression + ", filter " + filter + ", interlace "
                                + interlace + ", expected 0, 0 and 0 or 1");
                    }
                    report.dimensions(width, height);
                    bitDepth = depth;
                }
                case "PLTE" -> {
                    if (plte) {
                        throw c.invalid("a second PLTE at offset " + at);
                    }
                    if (idatState != 0) {
                        throw c.invalid("PLTE at offset " + at + " after IDAT, expected it before");
                    }
                    if (colourType == 0 || colourType == 4) {
                        throw c.invalid("PLTE at offset " + at + " in a greyscale image (colour type " + colourType
                                + "), where it is forbidden");
                    }
                    if (length == 0 || length % 3 != 0 || length > 3 * 256) {
                        throw c.invalid("PLTE is " + length + " bytes, expected a multiple of 3 for 1..256 entries");
                    }
                    plte = true;
                }
                case "IDAT" -> {
                    if (idatState == 2) {
                        throw c.invalid("IDAT at offset " + at + " after other chunks followed the IDATs,"
                                + " expected the IDATs consecutive");
                    }
                    if (colourType == 3 && !plte) {
                        throw c.invalid("IDAT at offset " + at + " of a palette image (colour type 3) without PLTE before it");
                    }
                    idatState = 1;
                }
                case "IEND" -> {
                    if (length != 0) {
                        throw c.invalid("IEND is " + length + " bytes, expected 0");
                    }
                    if (idatState == 0) {
                        throw c.invalid("IEND at offset " + at + " without any IDAT: the image has no data");
                    }
                    c.skip(4, "IEND CRC");
                    report.pixels(layout(colourType, bitDepth, trns));
                    if (declaredFrames >= 0) {
                        if (fcTl != declaredFrames) {
                            report.warn(ReasonCode.STRUCTURE_INVALID, "PNG: acTL declares " + declaredFrames
                                    + " frames, found " + fcTl + " fcTL chunks");
                        }
                        report.frames(Math.max(1, fcTl));
                    } else {
                        report.frames(1);
                    }
                    return report.logicalEnd(c.position()).build();
                }
                case "tRNS" -> trns = true;
                case "acTL" -> {
                    if (length != 8) {
                        throw c.invalid("acTL is " + length + " bytes, expected 8");
                    }
                    long frames = data.u32be();
                    if (frames == 0) {
                        throw c.invalid("acTL declares 0 frames, expected at least 1");
                    }
                    limits.checkFrames("PNG", frames);
                    if (idatState != 0 || declaredFrames >= 0) {
                        report.warn(ReasonCode.STRUCTURE_INVALID, "PNG: acTL at offset " + at
                                + (idatState != 0 ? " after IDAT" : " repeated") + " is ignored");
                    } else {
                        declaredFrames = frames;
                    }
                }
                case "fcTL" -> {
                    if (length != 26) {
                        throw c.invalid("fcTL at offset " + at + " is " + length + " bytes, expected 26");
                    }
                    data.skip(4, "fcTL sequence number");
                    long w = data.u32be();
                    long h = data.u32be();
                    long x = data.u32be();
                    long y = data.u32be();
                    data.skip(4, "fcTL delay");
                    int dispose = data.u8();
                    int blend = data.u8();
                    if (w == 0 || h == 0 || x + w > width || y + h > height) {
                        throw c.invalid("fcTL at offset " + at + " is a " + w + "x" + h + " frame at " + x + "," + y
                                + ", expected a non-empty frame inside the " + width + "x" + height + " canvas");
                    }
                    if (dispose > 2 || blend > 1) {
                        throw c.invalid("fcTL at offset " + at + " has dispose op " + dispose + " and blend op " + blend
                                + ", expected 0..2 and 0..1");
                    }
                    fcTl++;
                    limits.checkFrames("PNG", fcTl);
                }
                default -> {
                    if (critical) {
                        throw c.invalid("unknown critical chunk '" + WavParser.printable(type) + "' at offset " + at);
                    }
                }
            }
            c.skip(length + 4, name);
        }
    }

    /** Checks the CRC of the chunk whose type was just read; the cursor stays on the chunk's data. */
    private static void checkCrc(Cursor c, String type, long length, String name) {
        long dataAt = c.position();
        c.require(length + 4, name); // truncated when the data or its CRC pass the end of the file
        CRC32 crc = new CRC32();
        for (int i = 0; i < 4; i++) {
            crc.update(type.charAt(i));
        }
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(CRC_BUFFER, left);
            crc.update(c.bytes(n, CRC_BUFFER, name + " data"));
            left -= n;
        }
        long stored = c.u32be();
        if (stored != crc.getValue()) {
            throw c.invalid(name + " has CRC 0x"
                    + Long.toHexString(stored) + ", expected 0x" + Long.toHexString(crc.getValue()));
        }
        c.seek(dataAt);
    }

    /**
     * Colour types 0 and 4 are grey, 2, 3 and 6 colour; 4 and 6 have an alpha channel, and
     * {@code tRNS} makes a palette entry or a colour key transparent. Palette entries are 8-bit.
     */
    private static PixelLayout layout(int colourType, int depth, boolean trns) {
        boolean grey = colourType == 0 || colourType == 4;
        return new PixelLayout(colourType == 3 ? 8 : depth,
                grey ? PixelLayout.ColourModel.GRAY : PixelLayout.ColourModel.RGB,
                colourType == 4 || colourType == 6 || trns);
    }

    private static boolean validDepth(int colourType, int depth) {
        return switch (colourType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }
}
