package com.mediaflow.shared.codec;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RIFF chunks of an animated WebP, for {@link AnimatedWebp}: the walk over VP8X, ANIM and the
 * ANMF headers when a file is opened (bounded like {@code WebpParser}: every size checked against
 * its parent, frames against {@code maxFrames}, the canvas against {@code maxPixels}), one frame's
 * ANMF placement and bitstream chunks when it is decoded, and the standalone still WebP each frame is
 * re-wrapped into for FFmpeg's still decoder.
 */
final class AnimatedWebpChunks {
    static final String FORMAT = "WEBP";
    static final int FLAG_ANIMATION = 0x02;
    private static final int FLAG_ALPHA = 0x10;
    private static final int ANMF_HEADER = 16;
    /** Room a bitstream may take beyond 4 bytes a pixel (VP8L of noise can exceed raw size). */
    private static final long BITSTREAM_SLACK = 1 << 20;

    private AnimatedWebpChunks() {
    }

    /** What the chunk walk found: canvas, ANIM fields and where each ANMF body starts. */
    record Header(int width, int height, int background, int loops, long[] offsets,
            long[] sizes, int[] durations) {

        static Header read(String file, FileByteSource source, long maxFrames, long maxPixels) {
            try {
                Cursor c = Cursor.over(source, FORMAT);
                c.require(12, "the RIFF header");
                if (!c.fourcc().equals("RIFF")) {
                    throw c.invalid("expected 'RIFF' at offset 0");
                }
                long riffSize = c.u32le();
                if (!c.fourcc().equals(FORMAT)) {
                    throw c.invalid("expected form type 'WEBP' at offset 8");
                }
                Cursor riff = c.region(Math.min(riffSize - 4, c.remaining()), "RIFF body");
                Chunk vp8x = Chunk.next(riff);
                if (!vp8x.id.equals("VP8X") || vp8x.body.remaining() < 10) {
                    throw c.invalid("first chunk '" + vp8x.id + "' at offset " + vp8x.at
                            + ", expected a VP8X of at least 10 bytes");
                }
                int flags = vp8x.body.u8();
                vp8x.body.skip(3, "VP8X reserved bytes");
                long w = vp8x.body.u24le() + 1L;
                long h = vp8x.body.u24le() + 1L;
                if ((flags & FLAG_ANIMATION) == 0) {
                    throw c.invalid("VP8X has no animation flag: a still WebP");
                }
                long cap = Math.min(maxPixels, (Integer.MAX_VALUE - 16) / 4);
                if (w * h > cap) {
                    throw c.invalid("canvas is " + w + "x" + h + " = " + (w * h)
                            + " pixels, expected at most " + cap + " (MAX_PIXELS)");
                }
                int background = 0;
                int loops = 0;
                long[] offsets = new long[16];
                long[] sizes = new long[16];
                int[] durations = new int[16];
                int frames = 0;
                while (riff.remaining() >= 8) {
                    Chunk ch = Chunk.next(riff);
                    if (ch.id.equals("ANIM") && ch.body.remaining() >= 6) {
                        background = bgraToArgb(ch.body.u32le());
                        loops = ch.body.u16le();
                    } else if (ch.id.equals("ANMF")) {
                        if (frames >= maxFrames) {
                            throw c.invalid("more than " + maxFrames + " ANMF frames (MAX_FRAMES)");
                        }
                        if (frames == offsets.length) {
                            offsets = Arrays.copyOf(offsets, frames * 2);
                            sizes = Arrays.copyOf(sizes, frames * 2);
                            durations = Arrays.copyOf(durations, frames * 2);
                        }
                        offsets[frames] = ch.body.position();
                        sizes[frames] = ch.body.remaining();
                        if (ch.body.remaining() >= ANMF_HEADER) {
                            ch.body.skip(12, "ANMF offset and size");
                            durations[frames] = ch.body.u24le();
                        }
                        frames++;
                    }
                }
                if (frames == 0) {
                    throw c.invalid("animated WebP (VP8X flag) without any ANMF frame");
                }
                return new Header((int) w, (int) h, background, loops,
                        Arrays.copyOf(offsets, frames), Arrays.copyOf(sizes, frames),
                        Arrays.copyOf(durations, frames));
            } catch (MediaRejectedException e) {
                throw new CodecException("Cannot decode animated WebP " + file + ": "
                        + e.getMessage(), e);
            }
        }

        /** ANIM stores the colour as B, G, R, A bytes. */
        private static int bgraToArgb(long bgra) {
            int b = (int) (bgra & 0xff);
            int g = (int) (bgra >> 8 & 0xff);
            int r = (int) (bgra >> 16 & 0xff);
            int a = (int) (bgra >> 24 & 0xff);
            return a << 24 | r << 16 | g << 8 | b;
        }
    }

    /** One chunk: id, file offset of its header, its payload as a bounded region. */
    private record Chunk(String id, long at, Cursor body) {

        static Chunk next(Cursor parent) {
            long at = parent.position();
            parent.require(8, "a chunk header");
            String id = parent.fourcc();
            long size = parent.u32le();
            String name = "chunk '" + printable(id) + "' at offset " + at;
            Cursor body = parent.region(size, name);
            parent.skip(size, name);
            if ((size & 1) == 1 && parent.remaining() > 0) {
                parent.skip(1, name + " pad byte");
            }
            return new Chunk(printable(id), at, body);
        }
    }

    /** An ANMF frame's placement and its bitstream chunks (ALPH may be null). */
    record SubFrame(int x, int y, int w, int h, int durationMs, boolean blend,
            boolean disposeToBackground, String codec, byte[] bitstream, byte[] alph) {
    }

    /**
     * Reads frame {@code index}: its ANMF header (placement, duration, flags) and bitstream chunks.
     *
     * @param offset where the ANMF body starts in the file
     * @param size the ANMF body's size
     */
    static SubFrame readFrame(String file, FileByteSource source, int index, long offset, long size, int width,
            int height) {
        String name = "frame " + index + " (ANMF at offset " + (offset - 8) + ")";
        try {
            Cursor f = Cursor.over(source, FORMAT);
            f.seek(offset);
            f = f.region(size, name);
            f.require(ANMF_HEADER, name + " header");
            int x = f.u24le() * 2;
            int y = f.u24le() * 2;
            int w = f.u24le() + 1;
            int h = f.u24le() + 1;
            int duration = f.u24le();
            int flags = f.u8();
            if ((long) x + w > width || (long) y + h > height) {
                throw f.invalid(name + " is " + w + "x" + h + " at " + x + "," + y
                        + ", expected it inside the " + width + "x" + height + " canvas");
            }
            int maxBytes = (int) Math.min(Integer.MAX_VALUE - 64,
                    (long) w * h * 4 + BITSTREAM_SLACK);
            byte[] alph = null;
            while (f.remaining() >= 8) {
                Chunk ch = Chunk.next(f);
                switch (ch.id) {
                    case "ALPH" -> alph = ch.body.bytes((int) Math.min(ch.body.remaining(),
                            Integer.MAX_VALUE), maxBytes, name + " ALPH");
                    case "VP8 ", "VP8L" -> {
                        byte[] bits = ch.body.bytes((int) Math.min(ch.body.remaining(),
                                Integer.MAX_VALUE), maxBytes, name + " " + ch.id.trim());
                        return new SubFrame(x, y, w, h, duration, (flags & 0x02) == 0,
                                (flags & 0x01) != 0, ch.id, bits,
                                ch.id.equals("VP8L") ? null : alph);
                    }
                    default -> {
                        // unknown chunks inside a frame are skipped, as the specification says
                    }
                }
            }
            throw f.invalid(name + " has no 'VP8 ' or 'VP8L' bitstream");
        } catch (MediaRejectedException e) {
            throw new CodecException("Cannot decode " + name + " of animated WebP " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A standalone still WebP of one frame: the simple format (RIFF, WEBP, one bitstream chunk),
     * or with alpha VP8X (alpha flag, the frame's size) + ALPH + VP8, which FFmpeg decodes.
     */
    static byte[] stillOf(String codec, byte[] bitstream, byte[] alph, int w, int h) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(bitstream.length + 64);
        body.writeBytes(FORMAT.getBytes(StandardCharsets.US_ASCII));
        if (alph != null) {
            byte[] vp8x = new byte[10];
            vp8x[0] = FLAG_ALPHA;
            putU24(vp8x, 4, w - 1);
            putU24(vp8x, 7, h - 1);
            writeChunk(body, "VP8X", vp8x);
            writeChunk(body, "ALPH", alph);
        }
        writeChunk(body, codec, bitstream);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 8);
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(u32(b.length));
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String id, byte[] payload) {
        out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(u32(payload.length));
        out.writeBytes(payload);
        if ((payload.length & 1) == 1) {
            out.write(0);
        }
    }

    private static byte[] u32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    private static void putU24(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
    }

    static String ascii(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder(4);
        for (char ch : id.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return sb.toString();
    }
}
