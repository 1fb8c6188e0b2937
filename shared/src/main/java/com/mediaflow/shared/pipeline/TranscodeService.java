package com.mediaflow.shared.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.ProbeResult;
import com.mediaflow.shared.codec.audio.AudioAnalysis;
import com.mediaflow.shared.codec.audio.AudioOutput;
import com.mediaflow.shared.codec.audio.AudioResult;
import com.mediaflow.shared.codec.audio.AudioTranscoder;
import com.mediaflow.shared.codec.video.EncodedAudio;
import com.mediaflow.shared.codec.video.Rung;
import com.mediaflow.shared.codec.video.Segment;
import com.mediaflow.shared.codec.video.Segmenter;
import com.mediaflow.shared.codec.video.StitchCheck;
import com.mediaflow.shared.codec.video.StitchResult;
import com.mediaflow.shared.codec.video.Stitcher;
import com.mediaflow.shared.codec.video.SyncCheck;
import com.mediaflow.shared.codec.video.Target;
import com.mediaflow.shared.codec.video.TranscodeProgress;
import com.mediaflow.shared.codec.video.TranscodeResult;
import com.mediaflow.shared.codec.video.VideoLadder;
import com.mediaflow.shared.codec.video.VideoOutput;
import com.mediaflow.shared.codec.video.VideoSettings;
import com.mediaflow.shared.codec.video.VideoTranscoder;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.lambda.Heartbeat;
import com.mediaflow.shared.lambda.Lease;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.model.TranscodeJob;
import com.mediaflow.shared.model.TranscodePlan;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.ReasonCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcode step: H.264/AAC MP4 renditions of videos and animated GIFs and WebPs (silent,
 * looping; a still WebP or one-frame animation gets none), AAC and Opus renditions
 * of audio, with the audio's duration, loudness and waveform in the manifest.
 *
 * <p>Videos up to {@code SEGMENT_THRESHOLD_SECONDS} are encoded here in one pass. Longer ones take
 * the parallel path: the original is cut at keyframes by stream copy, one job per segment and rung
 * goes back onto the transcode queue, each job encodes its segment alone, and one more job encodes
 * the source's audio once, as one continuous AAC track, and measures its loudness and waveform.
 * When the last of these is stored (whichever it is), a stitch job joins the segments of each rung
 * and the encoded audio by packet copy only (no decoding, no encoding: the serial part stays small),
 * and checks duration, frame count and A/V sync against the source. Every job is idempotent: its
 * output has a fixed key, and a job whose output exists does nothing but report again.
 *
 * <p>Failures are of two classes. A {@link CodecException} (the content cannot be decoded) is
 * permanent: the step's result records it and finalize quarantines the item; the message is
 * consumed, so it never bounces to the DLQ. Anything else (storage, throttling) is thrown, and SQS
 * retries that one message alone.
 */
public final class TranscodeService {
    private static final Logger LOG = LoggerFactory.getLogger(TranscodeService.class);
    public static final String STEP = "transcode";
    /** At most one progress notice per this long, so short encodes send none. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String finalizeQueue;
    private final String transcodeQueue;
    private final Path workDir;
    private final VideoSettings video;
    private final VideoTranscoder transcoder;
    private final AudioTranscoder audio;
    private final double segmentThreshold;
    private final double segmentSeconds;
    private final Duration heartbeat;
    private final Limits limits;

    public TranscodeService(Config config, ObjectStore store, Queue queue) {
        this.store = store;
        this.queue = queue;
        this.mediaBucket = config.mediaBucket();
        this.finalizeQueue = config.finalizeQueueUrl();
        this.transcodeQueue = config.transcodeQueueUrl();
        this.workDir = config.workDir();
        this.video = config.videoSettings();
        this.transcoder = new VideoTranscoder(video);
        this.audio = new AudioTranscoder(config.audioSettings());
        this.segmentThreshold = config.segmentThresholdSeconds();
        this.segmentSeconds = config.segmentSeconds();
        this.heartbeat = config.heartbeat();
        this.limits = config.limits();
    }

    /** One queue message: a StepMessage from validate, or a segment or stitch job. */
    public void handle(String body, Lease lease) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new MalformedEventException("transcode message is not JSON: " + abbreviate(body), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("transcode message is not a JSON object: " + abbreviate(body));
        }
        if (node.has("job")) {
            TranscodeJob job = Json.read(body, TranscodeJob.class);
            Keys.checkMessage("transcode message", job.mediaId(), job.bucket(), mediaBucket);
            switch (String.valueOf(job.job())) {
                case TranscodeJob.SEGMENT -> segment(job, lease);
                case TranscodeJob.AUDIO -> audio(job, lease);
                case TranscodeJob.STITCH -> stitch(job, lease);
                default -> throw new MalformedEventException("transcode job is '" + job.job() + "', expected "
                        + TranscodeJob.SEGMENT + ", " + TranscodeJob.AUDIO + " or " + TranscodeJob.STITCH);
            }
        } else {
            StepMessage message = Json.read(body, StepMessage.class);
            Keys.checkMessage("transcode message", message.mediaId(), message.bucket(), mediaBucket);
            start(message, lease);
        }
    }

    // ------------------------------------------------------------------ the step message

    private void start(StepMessage m, Lease lease) {
        String id = m.mediaId();
        if (reportIfDone(id)) {
            return;
        }
        MediaCategory category = java.util.Objects.requireNonNull(m.category(), "a step message without its category");
        boolean webp = m.type() == MediaFormat.WEBP;
        if (category == MediaCategory.IMAGE && m.type() != MediaFormat.GIF && !webp) {
            finish(id, List.of(), Map.of(), List.of()); // stills have nothing to transcode
            return;
        }
        if (category != MediaCategory.VIDEO && category != MediaCategory.AUDIO && category != MediaCategory.IMAGE) {
            finish(id, List.of(), Map.of(), List.of());
            return;
        }
        Path dir = scratch(id);
        try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id)) {
            Path original = store.download(mediaBucket, m.key(), dir.resolve("original"));
            if (category == MediaCategory.AUDIO) {
                AudioResult made = audio.process(original, dir);
                List<Output> outputs = new ArrayList<>();
                for (AudioOutput o : made.outputs()) {
                    outputs.add(upload(id, o.name(), o.file(), o.contentType(), "audio", null, null));
                }
                finish(id, outputs, Map.of("audio", made.analysis().toMetadata()), List.of());
                return;
            }
            TranscodeResult made;
            if (webp) {
                if (!AnimatedWebp.isAnimated(original)) {
                    finish(id, List.of(), Map.of(), List.of()); // a still WebP
                    return;
                }
                // FFmpeg cannot demux animated WebP: AnimatedWebp decodes it frame by frame
                made = transcoder.transcodeAnimatedWebp(original, dir.resolve("out"), limits.maxFrames(),
                        limits.maxPixels(), progress(id));
            } else {
                ProbeResult probe = MediaProbe.probe(original);
                if (category == MediaCategory.VIDEO && probe.durationSeconds() != null
                        && probe.durationSeconds() > segmentThreshold) {
                    split(m, original, probe, dir);
                    return;
                }
                made = transcoder.transcode(original, dir.resolve("out"), true, progress(id));
            }
            if (made.animated() && made.framesDecoded() <= 1) {
                finish(id, List.of(), Map.of(), List.of()); // a one-frame GIF or WebP is a still
                return;
            }
            List<Output> outputs = new ArrayList<>();
            for (VideoOutput o : made.outputs()) {
                outputs.add(upload(id, o.name() + ".mp4", o.file(), "video/mp4", "video", o.width(), o.height()));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("video", videoMetadata(made.outputs(), made.rotationApplied(), made.hdrToneMapped(),
                    made.sourceDurationSeconds(), made.animated(), "single"));
            if (made.hasAudio()) {
                audio.analyze(original).ifPresent(a -> metadata.put("audio", a.toMetadata()));
            }
            finish(id, outputs, metadata, List.of());
        } catch (CodecException e) {
            fail(id, e.getMessage());
        } finally {
            delete(dir);
        }
    }

    // ------------------------------------------------------------------ the parallel path

    private void split(StepMessage m, Path original, ProbeResult probe, Path dir) {
        String id = m.mediaId();
        String planKey = planKey(id);
        TranscodePlan plan = store.getJson(mediaBucket, planKey, TranscodePlan.class).orElse(null);
        if (plan == null) {
            long started = System.nanoTime();
            List<Segment> segments = Segmenter.split(original, segmentSeconds, dir.resolve("segments"));
            List<TranscodePlan.Cut> cuts = new ArrayList<>();
            for (Segment s : segments) {
                store.putFile(mediaBucket, segmentKey(id, s.index()), s.file(), "video/x-matroska");
                cuts.add(new TranscodePlan.Cut(s.index(), s.startSeconds(), s.durationSeconds(), s.frames()));
            }
            List<TranscodePlan.Rendering> targets = new ArrayList<>();
            for (Target t : VideoLadder.plan(probe.displayWidth(), probe.displayHeight(), video.rungs())) {
                Rung r = t.rung();
                targets.add(new TranscodePlan.Rendering(t.name(), t.width(), t.height(), r.shortSide(), r.crf(),
                        r.maxrateKbps(), r.bufsizeKbps()));
            }
            int rotation = probe.rotation() == null ? 0 : probe.rotation();
            plan = new TranscodePlan(id, m.key(), rotation, probe.durationSeconds(), cuts, targets);
            store.putJson(mediaBucket, planKey, plan);
            LOG.info("{}: {} s cut into {} segments x {} rungs ({} jobs with the audio) in {} ms", id,
                    probe.durationSeconds(), cuts.size(), targets.size(), plan.jobsBeforeStitch(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        List<String> encoded = store.list(mediaBucket, encodedPrefix(id));
        for (TranscodePlan.Cut cut : plan.segments()) {
            for (TranscodePlan.Rendering t : plan.targets()) {
                if (!encoded.contains(encodedKey(id, t.name(), cut.index()))) {
                    queue.send(transcodeQueue, TranscodeJob.segment(id, mediaBucket, cut.index(), t.name()));
                }
            }
        }
        boolean audioDone = audioDone(id);
        if (!audioDone) {
            queue.send(transcodeQueue, TranscodeJob.audio(id, mediaBucket));
        }
        queue.send(finalizeQueue, StepDone.progress(id, STEP, "segments " + encoded.size() + "/" + plan.jobs()));
        if (audioDone && encoded.size() >= plan.jobs()) {
            // a redelivered step message after every job was done (the stitch may have been lost)
            queue.send(transcodeQueue, TranscodeJob.stitch(id, mediaBucket));
        }
    }

    private void segment(TranscodeJob job, Lease lease) {
        String id = job.mediaId();
        if (reportIfDone(id)) {
            return;
        }
        TranscodePlan plan = plan(id);
        TranscodePlan.Rendering rendering = plan.targets().stream().filter(t -> t.name().equals(job.target())).findFirst()
                .orElseThrow(() -> new MalformedEventException("segment job names rung '" + job.target()
                        + "', expected one of the plan's " + plan.targets().stream().map(TranscodePlan.Rendering::name).toList()));
        if (job.segment() == null || job.segment() < 0 || job.segment() >= plan.segments().size()) {
            throw new MalformedEventException("segment job names segment " + job.segment() + ", expected 0.."
                    + (plan.segments().size() - 1));
        }
        String outKey = encodedKey(id, rendering.name(), job.segment());
        if (!store.exists(mediaBucket, outKey)) {
            Path dir = scratch(id);
            try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id + " segment " + job.segment() + " " + rendering.name())) {
                Path seg = store.download(mediaBucket, segmentKey(id, job.segment()), dir.resolve("segment.mkv"));
                long started = System.nanoTime();
                Target target = new Target(rendering.name(), rendering.width(), rendering.height(),
                        new Rung(rendering.name(), rendering.shortSide(), rendering.crf(), rendering.maxrateKbps(),
                                rendering.bufsizeKbps()));
                TranscodeResult made = transcoder.transcode(seg, List.of(target), plan.rotation(), dir.resolve("out"),
                        false, TranscodeProgress.NONE);
                store.putFile(mediaBucket, outKey, made.outputs().get(0).file(), "video/mp4");
                LOG.info("{}: segment {} at {} encoded in {} ms", id, job.segment(), rendering.name(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (CodecException e) {
                fail(id, "segment " + job.segment() + " at " + rendering.name() + ": " + e.getMessage());
                return;
            } finally {
                delete(dir);
            }
        }
        int done = store.list(mediaBucket, encodedPrefix(id)).size();
        queue.send(finalizeQueue, StepDone.progress(id, STEP, "segments " + done + "/" + plan.jobs()));
        stitchIfReady(id, plan, done);
    }

    /**
     * Encodes the source's audio once for every rung (AAC, aligned on the first video frame, as
     * the stitch copies it) and measures its loudness and waveform, both off the serial stitch. A
     * source without audio leaves a marker instead, so the stitch knows not to wait.
     */
    private void audio(TranscodeJob job, Lease lease) {
        String id = job.mediaId();
        if (reportIfDone(id)) {
            return;
        }
        TranscodePlan plan = plan(id);
        if (!audioDone(id)) {
            Path dir = scratch(id);
            try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id + " audio")) {
                Path original = store.download(mediaBucket, plan.originalKey(), dir.resolve("original"));
                long started = System.nanoTime();
                Optional<AudioAnalysis> analysis = audio.analyze(original);
                Optional<EncodedAudio> aac = Stitcher.encodeAudio(original, video.audioBitrateKbps(),
                        dir.resolve("audio.m4a"));
                // the analysis first: audio.m4a or the marker says the job is done
                if (analysis.isPresent()) {
                    store.putJson(mediaBucket, audioAnalysisKey(id), analysis.get().toMetadata());
                }
                if (aac.isPresent()) {
                    store.putFile(mediaBucket, audioKey(id), aac.get().file(), "audio/mp4");
                } else {
                    store.putBytes(mediaBucket, noAudioKey(id),
                            "the original has no audio stream\n".getBytes(StandardCharsets.UTF_8), "text/plain");
                }
                LOG.info("{}: audio {} in {} ms", id, aac.map(a -> Math.round(a.durationSeconds()) + " s encoded once")
                        .orElse("absent"), (System.nanoTime() - started) / 1_000_000);
            } catch (CodecException e) {
                fail(id, "audio: " + e.getMessage());
                return;
            } finally {
                delete(dir);
            }
        }
        stitchIfReady(id, plan, store.list(mediaBucket, encodedPrefix(id)).size());
    }

    /** Sends the stitch once every segment job ({@code encoded} of them done) and the audio job are. */
    private void stitchIfReady(String id, TranscodePlan plan, int encoded) {
        if (encoded >= plan.jobs() && audioDone(id)) {
            // Two last jobs finishing together may both send this; stitch is idempotent.
            queue.send(transcodeQueue, TranscodeJob.stitch(id, mediaBucket));
        }
    }

    private boolean audioDone(String id) {
        return store.exists(mediaBucket, audioKey(id)) || store.exists(mediaBucket, noAudioKey(id));
    }

    private void stitch(TranscodeJob job, Lease lease) {
        String id = job.mediaId();
        if (reportIfDone(id)) {
            return;
        }
        TranscodePlan plan = plan(id);
        List<String> encoded = store.list(mediaBucket, encodedPrefix(id));
        if (encoded.size() < plan.jobs()) {
            throw new StorageException("stitch of " + id + " found " + encoded.size() + " of " + plan.jobs()
                    + " encoded segments; expected all. Will retry.", null);
        }
        boolean hasAudio = store.exists(mediaBucket, audioKey(id));
        if (!hasAudio && !store.exists(mediaBucket, noAudioKey(id))) {
            throw new StorageException("stitch of " + id + " found neither " + audioKey(id) + " nor " + noAudioKey(id)
                    + "; expected the audio job to have written one. Will retry.", null);
        }
        Path dir = scratch(id);
        try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id + " stitch")) {
            long started = System.nanoTime();
            Path original = store.download(mediaBucket, plan.originalKey(), dir.resolve("original"));
            Path encodedAudio = hasAudio ? store.download(mediaBucket, audioKey(id), dir.resolve("audio.m4a")) : null;
            List<Double> starts = plan.segments().stream().map(TranscodePlan.Cut::startSeconds).toList();
            List<Output> outputs = new ArrayList<>();
            List<Map<String, Object>> rungs = new ArrayList<>();
            for (TranscodePlan.Rendering t : plan.targets()) {
                List<Path> parts = new ArrayList<>();
                for (TranscodePlan.Cut cut : plan.segments()) {
                    parts.add(store.download(mediaBucket, encodedKey(id, t.name(), cut.index()),
                            dir.resolve(t.name() + "-" + cut.index() + ".mp4")));
                }
                Path out = dir.resolve(t.name() + ".mp4");
                StitchResult joined = Stitcher.stitch(parts, starts, encodedAudio, out);
                SyncCheck check = StitchCheck.verify(original, joined.file());
                if (!check.ok()) {
                    throw new CodecException("the stitched " + t.name() + " does not match the source: " + check.detail());
                }
                outputs.add(upload(id, t.name() + ".mp4", joined.file(), "video/mp4", "video", t.width(), t.height()));
                rungs.add(rung(t.name(), t.width(), t.height(), joined.videoDurationSeconds(), joined.frames()));
                for (Path p : parts) {
                    Files.deleteIfExists(p);
                }
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("renditions", rungs);
            v.put("rotation", plan.rotation());
            v.put("durationSeconds", plan.sourceDurationSeconds());
            v.put("path", "parallel");
            v.put("segments", plan.segments().size());
            metadata.put("video", v);
            store.getJson(mediaBucket, audioAnalysisKey(id), Map.class).ifPresent(a -> metadata.put("audio", a));
            finish(id, outputs, metadata, List.of());
            store.deletePrefix(mediaBucket, workPrefix(id));
            LOG.info("{}: stitched {} rungs in {} ms", id, plan.targets().size(), (System.nanoTime() - started) / 1_000_000);
        } catch (CodecException e) {
            fail(id, "stitch: " + e.getMessage());
        } catch (IOException e) {
            throw new StorageException("scratch files of " + id + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            delete(dir);
        }
    }

    // ------------------------------------------------------------------ helpers

    private boolean reportIfDone(String id) {
        if (store.exists(mediaBucket, Keys.stepResult(id, STEP))) {
            LOG.info("{} for {} already done; telling finalize again", STEP, id);
            queue.send(finalizeQueue, new StepDone(id, STEP));
            return true;
        }
        return false;
    }

    private void finish(String id, List<Output> outputs, Map<String, Object> metadata, List<Reason> reasons) {
        store.putJson(mediaBucket, Keys.stepResult(id, STEP), new StepResult(id, STEP, outputs, metadata, reasons));
        queue.send(finalizeQueue, new StepDone(id, STEP));
    }

    /** Permanent: record why, let finalize quarantine the item, and consume the message. */
    private void fail(String id, String why) {
        LOG.warn("{} could not process {}: {}", STEP, id, why);
        finish(id, List.of(), Map.of(), List.of(Reason.error(ReasonCode.DECODE_FAILED, STEP + ": " + why)));
    }

    private Output upload(String id, String name, Path file, String contentType, String kind, Integer w, Integer h) {
        String key = Keys.rendition(id, STEP, name);
        store.putFile(mediaBucket, key, file, contentType);
        try {
            return new Output(kind, key, contentType, w, h, Files.size(file));
        } catch (IOException e) {
            throw new StorageException("size of " + file + ": " + e.getMessage(), e);
        }
    }

    private TranscodeProgress progress(String id) {
        long[] last = {System.nanoTime()};
        return fraction -> {
            long now = System.nanoTime();
            if (now - last[0] >= PROGRESS_EVERY.toNanos() && fraction < 1) {
                last[0] = now;
                queue.send(finalizeQueue, StepDone.progress(id, STEP, "encoded " + Math.round(fraction * 100) + "%"));
            }
        };
    }

    private static Map<String, Object> videoMetadata(List<VideoOutput> outs, int rotation, boolean hdr, double duration,
                                                     boolean animated, String path) {
        Map<String, Object> v = new LinkedHashMap<>();
        List<Map<String, Object>> rungs = new ArrayList<>();
        for (VideoOutput o : outs) {
            rungs.add(rung(o.name(), o.width(), o.height(), o.durationSeconds(), o.frames()));
        }
        v.put("renditions", rungs);
        v.put("rotation", rotation);
        v.put("hdrToneMapped", hdr);
        v.put("durationSeconds", duration);
        v.put("path", path);
        if (animated) {
            v.put("loop", true); // a GIF plays as a silent looping video, as WhatsApp does
        }
        return v;
    }

    private static Map<String, Object> rung(String name, int w, int h, double seconds, long frames) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("width", w);
        r.put("height", h);
        r.put("durationSeconds", Math.round(seconds * 1000) / 1000.0);
        r.put("frames", frames);
        return r;
    }

    private TranscodePlan plan(String id) {
        return store.getJson(mediaBucket, planKey(id), TranscodePlan.class).orElseThrow(() -> new StorageException(
                "plan " + ObjectStore.uri(mediaBucket, planKey(id)) + " is missing; expected the split to have written it", null));
    }

    private Path scratch(String id) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, STEP + "-" + id.substring(0, 12) + "-");
        } catch (IOException e) {
            throw new StorageException("cannot make a scratch directory in " + workDir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete scratch directory {}: {}", dir, e.toString());
        }
    }

    static String workPrefix(String id) {
        return Keys.scratchPrefix(STEP, id);
    }

    static String planKey(String id) {
        return workPrefix(id) + "plan.json";
    }

    static String segmentKey(String id, int index) {
        return workPrefix(id) + "segments/" + String.format("%05d", index) + ".mkv";
    }

    static String audioKey(String id) {
        return workPrefix(id) + "audio/audio.m4a";
    }

    /** Written instead of {@link #audioKey} when the original has no audio stream. */
    static String noAudioKey(String id) {
        return workPrefix(id) + "audio/none";
    }

    static String audioAnalysisKey(String id) {
        return workPrefix(id) + "audio/analysis.json";
    }

    static String encodedPrefix(String id) {
        return workPrefix(id) + "encoded/";
    }

    static String encodedKey(String id, String target, int index) {
        return encodedPrefix(id) + target + "/" + String.format("%05d", index) + ".mp4";
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
