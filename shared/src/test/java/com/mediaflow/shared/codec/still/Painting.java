package com.mediaflow.shared.codec.still;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_APNG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/** Test media written by FFmpeg's encoders: still WebPs and an APNG, of flat-coloured frames. */
final class Painting {

    private Painting() {
    }

    /** Fills a packed 4-byte frame with one grey level, alpha 128 (half transparent). */
    static void flat(Frame rgba, int level) {
        ByteBuffer buf = (ByteBuffer) rgba.image[0];
        for (int y = 0; y < rgba.imageHeight; y++) {
            for (int x = 0; x < rgba.imageWidth; x++) {
                int o = y * rgba.imageStride + x * 4;
                buf.put(o, (byte) level).put(o + 1, (byte) level).put(o + 2, (byte) level)
                        .put(o + 3, (byte) 128);
            }
        }
    }

    /** A still lossy WebP (libwebp), with its alpha plane (VP8X + ALPH) or without. */
    static Path webp(Path out, boolean alpha) {
        return record(out, "webp", "libwebp", 0, alpha ? AV_PIX_FMT_YUVA420P : AV_PIX_FMT_YUV420P,
                40, 30, 1);
    }

    /** An APNG of {@code frames} different frames, looping forever. */
    static Path apng(Path out, int w, int h, int frames) {
        return record(out, "apng", null, AV_CODEC_ID_APNG, AV_PIX_FMT_RGBA, w, h, frames);
    }

    private static Path record(Path out, String format, String encoder, int codecId,
            int pixelFormat, int w, int h, int frames) {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0);
                Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 4)) {
            rec.setFormat(format);
            if (encoder != null) {
                rec.setVideoCodecName(encoder);
            } else {
                rec.setVideoCodec(codecId);
            }
            rec.setPixelFormat(pixelFormat);
            rec.setFrameRate(10);
            if (frames > 1) {
                rec.setOption("plays", "0");
            }
            rec.start();
            for (int i = 0; i < frames; i++) {
                flat(frame, 40 + i * 60);
                rec.record(frame, AV_PIX_FMT_RGBA);
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new AssertionError("Cannot write " + out + " with FFmpeg's " + format
                    + " muxer: " + e.getMessage(), e);
        }
        return out;
    }
}
