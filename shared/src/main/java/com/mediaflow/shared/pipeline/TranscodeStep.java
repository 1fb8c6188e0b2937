package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.ProbeResult;
import com.mediaflow.shared.codec.audio.AudioOutput;
import com.mediaflow.shared.codec.audio.AudioResult;
import com.mediaflow.shared.codec.audio.AudioTranscoder;
import com.mediaflow.shared.codec.video.TranscodeProgress;
import com.mediaflow.shared.codec.video.TranscodeResult;
import com.mediaflow.shared.codec.video.VideoOutput;
import com.mediaflow.shared.codec.video.VideoTranscoder;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.validation.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transcode step's work on a step message, run by {@link StepRunner}: the whole original in one
 * pass (a video up to {@code SEGMENT_THRESHOLD_SECONDS}, with its HLS package ({@link TranscodeHls}), an
 * animated GIF or WebP, audio), or, for a
 * longer video, the plan of the parallel path ({@link ParallelTranscode#plan}), whose jobs then
 * write the step's result. A shadow copy of a long video is encoded in one pass: the parallel path's
 * jobs would write the live item's result.
 */
final class TranscodeStep implements FileStep {
    static final String STEP = "transcode";
    /** At most one progress notice per this long, so short encodes send none. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final VideoTranscoder transcoder;
    private final AudioTranscoder audio;
    private final ParallelTranscode parallel;
    private final double segmentThreshold;
    private final Limits limits;

    TranscodeStep(VideoTranscoder transcoder, AudioTranscoder audio, ParallelTranscode parallel, double segmentThreshold,
                  Limits limits) {
        this.transcoder = transcoder;
        this.audio = audio;
        this.parallel = parallel;
        this.segmentThreshold = segmentThreshold;
        this.limits = limits;
    }

    @Override
    public String name() {
        return STEP;
    }

    @Override
    public Outcome process(StepMessage m, Path original, Work work) {
        MediaCategory category = java.util.Objects.requireNonNull(m.category(), "a step message without its category");
        boolean webp = m.type() == MediaFormat.WEBP;
        if (category == MediaCategory.IMAGE && m.type() != MediaFormat.GIF && !webp) {
            return Made.nothing(); // stills have nothing to transcode (PIPELINE_STEPS sends none here)
        }
        if (category != MediaCategory.VIDEO && category != MediaCategory.AUDIO && category != MediaCategory.IMAGE) {
            return Made.nothing();
        }
        Path dir = work.dir();
        if (category == MediaCategory.AUDIO) {
            AudioResult made = audio.process(original, dir);
            List<FileRendition> files = new ArrayList<>();
            for (AudioOutput o : made.outputs()) {
                files.add(new FileRendition("audio", o.name(), o.contentType(), o.file(), null, null));
            }
            return new Made(files, Map.of("audio", made.analysis().toMetadata()));
        }
        TranscodeResult made;
        if (webp) {
            if (!AnimatedWebp.isAnimated(original)) {
                return Made.nothing(); // a still WebP
            }
            // FFmpeg cannot demux animated WebP: AnimatedWebp decodes it frame by frame
            made = transcoder.transcodeAnimatedWebp(original, dir.resolve("out"), limits.maxFrames(),
                    limits.maxPixels(), progress(work));
        } else {
            ProbeResult probe = MediaProbe.probe(original);
            if (category == MediaCategory.VIDEO && probe.durationSeconds() != null
                    && probe.durationSeconds() > segmentThreshold && !m.shadowCopy()) {
                return parallel.plan(m, original, probe, dir);
            }
            made = transcoder.transcode(original, dir.resolve("out"), true, progress(work));
        }
        if (made.animated() && made.framesDecoded() <= 1) {
            return Made.nothing(); // a one-frame GIF or WebP is a still
        }
        List<FileRendition> files = new ArrayList<>();
        for (VideoOutput o : made.outputs()) {
            files.add(new FileRendition("video", o.name() + ".mp4", "video/mp4", o.file(), o.width(), o.height()));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("video", videoMetadata(made.outputs(), made.rotationApplied(), made.hdrToneMapped(),
                made.sourceDurationSeconds(), made.animated()));
        if (made.hasAudio()) {
            audio.analyze(original).ifPresent(a -> metadata.put("audio", a.toMetadata()));
        }
        if (made.animated()) {
            return new Made(files, metadata); // a short silent loop: no HLS
        }
        TranscodeHls.Files hls = TranscodeHls.pack(made.outputs(), dir.resolve("hls"));
        files.addAll(hls.listed());
        return new Made(files, metadata, hls.unlisted());
    }

    private static TranscodeProgress progress(Work work) {
        long[] last = {System.nanoTime()};
        return fraction -> {
            long now = System.nanoTime();
            if (now - last[0] >= PROGRESS_EVERY.toNanos() && fraction < 1) {
                last[0] = now;
                work.progress("encoded " + Math.round(fraction * 100) + "%");
            }
        };
    }

    private static Map<String, Object> videoMetadata(List<VideoOutput> outs, int rotation, boolean hdr, double duration,
                                                     boolean animated) {
        Map<String, Object> v = new LinkedHashMap<>();
        List<Map<String, Object>> rungs = new ArrayList<>();
        for (VideoOutput o : outs) {
            rungs.add(rung(o.name(), o.width(), o.height(), o.durationSeconds(), o.frames()));
        }
        v.put("renditions", rungs);
        v.put("rotation", rotation);
        v.put("hdrToneMapped", hdr);
        v.put("durationSeconds", duration);
        v.put("path", "single");
        if (animated) {
            v.put("loop", true); // a GIF plays as a silent looping video, as WhatsApp does
        }
        return v;
    }

    /** One rendition in the manifest's {@code video.renditions}, for both paths. */
    static Map<String, Object> rung(String name, int w, int h, double seconds, long frames) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("width", w);
        r.put("height", h);
        r.put("durationSeconds", Math.round(seconds * 1000) / 1000.0);
        r.put("frames", frames);
        return r;
    }
}
