package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_ARIB_STD_B67;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE2084;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.error.CodecException;

/**
 * One transcode of a source FFmpeg can demux: the open source, its filter graph, one
 * {@link RungEncoder} per rung, the audio's alignment and the counters. The calling thread demuxes,
 * decodes and filters here; each rung encodes on its own thread. See {@link VideoTranscoder}.
 */
final class SourceTranscode {
    private static final long PROGRESS_INTERVAL_NANOS = 200_000_000L;

    private final VideoTranscoder transcoder;
    private final FFmpegFrameGrabber grabber;
    private final String path;
    private final boolean audio;
    private final TranscodeProgress progress;
    private final AVStream videoStream;
    private final int rotation;
    final int displayWidth;
    final int displayHeight;
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

    SourceTranscode(VideoTranscoder transcoder, FFmpegFrameGrabber grabber, String path, boolean audio,
            TranscodeProgress progress, Integer rotationOverride) {
        this.transcoder = transcoder;
        this.grabber = grabber;
        this.path = path;
        this.audio = audio;
        this.progress = progress;
        this.videoStream = VideoStreams.videoStream(grabber);
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
        double avg = VideoStreams.rate(videoStream.avg_frame_rate());
        double base = VideoStreams.rate(videoStream.r_frame_rate());
        this.realFps = avg > 0 ? avg : base > 0 ? base : VideoTranscoder.DEFAULT_FPS;
        this.gridFps = base > 0 && base <= 240 && base >= realFps * 0.99 ? base : realFps;
        this.videoSeconds = VideoStreams.streamDuration(videoStream);
        double containerSeconds = grabber.getLengthInTime() / 1e6;
        this.durationSeconds = videoSeconds > 0 ? videoSeconds : Math.max(0,
                containerSeconds);
    }

    TranscodeResult transcode(List<Target> targets, Path outDir) {
        List<RungEncoder> encoders = new ArrayList<>();
        boolean finished = false;
        try {
            for (Target t : targets) {
                encoders.add(new RungEncoder(transcoder, t, outDir.resolve(t.name() + ".mp4"), path,
                    audio ? Math.min(2, grabber.getAudioChannels()) : 0, audio ? grabber.getSampleRate() : 0,
                    gridFps, realFps, failure));
            }
            for (RungEncoder e : encoders) {
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
            for (RungEncoder e : encoders) {
                e.send(RungEncoder.Work.END); // each worker flushes its encoder and writes its file
            }
            List<VideoOutput> outputs = new ArrayList<>();
            for (RungEncoder e : encoders) {
                outputs.add(e.awaitOutput());
            }
            finished = true;
            progress.update(1.0);
            double seconds = durationSeconds > 0 ? durationSeconds
                    : (lastVideoUs - firstVideoUs) / 1e6 + 1 / realFps;
            return new TranscodeResult(outputs, rotation, toneMapped, animated,
                    audio && audioAligned, seconds, framesDecoded);
        } finally {
            for (RungEncoder e : encoders) {
                e.stopWorker();
            }
            av_frame_free(spare);
            for (RungEncoder e : encoders) {
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

    private void onVideo(long timestampUs, AVFrame decoded, List<RungEncoder> encoders) {
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
    private void drain(List<RungEncoder> encoders) {
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
                encoders.get(i).send(RungEncoder.Work.video(frame));
            }
        }
    }

    private VideoFilterGraph buildGraph(AVFrame first, List<RungEncoder> encoders) {
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
            double peak = VideoStreams.peakNits(first) / 100.0; // tonemap's unit: 100 nits
            chain.append(String.format(Locale.ROOT, VideoStreams.TONEMAP_CHAIN, in,
                    String.format(Locale.ROOT, "%.3f", peak))).append(',');
        }
        chain.append(switch (rotation) {
            case 90 -> "transpose=clock,";
            case 180 -> "hflip,vflip,";
            case 270 -> "transpose=cclock,";
            default -> "";
        });
        List<Target> targets = encoders.stream().map(e -> e.target).toList();
        String description = "[in]" + chain + VideoStreams.describeBranches(targets);
        int sarNum = Math.max(1, first.sample_aspect_ratio().num());
        int sarDen = Math.max(1, first.sample_aspect_ratio().den());
        String args = String.format(Locale.ROOT,
                "video_size=%dx%d:pix_fmt=%d:time_base=1/1000000:pixel_aspect=%d/%d"
                        + ":colorspace=%d:range=%d",
                first.width(), first.height(), first.format(), sarNum, sarDen,
                first.colorspace(), first.color_range());
        return new VideoFilterGraph(args, description, targets.size(), path);
    }

    private void onAudio(Frame frame, List<RungEncoder> encoders) {
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

    private void flushPendingAudio(List<RungEncoder> encoders) {
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
    private void align(long audioStartUs, List<RungEncoder> encoders) {
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

    private void recordAudio(FloatBuffer samples, List<RungEncoder> encoders) {
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
        for (RungEncoder e : encoders) {
            e.send(RungEncoder.Work.audio(audioRate, audioChannels, copy.duplicate()));
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
}
