package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

import com.mediaflow.shared.error.CodecException;

/**
 * Reads a media file's headers with FFmpeg: container, codecs, dimensions, duration, rotation,
 * pixel format.
 * Only {@code start()} runs (stream probing decodes at most a few packets); no frame is grabbed.
 */
public final class MediaProbe {

    private MediaProbe() {
    }

    /**
     * @throws CodecException when FFmpeg cannot open or probe the file
     */
    public static ProbeResult probe(Path file) {
        FfmpegSupport.init();
        String path = file.toAbsolutePath().toString();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(path)) {
            g.setImageMode(FrameGrabber.ImageMode.RAW); // no RGB conversion buffers
            g.setOption("protocol_whitelist", "file");
            g.setOption("pattern_type", "none");
            try {
                g.start();
            } catch (FrameGrabber.Exception e) {
                throw new CodecException("Cannot probe " + path + ": expected a media file FFmpeg "
                        + "can open, found: " + e.getMessage(), e);
            }
            String format = g.getFormat();
            boolean video = g.hasVideo();
            boolean audio = g.hasAudio();
            boolean still = video && !audio && isStillImageFormat(format, g);

            Integer width = video ? g.getImageWidth() : null;
            Integer height = video ? g.getImageHeight() : null;
            long lengthUs = g.getLengthInTime();
            Double duration = still || lengthUs <= 0 ? null : lengthUs / 1_000_000.0;
            String videoCodec = video ? FfmpegSupport.codecName(g.getVideoCodec()) : null;
            String audioCodec = audio ? FfmpegSupport.codecName(g.getAudioCodec()) : null;
            Double frameRate = null;
            if (video && !still) {
                double fps = g.getVideoFrameRate();
                frameRate = Double.isFinite(fps) && fps > 0 ? fps : null;
            }
            Integer rotation = video ? clockwiseRotation(g.getDisplayRotation()) : null;
            Integer channels = audio && g.getAudioChannels() > 0 ? g.getAudioChannels() : null;
            Integer sampleRate = audio && g.getSampleRate() > 0 ? g.getSampleRate() : null;
            Integer frames = null;
            if (still) {
                frames = 1;
            } else if (video) {
                long declared = videoStreamFrames(g);
                long estimated = g.getLengthInVideoFrames();
                long known = declared > 0 ? declared : estimated;
                frames = known > 0 && known <= Integer.MAX_VALUE ? Integer.valueOf((int) known)
                        : null;
            }
            int pixFmt = video ? videoStreamPixelFormat(g) : -1;
            String pixelFormat = pixFmt < 0 ? null : FfmpegSupport.pixelFormatName(pixFmt);
            Integer bitDepth = pixFmt < 0 ? null : FfmpegSupport.bitDepth(pixFmt);
            return new ProbeResult(format, width, height, duration, videoCodec, audioCodec,
                    frameRate, rotation, channels, sampleRate, frames, pixelFormat, bitDepth);
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot probe " + path + ": FFmpeg failed to release it: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Converts JavaCV's {@code getDisplayRotation()} (the display matrix angle, counter-clockwise,
     * as {@code av_display_rotation_get} returns it) to the clockwise rotation a player applies,
     * snapped to 0, 90, 180 or 270. This is what ffmpeg's autorotate uses, and what the legacy
     * {@code rotate} tag and {@code FFmpegFrameRecorder.setDisplayRotation} mean.
     */
    public static int clockwiseRotation(double displayMatrixDegrees) {
        if (!Double.isFinite(displayMatrixDegrees)) {
            return 0;
        }
        long quarterTurns = Math.round(-displayMatrixDegrees / 90.0);
        return (int) Math.floorMod(quarterTurns * 90, 360L);
    }

    /** Image demuxers: FFmpeg's image2 (by extension) and the *_pipe ones (by content). */
    private static boolean isStillImageFormat(String format, FFmpegFrameGrabber g) {
        if (format == null) {
            return false;
        }
        if (format.equals("image2") || format.endsWith("_pipe")) {
            return true;
        }
        // a GIF/WebP/APNG demuxer with a single frame is a still picture too
        return (format.equals("gif") || format.equals("webp") || format.equals("apng"))
                && videoStreamFrames(g) <= 1 && g.getLengthInVideoFrames() <= 1;
    }

    /** The first video stream's pixel format as probed, or -1 (AV_PIX_FMT_NONE). */
    private static int videoStreamPixelFormat(FFmpegFrameGrabber g) {
        AVFormatContext fc = g.getFormatContext();
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            AVStream st = fc.streams(i);
            if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                return st.codecpar().format();
            }
        }
        return -1;
    }

    private static long videoStreamFrames(FFmpegFrameGrabber g) {
        AVFormatContext fc = g.getFormatContext();
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            AVStream st = fc.streams(i);
            if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                return st.nb_frames();
            }
        }
        return 0;
    }
}
