package com.mediaflow.infra.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.infra.stack.StackFixture;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.ProbeResult;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ResultPendingException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.lambda.Heartbeat;
import com.mediaflow.shared.lambda.Lease;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.shared.model.TranscodeJob;
import com.mediaflow.shared.model.TranscodeWork;
import com.mediaflow.shared.pipeline.Finalizer;
import com.mediaflow.shared.pipeline.TranscodeService;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The parallel path, job by job, against the embedded stack's real S3 and SQS with no pollers: the
 * test receives each job from the transcode queue and hands it to the service, so it can run a job
 * twice, break a segment, and read every progress notice in order.
 */
class TranscodeServiceIT {
    private static final double FPS = 15;
    private static StackFixture fx;
    private static String transcodeQueue;
    private static String finalizeQueue;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
        transcodeQueue = fx.stack.queueUrl("TranscodeQueue");
        finalizeQueue = fx.stack.queueUrl("FinalizeQueue");
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static Config config(String function) {
        Map<String, String> env = new HashMap<>(fx.stack.environment(function));
        env.put(Config.SEGMENT_THRESHOLD_SECONDS, "10");
        env.put(Config.SEGMENT_SECONDS, "5");
        env.put(Config.HEARTBEAT_SECONDS, "1");
        env.put(Config.WORK_DIR, dir.resolve("work").toString());
        return Config.of(env);
    }

    /** Stores an original and the PROCESSING manifest validate would have written; returns its media id. */
    private static String stage(Path file, String type) throws Exception {
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        fx.stack.s3().putObject(b -> b.bucket(fx.media).key(Keys.original(id)).contentType(type), RequestBody.fromFile(file));
        fx.store.putJson(fx.media, Keys.manifest(id), new Manifest(id, MediaStatus.PROCESSING,
                MediaFormat.byMimeType(type).orElseThrow(), MediaCategory.VIDEO, Files.size(file),
                new Manifest.Location(fx.media, Keys.original(id)), Map.of("transcode", StepState.PENDING), List.of(), List.of(),
                Map.of()));
        return id;
    }

    private static String stepMessage(String id, String type) {
        return Json.write(new StepMessage(id, TranscodeService.STEP, MediaFormat.byMimeType(type).orElseThrow(),
                MediaCategory.VIDEO, fx.media, Keys.original(id)));
    }

    private static List<String> drain(String queueUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> got = fx.stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (got.isEmpty()) {
                return bodies;
            }
            for (Message m : got) {
                bodies.add(m.body());
                fx.stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    @Test
    void longVideo_isSplit_eachSegmentEncodedOnce_stitched_andTheManifestShowsProgress() throws Exception {
        Path clip = SyntheticMedia.mp4(dir.resolve("h264-aac-320x240-20s-portrait.mp4"), 320, 240, 20, (int) FPS, true, 90);
        String id = stage(clip, "video/mp4");
        TranscodeService service = new TranscodeService(config("TranscodeFunction"), fx.store, new Queue(fx.stack.sqs()));
        Finalizer finalizer = new Finalizer(config("FinalizeFunction"), fx.store, new Queue(fx.stack.sqs()));

        // the step message: split, one job per segment (320x240 is below 360p: one rung at its own size), one audio job
        service.handle(stepMessage(id, "video/mp4"), Lease.NONE);
        List<TranscodeJob> all = drain(transcodeQueue).stream().map(b -> (TranscodeJob) TranscodeWork.read(b)).toList();
        assertThat(all).hasSize(5);
        List<TranscodeJob.Segment> jobs = all.stream().filter(j -> j.job().equals(TranscodeJob.SEGMENT))
                .map(TranscodeJob.Segment.class::cast).toList();
        assertThat(jobs).extracting(TranscodeJob.Segment::segment).containsExactlyInAnyOrder(0, 1, 2, 3);
        TranscodeJob audioJob = all.stream().filter(j -> j.job().equals(TranscodeJob.AUDIO)).findFirst().orElseThrow();
        assertThat(audioJob).isEqualTo(TranscodeJob.audio(id, fx.media));
        assertThat(fx.keys(fx.media, Keys.scratchPrefix("transcode", id) + "segments/")).hasSize(4);

        // each segment job once; the first one again, as a redelivery would: it encodes nothing the second time
        for (TranscodeJob.Segment job : jobs) {
            service.handle(Json.write(job), Lease.NONE);
        }
        Map<String, String> encoded = fx.snapshot(fx.media, Keys.scratchPrefix("transcode", id) + "encoded/");
        service.handle(Json.write(jobs.get(0)), Lease.NONE);
        assertThat(encoded).hasSize(4);
        assertThat(fx.snapshot(fx.media, Keys.scratchPrefix("transcode", id) + "encoded/")).isEqualTo(encoded);
        assertThat(drain(transcodeQueue)).as("no stitch while the audio job is not done").isEmpty();

        // the audio job, last here, encodes the audio once and sends the stitch; again, it encodes nothing
        service.handle(Json.write(audioJob), Lease.NONE);
        String audioPrefix = Keys.scratchPrefix("transcode", id) + "audio/";
        Map<String, String> audioObjects = fx.snapshot(fx.media, audioPrefix);
        assertThat(audioObjects).containsOnlyKeys(audioPrefix + "audio.m4a", audioPrefix + "analysis.json");
        ProbeResult m4a = MediaProbe.probe(fx.store.download(fx.media, audioPrefix + "audio.m4a", dir.resolve("audio.m4a")));
        assertThat(m4a.audioCodec()).isEqualTo("aac");
        assertThat(m4a.videoCodec()).isNull();
        assertThat(m4a.durationSeconds()).isCloseTo(20.0, Offset.offset(0.1));
        service.handle(Json.write(audioJob), Lease.NONE);
        assertThat(fx.snapshot(fx.media, audioPrefix)).isEqualTo(audioObjects);

        // progress notices reach finalize, which shows them in the manifest, never going backwards
        List<StepDone> notices = drain(finalizeQueue).stream().map(b -> Json.read(b, StepDone.class)).toList();
        assertThat(notices).allMatch(StepDone::inProgress);
        assertThat(notices).extracting(StepDone::progress).contains("segments 0/4", "segments 1/4", "segments 4/4");
        for (StepDone n : notices) {
            finalizer.finalizeItem(Json.write(n));
        }
        finalizer.finalizeItem(Json.write(StepDone.progress(id, TranscodeService.STEP, "segments 2/4")));
        Manifest during = fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class).orElseThrow();
        assertThat(during.status()).isEqualTo(MediaStatus.PROCESSING);
        assertThat(during.progress()).containsEntry("transcode", "segments 4/4");

        // the last job asked for a stitch (its redelivery too); it runs, idempotently
        List<String> stitches = drain(transcodeQueue);
        assertThat(stitches).isNotEmpty().allMatch(b -> TranscodeWork.read(b) instanceof TranscodeJob.Stitch);
        for (String s : stitches) {
            service.handle(s, Lease.NONE);
        }
        StepResult result = fx.store.getJson(fx.media, Keys.stepResult(id, TranscodeService.STEP), StepResult.class).orElseThrow();
        assertThat(result.failed()).isFalse();
        assertThat(result.outputs()).filteredOn(o -> o.kind().equals("video")).hasSize(1);
        Output video = result.outputs().get(0);
        assertThat(video.contentType()).isEqualTo("video/mp4");
        // the stitched rendition is packaged as HLS too: the playlists listed, their segments stored
        String hls = Keys.rendition(id, TranscodeService.STEP, "hls/");
        assertThat(result.outputs()).filteredOn(o -> o.kind().equals("hls")).extracting(Output::key, Output::contentType)
                .containsExactly(tuple(hls + "master.m3u8", "application/vnd.apple.mpegurl"),
                        tuple(hls + "240p/index.m3u8", "application/vnd.apple.mpegurl"));
        assertThat(fx.keys(fx.media, hls + "240p/")).contains(hls + "240p/init.mp4", hls + "240p/00000.m4s",
                hls + "240p/00003.m4s");
        assertThat(video.width()).isEqualTo(240);
        assertThat(video.height()).isEqualTo(320);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) result.metadata().get("video");
        assertThat(meta).containsEntry("path", "parallel").containsEntry("segments", 4);
        assertThat(result.metadata()).containsKey("audio");
        assertThat(fx.keys(fx.media, Keys.scratchPrefix("transcode", id))).as("scratch objects are deleted").isEmpty();

        Path out = fx.store.download(fx.media, video.key(), dir.resolve("stitched.mp4"));
        ProbeResult p = MediaProbe.probe(out);
        assertThat(p.videoCodec()).isEqualTo("h264");
        assertThat(p.audioCodec()).isEqualTo("aac");
        assertThat(p.width()).as("rotation applied to the pixels: portrait").isEqualTo(240);
        assertThat(p.height()).isEqualTo(320);
        assertThat(p.rotation()).isZero();
        assertThat(p.durationSeconds()).isCloseTo(20.0, Offset.offset(1.5 / FPS));

        // the final notice makes the item READY, and the progress line is gone
        for (String b : drain(finalizeQueue)) {
            finalizer.finalizeItem(b);
        }
        Manifest ready = fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class).orElseThrow();
        assertThat(ready.status()).isEqualTo(MediaStatus.READY);
        assertThat(ready.progress()).isEmpty();
        assertThat(ready.outputs()).isEqualTo(result.outputs());
    }

    @Test
    void aShortVideo_isEncodedInOnePass_itsResultStored_andARedeliveryOnlyReportsAgain() throws Exception {
        drain(transcodeQueue);
        drain(finalizeQueue);
        Path clip = SyntheticMedia.mp4(dir.resolve("h264-aac-320x240-4s.mp4"), 320, 240, 4, (int) FPS, true, 0);
        String id = stage(clip, "video/mp4");
        TranscodeService service = new TranscodeService(config("TranscodeFunction"), fx.store, new Queue(fx.stack.sqs()));

        service.handle(stepMessage(id, "video/mp4"), Lease.NONE);
        StepResult result = fx.store.getJson(fx.media, Keys.stepResult(id, TranscodeService.STEP), StepResult.class).orElseThrow();
        assertThat(result.failed()).isFalse();
        assertThat(result.reasons()).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) result.metadata().get("video");
        assertThat(meta).containsEntry("path", "single").containsEntry("rotation", 0).containsEntry("hdrToneMapped", false);
        @SuppressWarnings("unchecked")
        String rung = (String) ((List<Map<String, Object>>) meta.get("renditions")).get(0).get("name");
        assertThat(result.outputs()).filteredOn(o -> o.kind().equals("hls")).extracting(Output::key).containsExactly(
                Keys.rendition(id, TranscodeService.STEP, "hls/master.m3u8"),
                Keys.rendition(id, TranscodeService.STEP, "hls/" + rung + "/index.m3u8"));
        assertThat(result.outputs()).filteredOn(o -> o.kind().equals("video")).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo(Keys.rendition(id, TranscodeService.STEP, rung + ".mp4"));
            assertThat(o.kind()).isEqualTo("video");
            assertThat(o.contentType()).isEqualTo("video/mp4");
            assertThat(o.width()).isEqualTo(320);
            assertThat(o.height()).isEqualTo(240);
            assertThat(o.bytes()).isEqualTo(Files.size(fx.store.download(fx.media, o.key(), dir.resolve("single.mp4"))));
        });
        assertThat(result.metadata()).containsKey("audio");
        assertThat(drain(transcodeQueue)).as("no parallel path below the threshold").isEmpty();
        assertThat(drain(finalizeQueue)).extracting(b -> Json.read(b, StepDone.class)).containsExactly(new StepDone(id, TranscodeService.STEP));
        try (var left = Files.list(dir.resolve("work"))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("transcode-" + id.substring(0, 12))))
                    .as("the scratch directory is deleted").isEmpty();
        }

        Map<String, String> stored = fx.snapshot(fx.media, Keys.mediaPrefix(id));
        service.handle(stepMessage(id, "video/mp4"), Lease.NONE);
        assertThat(fx.snapshot(fx.media, Keys.mediaPrefix(id))).as("a redelivery encodes nothing").isEqualTo(stored);
        assertThat(drain(finalizeQueue)).extracting(b -> Json.read(b, StepDone.class)).containsExactly(new StepDone(id, TranscodeService.STEP));

        // run for real again (its result gone): the same keys, the HLS package included. Not always the same bytes:
        // a full verify on a loaded machine once gave a second 240p.mp4 (and so its HLS copy) other bytes than the
        // first, though the same frames; the cause is not found yet (the encoder threads' timing is the suspect)
        fx.store.delete(fx.media, Keys.stepResult(id, TranscodeService.STEP));
        service.handle(stepMessage(id, "video/mp4"), Lease.NONE);
        drain(finalizeQueue);
        assertThat(etags(fx.snapshot(fx.media, Keys.mediaPrefix(id))).keySet()).as("a second encode and packaging")
                .isEqualTo(etags(stored).keySet()).contains(Keys.rendition(id, TranscodeService.STEP, "hls/" + rung + "/00000.m4s"));
    }

    @Test
    void aShadowCopyOfALongVideo_isEncodedInOnePass_underShadowKeys_andTellsNobody() throws Exception {
        drain(transcodeQueue);
        drain(finalizeQueue);
        // 13 s, not the 12 s of the parallel-path test: the same bytes would be the same item, whose live result
        // that test (when it runs first) has stored already
        Path clip = SyntheticMedia.mp4(dir.resolve("h264-320x240-13s-shadow.mp4"), 320, 240, 13, (int) FPS, false, 0);
        String id = stage(clip, "video/mp4");
        TranscodeService service = new TranscodeService(config("TranscodeFunction"), fx.store, new Queue(fx.stack.sqs()));
        StepMessage shadow = new StepMessage(id, TranscodeService.STEP, MediaFormat.MP4, MediaCategory.VIDEO, fx.media, Keys.original(id)).asShadow();

        // the live result is not there yet: the comparison waits (retryable), after the shadow result is stored
        assertThatThrownBy(() -> service.handle(Json.write(shadow), Lease.NONE)).isInstanceOf(ResultPendingException.class);
        StepResult result = fx.store.getJson(fx.media, Keys.shadowResult(id, TranscodeService.STEP), StepResult.class).orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) result.metadata().get("video");
        assertThat(meta).containsEntry("path", "single");
        assertThat(result.outputs()).extracting(Output::kind).containsExactly("video", "hls", "hls");
        assertThat(result.outputs()).allSatisfy(o -> assertThat(o.key()).startsWith(Keys.shadowPrefix(id, TranscodeService.STEP)));
        assertThat(fx.keys(fx.media, Keys.shadowPrefix(id, TranscodeService.STEP))).as("the segments under shadow keys too")
                .anyMatch(k -> k.endsWith("/init.mp4")).anyMatch(k -> k.endsWith("/00001.m4s"));
        assertThat(fx.store.exists(fx.media, Keys.stepResult(id, TranscodeService.STEP))).isFalse();
        assertThat(fx.keys(fx.media, Keys.scratchPrefix("transcode", id))).as("no parallel path for a shadow copy").isEmpty();
        assertThat(drain(transcodeQueue)).isEmpty();
        assertThat(drain(finalizeQueue)).as("a shadow copy tells nobody").isEmpty();
    }

    @Test
    void aSegmentThatCannotBeDecoded_quarantinesTheItem_andTheMessageIsConsumed() throws Exception {
        Path clip = SyntheticMedia.mp4(dir.resolve("h264-320x240-12s.mp4"), 320, 240, 12, (int) FPS, false, 0);
        String id = stage(clip, "video/mp4");
        TranscodeService service = new TranscodeService(config("TranscodeFunction"), fx.store, new Queue(fx.stack.sqs()));
        service.handle(stepMessage(id, "video/mp4"), Lease.NONE);
        List<TranscodeJob> jobs = drain(transcodeQueue).stream().map(b -> (TranscodeJob) TranscodeWork.read(b)).toList();
        drain(finalizeQueue);
        // a source without audio: the audio job leaves the marker the stitch waits for, and no audio file
        assertThat(jobs).filteredOn(j -> j.job().equals(TranscodeJob.AUDIO)).hasSize(1);
        TranscodeJob audioJob = jobs.stream().filter(j -> j.job().equals(TranscodeJob.AUDIO)).findFirst().orElseThrow();
        service.handle(Json.write(audioJob), Lease.NONE);
        assertThat(fx.keys(fx.media, Keys.scratchPrefix("transcode", id) + "audio/"))
                .containsExactly(Keys.scratchPrefix("transcode", id) + "audio/none");
        String broken = fx.keys(fx.media, Keys.scratchPrefix("transcode", id) + "segments/").get(1);
        fx.store.putBytes(fx.media, broken, "these are not the bytes of a video".getBytes(), "video/x-matroska");

        TranscodeJob job = jobs.stream().filter(j -> j instanceof TranscodeJob.Segment s && Integer.valueOf(1).equals(s.segment()))
                .findFirst().orElseThrow();
        service.handle(Json.write(job), Lease.NONE); // returns: the message is consumed, not retried

        StepResult result = fx.store.getJson(fx.media, Keys.stepResult(id, TranscodeService.STEP), StepResult.class).orElseThrow();
        assertThat(result.failed()).isTrue();
        assertThat(result.reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.DECODE_FAILED);
            assertThat(r.message()).startsWith("transcode: segment 1 at ");
        });
        assertThat(drain(finalizeQueue)).extracting(b -> Json.read(b, StepDone.class)).contains(new StepDone(id, TranscodeService.STEP));
        Finalizer finalizer = new Finalizer(config("FinalizeFunction"), fx.store, new Queue(fx.stack.sqs()));
        finalizer.finalizeItem(Json.write(new StepDone(id, TranscodeService.STEP)));
        assertThat(fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class).orElseThrow().status())
                .isEqualTo(MediaStatus.QUARANTINED);
    }

    @Test
    void aLongJob_keepsItsClaim_whileItsHeartbeatRuns() throws Exception {
        fx.stack.sqs().sendMessage(b -> b.queueUrl(transcodeQueue).messageBody("{\"claim\":1}"));
        Message m = fx.stack.sqs().receiveMessage(b -> b.queueUrl(transcodeQueue).visibilityTimeout(2).waitTimeSeconds(1))
                .messages().get(0);

        try (Heartbeat beat = Heartbeat.start(Lease.of(fx.stack.sqs(), transcodeQueue, m.receiptHandle()), Duration.ofSeconds(1), "claim")) {
            Thread.sleep(4_500); // more than twice the 2 s the message was received for
            assertThat(fx.stack.sqs().receiveMessage(b -> b.queueUrl(transcodeQueue).waitTimeSeconds(0)).messages())
                    .as("nobody else receives it while the claim is extended").isEmpty();
            assertThat(beat.beats()).isGreaterThanOrEqualTo(4);
        }
        Thread.sleep(3_500); // the last extension (3 s ahead) runs out
        List<Message> again = fx.stack.sqs().receiveMessage(b -> b.queueUrl(transcodeQueue).waitTimeSeconds(2)).messages();
        assertThat(again).extracting(Message::messageId).containsExactly(m.messageId());
        fx.stack.sqs().deleteMessage(b -> b.queueUrl(transcodeQueue).receiptHandle(again.get(0).receiptHandle()));
    }

    /** A snapshot's ETags (MD5 of the bytes), without the last-modified times a rewrite changes. */
    private static Map<String, String> etags(Map<String, String> snapshot) {
        Map<String, String> out = new java.util.TreeMap<>();
        snapshot.forEach((k, v) -> out.put(k, v.substring(0, v.lastIndexOf('@'))));
        return out;
    }
}
