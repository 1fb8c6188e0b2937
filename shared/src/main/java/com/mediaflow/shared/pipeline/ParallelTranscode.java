package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.codec.ProbeResult;
import com.mediaflow.shared.codec.audio.AudioAnalysis;
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
import com.mediaflow.shared.lambda.Heartbeat;
import com.mediaflow.shared.lambda.Lease;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.model.TranscodeJob;
import com.mediaflow.shared.model.TranscodePlan;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parallel path of a long video. {@link #plan}: the original is cut at keyframes by stream
 * copy, one job per segment and rung goes back onto the transcode queue, and one more job for the
 * audio. {@link #run}: each segment job encodes its segment alone; the audio job encodes the
 * source's audio once, as one continuous AAC track, and measures its loudness and waveform. When
 * the last of these is stored (whichever it is), a stitch job joins the segments of each rung and
 * the encoded audio by packet copy only (no decoding, no encoding: the serial part stays small),
 * and checks duration, frame count and A/V sync against the source, packages the joined renditions as HLS
 * ({@link TranscodeHls}), then writes the step's result.
 * Every job is idempotent: its output has a fixed key, and a job whose output exists does nothing
 * but report again.
 *
 * <p>As in the step itself, a {@link CodecException} is permanent (the result records it, the
 * message is consumed); anything else is thrown, and SQS retries that one job.
 */
final class ParallelTranscode {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelTranscode.class);
    private static final String STEP = TranscodeStep.STEP;

    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String finalizeQueue;
    private final String transcodeQueue;
    private final Path workDir;
    private final VideoSettings video;
    private final VideoTranscoder transcoder;
    private final AudioTranscoder audio;
    private final double segmentSeconds;
    private final Duration heartbeat;

    ParallelTranscode(Config config, ObjectStore store, Queue queue, VideoTranscoder transcoder, AudioTranscoder audio) {
        this.store = store;
        this.queue = queue;
        this.mediaBucket = config.mediaBucket();
        this.finalizeQueue = config.finalizeQueueUrl();
        this.transcodeQueue = config.transcodeQueueUrl();
        this.workDir = config.workDir();
        this.video = config.videoSettings();
        this.transcoder = transcoder;
        this.audio = audio;
        this.segmentSeconds = config.segmentSeconds();
        this.heartbeat = config.heartbeat();
    }

    /**
     * Cuts the original (once: a stored plan is reused) and sends every job not yet done; after all
     * of them (a redelivered step message), the stitch again, which may have been lost.
     */
    FileStep.HandedOn plan(StepMessage m, Path original, ProbeResult probe, Path dir) {
        String id = m.mediaId();
        String planKey = TranscodeKeys.plan(id);
        TranscodePlan plan = store.getJson(mediaBucket, planKey, TranscodePlan.class).orElse(null);
        if (plan == null) {
            long started = System.nanoTime();
            List<Segment> segments = Segmenter.split(original, segmentSeconds, dir.resolve("segments"));
            List<TranscodePlan.Cut> cuts = new ArrayList<>();
            for (Segment s : segments) {
                store.putFile(mediaBucket, TranscodeKeys.segment(id, s.index()), s.file(), "video/x-matroska");
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
        List<String> encoded = store.list(mediaBucket, TranscodeKeys.encodedPrefix(id));
        for (TranscodePlan.Cut cut : plan.segments()) {
            for (TranscodePlan.Rendering t : plan.targets()) {
                if (!encoded.contains(TranscodeKeys.encoded(id, t.name(), cut.index()))) {
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
        return new FileStep.HandedOn("the parallel path: " + plan.segments().size() + " segments x "
                + plan.targets().size() + " rungs");
    }

    /** One job of the parallel path, its message already checked. */
    void run(TranscodeJob job, Lease lease) {
        if (reportIfDone(job.mediaId())) {
            return;
        }
        if (job instanceof TranscodeJob.Segment s) {
            segment(s, lease);
        } else if (job instanceof TranscodeJob.Audio a) {
            audio(a, lease);
        } else if (job instanceof TranscodeJob.Stitch s) {
            stitch(s, lease);
        } else {
            throw new IllegalStateException("a TranscodeJob of no known kind: " + job);
        }
    }

    private void segment(TranscodeJob.Segment job, Lease lease) {
        String id = job.mediaId();
        TranscodePlan plan = plan(id);
        TranscodePlan.Rendering rendering = plan.targets().stream().filter(t -> t.name().equals(job.target())).findFirst()
                .orElseThrow(() -> new MalformedEventException("segment job names rung '" + job.target()
                        + "', expected one of the plan's " + plan.targets().stream().map(TranscodePlan.Rendering::name).toList()));
        if (job.segment() == null || job.segment() < 0 || job.segment() >= plan.segments().size()) {
            throw new MalformedEventException("segment job names segment " + job.segment() + ", expected 0.."
                    + (plan.segments().size() - 1));
        }
        String outKey = TranscodeKeys.encoded(id, rendering.name(), job.segment());
        if (!store.exists(mediaBucket, outKey)) {
            Path dir = Scratch.create(workDir, STEP, id);
            try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id + " segment " + job.segment() + " " + rendering.name())) {
                Path seg = store.download(mediaBucket, TranscodeKeys.segment(id, job.segment()), dir.resolve("segment.mkv"));
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
                Scratch.delete(dir);
            }
        }
        int done = store.list(mediaBucket, TranscodeKeys.encodedPrefix(id)).size();
        queue.send(finalizeQueue, StepDone.progress(id, STEP, "segments " + done + "/" + plan.jobs()));
        stitchIfReady(id, plan, done);
    }

    /**
     * Encodes the source's audio once for every rung (AAC, aligned on the first video frame, as
     * the stitch copies it) and measures its loudness and waveform, both off the serial stitch. A
     * source without audio leaves a marker instead, so the stitch knows not to wait.
     */
    private void audio(TranscodeJob.Audio job, Lease lease) {
        String id = job.mediaId();
        TranscodePlan plan = plan(id);
        if (!audioDone(id)) {
            Path dir = Scratch.create(workDir, STEP, id);
            try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id + " audio")) {
                Path original = store.download(mediaBucket, plan.originalKey(), dir.resolve("original"));
                long started = System.nanoTime();
                Optional<AudioAnalysis> analysis = audio.analyze(original);
                Optional<EncodedAudio> aac = Stitcher.encodeAudio(original, video.audioBitrateKbps(),
                        dir.resolve("audio.m4a"));
                // the analysis first: audio.m4a or the marker says the job is done
                if (analysis.isPresent()) {
                    store.putJson(mediaBucket, TranscodeKeys.audioAnalysis(id), analysis.get().toMetadata());
                }
                if (aac.isPresent()) {
                    store.putFile(mediaBucket, TranscodeKeys.audio(id), aac.get().file(), "audio/mp4");
                } else {
                    store.putBytes(mediaBucket, TranscodeKeys.noAudio(id),
                            "the original has no audio stream\n".getBytes(StandardCharsets.UTF_8), "text/plain");
                }
                LOG.info("{}: audio {} in {} ms", id, aac.map(a -> Math.round(a.durationSeconds()) + " s encoded once")
                        .orElse("absent"), (System.nanoTime() - started) / 1_000_000);
            } catch (CodecException e) {
                fail(id, "audio: " + e.getMessage());
                return;
            } finally {
                Scratch.delete(dir);
            }
        }
        stitchIfReady(id, plan, store.list(mediaBucket, TranscodeKeys.encodedPrefix(id)).size());
    }

    /** Sends the stitch once every segment job ({@code encoded} of them done) and the audio job are. */
    private void stitchIfReady(String id, TranscodePlan plan, int encoded) {
        if (encoded >= plan.jobs() && audioDone(id)) {
            // Two last jobs finishing together may both send this; stitch is idempotent.
            queue.send(transcodeQueue, TranscodeJob.stitch(id, mediaBucket));
        }
    }

    private boolean audioDone(String id) {
        return store.exists(mediaBucket, TranscodeKeys.audio(id)) || store.exists(mediaBucket, TranscodeKeys.noAudio(id));
    }

    private void stitch(TranscodeJob.Stitch job, Lease lease) {
        String id = job.mediaId();
        TranscodePlan plan = plan(id);
        List<String> encoded = store.list(mediaBucket, TranscodeKeys.encodedPrefix(id));
        if (encoded.size() < plan.jobs()) {
            throw new StorageException("stitch of " + id + " found " + encoded.size() + " of " + plan.jobs()
                    + " encoded segments; expected all. Will retry.", null);
        }
        boolean hasAudio = store.exists(mediaBucket, TranscodeKeys.audio(id));
        if (!hasAudio && !store.exists(mediaBucket, TranscodeKeys.noAudio(id))) {
            throw new StorageException("stitch of " + id + " found neither " + TranscodeKeys.audio(id) + " nor "
                    + TranscodeKeys.noAudio(id) + "; expected the audio job to have written one. Will retry.", null);
        }
        Path dir = Scratch.create(workDir, STEP, id);
        try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id + " stitch")) {
            long started = System.nanoTime();
            Path original = store.download(mediaBucket, plan.originalKey(), dir.resolve("original"));
            Path encodedAudio = hasAudio ? store.download(mediaBucket, TranscodeKeys.audio(id), dir.resolve("audio.m4a")) : null;
            List<Double> starts = plan.segments().stream().map(TranscodePlan.Cut::startSeconds).toList();
            List<Output> outputs = new ArrayList<>();
            List<Map<String, Object>> rungs = new ArrayList<>();
            List<VideoOutput> joinedFiles = new ArrayList<>();
            for (TranscodePlan.Rendering t : plan.targets()) {
                List<Path> parts = new ArrayList<>();
                for (TranscodePlan.Cut cut : plan.segments()) {
                    parts.add(store.download(mediaBucket, TranscodeKeys.encoded(id, t.name(), cut.index()),
                            dir.resolve(t.name() + "-" + cut.index() + ".mp4")));
                }
                Path out = dir.resolve(t.name() + ".mp4");
                StitchResult joined = Stitcher.stitch(parts, starts, encodedAudio, out);
                SyncCheck check = StitchCheck.verify(original, joined.file());
                if (!check.ok()) {
                    throw new CodecException("the stitched " + t.name() + " does not match the source: " + check.detail());
                }
                outputs.add(upload(id, t.name() + ".mp4", joined.file(), t.width(), t.height()));
                rungs.add(TranscodeStep.rung(t.name(), t.width(), t.height(), joined.videoDurationSeconds(), joined.frames()));
                joinedFiles.add(new VideoOutput(t.name(), joined.file(), t.width(), t.height(), joined.videoDurationSeconds(),
                        joined.frames(), Files.size(joined.file())));
                for (Path p : parts) {
                    Files.deleteIfExists(p);
                }
            }
            TranscodeHls.Files hls = TranscodeHls.pack(joinedFiles, dir.resolve("hls"));
            for (FileStep.FileRendition r : hls.unlisted()) {
                upload(id, r);
            }
            for (FileStep.FileRendition r : hls.listed()) {
                outputs.add(upload(id, r));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("renditions", rungs);
            v.put("rotation", plan.rotation());
            v.put("durationSeconds", plan.sourceDurationSeconds());
            v.put("path", "parallel");
            v.put("segments", plan.segments().size());
            metadata.put("video", v);
            store.getJson(mediaBucket, TranscodeKeys.audioAnalysis(id), Map.class).ifPresent(a -> metadata.put("audio", a));
            finish(id, outputs, metadata, List.of());
            store.deletePrefix(mediaBucket, TranscodeKeys.workPrefix(id));
            LOG.info("{}: stitched {} rungs in {} ms", id, plan.targets().size(), (System.nanoTime() - started) / 1_000_000);
        } catch (CodecException e) {
            fail(id, "stitch: " + e.getMessage());
        } catch (IOException e) {
            throw new StorageException("scratch files of " + id + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            Scratch.delete(dir);
        }
    }

    // ------------------------------------------------------------------ the step's result, written by the jobs

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

    private Output upload(String id, String name, Path file, int w, int h) {
        return upload(id, new FileStep.FileRendition("video", name, "video/mp4", file, w, h));
    }

    private Output upload(String id, FileStep.FileRendition r) {
        String key = Keys.rendition(id, STEP, r.name());
        store.putRenditionFile(mediaBucket, key, r.file(), r.contentType());
        try {
            return new Output(r.kind(), key, r.contentType(), r.width(), r.height(), Files.size(r.file()));
        } catch (IOException e) {
            throw new StorageException("size of " + r.file() + ": " + e.getMessage(), e);
        }
    }

    private TranscodePlan plan(String id) {
        return store.getJson(mediaBucket, TranscodeKeys.plan(id), TranscodePlan.class).orElseThrow(() -> new StorageException(
                "plan " + ObjectStore.uri(mediaBucket, TranscodeKeys.plan(id)) + " is missing; expected the split to have written it", null));
    }
}
