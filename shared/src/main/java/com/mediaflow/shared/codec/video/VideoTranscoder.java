package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_HIGH;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_ARIB_STD_B67;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE2084;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_CONTENT_LIGHT_LEVEL;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_MASTERING_DISPLAY_METADATA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_side_data;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVContentLightMetadata;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;
import org.bytedeco.ffmpeg.avutil.AVMasteringDisplayMetadata;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.shared.codec.FfmpegSupport;
import com.mediaflow.shared.codec.MediaProbe;
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
 */
public final class VideoTranscoder {

    /** The HDR to SDR chain: linear light, hable tone curve, BT.709 primaries/transfer/matrix. */
    static final String TONEMAP_CHAIN = "zscale=t=linear:npl=100%s,format=gbrpf32le,"
            + "zscale=p=bt709,tonemap=tonemap=hable:desat=0:peak=%s,zscale=t=bt709:m=bt709:r=tv";

    /**
     * Peak brightness assumed when an HDR source declares none, in nits: 1000, the usual HDR10
     * mastering peak and HLG's nominal display peak. (FFmpeg's own default for PQ, 10000 nits,
     * makes typical content much too dark.)
     */
    static final double DEFAULT_HDR_PEAK_NITS = 1000;

    private static final long PROGRESS_INTERVAL_NANOS = 200_000_000L;
    /** Work queued per rung between decoding and encoding: bounds the frames held in memory. */
    private static final int QUEUE_FRAMES = 8;
    private static final double DEFAULT_FPS = 25;

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
    private static String prepare(Path source, Path outDir) {
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
            Job job = new Job(grabber, path, includeAudio && grabber.hasAudio(), listener, rotation);
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
        TranscodeProgress listener = progress == null ? TranscodeProgress.NONE : progress;
        String path = prepare(source, outDir);
        try (AnimatedWebp webp = AnimatedWebp.open(source, maxFrames, maxPixels);
                Frame rgb = new Frame(webp.width(), webp.height(), Frame.DEPTH_UBYTE, 3)) {
            int[] durations = playbackDurations(webp.durationsMs());
            double fps = animationFps(durations);
            List<Target> targets = VideoLadder.plan(webp.width(), webp.height(), settings.rungs());
            List<FFmpegFrameRecorder> recorders = new ArrayList<>();
            boolean finished = false;
            try {
                for (Target t : targets) {
                    Path file = outDir.resolve(t.name() + ".mp4");
                    FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), t.width(),
                            t.height(), 0);
                    recorders.add(r);
                    configure(r, t.rung(), fps, fps, 0);
                    r.setImageScalingFlags(SWS_BICUBIC);
                    r.start();
                }
                long ms = 0;
                long lastTick = -1;
                long frames = 0;
                while (webp.hasNext()) {
                    AnimatedWebp.Composited c = webp.next();
                    flattenOntoWhite(c.image(), rgb);
                    long tick = Math.round(ms * fps / 1000);
                    if (tick > lastTick) {
                        recordAll(recorders, targets, rgb, tick, path);
                        lastTick = tick;
                        frames++;
                    }
                    ms += durations[c.index()];
                    listener.update(Math.min(1.0, (c.index() + 1.0) / webp.frameCount()));
                }
                long endTick = Math.max(lastTick + 1, Math.round(ms * fps / 1000));
                if (endTick - 1 > lastTick) {
                    recordAll(recorders, targets, rgb, endTick - 1, path);
                    frames++;
                }
                List<VideoOutput> outputs = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    Target t = targets.get(i);
                    recorders.get(i).stop();
                    Path file = outDir.resolve(t.name() + ".mp4");
                    outputs.add(new VideoOutput(t.name(), file, t.width(), t.height(),
                            endTick / fps, frames, Files.size(file)));
                }
                finished = true;
                listener.update(1.0);
                return new TranscodeResult(outputs, 0, false, true, false, ms / 1000.0,
                        webp.frameCount());
            } catch (FrameRecorder.Exception e) {
                throw new CodecException("Cannot encode animated WebP " + path + " to H.264 ("
                        + webp.width() + "x" + webp.height() + ", " + webp.frameCount()
                        + " frames): " + e.getMessage(), e);
            } catch (IOException e) {
                throw new StorageException("Cannot read the size of an output of " + path + ": "
                        + e.getMessage(), e);
            } finally {
                for (int i = 0; i < recorders.size(); i++) {
                    try {
                        recorders.get(i).release();
                    } catch (FrameRecorder.Exception e) {
                        // already failing or finished: nothing more to report
                    }
                    if (!finished) {
                        try {
                            Files.deleteIfExists(outDir.resolve(targets.get(i).name() + ".mp4"));
                        } catch (IOException e) {
                            // best effort; the caller sees the original failure
                        }
                    }
                }
            }
        }
    }

    /** Durations as players show them: 10 ms or less plays as 100 ms (browsers' rule). */
    static int[] playbackDurations(int[] storedMs) {
        int[] out = new int[storedMs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = storedMs[i] <= 10 ? 100 : storedMs[i];
        }
        return out;
    }

    /** 1000 / gcd of the durations, clamped to 1-60 fps: exact ticks for regular timing. */
    static double animationFps(int[] durationsMs) {
        int g = 0;
        for (int d : durationsMs) {
            g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(d)).intValue();
        }
        return g == 0 ? DEFAULT_FPS : Math.max(1, Math.min(60, 1000.0 / g));
    }

    /** Composites a packed RGBA frame onto white into a packed RGB24 frame of the same size. */
    private static void flattenOntoWhite(Frame rgba, Frame rgb) {
        ByteBuffer src = (ByteBuffer) rgba.image[0];
        ByteBuffer dst = (ByteBuffer) rgb.image[0];
        for (int y = 0; y < rgba.imageHeight; y++) {
            int s = y * rgba.imageStride;
            int d = y * rgb.imageStride;
            for (int x = 0; x < rgba.imageWidth; x++, s += 4, d += 3) {
                int a = src.get(s + 3) & 0xff;
                for (int c = 0; c < 3; c++) {
                    int v = ((src.get(s + c) & 0xff) * a + 255 * (255 - a) + 127) / 255;
                    dst.put(d + c, (byte) v);
                }
            }
        }
    }

    private static void recordAll(List<FFmpegFrameRecorder> recorders, List<Target> targets,
            Frame rgb, long tick, String path) {
        for (int i = 0; i < recorders.size(); i++) {
            try {
                recorders.get(i).setFrameNumber((int) tick);
                recorders.get(i).record(rgb, AV_PIX_FMT_RGB24);
            } catch (FrameRecorder.Exception e) {
                throw new CodecException("Cannot encode tick " + tick + " of the "
                        + targets.get(i).name() + " rendition of animated WebP " + path + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The state of one transcode: the open source, its encoders and counters. */
    private final class Job {
        private final FFmpegFrameGrabber grabber;
        private final String path;
        private final boolean audio;
        private final TranscodeProgress progress;
        private final AVStream videoStream;
        private final int rotation;
        private final int displayWidth;
        private final int displayHeight;
        private final boolean animated;
        private final double gridFps;
        private final double realFps;
        private final double durationSeconds;
        private final double videoSeconds;

        private VideoFilterGraph graph;
        /** An allocated, unreferenced frame for the next pull from the graph (or null). */
        private AVFrame spare;
        /** The first failure of any rung's worker; the others and the decoding loop stop. */
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private boolean toneMapped;
        private long firstVideoUs = Long.MIN_VALUE;
        private long lastVideoUs;
        private long framesDecoded;
        private final List<float[]> pendingAudio = new ArrayList<>();
        private long pendingAudioStartUs = Long.MIN_VALUE;
        private boolean audioAligned;
        private int audioRate;
        private int audioChannels;
        private long lastProgressNanos;

        Job(FFmpegFrameGrabber grabber, String path, boolean audio, TranscodeProgress progress,
                Integer rotationOverride) {
            this.grabber = grabber;
            this.path = path;
            this.audio = audio;
            this.progress = progress;
            this.videoStream = videoStream(grabber);
            if (videoStream == null || !grabber.hasVideo() || grabber.getImageWidth() <= 0) {
                throw new CodecException("Cannot transcode " + path + ": expected a video stream, "
                        + "found " + (videoStream == null ? "none" : "one without a size")
                        + " (format " + grabber.getFormat() + ")");
            }
            String format = grabber.getFormat() == null ? "" : grabber.getFormat();
            // Animated WebP never gets here: FFmpeg cannot decode it, see transcodeAnimatedWebp.
            this.animated = format.equals("gif") || format.equals("apng");
            this.rotation = rotationOverride != null ? rotationOverride
                    : MediaProbe.clockwiseRotation(grabber.getDisplayRotation());
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            AVRational sar = videoStream.codecpar().sample_aspect_ratio();
            if (sar.num() > 0 && sar.den() > 0 && sar.num() != sar.den()) {
                w = (int) Math.max(2, Math.round((double) w * sar.num() / sar.den()));
            }
            boolean swap = rotation % 180 != 0;
            this.displayWidth = swap ? h : w;
            this.displayHeight = swap ? w : h;
            double avg = rate(videoStream.avg_frame_rate());
            double base = rate(videoStream.r_frame_rate());
            this.realFps = avg > 0 ? avg : base > 0 ? base : DEFAULT_FPS;
            this.gridFps = base > 0 && base <= 240 && base >= realFps * 0.99 ? base : realFps;
            this.videoSeconds = streamDuration(videoStream);
            double containerSeconds = grabber.getLengthInTime() / 1e6;
            this.durationSeconds = videoSeconds > 0 ? videoSeconds : Math.max(0,
                    containerSeconds);
        }

        TranscodeResult transcode(List<Target> targets, Path outDir) {
            List<Encoder> encoders = new ArrayList<>();
            boolean finished = false;
            try {
                for (Target t : targets) {
                    encoders.add(new Encoder(t, outDir.resolve(t.name() + ".mp4")));
                }
                for (Encoder e : encoders) {
                    e.startWorker();
                }
                Frame frame;
                while ((frame = grab()) != null) {
                    if (frame.image != null && frame.opaque instanceof AVFrame decoded) {
                        onVideo(frame.timestamp, decoded, encoders);
                    } else if (frame.samples != null && audio) {
                        onAudio(frame, encoders);
                    }
                }
                if (graph == null) {
                    throw new CodecException("Cannot transcode " + path + ": expected video "
                            + "frames, the decoder returned none");
                }
                graph.push(null, path);
                drain(encoders);
                checkComplete();
                for (Encoder e : encoders) {
                    e.send(Work.END); // each worker flushes its encoder and writes its file
                }
                List<VideoOutput> outputs = new ArrayList<>();
                for (Encoder e : encoders) {
                    outputs.add(e.awaitOutput());
                }
                finished = true;
                progress.update(1.0);
                double seconds = durationSeconds > 0 ? durationSeconds
                        : (lastVideoUs - firstVideoUs) / 1e6 + 1 / realFps;
                return new TranscodeResult(outputs, rotation, toneMapped, animated,
                        audio && audioAligned, seconds, framesDecoded);
            } finally {
                for (Encoder e : encoders) {
                    e.stopWorker();
                }
                av_frame_free(spare);
                for (Encoder e : encoders) {
                    e.close(!finished);
                }
                if (graph != null) {
                    graph.close();
                }
            }
        }

        private Frame grab() {
            try {
                return grabber.grabFrame(audio, true, true, false, false);
            } catch (FrameGrabber.Exception e) {
                throw new CodecException("Cannot decode " + path + " after " + framesDecoded
                        + " video frames: expected a decodable stream, found: " + e.getMessage(), e);
            }
        }

        private void onVideo(long timestampUs, AVFrame decoded, List<Encoder> encoders) {
            if (graph == null) {
                firstVideoUs = timestampUs;
                graph = buildGraph(decoded, encoders);
                flushPendingAudio(encoders);
            }
            framesDecoded++;
            lastVideoUs = timestampUs;
            decoded.pts(timestampUs - firstVideoUs);
            graph.push(decoded, path);
            drain(encoders);
            long now = System.nanoTime();
            if (durationSeconds > 0 && now - lastProgressNanos > PROGRESS_INTERVAL_NANOS) {
                lastProgressNanos = now;
                progress.update(Math.min(1.0, Math.max(0.0,
                        (timestampUs - firstVideoUs) / 1e6 / durationSeconds)));
            }
        }

        /**
         * Hands every frame the graph has ready to its rung's worker. Each frame moves into its
         * own {@code AVFrame} (a reference to the graph's pooled buffer, no copy) that the worker
         * frees once encoded.
         */
        private void drain(List<Encoder> encoders) {
            for (int i = 0; i < encoders.size(); i++) {
                while (true) {
                    if (spare == null) {
                        spare = av_frame_alloc();
                        if (spare == null) {
                            throw new CodecException("Cannot allocate a frame for " + path);
                        }
                    }
                    if (!graph.pull(i, spare, path)) {
                        break;
                    }
                    AVFrame frame = spare;
                    spare = null;
                    encoders.get(i).send(Work.video(frame));
                }
            }
        }

        private VideoFilterGraph buildGraph(AVFrame first, List<Encoder> encoders) {
            int trc = first.color_trc();
            if (trc != AVCOL_TRC_SMPTE2084 && trc != AVCOL_TRC_ARIB_STD_B67) {
                trc = videoStream.codecpar().color_trc();
            }
            toneMapped = trc == AVCOL_TRC_SMPTE2084 || trc == AVCOL_TRC_ARIB_STD_B67;
            StringBuilder chain = new StringBuilder();
            if (toneMapped) {
                StringBuilder in = new StringBuilder(trc == AVCOL_TRC_SMPTE2084
                        ? ":tin=smpte2084" : ":tin=arib-std-b67");
                if (first.color_primaries() == AVCOL_PRI_UNSPECIFIED) {
                    in.append(":pin=2020");
                }
                if (first.colorspace() == AVCOL_SPC_UNSPECIFIED) {
                    in.append(":min=2020_ncl");
                }
                double peak = peakNits(first) / 100.0; // tonemap's unit: 100 nits
                chain.append(String.format(Locale.ROOT, TONEMAP_CHAIN, in,
                        String.format(Locale.ROOT, "%.3f", peak))).append(',');
            }
            chain.append(switch (rotation) {
                case 90 -> "transpose=clock,";
                case 180 -> "hflip,vflip,";
                case 270 -> "transpose=cclock,";
                default -> "";
            });
            List<Target> targets = encoders.stream().map(e -> e.target).toList();
            String description = "[in]" + chain + describeBranches(targets);
            int sarNum = Math.max(1, first.sample_aspect_ratio().num());
            int sarDen = Math.max(1, first.sample_aspect_ratio().den());
            String args = String.format(Locale.ROOT,
                    "video_size=%dx%d:pix_fmt=%d:time_base=1/1000000:pixel_aspect=%d/%d"
                            + ":colorspace=%d:range=%d",
                    first.width(), first.height(), first.format(), sarNum, sarDen,
                    first.colorspace(), first.color_range());
            return new VideoFilterGraph(args, description, targets.size(), path);
        }

        private void onAudio(Frame frame, List<Encoder> encoders) {
            if (!(frame.samples[0] instanceof FloatBuffer samples)) {
                throw new CodecException("Cannot transcode the audio of " + path + ": expected "
                        + "float samples from the decoder, found "
                        + frame.samples[0].getClass().getSimpleName());
            }
            audioRate = frame.sampleRate;
            audioChannels = frame.audioChannels;
            if (graph == null) {
                // The video decoder has not produced its first frame yet: keep these samples
                // until the output's time zero is known.
                if (pendingAudioStartUs == Long.MIN_VALUE) {
                    pendingAudioStartUs = frame.timestamp;
                }
                float[] copy = new float[samples.remaining()];
                samples.duplicate().get(copy);
                pendingAudio.add(copy);
                return;
            }
            if (!audioAligned) {
                align(frame.timestamp, encoders);
            }
            recordAudio(samples, encoders);
        }

        private void flushPendingAudio(List<Encoder> encoders) {
            if (pendingAudio.isEmpty()) {
                return;
            }
            align(pendingAudioStartUs, encoders);
            for (float[] chunk : pendingAudio) {
                recordAudio(FloatBuffer.wrap(chunk), encoders);
            }
            pendingAudio.clear();
        }

        /** Trims or pads so the first audio sample written plays with the first video frame. */
        private void align(long audioStartUs, List<Encoder> encoders) {
            audioAligned = true;
            long offsetSamples = Math.round((audioStartUs - firstVideoUs) * audioRate / 1e6);
            if (offsetSamples > 0) {
                recordAudio(FloatBuffer.wrap(new float[(int) Math.min(offsetSamples,
                        audioRate * 60L) * audioChannels]), encoders);
            } else {
                skipSamples = -offsetSamples * audioChannels;
            }
        }

        private long skipSamples;

        private void recordAudio(FloatBuffer samples, List<Encoder> encoders) {
            FloatBuffer data = samples.duplicate();
            if (skipSamples > 0) {
                int skip = (int) Math.min(skipSamples, data.remaining());
                data.position(data.position() + skip);
                skipSamples -= skip;
            }
            if (!data.hasRemaining()) {
                return;
            }
            // A copy of exactly the samples: JavaCV's recorder reads a buffer from its start,
            // and the workers read it after the grabber has reused its own buffer. The rungs
            // share the copy (each reads through its own duplicate).
            FloatBuffer copy = ByteBuffer.allocateDirect(data.remaining() * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            copy.put(data).flip();
            for (Encoder e : encoders) {
                e.send(Work.audio(audioRate, audioChannels, copy.duplicate()));
            }
        }

        /**
         * Throws, in the calling thread, the first failure of a rung's worker: the same
         * {@link CodecException} or {@link StorageException} the encoder raised there.
         */
        private void rethrowFailure() {
            Throwable failed = failure.get();
            if (failed instanceof RuntimeException e) {
                throw e;
            }
            if (failed instanceof Error e) {
                throw e;
            }
        }

        /** A stream that ends well before its declared duration is truncated: fail, not cut. */
        private void checkComplete() {
            if (videoSeconds <= 0 || animated) {
                return; // no per-track duration to hold the stream to
            }
            double decoded = (lastVideoUs - firstVideoUs) / 1e6 + 1 / realFps;
            if (decoded < videoSeconds * 0.9 - 0.5) {
                throw new CodecException(String.format(Locale.ROOT, "Cannot transcode %s: the "
                        + "video stream declares %.2f s, but only %.2f s (%d frames) could be "
                        + "decoded; the file is truncated or corrupt", path, videoSeconds,
                        decoded, framesDecoded));
            }
        }

        /**
         * One rendition: a recorder, its contiguous frame buffer, and the worker thread that
         * alone drives the recorder once started. The decoding thread {@link #send sends} it
         * filtered frames and audio in the order they are to be recorded.
         */
        private final class Encoder implements Runnable {
            private final Target target;
            private final Path file;
            private final FFmpegFrameRecorder recorder;
            private final BytePointer picture;
            private final ByteBuffer pictureBuffer;
            private final int pictureSize;
            private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
            private Thread worker;
            private volatile boolean aborted;
            private VideoOutput output;
            private long lastTick = Long.MIN_VALUE;
            private long frames;
            private long dropped;
            private boolean started;

            Encoder(Target target, Path file) {
                this.target = target;
                this.file = file;
                int w = target.width();
                int h = target.height();
                pictureSize = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, w, h, 1);
                picture = new BytePointer(pictureSize);
                pictureBuffer = picture.asBuffer();
                recorder = new FFmpegFrameRecorder(file.toFile(), w, h,
                        audio ? Math.min(2, grabber.getAudioChannels()) : 0);
                configure(recorder, target.rung(), gridFps, realFps,
                        audio ? grabber.getSampleRate() : 0);
                try {
                    recorder.start();
                    started = true;
                } catch (FrameRecorder.Exception e) {
                    picture.close();
                    releaseQuietly();
                    deleteQuietly(); // e.g. a header that could not be written in full
                    String msg = String.valueOf(e.getMessage());
                    if (msg.contains("avio_open")) {
                        throw new StorageException("Cannot create " + file + " for " + path
                                + ": " + msg, e);
                    }
                    throw new CodecException("Cannot start the H.264/AAC encoder for " + file
                            + " (" + w + "x" + h + ") from " + path + ": " + msg, e);
                }
            }

            void startWorker() {
                worker = new Thread(this, "mediaflow-encode-" + target.name());
                worker.setDaemon(true); // never outlives transcode(): stopWorker() joins it
                worker.start();
            }

            /**
             * Queues work for this rung's worker, waiting while its queue is full. Takes
             * ownership of a video frame: freed here if it cannot be queued.
             *
             * @throws RuntimeException the first failure of any worker, as it was thrown there
             */
            void send(Work work) {
                try {
                    while (true) {
                        rethrowFailure();
                        if (!worker.isAlive()) {
                            rethrowFailure(); // it may have failed since the check above
                            throw new IllegalStateException("The encoder thread of " + file
                                    + " stopped before the end of " + path);
                        }
                        if (queue.offer(work, 50, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    work.free();
                    throw new StorageException("Interrupted while transcoding " + path
                            + " to " + file, e);
                } catch (RuntimeException | Error e) {
                    work.free();
                    throw e;
                }
            }

            /** The worker: records queued work in order until {@link Work#END} or an abort. */
            @Override
            public void run() {
                try {
                    while (!aborted) {
                        Work work = queue.take();
                        if (work == Work.END) {
                            output = finish();
                            return;
                        }
                        try {
                            if (work.frame() != null) {
                                video(work.frame());
                            } else {
                                audio(work.sampleRate(), work.channels(), work.samples());
                            }
                        } finally {
                            work.free();
                        }
                    }
                } catch (InterruptedException e) {
                    // aborted by stopWorker(): the decoding thread is already failing
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }

            /** Waits for the worker to write the file. */
            VideoOutput awaitOutput() {
                joinWorker();
                rethrowFailure();
                if (output == null) {
                    throw new IllegalStateException("The encoder thread of " + file
                            + " ended without finishing it");
                }
                return output;
            }

            /** Stops and joins the worker (if still running) and frees the frames it left. */
            void stopWorker() {
                if (worker == null) {
                    return;
                }
                if (worker.isAlive()) {
                    aborted = true;
                    worker.interrupt();
                }
                joinWorker();
                for (Work w; (w = queue.poll()) != null; ) {
                    w.free();
                }
            }

            private void joinWorker() {
                boolean interrupted = false;
                while (true) {
                    try {
                        worker.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the worker ends promptly; wait for it regardless
                        aborted = true;
                        worker.interrupt();
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }

            void video(AVFrame f) {
                if (f.width() != target.width() || f.height() != target.height()
                        || f.format() != AV_PIX_FMT_YUV420P) {
                    throw new CodecException("Filter graph for " + path + " produced "
                            + f.width() + "x" + f.height() + " " + FfmpegSupport.pixelFormatName(
                            f.format()) + ", expected " + target.width() + "x" + target.height()
                            + " yuv420p");
                }
                long tick = Math.round(f.pts() * gridFps / 1e6);
                if (tick <= lastTick) {
                    dropped++; // same encoder tick as the previous frame (as -fps_mode vfr)
                    return;
                }
                lastTick = tick;
                int copied = av_image_copy_to_buffer(picture, pictureSize, f.data(), f.linesize(),
                        AV_PIX_FMT_YUV420P, f.width(), f.height(), 1);
                VideoFilterGraph.check(copied, "copy a " + target.name() + " frame", path);
                try {
                    recorder.setFrameNumber((int) tick);
                    recorder.recordImage(f.width(), f.height(), Frame.DEPTH_UBYTE, 1, f.width(),
                            AV_PIX_FMT_YUV420P, pictureBuffer);
                } catch (FrameRecorder.Exception e) {
                    throw encodeFailure("frame " + frames, e);
                }
                frames++;
            }

            void audio(int sampleRate, int channels, Buffer samples) {
                try {
                    recorder.recordSamples(sampleRate, channels, samples);
                } catch (FrameRecorder.Exception e) {
                    throw encodeFailure("the audio", e);
                }
            }

            /**
             * The output side failed. Writing the muxed packets (JavaCV's
             * {@code av_interleaved_write_frame}) fails on a full or broken disk: retryable, a
             * {@link StorageException}. The encoder refusing decoded frames is kept permanent.
             */
            RuntimeException encodeFailure(String what, FrameRecorder.Exception e) {
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("write_frame") || msg.contains("avio")) {
                    return new StorageException("Cannot write " + what + " of " + file + " from "
                            + path + ": " + msg, e);
                }
                return new CodecException("Cannot encode " + what + " of " + file + " from " + path
                        + ": " + msg, e);
            }

            VideoOutput finish() {
                try {
                    recorder.stop();
                    started = false;
                } catch (FrameRecorder.Exception e) {
                    throw new StorageException("Cannot finish " + file + " from " + path + ": "
                            + e.getMessage(), e);
                }
                try {
                    double seconds = (lastTick + 1) / gridFps;
                    return new VideoOutput(target.name(), file, target.width(), target.height(),
                            seconds, frames, Files.size(file));
                } catch (IOException e) {
                    throw new StorageException("Cannot read the size of " + file + ": "
                            + e.getMessage(), e);
                }
            }

            /** Releases the encoder; after a failure also deletes the partial file. */
            void close(boolean failed) {
                try {
                    if (started) {
                        recorder.stop();
                    }
                    recorder.release();
                } catch (FrameRecorder.Exception e) {
                    // already failing or finished: nothing more to report
                } finally {
                    picture.close();
                    if (failed) {
                        deleteQuietly();
                    }
                }
            }

            private void releaseQuietly() {
                try {
                    recorder.release();
                } catch (FrameRecorder.Exception e) {
                    // already failing: the caller sees the original failure
                }
            }

            private void deleteQuietly() {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // best effort; the caller sees the original failure
                }
            }
        }
    }

    /**
     * One item for a rung's worker: a filtered video frame (owned by the item until recorded),
     * or audio samples, or {@link #END}.
     */
    private record Work(AVFrame frame, int sampleRate, int channels, FloatBuffer samples) {
        static final Work END = new Work(null, 0, 0, null);

        static Work video(AVFrame frame) {
            return new Work(frame, 0, 0, null);
        }

        static Work audio(int sampleRate, int channels, FloatBuffer samples) {
            return new Work(null, sampleRate, channels, samples);
        }

        /** Releases the frame's reference (to the filter graph's buffer pool). */
        void free() {
            if (frame != null) {
                av_frame_free(frame);
            }
        }
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
            args.add(option[1]);
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

    /**
     * The content's peak in nits from the frame's HDR metadata: MaxCLL, else the mastering
     * display's maximum luminance, else {@link #DEFAULT_HDR_PEAK_NITS}.
     */
    static double peakNits(AVFrame frame) {
        AVFrameSideData cll = av_frame_get_side_data(frame, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
        if (cll != null && !cll.isNull() && cll.size() >= 8) {
            int maxCll = new AVContentLightMetadata(cll.data()).MaxCLL();
            if (maxCll > 0) {
                return Math.max(100, maxCll);
            }
        }
        AVFrameSideData md = av_frame_get_side_data(frame,
                AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
        if (md != null && !md.isNull()) {
            AVMasteringDisplayMetadata m = new AVMasteringDisplayMetadata(md.data());
            if (m.has_luminance() != 0 && m.max_luminance().den() > 0
                    && m.max_luminance().num() > 0) {
                return Math.max(100, rate(m.max_luminance()));
            }
        }
        return DEFAULT_HDR_PEAK_NITS;
    }

    /** The filter branches after rotation/tone mapping: split, scale each to its target. */
    static String describeBranches(List<Target> targets) {
        if (targets.size() == 1) {
            return scale(targets.get(0)) + "[out0]";
        }
        StringBuilder sb = new StringBuilder("split=").append(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            sb.append("[s").append(i).append(']');
        }
        for (int i = 0; i < targets.size(); i++) {
            sb.append(";[s").append(i).append(']').append(scale(targets.get(i)))
                    .append("[out").append(i).append(']');
        }
        return sb.toString();
    }

    private static String scale(Target t) {
        return "scale=" + t.width() + ":" + t.height() + ":flags=bicubic,format=yuv420p,setsar=1";
    }

    /**
     * The video track's own duration: the stream's duration (MP4/MOV track header) or Matroska's
     * per-track DURATION tag ("00:00:02.000000000"); 0 when neither is known. The container's
     * duration is not used: it spans every track, and audio may legitimately run longer.
     */
    static double streamDuration(AVStream st) {
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
            return st.duration() * rate(st.time_base());
        }
        AVDictionaryEntry tag = av_dict_get(st.metadata(), "DURATION", null, 0);
        String value = tag == null || tag.isNull() ? null : tag.value().getString();
        if (value == null || !value.matches("\\d{1,4}:\\d{2}:\\d{2}(\\.\\d{1,9})?")) {
            return 0;
        }
        String[] hms = value.split(":");
        return Integer.parseInt(hms[0]) * 3600.0 + Integer.parseInt(hms[1]) * 60.0
                + Double.parseDouble(hms[2]);
    }

    private static double rate(AVRational r) {
        return r == null || r.num() <= 0 || r.den() <= 0 ? 0 : (double) r.num() / r.den();
    }

    /** The stream JavaCV decodes: the first video stream with a known codec. */
    private static AVStream videoStream(FFmpegFrameGrabber g) {
        AVFormatContext fc = g.getFormatContext();
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            AVStream st = fc.streams(i);
            if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO
                    && st.codecpar().codec_id() != AV_CODEC_ID_NONE) {
                return st;
            }
        }
        return null;
    }
}
