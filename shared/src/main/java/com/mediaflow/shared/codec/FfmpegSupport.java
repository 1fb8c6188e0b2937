package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_ALPHA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_PAL;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_error_string;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INP;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

import com.mediaflow.shared.error.CodecException;

/**
 * Small pieces of FFmpeg plumbing shared by the codec classes: silencing FFmpeg's console output
 * once, error strings, and encoding one packed frame into a single still image (JPEG, PNG) in
 * memory with libavcodec directly.
 *
 * <p>Why not push planar frames through JavaCV: {@code FFmpegFrameFilter.push} and {@code pull}
 * only carry the first plane of a frame, so planar YUV between JavaCV and a filter is corrupted.
 * Every frame crossing the JavaCV boundary here is packed (RGB24 or RGBA); conversion to the
 * encoder's planar format happens inside this class with swscale.
 */
public final class FfmpegSupport {

    static {
        // Loads the avutil natives and silences the "Input #0" dumps and decoder chatter.
        av_log_set_level(AV_LOG_ERROR);
    }

    private FfmpegSupport() {
    }

    /** Triggers the static initialiser (log level); cheap to call repeatedly. */
    public static void init() {
        // the static block does the work
    }

    /** FFmpeg's text for an AVERROR code, e.g. "Invalid data found when processing input". */
    public static String errorText(int code) {
        try (BytePointer buf = new BytePointer(256)) {
            av_make_error_string(buf, 256, code);
            // getString() reads the whole buffer: stop at the C string's end, not at uninitialised memory
            String text = buf.getString();
            int end = text.indexOf('\0');
            return (end < 0 ? text : text.substring(0, end)) + " (" + code + ")";
        }
    }

    public static String codecName(int codecId) {
        BytePointer name = avcodec_get_name(codecId);
        return name == null ? null : name.getString();
    }

    public static String pixelFormatName(int pixFmt) {
        BytePointer name = av_get_pix_fmt_name(pixFmt);
        return name == null ? "none(" + pixFmt + ")" : name.getString();
    }

    /**
     * Bits per colour component of a pixel format: the depth of its first component (8 for
     * "yuvj420p" and "pal8", 16 for "rgb48be", 1 for "monob"); null when unknown.
     */
    static Integer bitDepth(int pixFmt) {
        if (pixFmt < 0) {
            return null;
        }
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(pixFmt);
        if (desc == null || desc.nb_components() == 0) {
            return null;
        }
        int depth = desc.comp(0).depth();
        return depth > 0 ? depth : null;
    }

    /**
     * True when the pixel format has an alpha channel. Palettes do not count: FFmpeg flags
     * "pal8" with alpha because its palette entries are RGBA, whether or not any is transparent.
     */
    static boolean hasAlphaChannel(int pixFmt) {
        AVPixFmtDescriptor desc = pixFmt < 0 ? null : av_pix_fmt_desc_get(pixFmt);
        return desc != null && (desc.flags() & AV_PIX_FMT_FLAG_ALPHA) != 0
                && (desc.flags() & AV_PIX_FMT_FLAG_PAL) == 0;
    }

    /** True when the pixel format is a palette ("pal8"). */
    static boolean isPalette(int pixFmt) {
        AVPixFmtDescriptor desc = pixFmt < 0 ? null : av_pix_fmt_desc_get(pixFmt);
        return desc != null && (desc.flags() & AV_PIX_FMT_FLAG_PAL) != 0;
    }

    /** True when the pixel format carries transparency (alpha channel or an RGBA palette). */
    static boolean hasAlpha(int pixFmt) {
        if (pixFmt < 0) {
            return true; // unknown: be safe, decode with alpha and flatten
        }
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(pixFmt);
        return desc == null || (desc.flags() & (AV_PIX_FMT_FLAG_ALPHA | AV_PIX_FMT_FLAG_PAL)) != 0;
    }

    /**
     * Maps a libjpeg-style quality (1-100) to the mjpeg encoder's fixed qscale (1-31).
     *
     * <p>libjpeg quantises with the JPEG Annex K tables scaled by {@code S/100}, where
     * {@code S = q < 50 ? 5000/q : 200 - 2q}. FFmpeg's mjpeg encoder instead uses the MPEG-1
     * default intra matrix scaled by {@code qscale/8} (DC fixed at 8), as the DQT segments it
     * writes show. Equating the geometric means of the 63 AC entries (Annex K luma 46.0, MPEG-1
     * 31.4) gives {@code qscale = 0.1173 * S}: quality 95 -> 1, 90 -> 2, 85 -> 4, 75 -> 6,
     * 50 -> 12, 30 and below -> 20..31.
     */
    static int qscaleForQuality(int jpegQuality) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException(
                    "JPEG quality must be 1-100 (libjpeg scale), found " + jpegQuality);
        }
        double scale = jpegQuality < 50 ? 5000.0 / jpegQuality : 200.0 - 2.0 * jpegQuality;
        long qscale = Math.round(scale * ANNEX_K_TO_MPEG1_QSCALE);
        return (int) Math.max(1, Math.min(31, qscale));
    }

    /** {@code compression_level} meaning "the encoder's default" (FFmpeg's FF_COMPRESSION_DEFAULT). */
    static final int DEFAULT_COMPRESSION = -1;

    /** geomean(Annex K luma AC) / (geomean(MPEG-1 intra AC) / 8) / 100. */
    private static final double ANNEX_K_TO_MPEG1_QSCALE = 0.11727;

    /**
     * Encodes one packed frame (RGB24/BGR24/RGBA...) as a single still image: converts it with
     * swscale to {@code dstPixFmt} and runs the encoder {@code codecId} once.
     *
     * @param qscale fixed quantiser for lossy codecs (mjpeg), or 0 for the codec's default
     * @param file for error messages
     */
    static byte[] encodeStill(Frame frame, int srcPixFmt, int codecId, int dstPixFmt, int qscale,
            Path file) {
        init();
        AVCodec codec = avcodec_find_encoder(codecId);
        if (codec == null) {
            throw new CodecException("Cannot encode " + file + ": expected FFmpeg to have a "
                    + codecName(codecId) + " encoder, found none");
        }
        return encodeStill(frame, srcPixFmt, codec, dstPixFmt, qscale, DEFAULT_COMPRESSION, file);
    }

    /** As {@link #encodeStill(Frame, int, int, int, int, Path)}, by encoder name ("libwebp"). */
    static byte[] encodeStill(Frame frame, int srcPixFmt, String encoderName, int dstPixFmt,
            int qscale, Path file) {
        return encodeStill(frame, srcPixFmt, encoderName, dstPixFmt, qscale, DEFAULT_COMPRESSION,
                file);
    }

    /**
     * As {@link #encodeStill(Frame, int, String, int, int, Path)}, with the encoder's
     * {@code compression_level} (libwebp: its method, 0 fastest to 6 smallest), or
     * {@link #DEFAULT_COMPRESSION} for the encoder's default.
     */
    static byte[] encodeStill(Frame frame, int srcPixFmt, String encoderName, int dstPixFmt,
            int qscale, int compressionLevel, Path file) {
        init();
        AVCodec codec = avcodec_find_encoder_by_name(encoderName);
        if (codec == null) {
            throw new CodecException("Cannot encode " + file + ": expected FFmpeg to have the "
                    + encoderName + " encoder, found none");
        }
        return encodeStill(frame, srcPixFmt, codec, dstPixFmt, qscale, compressionLevel, file);
    }

    private static byte[] encodeStill(Frame frame, int srcPixFmt, AVCodec codec, int dstPixFmt,
            int qscale, int compressionLevel, Path file) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        String what = codec.name().getString() + " " + w + "x" + h + " for " + file;
        AVFrame src = av_frame_alloc();
        AVFrame dst = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        AVCodecContext ctx = null;
        SwsContext sws = null;
        try (BytePointer data = new BytePointer((ByteBuffer) frame.image[0]).position(0)) {
            src.format(srcPixFmt).width(w).height(h);
            src.data(0, data);
            src.linesize(0, frame.imageStride * Math.abs(frame.imageDepth) / 8);

            dst.format(dstPixFmt).width(w).height(h);
            check(av_frame_get_buffer(dst, 0), "allocate a " + pixelFormatName(dstPixFmt)
                    + " picture", what);
            // No SWS_ACCURATE_RND: it turns off swscale's SIMD RGB-to-YUV paths, and cost about 6 %
            // of all of a photo's renditions for rounding differences the quality tests do not see
            sws = sws_getContext(w, h, srcPixFmt, w, h, dstPixFmt,
                    SWS_BICUBIC | SWS_FULL_CHR_H_INP, null, null,
                    (DoublePointer) null);
            if (sws == null) {
                throw new CodecException("Cannot convert " + pixelFormatName(srcPixFmt) + " to "
                        + pixelFormatName(dstPixFmt) + " while encoding " + what
                        + ": swscale refused the conversion");
            }
            check(sws_scale_frame(sws, dst, src), "convert the picture to "
                    + pixelFormatName(dstPixFmt), what);

            ctx = avcodec_alloc_context3(codec);
            ctx.width(w).height(h).pix_fmt(dstPixFmt).time_base(av_make_q(1, 25));
            if (compressionLevel != DEFAULT_COMPRESSION) {
                ctx.compression_level(compressionLevel);
            }
            if (qscale > 0) {
                ctx.flags(ctx.flags() | AV_CODEC_FLAG_QSCALE);
                ctx.global_quality(qscale * FF_QP2LAMBDA);
                ctx.qmin(1).qmax(31);
                dst.quality(qscale * FF_QP2LAMBDA);
            }
            if (pixelFormatName(dstPixFmt).startsWith("yuvj")) {
                ctx.color_range(AVCOL_RANGE_JPEG);
                dst.color_range(AVCOL_RANGE_JPEG);
            }
            dst.pict_type(AV_PICTURE_TYPE_I);
            check(avcodec_open2(ctx, codec, (PointerPointer<?>) null), "open the encoder", what);
            check(avcodec_send_frame(ctx, dst), "send the picture to the encoder", what);
            check(avcodec_send_frame(ctx, null), "flush the encoder", what);
            check(avcodec_receive_packet(ctx, pkt), "receive the encoded picture", what);
            byte[] out = new byte[pkt.size()];
            pkt.data().get(out);
            return out;
        } finally {
            src.data(0, null);
            av_frame_free(src);
            av_frame_free(dst);
            av_packet_free(pkt);
            if (ctx != null) {
                avcodec_free_context(ctx);
            }
            if (sws != null) {
                sws_freeContext(sws);
            }
        }
    }

    private static void check(int ret, String action, String what) {
        if (ret < 0) {
            throw new CodecException("Cannot " + action + " while encoding " + what
                    + ": expected success, FFmpeg returned " + errorText(ret));
        }
    }
}
