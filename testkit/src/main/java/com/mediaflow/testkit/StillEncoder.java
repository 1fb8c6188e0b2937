package com.mediaflow.testkit;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_error_string;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
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
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

/**
 * One packed frame to one JPEG or PNG in memory, with libavcodec directly: the same calls as
 * shared's {@code FfmpegSupport.encodeStill}, so that synthetic stills keep their bytes, kept here
 * because the test kit depends on no Mediaflow module (shared's own tests use it).
 */
final class StillEncoder {
    /** The mjpeg qscale for libjpeg quality 90 ({@code FfmpegSupport.qscaleForQuality(90)}). */
    static final int JPEG_QUALITY_90_QSCALE = 2;

    private StillEncoder() {
    }

    /**
     * Encodes one packed frame (RGB24, RGBA) as a single still image: converts it with swscale to
     * {@code dstPixFmt} and runs the encoder {@code codecId} once.
     *
     * @param qscale fixed quantiser for lossy codecs (mjpeg), or 0 for the codec's default
     * @param file for error messages
     */
    static byte[] encode(Frame frame, int srcPixFmt, int codecId, int dstPixFmt, int qscale, Path file) {
        av_log_set_level(AV_LOG_ERROR);
        AVCodec codec = avcodec_find_encoder(codecId);
        if (codec == null) {
            throw new SyntheticMediaException("Cannot encode " + file + ": expected FFmpeg to have a "
                    + name(avcodec_get_name(codecId)) + " encoder, found none");
        }
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
            sws = sws_getContext(w, h, srcPixFmt, w, h, dstPixFmt,
                    SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, null, null,
                    (DoublePointer) null);
            if (sws == null) {
                throw new SyntheticMediaException("Cannot convert " + pixelFormatName(srcPixFmt) + " to "
                        + pixelFormatName(dstPixFmt) + " while encoding " + what
                        + ": swscale refused the conversion");
            }
            check(sws_scale_frame(sws, dst, src), "convert the picture to "
                    + pixelFormatName(dstPixFmt), what);

            ctx = avcodec_alloc_context3(codec);
            ctx.width(w).height(h).pix_fmt(dstPixFmt).time_base(av_make_q(1, 25));
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
            throw new SyntheticMediaException("Cannot " + action + " while encoding " + what
                    + ": expected success, FFmpeg returned " + errorText(ret));
        }
    }

    private static String pixelFormatName(int pixFmt) {
        BytePointer name = av_get_pix_fmt_name(pixFmt);
        return name == null ? "none(" + pixFmt + ")" : name.getString();
    }

    private static String name(BytePointer name) {
        return name == null ? null : name.getString();
    }

    private static String errorText(int code) {
        try (BytePointer buf = new BytePointer(256)) {
            av_make_error_string(buf, 256, code);
            return buf.getString() + " (" + code + ")";
        }
    }
}
