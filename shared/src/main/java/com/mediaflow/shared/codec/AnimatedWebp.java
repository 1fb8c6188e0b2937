package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.AnimatedWebpChunks.FLAG_ANIMATION;
import static com.mediaflow.shared.codec.AnimatedWebpChunks.FORMAT;
import static com.mediaflow.shared.codec.AnimatedWebpChunks.ascii;
import static com.mediaflow.shared.codec.AnimatedWebpChunks.stillOf;
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

import com.mediaflow.shared.codec.AnimatedWebpChunks.Header;
import com.mediaflow.shared.codec.AnimatedWebpChunks.SubFrame;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 * <p>The parts: {@link AnimatedWebpChunks} reads the chunks and re-wraps each frame,
 * {@link AnimatedWebpCanvas} composites; this class decodes with FFmpeg and hands out the pictures.
 *
 * <p>Not thread-safe; one instance per file. Close it to free the native decoder.
 */
public final class AnimatedWebp implements AutoCloseable {

    private static final int AVERROR_EAGAIN = -11;

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
    private final AnimatedWebpCanvas canvas;
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
        this.width = header.width();
        this.height = header.height();
        this.backgroundColor = header.background();
        this.loopCount = header.loops();
        this.frameOffsets = header.offsets();
        this.frameSizes = header.sizes();
        this.durations = header.durations();
        this.canvas = new AnimatedWebpCanvas(width, height);
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
            canvas.clear(dispose);
            dispose = null;
        }
        SubFrame f = AnimatedWebpChunks.readFrame(file, source, index, frameOffsets[index], frameSizes[index],
                width, height);
        byte[] pixels = decode(f, index);
        canvas.paint(f, pixels);
        if (f.disposeToBackground()) {
            dispose = new int[] {f.x(), f.y(), f.w(), f.h()};
        }
        canvas.copyTo(picture);
        long ts = timestampMs;
        timestampMs += f.durationMs();
        return new Composited(index, picture, ts, f.durationMs(), isOpaque(picture));
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
        String what = "frame " + index + " of animated WebP " + file + " (" + f.codec().trim()
                + (f.alph() != null ? "+ALPH " : " ") + f.w() + "x" + f.h() + " at " + f.x() + "," + f.y()
                + ")";
        byte[] still = stillOf(f.codec(), f.bitstream(), f.alph(), f.w(), f.h());
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
            if (decoded.width() != f.w() || decoded.height() != f.h()) {
                throw new CodecException("Cannot decode " + what + ": decoded to "
                        + decoded.width() + "x" + decoded.height() + ", expected " + f.w() + "x"
                        + f.h() + " as ANMF says");
            }
            sws = sws_getCachedContext(sws, f.w(), f.h(), decoded.format(), f.w(), f.h(),
                    AV_PIX_FMT_RGBA, SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null,
                    null, (DoublePointer) null);
            if (sws == null) {
                throw new CodecException("Cannot decode " + what + ": swscale cannot convert "
                        + FfmpegSupport.pixelFormatName(decoded.format()) + " to RGBA");
            }
            try (PointerPointer<BytePointer> planes = new PointerPointer<>(rgba, null, null, null);
                    IntPointer strides = new IntPointer(f.w() * 4, 0, 0, 0)) {
                int rows = sws_scale(sws, decoded.data(), decoded.linesize(), 0, f.h(), planes,
                        strides);
                if (rows != f.h()) {
                    throw new CodecException("Cannot decode " + what + ": converting to RGBA gave "
                            + rows + " rows, expected " + f.h());
                }
            }
            byte[] pixels = new byte[f.w() * f.h() * 4];
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

    private static void closeQuietly(FileByteSource source) {
        try {
            source.close();
        } catch (IOException e) {
            // read-only file handle: nothing was written that could be lost
        }
    }
}
