package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import com.mediaflow.shared.error.CodecException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Every other still (PNG, GIF and APNG, BMP, TIFF, still WebP, CMYK or 12-bit or damaged JPEGs) as
 * packed RGBA through FFmpeg's grabber; of an animation, its representative frame. JPEGs much
 * larger than every rendition are decoded with the mjpeg decoder's {@code lowres}, keeping at
 * least 1.5x the largest need. Takes every file: its failure to decode is the verdict.
 */
final class FfmpegStillDecoder implements StillDecoder {

    @Override
    public Optional<DecodedStill> decode(Path source, String file, int exifOrientation, IntBinaryOperator largestNeed) {
        int lowres;
        FFmpegFrameGrabber grabber = FfmpegStills.openGrabber(file, 0);
        try {
            FfmpegStills.start(grabber, file, "an image");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot make thumbnails of " + file
                        + ": expected an image, found no picture stream (format " + grabber.getFormat() + ")");
            }
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            lowres = FfmpegStills.lowresFor(grabber.getVideoCodec(), w, h, largestNeed.applyAsInt(w, h));
            if (lowres == 0) {
                DecodedStill still = decoded(grabber, file, exifOrientation);
                grabber = null;
                return Optional.of(still);
            }
        } finally {
            release(grabber, file);
        }
        // Much larger than every box and a decoder that can scale while decoding (JPEG's DCT
        // scaling): reopen with lowres, which skips most of the IDCT and all of the full-size
        // colour conversion and scaling.
        grabber = FfmpegStills.openGrabber(file, lowres);
        try {
            FfmpegStills.start(grabber, file, "an image");
            DecodedStill still = decoded(grabber, file, exifOrientation);
            grabber = null;
            return Optional.of(still);
        } finally {
            release(grabber, file);
        }
    }

    /** The representative frame, owned with its grabber by the result. */
    private static DecodedStill decoded(FFmpegFrameGrabber grabber, String file, int exifOrientation) {
        try {
            FfmpegStills.Picked picked = FfmpegStills.representative(grabber, file);
            Frame frame = picked.frame();
            boolean alpha = FfmpegSupport.hasAlpha(FfmpegStills.nativePixelFormat(grabber));
            return new DecodedStill(frame, AV_PIX_FMT_RGBA, alpha, Transform.ofExif(exifOrientation),
                    FfmpegStills.storedSize(grabber, frame), () -> {
                        try (grabber; picked) {
                            // the picked frame first (a copy, for an animation), then the grabber
                        }
                    });
        } catch (FrameGrabber.Exception e) {
            throw FfmpegStills.decodeFailure(file, e);
        }
    }

    private static void release(FFmpegFrameGrabber grabber, String file) {
        if (grabber == null) {
            return;
        }
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            throw FfmpegStills.decodeFailure(file, e);
        }
    }
}
