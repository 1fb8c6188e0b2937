package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.Limits;
import java.nio.file.Path;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoding pictures with FFmpeg's grabber, as the still and poster paths share it: opening an
 * untrusted file safely, the decoder's {@code lowres}, the stream's stored size and pixel format,
 * and the representative frame of an animation (GIF, APNG, animated WebP).
 */
final class FfmpegStills {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegStills.class);
    /** Frames of an animation decoded, at most, to choose its still from. */
    static final int ANIMATION_FRAMES = 8;
    /** FFmpeg input formats whose files can hold an animation FFmpeg decodes. */
    private static final Set<String> ANIMATED_FORMATS = Set.of("gif", "apng");

    private FfmpegStills() {
    }

    static FFmpegFrameGrabber openGrabber(String file, int lowres) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file);
        grabber.setPixelFormat(AV_PIX_FMT_RGBA);
        // Untrusted files: never follow references (HLS, concat, ...) to other protocols, and do
        // not let image2 treat a '%' in the file name as a sequence pattern.
        grabber.setOption("protocol_whitelist", "file");
        grabber.setOption("pattern_type", "none");
        if (lowres > 0) {
            grabber.setVideoOption("lowres", Integer.toString(lowres));
        }
        return grabber;
    }

    static void start(FFmpegFrameGrabber grabber, String file, String expected) {
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot open " + file + ": expected " + expected
                    + " FFmpeg can demux, found: " + e.getMessage(), e);
        }
    }

    static AVCodecParameters videoParameters(FFmpegFrameGrabber grabber) {
        AVFormatContext fc = grabber.getFormatContext();
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            AVCodecParameters par = fc.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
                return par;
            }
        }
        return null;
    }

    /** The decoder's own pixel format of the first video stream, or AV_PIX_FMT_NONE. */
    static int nativePixelFormat(FFmpegFrameGrabber grabber) {
        AVCodecParameters par = videoParameters(grabber);
        return par == null ? AV_PIX_FMT_NONE : par.format();
    }

    /** Full stored size (before lowres) from the stream, else the decoded frame's size. */
    static int[] storedSize(FFmpegFrameGrabber grabber, Frame decoded) {
        AVCodecParameters par = videoParameters(grabber);
        if (par != null && par.width() >= decoded.imageWidth
                && par.height() >= decoded.imageHeight) {
            return new int[] {par.width(), par.height()};
        }
        return new int[] {decoded.imageWidth, decoded.imageHeight};
    }

    /**
     * The decoder's {@code lowres} (decode at 1/2^n size) to use: the largest n the decoder
     * supports (JPEG: 3) that still leaves 1.5 times the largest box, else 0. Like libvips'
     * shrink-on-load: the DCT does the coarse reduction, Lanczos the final one.
     */
    static int lowresFor(int codecId, int width, int height, int largestBox) {
        AVCodec decoder = avcodec_find_decoder(codecId);
        int max = decoder == null ? 0 : decoder.max_lowres();
        int longest = Math.max(width, height);
        int n = 0;
        while (n < max && (longest >> (n + 1)) * 2L >= 3L * largestBox) {
            n++;
        }
        return n;
    }

    /**
     * The picture a still is made from: the only frame of a still image, or for an animation
     * (GIF, APNG) the best {@link FrameScore} among its first {@value #ANIMATION_FRAMES} frames,
     * so a blank or one-colour opening frame does not become the thumbnail. Frames of an
     * animation depend on the previous ones, so they are decoded in order; the bound keeps the
     * cost at a few frames' decode.
     *
     * @throws CodecException when not even one frame decodes
     */
    static Picked representative(FFmpegFrameGrabber grabber, String file)
            throws FrameGrabber.Exception {
        Frame first = grabber.grabImage();
        if (first == null || first.image == null) {
            throw new CodecException("Cannot make thumbnails of " + file
                    + ": expected at least one decodable picture, found none");
        }
        if (!ANIMATED_FORMATS.contains(grabber.getFormat())) {
            return new Picked(first, false);
        }
        return bestOf(first, grabber::grabImage, file);
    }

    /**
     * The still of an animated WebP, which FFmpeg cannot decode as an animation: the best
     * {@link FrameScore} among its first {@value #ANIMATION_FRAMES} frames, decoded and
     * composited by {@link AnimatedWebp} (transparent where no frame painted).
     *
     * @throws CodecException when the structure or the first frame cannot be decoded
     */
    static Picked animatedWebpStill(Path source, String file) {
        Limits limits = Limits.DEFAULTS;
        try (AnimatedWebp webp = AnimatedWebp.open(source, limits.maxFrames(),
                limits.maxPixels())) {
            return bestOf(webp.next().image(),
                    () -> webp.hasNext() ? webp.next().image() : null, file);
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e); // only FFmpeg's grabber throws it, not AnimatedWebp
        }
    }

    /** The next decoded frame (owned by its decoder), or null at the end. */
    @FunctionalInterface
    interface NextFrame {
        Frame next() throws FrameGrabber.Exception;
    }

    /**
     * The best {@link FrameScore} among {@code first} and the frames after it, at most
     * {@value #ANIMATION_FRAMES} in all; a frame that fails to decode ends the search.
     */
    static Picked bestOf(Frame first, NextFrame next, String file)
            throws FrameGrabber.Exception {
        Frame best = first.clone();
        FrameScore bestScore = FrameScore.of(best, 4);
        int index = 0;
        for (int i = 1; i < ANIMATION_FRAMES; i++) {
            Frame frame;
            try {
                frame = next.next();
            } catch (FrameGrabber.Exception | CodecException e) {
                LOG.warn("Cannot decode frame {} of {} ({}); choosing among the first {}", i,
                        file, e.getMessage(), i);
                CodecWarnings.warn(ReasonCode.FRAME_UNDECODABLE, "frame " + i + " of the animation could not be decoded ("
                        + e.getMessage() + "); the still was chosen among the first " + i);
                break;
            }
            if (frame == null || frame.image == null) {
                break;
            }
            FrameScore score = FrameScore.of(frame, 4);
            if (score.score() > bestScore.score()) {
                best.close();
                best = frame.clone();
                bestScore = score;
                index = i;
            }
        }
        LOG.debug("Still of animation {}: frame {} ({})", file, index, bestScore);
        return new Picked(best, true);
    }

    /** A decoded frame, and whether it is a copy that must be closed (else the grabber's). */
    record Picked(Frame frame, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                frame.close();
            }
        }
    }

    static CodecException decodeFailure(String file, FrameGrabber.Exception e) {
        return new CodecException("Cannot make thumbnails of " + file
                + ": expected an image FFmpeg can decode, found: " + e.getMessage(), e);
    }
}
