package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.PixelLayout;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * BMP (Windows and OS/2 bitmaps): the 14-byte file header, a DIB header of a known size (12, 40,
 * 52, 56, 64, 108 or 124), non-zero dimensions, one plane, a bit depth of 1/4/8/16/24/32 and a
 * compression that depth allows, a palette inside the file and no larger than the depth allows,
 * and the pixel data offset inside the file. For uncompressed bitmaps the pixel array (row stride
 * x rows) must fit in the file, and the logical end is its end; compressed (RLE) bitmaps have no
 * knowable end short of decoding, so -1. A file-size field that disagrees with the file is only a
 * warning: writers get it wrong. The pixel layout: palettes (1-8 bits) and 24/32-bit pixels have
 * 8 bits per colour, 16-bit ones 5; 32-bit pixels have alpha with alpha bit fields (compression 6,
 * or a V3+ header whose alpha mask is set).
 */
public final class BmpParser implements FormatParser {
    private static final int BI_RGB = 0;
    private static final int BI_RLE8 = 1;
    private static final int BI_RLE4 = 2;
    private static final int BI_BITFIELDS = 3;
    private static final int BI_ALPHABITFIELDS = 6;

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        if (c.remaining() < 18) {
            throw c.invalid("expected a 14-byte file header and a DIB header size, found " + c.remaining() + " bytes");
        }
        if (c.u8() != 'B' || c.u8() != 'M') {
            throw c.invalid("expected 'BM' at offset 0");
        }
        long fileSize = c.u32le();
        c.skip(4, "reserved fields");
        long pixelOffset = c.u32le();
        long headerSize = c.u32le();
        if (headerSize != 12 && headerSize != 40 && headerSize != 52 && headerSize != 56 && headerSize != 64
                && headerSize != 108 && headerSize != 124) {
            throw c.invalid("DIB header size is " + headerSize + ", expected 12, 40, 52, 56, 64, 108 or 124");
        }
        Cursor dib = c.region(headerSize - 4, "DIB header of " + headerSize + " bytes at offset 14");
        StructureReport.Builder report = StructureReport.builder().frames(1);
        if (fileSize != c.sourceSize()) {
            report.warn(ReasonCode.STRUCTURE_INVALID, "BMP: the file header says " + fileSize + " bytes, the file has "
                    + c.sourceSize());
        }
        long width;
        long height;
        int planes;
        int bpp;
        long compression = BI_RGB;
        long colours = 0;
        long alphaMask = 0;
        if (headerSize == 12) {
            width = dib.u16le();
            height = dib.u16le();
            planes = dib.u16le();
            bpp = dib.u16le();
        } else {
            width = (int) dib.u32le();
            height = (int) dib.u32le();
            planes = dib.u16le();
            bpp = dib.u16le();
            compression = dib.u32le();
            dib.skip(12, "image size and resolution");
            colours = dib.u32le();
            if (headerSize >= 56) {
                dib.skip(16, "important colours and the red, green and blue masks");
                alphaMask = dib.u32le();
            }
        }
        if (width <= 0 || height == 0 || height == Integer.MIN_VALUE) {
            throw c.invalid("bitmap is " + width + "x" + height + ", expected a width above 0 and a height other than 0");
        }
        boolean topDown = height < 0;
        long rows = Math.abs(height);
        if (planes != 1) {
            throw c.invalid("bitmap has " + planes + " planes, expected 1");
        }
        if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
            throw c.invalid("bitmap has " + bpp + " bits per pixel, expected 1, 4, 8, 16, 24 or 32");
        }
        boolean valid = switch ((int) Math.min(compression, Integer.MAX_VALUE)) {
            case BI_RGB -> true;
            case BI_RLE8 -> bpp == 8 && headerSize != 64;
            case BI_RLE4 -> bpp == 4 && headerSize != 64;
            case BI_BITFIELDS, BI_ALPHABITFIELDS -> (bpp == 16 || bpp == 32) && headerSize != 64;
            default -> false;
        };
        if (!valid) {
            throw c.invalid("bitmap of " + bpp + " bits per pixel has compression " + compression
                    + ", expected 0 (none), 1 (RLE8, 8 bits), 2 (RLE4, 4 bits) or 3/6 (bit fields, 16 or 32 bits)");
        }
        if (topDown && compression != BI_RGB && compression != BI_BITFIELDS && compression != BI_ALPHABITFIELDS) {
            throw c.invalid("bitmap is top-down (negative height) and RLE-compressed, which the format forbids");
        }
        report.dimensions(width, rows);
        boolean alpha = bpp == 32 && (compression == BI_ALPHABITFIELDS
                || (compression == BI_BITFIELDS && alphaMask != 0));
        report.pixels(new PixelLayout(bpp == 16 ? 5 : 8, PixelLayout.ColourModel.RGB, alpha));
        // bit masks after a 40-byte header, then the palette
        long tablesAt = 14 + headerSize;
        if (headerSize == 40 && compression == BI_BITFIELDS) {
            tablesAt += 12;
        } else if (headerSize == 40 && compression == BI_ALPHABITFIELDS) {
            tablesAt += 16;
        }
        long maxColours = bpp <= 8 ? 1L << bpp : 1L << 24;
        if (colours > maxColours) {
            throw c.invalid("palette declares " + colours + " colours, expected at most " + maxColours + " for "
                    + bpp + " bits per pixel");
        }
        long paletteEntries = bpp <= 8 && colours == 0 ? 1L << bpp : colours;
        long paletteEnd = tablesAt + paletteEntries * (headerSize == 12 ? 3 : 4);
        if (paletteEnd > c.sourceSize()) {
            throw c.truncated("palette of " + paletteEntries + " colours ends at offset " + paletteEnd
                    + ", past the end of the file at " + c.sourceSize());
        }
        if (pixelOffset < 14 + headerSize || pixelOffset >= c.sourceSize()) {
            throw pixelOffset >= c.sourceSize() ? c.truncated("pixel data offset is " + pixelOffset
                    + ", at or past the end of the file at " + c.sourceSize())
                    : c.invalid("pixel data offset is " + pixelOffset + ", inside the headers that end at "
                    + (14 + headerSize));
        }
        if (compression == BI_RLE8 || compression == BI_RLE4) {
            return report.build();
        }
        // stride < 2^32 since width < 2^31 and bpp <= 32; rows <= 2^31: compare before multiplying
        long stride = (width * bpp + 31) / 32 * 4;
        long available = c.sourceSize() - pixelOffset;
        if (stride > available || rows > available / stride) {
            throw c.truncated("pixel array of " + rows + " rows of " + stride + " bytes starts at offset " + pixelOffset
                    + ", but only " + available + " bytes remain in the file");
        }
        return report.logicalEnd(pixelOffset + stride * rows).build();
    }
}
