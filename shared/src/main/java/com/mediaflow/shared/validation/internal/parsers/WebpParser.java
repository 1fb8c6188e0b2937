package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.PixelLayout;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * WebP (RFC 9649): a RIFF file of form 'WEBP' whose size fits the file, holding either one VP8 or
 * VP8L bitstream (simple format) or VP8X with a canvas and then ICCP, ALPH, the bitstream, EXIF and
 * XMP, or ANIM and ANMF frames, each inside the canvas with its own bitstream. Chunk sizes are
 * checked against their parents, bitstream headers (VP8 key frame start code, VP8L signature and
 * version) and their dimensions against the canvas or frame. Frames are counted against
 * MAX_FRAMES; the logical end is 8 + the RIFF size, padded to even. The pixel layout is 8-bit
 * colour, with alpha when VP8X's alpha flag is set, an ALPH chunk comes with the image, or a VP8L
 * header sets its alpha-is-used bit.
 */
public final class WebpParser implements FormatParser {
    private static final int MAX_CHUNKS = 1_000_000;
    private static final long MAX_CANVAS_PIXELS = 0xFFFF_FFFFL;

    private static final int FLAG_ANIMATION = 0x02;
    private static final int FLAG_ALPHA = 0x10;

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        if (c.remaining() < 12) {
            throw c.invalid("expected a RIFF header of 12 bytes, found " + c.remaining());
        }
        if (!c.fourcc().equals("RIFF")) {
            throw c.invalid("expected 'RIFF' at offset 0");
        }
        long riffSize = c.u32le();
        if (!c.fourcc().equals("WEBP")) {
            throw c.invalid("expected form type 'WEBP' at offset 8");
        }
        if (riffSize < 4 + 8) {
            throw c.invalid("RIFF size is " + riffSize + ", expected at least 12 for 'WEBP' and one chunk");
        }
        if (riffSize + 8 > c.sourceSize()) {
            throw c.truncated("RIFF declares " + riffSize + " bytes after offset 8, but the file has "
                    + (c.sourceSize() - 8));
        }
        Cursor riff = c.region(riffSize - 4, "RIFF body");
        StructureReport.Builder report = StructureReport.builder();
        int chunks = 0;
        long at = riff.position();
        Chunk first = chunk(c, riff, ++chunks);
        switch (first.id) {
            case "VP8 ", "VP8L" -> {
                long[] size = bitstream(c, first);
                report.dimensions(size[0], size[1]).frames(1).pixels(layout(size[2] != 0));
                // a simple file holds nothing else we need; any further chunk is skipped unread
                while (riff.remaining() >= 8) {
                    countChunk(c, ++chunks);
                    chunk(c, riff, chunks);
                }
            }
            case "VP8X" -> extended(c, riff, first, report, limits, chunks);
            default -> throw c.invalid("first chunk '" + WavParser.printable(first.id) + "' at offset " + at
                    + ", expected 'VP8 ', 'VP8L' or 'VP8X'");
        }
        if (riff.remaining() > 0) {
            throw c.invalid(riff.remaining() + " bytes at offset " + riff.position()
                    + " left in the RIFF body, too few for a chunk header");
        }
        return report.logicalEnd(8 + riffSize + (riffSize & 1)).build();
    }

    /** One chunk: its id, its payload as a region, and the cursor past it (and its pad byte). */
    private record Chunk(String id, long at, Cursor body) {
    }

    private static Chunk chunk(Cursor c, Cursor parent, int n) {
        long at = parent.position();
        if (parent.remaining() < 8) {
            throw c.invalid("chunk " + n + " at offset " + at + " needs a header of 8 bytes, only "
                    + parent.remaining() + " remain in its parent");
        }
        String id = parent.fourcc();
        long size = parent.u32le();
        String name = "chunk '" + WavParser.printable(id) + "' at offset " + at;
        Cursor body = parent.region(size, name);
        parent.skip(size, name);
        if ((size & 1) == 1 && parent.remaining() > 0) {
            parent.skip(1, name + " pad byte");
        }
        return new Chunk(id, at, body);
    }

    private static void countChunk(Cursor c, int n) {
        if (n > MAX_CHUNKS) {
            throw c.invalid("more than " + MAX_CHUNKS + " chunks");
        }
    }

    private static void extended(Cursor c, Cursor riff, Chunk vp8x, StructureReport.Builder report, Limits limits,
            int chunks) {
        Cursor x = vp8x.body;
        if (x.remaining() < 10) {
            throw c.invalid("VP8X at offset " + vp8x.at + " is " + x.remaining() + " bytes, expected at least 10");
        }
        int flags = x.u8();
        x.skip(3, "VP8X reserved bytes");
        long width = x.u24le() + 1L;
        long height = x.u24le() + 1L;
        if (width * height > MAX_CANVAS_PIXELS) {
            throw c.invalid("VP8X canvas is " + width + "x" + height + ", expected at most 2^32-1 pixels");
        }
        report.dimensions(width, height);
        boolean animated = (flags & FLAG_ANIMATION) != 0;
        boolean anim = false;
        long frames = 0;
        boolean image = false;
        boolean alph = false;
        boolean alpha = (flags & FLAG_ALPHA) != 0;
        while (riff.remaining() >= 8) {
            countChunk(c, ++chunks);
            Chunk ch = chunk(c, riff, chunks);
            switch (ch.id) {
                case "ANIM" -> {
                    if (ch.body.remaining() < 6) {
                        throw c.invalid("ANIM at offset " + ch.at + " is " + ch.body.remaining() + " bytes, expected 6");
                    }
                    anim = true;
                }
                case "ANMF" -> {
                    if (!animated) {
                        throw c.invalid("ANMF at offset " + ch.at + " in a WebP whose VP8X has no animation flag");
                    }
                    if (!anim) {
                        throw c.invalid("ANMF at offset " + ch.at + " before ANIM");
                    }
                    frames++;
                    limits.checkFrames("WEBP", frames);
                    frame(c, ch, frames, width, height, chunks);
                }
                case "ALPH" -> {
                    if (animated) {
                        break; // only meaningful inside ANMF; ignored at the top level of an animation
                    }
                    if (image) {
                        throw c.invalid("ALPH at offset " + ch.at + " after the image bitstream, expected it before");
                    }
                    alph(c, ch);
                    alph = true;
                }
                case "VP8 ", "VP8L" -> {
                    if (animated) {
                        throw c.invalid("bitstream '" + ch.id.trim() + "' at offset " + ch.at
                                + " outside ANMF in an animated WebP");
                    }
                    if (image) {
                        throw c.invalid("a second image bitstream at offset " + ch.at);
                    }
                    if (alph && ch.id.equals("VP8L")) {
                        throw c.invalid("VP8L at offset " + ch.at + " after ALPH: lossless images carry their own alpha");
                    }
                    long[] size = bitstream(c, ch);
                    alpha |= alph || size[2] != 0;
                    if (size[0] != width || size[1] != height) {
                        throw c.invalid("bitstream at offset " + ch.at + " is " + size[0] + "x" + size[1]
                                + ", expected the VP8X canvas size " + width + "x" + height);
                    }
                    image = true;
                }
                default -> {
                    // ICCP, EXIF, XMP and unknown chunks: optional, skipped
                }
            }
        }
        if (animated) {
            if (frames == 0) {
                throw c.invalid("animated WebP (VP8X flag) without any ANMF frame");
            }
            report.frames(frames);
        } else {
            if (!image) {
                throw c.invalid("VP8X file without a 'VP8 ' or 'VP8L' image bitstream");
            }
            report.frames(1);
        }
        report.pixels(layout(alpha));
    }

    private static PixelLayout layout(boolean alpha) {
        return new PixelLayout(8, PixelLayout.ColourModel.RGB, alpha);
    }

    private static void frame(Cursor c, Chunk anmf, long n, long canvasWidth, long canvasHeight, int chunks) {
        Cursor f = anmf.body;
        String name = "ANMF frame " + n + " at offset " + anmf.at;
        if (f.remaining() < 16) {
            throw c.invalid(name + " is " + f.remaining() + " bytes, expected at least 16");
        }
        long x = f.u24le() * 2L;
        long y = f.u24le() * 2L;
        long w = f.u24le() + 1L;
        long h = f.u24le() + 1L;
        f.skip(4, "ANMF duration and flags");
        if (x + w > canvasWidth || y + h > canvasHeight) {
            throw c.invalid(name + " is " + w + "x" + h + " at " + x + "," + y + ", expected it inside the "
                    + canvasWidth + "x" + canvasHeight + " canvas");
        }
        boolean image = false;
        boolean alph = false;
        int sub = chunks;
        while (f.remaining() >= 8) {
            countChunk(c, ++sub);
            Chunk ch = chunk(c, f, sub);
            switch (ch.id) {
                case "ALPH" -> {
                    if (image) {
                        throw c.invalid(name + ": ALPH at offset " + ch.at + " after the image bitstream");
                    }
                    alph(c, ch);
                    alph = true;
                }
                case "VP8 ", "VP8L" -> {
                    if (image) {
                        throw c.invalid(name + ": a second image bitstream at offset " + ch.at);
                    }
                    if (alph && ch.id.equals("VP8L")) {
                        throw c.invalid(name + ": VP8L at offset " + ch.at + " after ALPH");
                    }
                    long[] size = bitstream(c, ch);
                    if (size[0] != w || size[1] != h) {
                        throw c.invalid(name + ": bitstream at offset " + ch.at + " is " + size[0] + "x" + size[1]
                                + ", expected the frame size " + w + "x" + h);
                    }
                    image = true;
                }
                default -> {
                    // unknown chunks inside a frame are skipped
                }
            }
        }
        if (!image) {
            throw c.invalid(name + " has no 'VP8 ' or 'VP8L' bitstream");
        }
    }

    private static void alph(Cursor c, Chunk ch) {
        if (!ch.body.hasRemaining()) {
            throw c.invalid("ALPH at offset " + ch.at + " is empty, expected a header byte");
        }
        int header = ch.body.u8();
        int compression = header & 3;
        int filter = (header >> 2) & 3;
        int preprocessing = (header >> 4) & 3;
        if (compression > 1 || preprocessing > 1) {
            throw c.invalid("ALPH at offset " + ch.at + " has compression " + compression + " and pre-processing "
                    + preprocessing + ", expected 0..1 each (filter " + filter + ")");
        }
    }

    /**
     * Width and height of a 'VP8 ' or 'VP8L' bitstream, after checking its header, and 1 when a
     * VP8L header says its alpha is used (else 0).
     */
    private static long[] bitstream(Cursor c, Chunk ch) {
        Cursor b = ch.body;
        if (ch.id.equals("VP8 ")) {
            if (b.remaining() < 10) {
                throw c.invalid("VP8 bitstream at offset " + ch.at + " is " + b.remaining() + " bytes, expected at least 10");
            }
            int tag = b.u24le();
            boolean keyFrame = (tag & 1) == 0;
            int version = (tag >> 1) & 7;
            boolean show = ((tag >> 4) & 1) == 1;
            long firstPartition = tag >>> 5;
            if (!keyFrame || version > 3 || !show) {
                throw c.invalid("VP8 frame tag at offset " + (ch.at + 8) + " says key frame " + keyFrame + ", version "
                        + version + ", shown " + show + "; expected a shown key frame of version 0..3");
            }
            if (firstPartition > b.remaining() - 7) {
                throw c.invalid("VP8 first partition is " + firstPartition + " bytes, but only " + (b.remaining() - 7)
                        + " remain in its chunk at offset " + ch.at);
            }
            int s0 = b.u8();
            int s1 = b.u8();
            int s2 = b.u8();
            if (s0 != 0x9D || s1 != 0x01 || s2 != 0x2A) {
                throw c.invalid("VP8 key frame at offset " + ch.at + " has start code " + String.format("%02X %02X %02X",
                        s0, s1, s2) + ", expected 9D 01 2A");
            }
            int w = b.u16le() & 0x3FFF;
            int h = b.u16le() & 0x3FFF;
            if (w == 0 || h == 0) {
                throw c.invalid("VP8 key frame at offset " + ch.at + " is " + w + "x" + h
                        + ", expected width and height above 0");
            }
            return new long[] {w, h, 0};
        }
        if (b.remaining() < 5) {
            throw c.invalid("VP8L bitstream at offset " + ch.at + " is " + b.remaining() + " bytes, expected at least 5");
        }
        int signature = b.u8();
        if (signature != 0x2F) {
            throw c.invalid("VP8L at offset " + ch.at + " has signature 0x" + Integer.toHexString(signature)
                    + ", expected 0x2f");
        }
        long bits = b.u32le();
        long w = (bits & 0x3FFF) + 1;
        long h = ((bits >> 14) & 0x3FFF) + 1;
        int version = (int) (bits >>> 29);
        if (version != 0) {
            throw c.invalid("VP8L at offset " + ch.at + " has version " + version + ", expected 0");
        }
        return new long[] {w, h, (bits >> 28) & 1};
    }
}
