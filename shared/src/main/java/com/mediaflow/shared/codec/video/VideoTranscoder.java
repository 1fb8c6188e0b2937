package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_HIGH;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.shared.codec.FfmpegSupport;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * Transcodes one video into an H.264 High / AAC-LC MP4 ladder in a single pass: one decode feeds
 * every rendition (one libx264 encoder per rung).
 *
 * <p>Per-frame path, all native: the decoder's {@code AVFrame} (JavaCV grabber in RAW mode, so no
 * conversion or copy) enters a libavfilter graph by reference; the graph applies the display
 * rotation ({@code transpose}), tone-maps PQ/HLG to SDR BT.709 ({@code zscale}+{@code tonemap}),
 * splits, and scales each branch to its rung in yuv420p. Each output frame is copied once into a
 * contiguous buffer (JavaCV's recorder expects packed planes) that the recorder hands to libx264
 * without conversion. Frames never pass through BGR or the Java heap.
 *
 * <p>Threads, as the ffmpeg CLI's pipeline: the calling thread demuxes, decodes and filters;
 * each rung has its own encoder thread, fed through a small bounded queue with frame references
 * (no copy) and audio in recording order, so encoding overlaps decoding and the rungs encode in
 * parallel. Each recorder is driven by its thread alone and sees exactly the calls a single
 * thread would make: the output does not depend on the threading. The first failure of any
 * thread stops the others and is thrown by {@code transcode} as it was raised.
 *
 * <p>Timestamps pass through (variable frame rate kept): each frame's time is given to its
 * recorder, rounded to the encoder's time base 1/fps, where fps is the stream's real base rate;
 * a frame that would land on the same tick as the previous one is dropped, as ffmpeg's
 * {@code -fps_mode vfr} does. Audio is decoded once, aligned with the first video frame (trimmed
 * or padded with silence) and encoded to AAC per rendition.
 *
 * <p>Animated GIF (and any video source without audio) gives silent outputs; for GIF the result
 * is flagged {@link TranscodeResult#animated()} so players loop it. Animated WebP, which FFmpeg
 * cannot demux, has its own entry point, {@link #transcodeAnimatedWebp}.
 *
 * <p>This class holds the entry points and the encoder options; the work is in
 * {@link SourceTranscode} (demux, decode, filter, align the audio), {@link RungEncoder} (one rung's
 * encoder thread), {@link VideoStreams} (stream durations, HDR peak, the filter graph's text) and
 * {@link AnimatedWebpTranscode}.
 */
public final class VideoTranscoder {

    static final double DEFAULT_FPS = 25;

    private final VideoSettings settings;

    public VideoTranscoder(VideoSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("Expected video settings, found null");
        }
        this.settings = settings;
    }

    /**
     * Transcodes {@code source} into the ladder {@link VideoLadder#plan planned} from its
     * displayed size.
     *
     * @throws CodecException the source has no video FFmpeg can decode, or is truncated
     * @throws StorageException the source cannot be read or an output cannot be written
     */
    public TranscodeResult transcode(Path source, Path outDir, boolean includeAudio,
            TranscodeProgress progress) {
        return run(source, null, null, outDir, includeAudio, progress);
    }

    /**
     * As {@link #transcode(Path, List, Path, boolean, TranscodeProgress)}, with the clockwise
     * rotation given rather than read from {@code source}: for a segment of the parallel path,
     * a stream copy whose container need not carry the original's display matrix.
     */
    public TranscodeResult transcode(Path source, List<Target> targets, int rotation, Path outDir,
            boolean includeAudio, TranscodeProgress progress) {
        if (rotation % 90 != 0 || rotation < 0 || rotation >= 360) {
            throw new IllegalArgumentException("Rotation must be 0, 90, 180 or 270, found " + rotation);
        }
        return run(source, checked(targets), rotation, outDir, includeAudio, progress);
    }

    /**
     * Transcodes {@code source} into the given targets (sizes are the upright output sizes).
     *
     * @throws CodecException the source has no video FFmpeg can decode, or is truncated
     * @throws StorageException the source cannot be read or an output cannot be written
     */
    public TranscodeResult transcode(Path source, List<Target> targets, Path outDir,
            boolean includeAudio, TranscodeProgress progress) {
        return run(source, checked(targets), null, outDir, includeAudio, progress);
    }

    private static List<Target> checked(List<Target> targets) {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one target, found " + targets);
        }
        if (targets.stream().map(Target::name).distinct().count() != targets.size()) {
            throw new IllegalArgumentException("Target names must be unique (they name the files), "
                    + "found " + targets.stream().map(Target::name).toList());
        }
        return List.copyOf(targets);
    }

    /** Checks the source is readable and creates the output folder; returns the source's path. */
    static String prepare(Path source, Path outDir) {
        FfmpegSupport.init();
        String path = source.toAbsolutePath().toString();
        if (!Files.isRegularFile(source) || !Files.isReadable(source)) {
            throw new StorageException("Cannot read " + path + ": expected a readable file, found "
                    + (Files.exists(source) ? "one that is not readable" : "nothing"), null);
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new StorageException("Cannot create output folder " + outDir + " for " + path
                    + ": " + e.getMessage(), e);
        }
        return path;
    }

    private TranscodeResult run(Path source, List<Target> requested, Integer rotation, Path outDir,
            boolean includeAudio, TranscodeProgress progress) {
        TranscodeProgress listener = progress == null ? TranscodeProgress.NONE : progress;
        String path = prepare(source, outDir);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(path)) {
            grabber.setImageMode(FrameGrabber.ImageMode.RAW); // the decoder's AVFrame, no copy
            grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            grabber.setOption("protocol_whitelist", "file");
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                throw new CodecException("Cannot open " + path + ": expected a video FFmpeg can "
                        + "demux and decode, found: " + e.getMessage(), e);
            }
            SourceTranscode job = new SourceTranscode(this, grabber, path, includeAudio && grabber.hasAudio(), listener,
                    rotation);
            List<Target> targets = requested != null ? requested
                    : VideoLadder.plan(job.displayWidth, job.displayHeight, settings.rungs());
            return job.transcode(targets, outDir);
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot release the decoder of " + path + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Transcodes an animated WebP, which FFmpeg (7.1, as 8.0.1) cannot demux as an animation, into the same
     * silent looping ladder as a GIF ({@link TranscodeResult#animated()}): {@link AnimatedWebp}
     * decodes and composites each frame, which is flattened onto white (as its thumbnails are);
     * each rung's recorder converts it to yuv420p at the rung's size with swscale (bicubic, as the
     * filter graph's {@code scale}) and encodes it with the same libx264 options.
     *
     * <p>Timing: frame durations of 10 ms or less play as 100 ms, as browsers play them. Frames
     * are placed on a grid of {@code 1000 / gcd(durations)} fps (1 to 60); a frame landing on the
     * same tick as the previous one is dropped, and the last frame is repeated on the final tick
     * when it lasts longer than one, so the MP4 is as long as one loop of the animation.
     *
     * @param maxFrames the validator's MAX_FRAMES; {@code maxPixels} its MAX_PIXELS
     * @throws CodecException the file is not an animated WebP within the limits, or a frame or
     *     the encoder fails
     * @throws StorageException the source cannot be read or an output cannot be written
     */
    public TranscodeResult transcodeAnimatedWebp(Path source, Path outDir, long maxFrames,
            long maxPixels, TranscodeProgress progress) {
        return AnimatedWebpTranscode.transcode(this, settings.rungs(), source, outDir, maxFrames, maxPixels, progress);
    }

    /**
     * Sets up a recorder with this transcoder's deterministic encoder options for {@code rung}:
     * libx264 High, yuv420p, CRF capped by VBV maxrate/bufsize, closed GOPs of
     * {@code round(gopSeconds x realFps)} frames, explicit thread count; AAC-LC; MP4 faststart.
     */
    void configure(FFmpegFrameRecorder r, Rung rung, double gridFps, double realFps,
            int sampleRate) {
        r.setFormat("mp4");
        r.setVideoCodecName("libx264");
        r.setPixelFormat(AV_PIX_FMT_YUV420P);
        r.setFrameRate(gridFps);
        r.setGopSize(keyint(realFps));
        r.setVideoBitrate(0);
        for (String[] option : videoOptions(rung)) {
            r.setVideoOption(option[0], option[1]);
        }
        r.setOption("movflags", "+faststart");
        if (r.getAudioChannels() > 0) {
            r.setAudioCodec(AV_CODEC_ID_AAC);
            r.setAudioBitrate(settings.audioBitrateKbps() * 1000);
            r.setSampleRate(sampleRate);
            r.setAudioOption("profile", "aac_low");
        }
    }

    /**
     * The ffmpeg CLI arguments that reproduce this transcoder's libx264 settings for a rung at
     * {@code fps} (the benchmark's anchor runs the CLI with exactly these).
     */
    public List<String> cliVideoArguments(Rung rung, double fps) {
        List<String> args = new ArrayList<>(List.of("-c:v", "libx264", "-pix_fmt", "yuv420p",
                "-g", Integer.toString(keyint(fps))));
        for (String[] option : videoOptions(rung)) {
            args.add("-" + option[0]);
            // the CLI hands -profile to libx264's own option, which takes a name ("invalid profile: 100")
            args.add(option[0].equals("profile") && option[1].equals(Integer.toString(AV_PROFILE_H264_HIGH)) ? "high"
                    : option[1]);
        }
        return args;
    }

    /** Key frame interval in frames for a source of {@code fps} frames a second. */
    int keyint(double fps) {
        return (int) Math.max(1, Math.round(settings.gopSeconds() * fps));
    }

    /**
     * libx264 options for a rung, as {name, value} pairs, in the order given to FFmpeg. The same
     * pairs, as {@code -name value}, reproduce the encode with the ffmpeg CLI.
     */
    List<String[]> videoOptions(Rung rung) {
        return List.of(
                new String[] {"preset", settings.preset()},
                // FFmpeg 7.1 parses libx264's profile as the generic AVCodecContext.profile, by number
                new String[] {"profile", Integer.toString(AV_PROFILE_H264_HIGH)},
                new String[] {"crf", Integer.toString(rung.crf())},
                new String[] {"maxrate", rung.maxrateKbps() + "k"},
                new String[] {"bufsize", rung.bufsizeKbps() + "k"},
                new String[] {"threads", Integer.toString(settings.encoderThreads())},
                new String[] {"x264-params", "open-gop=0"});
    }
}
