package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes an sRGB still as an AVIF: one AV1 picture by libsvtav1 (SVT-AV1 2.2.0 in the FFmpeg we
 * ship, which also has libaom-av1; our AVIF decoding uses libaom-av1's decoder), 8-bit 4:2:0, limited
 * range, BT.601 matrix, sRGB primaries and transfer (CICP 1/13/6), written by FFmpeg's {@code avif} muxer
 * (major brand {@code avif}, a {@code meta} with the primary item and its {@code av1C}, {@code ispe},
 * {@code colr}).
 *
 * <p>For the on-demand render function, not the thumbnail step: adding an AVIF to every still's
 * renditions would change every READY item's outputs and the thumbnail function's cold start.
 *
 * <p>Alpha is not kept: FFmpeg's avif muxer takes alpha as a second AV1 stream, which JavaCV's
 * recorder does not write. An RGBA input's colour is encoded as it is stored; flatten it first.
 * libsvtav1 takes pictures of at least {@value #MIN_SIDE} x {@value #MIN_SIDE} pixels.
 */
public final class AvifEncoder {
    public static final String ENCODER = "libsvtav1";
    public static final String CONTENT_TYPE = "image/avif";
    /** libsvtav1 refuses smaller pictures. */
    public static final int MIN_SIDE = 64;
    /** Quality for thumbnails and display sizes: CRF 0-63, lower is better. */
    public static final int DEFAULT_CRF = 32;
    /** SVT-AV1 preset 0-13, higher is faster and larger; 10 suits a render on the request path. */
    public static final int DEFAULT_PRESET = 10;

    private final int crf;
    private final int preset;

    /** {@link #DEFAULT_CRF}, {@link #DEFAULT_PRESET}. */
    public AvifEncoder() {
        this(DEFAULT_CRF, DEFAULT_PRESET);
    }

    public AvifEncoder(int crf, int preset) {
        if (crf < 0 || crf > 63) {
            throw new IllegalArgumentException("Expected an SVT-AV1 CRF of 0..63, found " + crf);
        }
        if (preset < 0 || preset > 13) {
            throw new IllegalArgumentException("Expected an SVT-AV1 preset of 0..13, found " + preset);
        }
        this.crf = crf;
        this.preset = preset;
    }

    /** Whether this FFmpeg build has the AV1 encoder. */
    public static boolean available() {
        FfmpegSupport.init();
        return avcodec_find_encoder_by_name(ENCODER) != null;
    }

    /**
     * @param image a packed 8-bit picture, RGB24 or RGBA
     * @param pixelFormat {@code AV_PIX_FMT_RGB24} or {@code AV_PIX_FMT_RGBA}
     * @param out the AVIF file to write (replaced)
     * @return its size in bytes
     * @throws CodecException the picture cannot be encoded (no encoder, too small)
     * @throws StorageException the file cannot be written
     */
    public long encode(Frame image, int pixelFormat, Path out) {
        if (pixelFormat != AV_PIX_FMT_RGB24 && pixelFormat != AV_PIX_FMT_RGBA) {
            throw new IllegalArgumentException("Expected a packed RGB24 or RGBA picture, found pixel format "
                    + FfmpegSupport.pixelFormatName(pixelFormat));
        }
        int w = image.imageWidth;
        int h = image.imageHeight;
        if (w < MIN_SIDE || h < MIN_SIDE) {
            throw new CodecException("Cannot encode a " + w + "x" + h + " AVIF: expected at least " + MIN_SIDE + "x"
                    + MIN_SIDE + " (libsvtav1's smallest picture)");
        }
        if (!available()) {
            throw new CodecException("Cannot encode " + out + ": expected FFmpeg to have the " + ENCODER
                    + " encoder, found none");
        }
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
            r.setFormat("avif");
            r.setVideoCodecName(ENCODER);
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setFrameRate(1);
            r.setGopSize(1);
            r.setVideoBitrate(0); // JavaCV defaults to 400 kb/s, which SVT-AV1 refuses with CRF
            r.setVideoOption("crf", Integer.toString(crf));
            r.setVideoOption("preset", Integer.toString(preset));
            r.setVideoOption("svtav1-params", "lp=1"); // one thread: the same bytes on any machine
            // what swscale's RGB to YUV conversion in the recorder does (BT.601 matrix, limited range),
            // with sRGB primaries and transfer: CICP 1/13/6, libavif's default for 8-bit
            r.setVideoOption("color_range", "tv");
            r.setVideoOption("colorspace", "smpte170m");
            r.setVideoOption("color_primaries", "bt709");
            r.setVideoOption("color_trc", "iec61966-2-1");
            r.setOption("fflags", "+bitexact");
            r.start();
            r.record(image, pixelFormat);
            r.stop();
        } catch (FrameRecorder.Exception e) {
            throw new CodecException("Cannot encode a " + w + "x" + h + " AVIF with " + ENCODER + " to " + out
                    + ": " + e.getMessage(), e);
        }
        try {
            return Files.size(out);
        } catch (IOException e) {
            throw new StorageException("Cannot read the size of " + out + ": " + e.getMessage(), e);
        }
    }
}
