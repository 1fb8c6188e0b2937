package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_WEBP;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

/**
 * Decodes animated WebP (VP8X with the animation flag, ANIM, ANMF frames) into full-canvas RGBA
 * pictures, one per frame, composited as the WebP container specification says.
 *
 * <p>Why: FFmpeg's webp decoder (7.1, as 8.0.1) skips ANIM/ANMF ("image data not found"), but decodes still
 * WebP (VP8 lossy, VP8L lossless, ALPH alpha). Every ANMF frame carries a complete VP8 or VP8L
 * bitstream (lossy ones optionally after an ALPH chunk), so each is re-wrapped as a standalone
 * still WebP (simple format, or VP8X + ALPH + VP8), decoded by that still decoder, converted to
 * RGBA with swscale, and painted at the frame's offset: alpha-blended (non-premultiplied, as
 * libwebp's {@code WebPAnimDecoder}) unless the frame says "do not blend", and its rectangle
 * cleared after display when it says "dispose to background".
 *
 * <p>Background: the canvas starts transparent and disposal clears to transparent, as libwebp's
 * {@code WebPAnimDecoder} and browsers do; the ANIM background colour is only a hint the
 * specification lets viewers ignore (see {@link #backgroundColor()}).
 *
 * <p>The chunk walk is bounded like {@code WebpParser}: every size is checked against its
 * parent, frames against {@code maxFrames}, the canvas against {@code maxPixels}; only chunk
 * headers are read when opening, each frame's payload when it is decoded.
 *
 * <p>Not thread-safe; one instance per file. Close it to free the native decoder.
 */
public final class AnimatedWebp implements AutoCloseable {

    private static final String FORMAT = "WEBP";
    private static final int FLAG_ANIMATION = 0x02;
    private static final int FLAG_ALPHA = 0x10;
    private static final int ANMF_HEADER = 16;
    private static final int AVERROR_EAGAIN = -11;
    /** Room a bitstream may take beyond 4 bytes a pixel (VP8L of noise can exceed raw size). */
    private static final long BITSTREAM_SLACK = 1 << 20;

    /**
     * One composited picture.
     *
     * @param index frame number, from 0
     * @param image packed RGBA of the whole canvas, owned by the decoder: valid until the next
     *     {@link #next()} or {@link #close()}; clone it to keep it
     * @param timestampMs when the frame is shown: the sum of the earlier frames' durations
     * @param durationMs how long it is shown, as stored (0 is possible; players pick their own)
     * @param opaque true when every canvas pixel is fully opaque
     */
    public record Composited(int index, Frame image, long timestampMs, int durationMs,
            boolean opaque) {
    }

    private final String file;
    private final FileByteSource source;
    private final int width;
    private final int height;
    private final int backgroundColor;
    private final int loopCount;
    private final long[] frameOffsets;
    private final long[] frameSizes;
    private final int[] durations;
    private final byte[] canvas;
    private final Frame picture;
    private int nextIndex;
    private long timestampMs;
    /** Rectangle {x, y, w, h} to clear before the next frame (dispose to background), or null. */
    private int[] dispose;

    private AVCodecContext decoder;
    private AVPacket packet;
    private AVFrame decoded;
    private SwsContext sws;
    private BytePointer rgba;

    private AnimatedWebp(String file, FileByteSource source, Header header) {
        this.file = file;
        this.source = source;
        this.width = header.width;
        this.height = header.height;
        this.backgroundColor = header.background;
        this.loopCount = header.loops;
        this.frameOffsets = header.offsets;
        this.frameSizes = header.sizes;
        this.durations = header.durations;
        this.canvas = new byte[width * height * 4];
        this.picture = new Frame(width, height, Frame.DEPTH_UBYTE, 4);
    }

    /**
     * True when the file is a WebP whose first chunk is VP8X with the animation flag. Reads 21
     * bytes; false for anything else, including files too short or unreadable.
     */
    public static boolean isAnimated(Path file) {
        try (FileByteSource source = new FileByteSource(file)) {
            byte[] head = new byte[21];
            if (source.size() < head.length || source.read(0, head, 0, head.length) < head.length) {
                return false;
            }
            return ascii(head, 0).equals("RIFF") && ascii(head, 8).equals(FORMAT)
                    && ascii(head, 12).equals("VP8X") && (head[20] & FLAG_ANIMATION) != 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Number of ANMF frames of an animated WebP (headers only, nothing decoded).
     *
     * @throws CodecException when the file is not an animated WebP, or has more than
     *     {@code maxFrames} frames
     */
    public static int frameCount(Path file, long maxFrames) {
        try (AnimatedWebp webp = open(file, maxFrames, Long.MAX_VALUE)) {
            return webp.frameCount();
        }
    }

    /**
     * Opens an animated WebP: walks its chunk headers and opens FFmpeg's still webp decoder.
     *
     * @param maxFrames at most this many ANMF frames (MAX_FRAMES)
     * @param maxPixels at most this many canvas pixels (MAX_PIXELS); also bounded by what one
     *     Java array of RGBA holds
     * @throws CodecException when the structure is not an animated WebP within those bounds
     * @throws StorageException when the file cannot be read
     */
    public static AnimatedWebp open(Path file, long maxFrames, long maxPixels) {
        FfmpegSupport.init();
        String name = file.toAbsolutePath().toString();
        FileByteSource source;
        try {
            source = new FileByteSource(file);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + name + ": " + e.getMessage(), e);
        }
        try {
            Header header = Header.read(name, source, maxFrames, maxPixels);
            AnimatedWebp webp = new AnimatedWebp(name, source, header);
            try {
                webp.openDecoder();
                return webp;
            } catch (RuntimeException e) {
                webp.close();
                throw e;
            }
        } catch (RuntimeException e) {
            closeQuietly(source);
            throw e;
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int frameCount() {
        return frameOffsets.length;
    }

    /** Every frame's duration in milliseconds as stored (ANMF headers; 0 is possible). */
    public int[] durationsMs() {
        return durations.clone();
    }

    /** ANIM loop count; 0 means forever. */
    public int loopCount() {
        return loopCount;
    }

    /** ANIM background colour as 0xAARRGGBB: informative only, see the class comment. */
    public int backgroundColor() {
        return backgroundColor;
    }

    public boolean hasNext() {
        return nextIndex < frameOffsets.length;
    }

    /**
     * Decodes the next frame and composites it onto the canvas.
     *
     * @throws CodecException naming the frame when its structure or bitstream cannot be decoded
     * @throws NoSuchElementException after the last frame
     */
    public Composited next() {
        if (!hasNext()) {
            throw new NoSuchElementException("All " + frameOffsets.length
                    + " frames of " + file + " were read");
        }
        int index = nextIndex++;
        if (dispose != null) {
            clear(dispose);
            dispose = null;
        }
        SubFrame f = readFrame(index);
        byte[] pixels = decode(f, index);
        paint(f, pixels);
        if (f.disposeToBackground) {
            dispose = new int[] {f.x, f.y, f.w, f.h};
        }
        ByteBuffer out = (ByteBuffer) picture.image[0];
        for (int row = 0; row < height; row++) { // JavaCV pads rows to 8 bytes: odd widths
            out.position(row * picture.imageStride);
            out.put(canvas, row * width * 4, width * 4);
        }
        out.position(0);
        long ts = timestampMs;
        timestampMs += f.durationMs;
        return new Composited(index, picture, ts, f.durationMs, isOpaque(picture));
    }

    @Override
    public void close() {
        if (decoder != null) {
            avcodec_free_context(decoder);
            decoder = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (decoded != null) {
            av_frame_free(decoded);
            decoded = null;
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (rgba != null) {
            rgba.close();
            rgba = null;
        }
        picture.close();
        closeQuietly(source);
    }

    // --- structure ------------------------------------------------------------------------

    /** What the chunk walk found: canvas, ANIM fields and where each ANMF body starts. */
    private record Header(int width, int height, int background, int loops, long[] offsets,
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
    private record SubFrame(int x, int y, int w, int h, int durationMs, boolean blend,
            boolean disposeToBackground, String codec, byte[] bitstream, byte[] alph) {
    }

    private SubFrame readFrame(int index) {
        String name = "frame " + index + " (ANMF at offset " + (frameOffsets[index] - 8) + ")";
        try {
            Cursor f = Cursor.over(source, FORMAT);
            f.seek(frameOffsets[index]);
            f = f.region(frameSizes[index], name);
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

    // --- decoding -------------------------------------------------------------------------

    private void openDecoder() {
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_WEBP);
        if (codec == null) {
            throw new CodecException("Cannot decode animated WebP " + file
                    + ": expected FFmpeg to have a webp decoder, found none");
        }
        decoder = avcodec_alloc_context3(codec);
        packet = av_packet_alloc();
        decoded = av_frame_alloc();
        if (decoder == null || packet == null || decoded == null) {
            throw new CodecException("Cannot decode animated WebP " + file
                    + ": FFmpeg could not allocate a decoder");
        }
        decoder.thread_count(1);
        int ret = avcodec_open2(decoder, codec, (PointerPointer<?>) null);
        if (ret < 0) {
            throw new CodecException("Cannot decode animated WebP " + file
                    + ": expected the webp decoder to open, FFmpeg returned "
                    + FfmpegSupport.errorText(ret));
        }
        rgba = new BytePointer((long) width * height * 4);
    }

    /** Decodes one frame's re-wrapped still to packed RGBA of the frame's size. */
    private byte[] decode(SubFrame f, int index) {
        String what = "frame " + index + " of animated WebP " + file + " (" + f.codec.trim()
                + (f.alph != null ? "+ALPH " : " ") + f.w + "x" + f.h + " at " + f.x + "," + f.y
                + ")";
        byte[] still = stillOf(f.codec, f.bitstream, f.alph, f.w, f.h);
        check(av_new_packet(packet, still.length), "allocate a packet", what);
        packet.data().put(still);
        int ret = avcodec_send_packet(decoder, packet);
        av_packet_unref(packet);
        check(ret, "send the bitstream to the webp decoder", what);
        ret = avcodec_receive_frame(decoder, decoded);
        if (ret == AVERROR_EAGAIN) {
            throw new CodecException("Cannot decode " + what
                    + ": expected the webp decoder to return a picture, found none");
        }
        check(ret, "decode", what);
        try {
            if (decoded.width() != f.w || decoded.height() != f.h) {
                throw new CodecException("Cannot decode " + what + ": decoded to "
                        + decoded.width() + "x" + decoded.height() + ", expected " + f.w + "x"
                        + f.h + " as ANMF says");
            }
            sws = sws_getCachedContext(sws, f.w, f.h, decoded.format(), f.w, f.h,
                    AV_PIX_FMT_RGBA, SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null,
                    null, (DoublePointer) null);
            if (sws == null) {
                throw new CodecException("Cannot decode " + what + ": swscale cannot convert "
                        + FfmpegSupport.pixelFormatName(decoded.format()) + " to RGBA");
            }
            try (PointerPointer<BytePointer> planes = new PointerPointer<>(rgba, null, null, null);
                    IntPointer strides = new IntPointer(f.w * 4, 0, 0, 0)) {
                int rows = sws_scale(sws, decoded.data(), decoded.linesize(), 0, f.h, planes,
                        strides);
                if (rows != f.h) {
                    throw new CodecException("Cannot decode " + what + ": converting to RGBA gave "
                            + rows + " rows, expected " + f.h);
                }
            }
            byte[] pixels = new byte[f.w * f.h * 4];
            rgba.position(0).get(pixels);
            return pixels;
        } finally {
            av_frame_unref(decoded);
        }
    }

    private static void check(int ret, String action, String what) {
        if (ret < 0) {
            throw new CodecException("Cannot decode " + what + ": cannot " + action
                    + ", FFmpeg returned " + FfmpegSupport.errorText(ret));
        }
    }

    // --- compositing ----------------------------------------------------------------------

    /**
     * Paints a frame's RGBA at its offset: copied when it does not blend, else alpha-blended
     * over the canvas with libwebp's non-premultiplied formula ({@code BlendPixelNonPremult}).
     */
    private void paint(SubFrame f, byte[] src) {
        for (int row = 0; row < f.h; row++) {
            int s = row * f.w * 4;
            int d = ((f.y + row) * width + f.x) * 4;
            if (!f.blend) {
                System.arraycopy(src, s, canvas, d, f.w * 4);
                continue;
            }
            for (int col = 0; col < f.w; col++, s += 4, d += 4) {
                int srcA = src[s + 3] & 0xff;
                if (srcA == 255) {
                    canvas[d] = src[s];
                    canvas[d + 1] = src[s + 1];
                    canvas[d + 2] = src[s + 2];
                    canvas[d + 3] = (byte) 255;
                } else if (srcA != 0) {
                    int dstA = canvas[d + 3] & 0xff;
                    int dstFactorA = (dstA * (256 - srcA)) >> 8;
                    int blendA = srcA + dstFactorA;
                    long scale = (1L << 24) / blendA;
                    for (int c = 0; c < 3; c++) {
                        long v = (src[s + c] & 0xff) * (long) srcA
                                + (canvas[d + c] & 0xff) * (long) dstFactorA;
                        canvas[d + c] = (byte) ((v * scale) >> 24);
                    }
                    canvas[d + 3] = (byte) blendA;
                }
            }
        }
    }

    /** Makes a rectangle {x, y, w, h} of the canvas transparent (dispose to background). */
    private void clear(int[] rect) {
        for (int row = 0; row < rect[3]; row++) {
            int d = ((rect[1] + row) * width + rect[0]) * 4;
            Arrays.fill(canvas, d, d + rect[2] * 4, (byte) 0);
        }
    }

    /** True when every pixel of a packed RGBA frame is fully opaque. */
    static boolean isOpaque(Frame rgba) {
        ByteBuffer buf = (ByteBuffer) rgba.image[0];
        for (int y = 0; y < rgba.imageHeight; y++) {
            int row = y * rgba.imageStride;
            for (int x = 0; x < rgba.imageWidth; x++) {
                if (buf.get(row + x * 4 + 3) != (byte) 255) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder(4);
        for (char ch : id.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return sb.toString();
    }

    private static void closeQuietly(FileByteSource source) {
        try {
            source.close();
        } catch (IOException e) {
            // read-only file handle: nothing was written that could be lost
        }
    }
}
