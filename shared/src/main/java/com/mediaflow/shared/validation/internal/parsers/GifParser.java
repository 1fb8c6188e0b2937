package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.PixelLayout;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * GIF87a/GIF89a: the header, a logical screen of non-zero size and its optional global colour
 * table, then extension blocks (label and sub-blocks) and images (a descriptor of a non-empty frame
 * inside the logical screen, an optional local colour table, an LZW minimum code size of 2..8 and
 * data sub-blocks) until the trailer (0x3B), which is required. Frames are counted against
 * MAX_FRAMES; the logical end is the offset after the trailer. The pixel layout is 8-bit colour
 * (palette entries), transparent when any graphic control extension sets its transparent-colour
 * flag.
 */
public final class GifParser implements FormatParser {
    private static final int MAX_BLOCKS = 10_000_000;
    private static final int GRAPHIC_CONTROL = 0xF9;

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        if (c.remaining() < 13) {
            if (c.remaining() >= 6 && isHeader(c.ascii(6, 6, "header"))) {
                throw c.truncated("the file ends at offset " + c.sourceSize() + " inside the logical screen descriptor");
            }
            throw c.invalid("expected a GIF87a or GIF89a header and a logical screen descriptor, found "
                    + c.remaining() + " bytes");
        }
        String header = c.ascii(6, 6, "header");
        if (!isHeader(header)) {
            throw c.invalid("expected header 'GIF87a' or 'GIF89a' at offset 0, found '" + printable(header) + "'");
        }
        int screenWidth = c.u16le();
        int screenHeight = c.u16le();
        int packed = c.u8();
        c.skip(2, "background colour and aspect ratio");
        if (screenWidth == 0 || screenHeight == 0) {
            throw c.invalid("logical screen is " + screenWidth + "x" + screenHeight
                    + ", expected width and height above 0");
        }
        if ((packed & 0x80) != 0) {
            c.skip(3L << ((packed & 7) + 1), "global colour table");
        }
        long frames = 0;
        int blocks = 0;
        boolean transparent = false;
        while (true) {
            if (!c.hasRemaining()) {
                throw c.truncated("the file ends at offset " + c.position() + " after " + frames
                        + " frame(s), expected more blocks and the trailer (0x3B)");
            }
            if (++blocks > MAX_BLOCKS) {
                throw c.invalid("more than " + MAX_BLOCKS + " blocks");
            }
            long at = c.position();
            int introducer = c.u8();
            switch (introducer) {
                case 0x21 -> {
                    int label = c.u8();
                    if (label == GRAPHIC_CONTROL && c.remaining() >= 2 && c.peek(c.position()) == 4) {
                        transparent |= (c.peek(c.position() + 1) & 1) != 0; // packed fields, bit 0
                    }
                    subBlocks(c, "extension 0x" + hex(label) + " at offset " + at);
                }
                case 0x2C -> {
                    frames++;
                    int left = c.u16le();
                    int top = c.u16le();
                    int w = c.u16le();
                    int h = c.u16le();
                    int flags = c.u8();
                    String frame = "frame " + frames + " at offset " + at;
                    if (w == 0 || h == 0) {
                        throw c.invalid(frame + " is " + w + "x" + h + ", expected width and height above 0");
                    }
                    if (left + w > screenWidth || top + h > screenHeight) {
                        throw c.invalid(frame + " is " + w + "x" + h + " at " + left + "," + top
                                + ", expected it inside the " + screenWidth + "x" + screenHeight + " logical screen");
                    }
                    limits.checkFrames("GIF", frames);
                    if ((flags & 0x80) != 0) {
                        c.skip(3L << ((flags & 7) + 1), "local colour table of " + frame);
                    }
                    int codeSize = c.u8();
                    if (codeSize < 2 || codeSize > 8) {
                        throw c.invalid(frame + " has LZW minimum code size " + codeSize + ", expected 2..8");
                    }
                    subBlocks(c, "image data of " + frame);
                }
                case 0x3B -> {
                    if (frames == 0) {
                        throw c.invalid("trailer at offset " + at + " before any image: the GIF has no frame");
                    }
                    return StructureReport.builder()
                            .dimensions(screenWidth, screenHeight)
                            .frames(frames)
                            .pixels(new PixelLayout(8, PixelLayout.ColourModel.RGB, transparent))
                            .logicalEnd(c.position())
                            .build();
                }
                default -> throw c.invalid("unknown block 0x" + hex(introducer) + " at offset " + at
                        + ", expected an extension (0x21), an image (0x2C) or the trailer (0x3B)");
            }
        }
    }

    /** Sub-blocks: a length byte and that many bytes, until a length of 0. */
    private static void subBlocks(Cursor c, String what) {
        while (true) {
            if (!c.hasRemaining()) {
                throw c.truncated(what + " runs to the end of the file, expected its sub-blocks to end with 0");
            }
            int n = c.u8();
            if (n == 0) {
                return;
            }
            c.skip(n, "sub-block of " + what);
        }
    }

    private static boolean isHeader(String header) {
        return header.equals("GIF87a") || header.equals("GIF89a");
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }
}
