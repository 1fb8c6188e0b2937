package com.mediaflow.render;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.shared.codec.OnDemandRender;
import com.mediaflow.shared.codec.OnDemandRender.Pixels;
import com.mediaflow.shared.error.CodecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * AVIF renders: one AV1 intra frame (libaom-av1, which the FFmpeg we ship has, beside libsvtav1)
 * in FFmpeg's {@code avif} muxer, written to a scratch file (the muxer seeks back to finish its
 * boxes) and read back. Constant quality ({@link #CRF}), the encoder's fastest preset: a render is
 * made while a viewer waits. Kept apart from the JPEG and WebP path so that an AVIF encoder in
 * shared/codec can replace it.
 */
final class RenderAvif {
    static final String ENCODER = "libaom-av1";
    /** libaom's constant quality, 0-63: 30 is about WebP's quality 80 for photos. */
    static final int CRF = 30;

    private RenderAvif() {
    }

    static byte[] encode(Pixels pixels, Path workDir, String file) {
        Path out = null;
        try {
            Files.createDirectories(workDir);
            out = Files.createTempFile(workDir, "render-", ".avif");
            try (Frame frame = OnDemandRender.frame(pixels);
                    FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), pixels.width(), pixels.height(), 0)) {
                rec.setFormat("avif");
                rec.setVideoCodecName(ENCODER);
                rec.setPixelFormat(AV_PIX_FMT_YUV420P);
                rec.setFrameRate(1);
                rec.setVideoBitrate(0); // constant quality: crf alone
                rec.setVideoOption("crf", String.valueOf(CRF));
                rec.setVideoOption("cpu-used", "8");
                rec.setVideoOption("still-picture", "1");
                rec.start();
                rec.record(frame, AV_PIX_FMT_RGB24);
                rec.stop();
            }
            return Files.readAllBytes(out);
        } catch (FrameRecorder.Exception e) {
            throw new CodecException("Cannot encode " + file + " as AVIF (" + ENCODER + ", " + pixels.width() + "x"
                    + pixels.height() + "): expected FFmpeg to encode one frame, found: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the scratch folder " + workDir + ": " + e.getMessage(), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a scratch file left behind; the folder is the function's own
                }
            }
        }
    }
}
