package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.PixelLayout;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * JPEG (ITU T.81): SOI, then marker segments, each with a length of at least 2 inside the file;
 * one frame header (SOF0-SOF15 but DHT, JPG and DAC) with a precision its process allows, non-zero
 * dimensions and 1-4 components with sampling factors 1-4; DHT and DQT tables inside their
 * segments; scans whose components belong to the frame, each followed by entropy-coded data up to
 * the next marker; EOI at the end. APPn and COM segments are skipped (EXIF is read elsewhere).
 * The logical end is the offset after EOI: what follows (an MPF gain map, another JPEG, or
 * something else) is the validator's concern. The pixel layout is the frame's precision and its
 * component count: 1 grey, 3 colour (YCbCr or RGB), 4 CMYK or YCCK; JPEG has no alpha.
 */
public final class JpegParser implements FormatParser {
    /** libjpeg-turbo stops at 500 scans by default (djpeg -maxscans); real files have at most ~20. */
    static final int MAX_SCANS = 1000;
    private static final int MAX_SEGMENTS = 1_000_000;
    private static final int MAX_COMPONENTS = 4;

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int DHT = 0xC4;

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        if (c.remaining() < 2 || c.u8() != 0xFF || c.u8() != SOI) {
            throw c.invalid("expected SOI (FF D8) at offset 0");
        }
        StructureReport.Builder report = StructureReport.builder().frames(1);
        Frame frame = null;
        int scans = 0;
        int segments = 0;
        while (true) {
            if (!c.hasRemaining()) {
                throw c.truncated("the file ends at offset " + c.position() + " before EOI (FF D9)"
                        + (frame == null ? ", without a frame header" : ", after " + scans + " scan(s)"));
            }
            if (++segments > MAX_SEGMENTS) {
                throw c.invalid("more than " + MAX_SEGMENTS + " marker segments");
            }
            long at = c.position();
            int b = c.u8();
            if (b != 0xFF) {
                throw c.invalid("expected a marker (FF xx) at offset " + at + ", found 0x" + hex(b));
            }
            int marker = c.u8();
            while (marker == 0xFF) { // fill bytes before a marker; each consumes a byte, so bounded
                marker = c.u8();
            }
            long markerAt = c.position() - 2;
            if (marker == EOI) {
                if (frame == null) {
                    throw c.invalid("EOI at offset " + markerAt + " before any frame header (SOFn)");
                }
                if (scans == 0) {
                    throw c.invalid("EOI at offset " + markerAt + " before any scan (SOS): the image has no data");
                }
                return report.logicalEnd(c.position()).build();
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // TEM and stray RSTn: standalone markers without a length
            }
            if (marker == SOI) {
                throw c.invalid("a second SOI at offset " + markerAt + ", expected EOI first");
            }
            if (marker < 0xC0) {
                throw c.invalid("marker FF " + hex(marker) + " at offset " + markerAt
                        + " is reserved, expected a JPEG marker (C0-FE)");
            }
            int length = c.u16be();
            if (length < 2) {
                throw c.invalid("segment FF " + hex(marker) + " at offset " + markerAt + " declares length " + length
                        + ", expected at least 2");
            }
            Cursor seg = c.region(length - 2, "segment FF " + hex(marker) + " at offset " + markerAt);
            if (isSof(marker)) {
                if (frame != null) {
                    throw c.invalid("a second frame header FF " + hex(marker) + " at offset " + markerAt
                            + " (hierarchical JPEG is not supported)");
                }
                frame = frame(c, seg, marker, markerAt);
                report.dimensions(frame.width, frame.height);
                report.pixels(new PixelLayout(frame.precision, switch (frame.ids.length) {
                    case 1 -> PixelLayout.ColourModel.GRAY;
                    case 4 -> PixelLayout.ColourModel.CMYK;
                    default -> PixelLayout.ColourModel.RGB;
                }, false));
            } else if (marker == DHT) {
                huffmanTables(c, seg, markerAt);
            } else if (marker == DQT) {
                quantTables(c, seg, markerAt);
            } else if (marker == DRI || marker == DNL) {
                if (length != 4) {
                    throw c.invalid((marker == DRI ? "DRI" : "DNL") + " at offset " + markerAt + " has length " + length
                            + ", expected 4");
                }
            } else if (marker == SOS) {
                if (frame == null) {
                    throw c.invalid("scan (SOS) at offset " + markerAt + " before any frame header (SOFn)");
                }
                if (++scans > MAX_SCANS) {
                    throw c.invalid("more than " + MAX_SCANS + " scans; a decoder works on the whole image for each");
                }
                scanHeader(c, seg, frame, markerAt, length);
                c.skip(length - 2, "scan header");
                entropyData(c, scans);
                continue;
            }
            // APPn, COM, DAC, JPGn, DHP, EXP: skipped
            c.skip(length - 2, "segment FF " + hex(marker));
        }
    }

    private record Frame(int marker, int precision, int width, int height, int[] ids, int[] samplingProducts) {
        boolean progressive() {
            return marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
        }

        boolean lossless() {
            return marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF;
        }
    }

    static boolean isSof(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    private static Frame frame(Cursor c, Cursor seg, int marker, long at) {
        String sof = "SOF" + (marker - 0xC0) + " at offset " + at;
        int precision = seg.u8();
        int height = seg.u16be();
        int width = seg.u16be();
        int n = seg.u8();
        boolean lossless = marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF;
        if (lossless ? precision < 2 || precision > 16 : marker == 0xC0 ? precision != 8 : precision != 8 && precision != 12) {
            throw c.invalid(sof + " has precision " + precision + ", expected "
                    + (lossless ? "2..16" : marker == 0xC0 ? "8 for baseline" : "8 or 12"));
        }
        if (width == 0 || height == 0) {
            throw c.invalid(sof + " is " + width + "x" + height + ", expected width and height above 0"
                    + " (a height defined later by DNL is not supported)");
        }
        if (n < 1 || n > MAX_COMPONENTS) {
            throw c.invalid(sof + " has " + n + " components, expected 1.." + MAX_COMPONENTS);
        }
        if (seg.end() - seg.start() != 6 + 3L * n) {
            throw c.invalid(sof + " has length " + (seg.end() - seg.start() + 2) + ", expected " + (8 + 3 * n)
                    + " for " + n + " components");
        }
        int[] ids = new int[n];
        int[] products = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = seg.u8();
            int sampling = seg.u8();
            int h = sampling >> 4;
            int v = sampling & 0x0F;
            int tq = seg.u8();
            if (h < 1 || h > 4 || v < 1 || v > 4) {
                throw c.invalid(sof + ": component " + ids[i] + " has sampling factors " + h + "x" + v
                        + ", expected 1..4 each");
            }
            if (tq > 3) {
                throw c.invalid(sof + ": component " + ids[i] + " uses quantisation table " + tq + ", expected 0..3");
            }
            for (int j = 0; j < i; j++) {
                if (ids[j] == ids[i]) {
                    throw c.invalid(sof + ": component id " + ids[i] + " appears twice");
                }
            }
            products[i] = h * v;
        }
        return new Frame(marker, precision, width, height, ids, products);
    }

    private static void huffmanTables(Cursor c, Cursor seg, long at) {
        if (!seg.hasRemaining()) {
            throw c.invalid("DHT at offset " + at + " is empty, expected at least one table");
        }
        while (seg.hasRemaining()) {
            int tcTh = seg.u8();
            int tc = tcTh >> 4;
            int th = tcTh & 0x0F;
            if (tc > 1 || th > 3) {
                throw c.invalid("DHT at offset " + at + " defines table class " + tc + " id " + th
                        + ", expected class 0..1 and id 0..3");
            }
            int total = 0;
            for (int i = 0; i < 16; i++) {
                total += seg.u8();
            }
            if (total > 256) {
                throw c.invalid("DHT at offset " + at + " declares " + total + " codes, expected at most 256");
            }
            seg.skip(total, "DHT code values at offset " + at);
        }
    }

    private static void quantTables(Cursor c, Cursor seg, long at) {
        if (!seg.hasRemaining()) {
            throw c.invalid("DQT at offset " + at + " is empty, expected at least one table");
        }
        while (seg.hasRemaining()) {
            int pqTq = seg.u8();
            int pq = pqTq >> 4;
            int tq = pqTq & 0x0F;
            if (pq > 1 || tq > 3) {
                throw c.invalid("DQT at offset " + at + " defines precision " + pq + " id " + tq
                        + ", expected precision 0..1 and id 0..3");
            }
            seg.skip(pq == 0 ? 64 : 128, "DQT table " + tq + " at offset " + at);
        }
    }

    private static void scanHeader(Cursor c, Cursor seg, Frame frame, long at, int length) {
        String sos = "SOS at offset " + at;
        int ns = seg.u8();
        if (ns < 1 || ns > MAX_COMPONENTS) {
            throw c.invalid(sos + " has " + ns + " components, expected 1.." + MAX_COMPONENTS);
        }
        if (length != 6 + 2 * ns) {
            throw c.invalid(sos + " has length " + length + ", expected " + (6 + 2 * ns) + " for " + ns + " components");
        }
        int blocks = 0;
        for (int i = 0; i < ns; i++) {
            int id = seg.u8();
            int tables = seg.u8();
            int index = -1;
            for (int j = 0; j < frame.ids.length; j++) {
                if (frame.ids[j] == id) {
                    index = j;
                }
            }
            if (index < 0) {
                throw c.invalid(sos + " refers to component " + id + ", which the frame header does not define");
            }
            if ((tables >> 4) > 3 || (tables & 0x0F) > 3) {
                throw c.invalid(sos + ": component " + id + " uses Huffman tables " + (tables >> 4) + "/" + (tables & 0x0F)
                        + ", expected 0..3");
            }
            blocks += frame.samplingProducts[index];
        }
        if (ns > 1 && blocks > 10) {
            throw c.invalid(sos + " interleaves " + blocks + " blocks per MCU, expected at most 10");
        }
        int ss = seg.u8();
        int se = seg.u8();
        int ahAl = seg.u8();
        int ah = ahAl >> 4;
        int al = ahAl & 0x0F;
        if (frame.progressive()) {
            if (ss > se || se > 63 || ah > 13 || al > 13) {
                throw c.invalid(sos + " has spectral selection " + ss + ".." + se + " and approximation " + ah + "/" + al
                        + ", expected Ss <= Se <= 63 and Ah, Al <= 13");
            }
            if ((ss == 0) != (se == 0)) {
                throw c.invalid(sos + " mixes DC and AC coefficients (" + ss + ".." + se + ") in a progressive scan");
            }
            if (ss > 0 && ns != 1) {
                throw c.invalid(sos + " is a progressive AC scan of " + ns + " components, expected 1");
            }
        } else if (!frame.lossless() && (ss > 63 || se > 63)) {
            throw c.invalid(sos + " has spectral selection " + ss + ".." + se + ", expected at most 63");
        }
    }

    /**
     * Walks entropy-coded data to the next marker: FF 00 is a stuffed byte, FF D0-D7 a restart
     * marker, FF FF fill; any other FF xx ends the scan. Leaves the cursor on that FF.
     */
    private static void entropyData(Cursor c, int scan) {
        long start = c.position();
        while (true) {
            if (!c.hasRemaining()) {
                throw c.truncated("scan " + scan + " starting at offset " + start
                        + " runs to the end of the file, expected a marker and EOI (FF D9) after it");
            }
            if (!c.skipTo(0xFF)) {
                continue; // the end of the file: reported above
            }
            c.skip(1, "a marker byte");
            int next = c.peek(c.position());
            if (next < 0) {
                throw c.truncated("scan " + scan + " starting at offset " + start
                        + " ends in a lone FF at the end of the file, expected EOI (FF D9)");
            }
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                c.skip(1, "a stuffed byte");
            } else if (next != 0xFF) {
                c.seek(c.position() - 1);
                return;
            }
        }
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }
}
