package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The sweeper on the embedded stack, over HTTP, with the real handlers: an upload whose S3
 * notification was lost ends READY; an item stuck PROCESSING is left alone within its limit, then
 * re-driven, then FAILED with STALLED and exactly one completion event; a step or validate that
 * fails its initialisation (on the embedded stack, as on Lambda, its messages go to the
 * dead-letter queue without anyone recording a failure) leaves uploads that the sweeper resolves.
 */
class SweeperIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void lostNotification_theSweeperRedrivesIt_andTheUploadEndsReady_once() throws Exception {
        Path photo = Corpus.dir().resolve("exif-orientation").resolve("Landscape_1.jpg");
        String key = "lost/landscape 1+été.jpg";
        Path data = tmp.resolve("data");
        String etag;
        // given an upload whose notification never reached validate: stored with the functions off,
        // and its message taken off the ingest queue
        try (EmbeddedStack stack = EmbeddedStack.start(options(data).withFunctions(false))) {
            String ingest = stack.bucket("IngestBucket");
            etag = stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"), RequestBody.fromFile(photo))
                    .eTag();
            String queue = stack.queueUrl("IngestQueue");
            List<Message> notifications = stack.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(5)).messages();
            assertThat(notifications).as("the upload's S3 notification").hasSize(1);
            stack.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(notifications.get(0).receiptHandle()));
        }

        // when the stack runs again on that folder, with its sweeper every second and a 2 s grace
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(options(data).withSweepInterval(Duration.ofSeconds(1))
                .withEnvironment(Map.of(Config.SWEEP_UPLOAD_GRACE_SECONDS, "2"))))) {
            assertThat(fx.stack.restoredMessages()).as("nothing left in any queue for the upload").isZero();
            Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);

            // then it ends READY, identified by its ETag (the sweeper cannot know S3's sequencer), with one event
            assertThat(receipt.status()).isEqualTo(MediaStatus.READY);
            assertThat(receipt.sequencer()).isNull();
            Manifest item = fx.store.getJson(fx.media, Keys.manifest(receipt.mediaId()), Manifest.class).orElseThrow();
            assertThat(item.status()).isEqualTo(MediaStatus.READY);
            assertThat(item.outputs()).isNotEmpty();
            List<CompletionEvent> events = fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(MediaStatus.READY);
                assertThat(e.eventId()).isEqualTo(receipt.eventId());
            });

            // and more sweeps change nothing: no second receipt, no second event, no new object
            fx.awaitQuiet(WAIT);
            Map<String, String> before = fx.snapshot(fx.media, "");
            sweep(fx.stack);
            sweep(fx.stack);
            fx.awaitQuiet(WAIT);
            assertThat(fx.snapshot(fx.media, "")).isEqualTo(before);
            assertThat(Receipts.of(fx.store, fx.media, fx.ingest, key)).hasSize(1);
            assertThat(fx.completions()).filteredOn(e -> key.equals(e.key())).hasSize(1);
        }
    }

    @Test
    void itemStuckProcessing_isLeftWithinItsLimit_thenRedriven_thenFailedWithOneEvent() throws Exception {
        Path photo = SyntheticMedia.jpeg(tmp.resolve("stuck.jpg"), 96, 64, 0);
        String key = "stuck/photo.jpg";
        Map<String, String> limits = Map.of(Config.SWEEP_STUCK_AFTER_SECONDS, "4", Config.SWEEP_MAX_REDRIVES, "1");
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(options(null).withFunctions(false).withEnvironment(limits)))) {
            // given an item PROCESSING whose step messages were lost: validate ran, its fan-out taken off the queues
            String etag = fx.upload(photo, key, "image/jpeg");
            invokeWithMessagesOf(fx.stack, "ValidateFunction");
            Receipt processing = fx.awaitReceipt(key, WAIT);
            assertThat(processing.status()).isEqualTo(MediaStatus.PROCESSING);
            String id = processing.mediaId();
            assertThat(take(fx.stack, "ThumbnailQueue")).hasSize(1);
            assertThat(take(fx.stack, "MetadataQueue")).hasSize(1);
            FunctionHost sweeper = fx.stack.host("SweeperFunction");

            // when the sweeper runs within the 4 s limit: nothing happens
            sweeper.invoke(EmbeddedStack.scheduledEvent("SweeperFunction"));
            assertThat(status(fx, id)).isEqualTo(MediaStatus.PROCESSING);
            assertThat(count(fx.stack, "ThumbnailQueue") + count(fx.stack, "MetadataQueue")).isZero();

            // when it runs past the limit: the missing steps are re-driven (once), the item stays PROCESSING
            Thread.sleep(5_000);
            sweeper.invoke(EmbeddedStack.scheduledEvent("SweeperFunction"));
            assertThat(status(fx, id)).isEqualTo(MediaStatus.PROCESSING);
            List<Message> redriven = take(fx.stack, "ThumbnailQueue");
            assertThat(redriven).singleElement().satisfies(m -> assertThat(Json.read(m.body(), StepMessage.class))
                    .isEqualTo(new StepMessage(id, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, fx.media, Keys.original(id))
                            .withSteps(List.of("metadata", "thumbnail"))));
            assertThat(take(fx.stack, "MetadataQueue")).hasSize(1);
            sweeper.invoke(EmbeddedStack.scheduledEvent("SweeperFunction"));
            assertThat(count(fx.stack, "ThumbnailQueue")).as("a second run right after re-drives nothing").isZero();

            // when the re-drive brings nothing within the limit again: FAILED, STALLED, one event
            Thread.sleep(5_000);
            sweeper.invoke(EmbeddedStack.scheduledEvent("SweeperFunction"));
            Manifest failed = fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class).orElseThrow();
            assertThat(failed.status()).isEqualTo(MediaStatus.FAILED);
            assertThat(failed.reasons()).anySatisfy(r -> {
                assertThat(r.code()).isEqualTo(ReasonCode.STALLED);
                assertThat(r.message()).startsWith("sweeper: expected the item to leave PROCESSING within 4 s")
                        .contains("after 1 re-drive(s)").endsWith("steps without a result: [metadata, thumbnail]");
            });
            Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);
            assertThat(receipt.status()).isEqualTo(MediaStatus.FAILED);
            assertThat(receipt.reasons()).extracting(r -> r.code()).contains(ReasonCode.STALLED);
            assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT)).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(MediaStatus.FAILED));

            // and sweeping again changes nothing
            Thread.sleep(5_000);
            Map<String, String> before = fx.snapshot(fx.media, "");
            sweeper.invoke(EmbeddedStack.scheduledEvent("SweeperFunction"));
            assertThat(fx.snapshot(fx.media, "")).isEqualTo(before);
            assertThat(fx.completions()).filteredOn(e -> key.equals(e.key())).hasSize(1);
            assertThat(count(fx.stack, "ThumbnailQueue") + count(fx.stack, "MetadataQueue")).isZero();
        }
    }

    @Test
    void transcodeFailingItsInitialisation_leavesAVoiceNoteProcessing_whichTheSweeperFails() throws Exception {
        Path voice = SyntheticMedia.voiceNoteWav(tmp.resolve("voice.wav"), 16_000, 1.0, 0.5);
        String key = "init/voice.wav";
        // X264_PRESET is read when the transcode function starts: a bad one fails its initialisation
        Map<String, String> env = Map.of("X264_PRESET", "bogus", Config.SWEEP_STUCK_AFTER_SECONDS, "4",
                Config.SWEEP_MAX_REDRIVES, "1");
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(options(null).withSweepInterval(Duration.ofSeconds(1))
                .withEnvironment(env)))) {
            String etag = fx.upload(voice, key, "audio/wav");

            Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);

            assertThat(receipt.status()).isEqualTo(MediaStatus.FAILED);
            assertThat(receipt.reasons()).anySatisfy(r -> {
                assertThat(r.code()).isEqualTo(ReasonCode.STALLED);
                assertThat(r.message()).endsWith("steps without a result: [transcode]");
            });
            Manifest item = fx.store.getJson(fx.media, Keys.manifest(receipt.mediaId()), Manifest.class).orElseThrow();
            assertThat(item.status()).isEqualTo(MediaStatus.FAILED);
            assertThat(fx.store.exists(fx.media, Keys.stepResult(item.mediaId(), "metadata"))).as("metadata did its part").isTrue();
            assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT)).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(MediaStatus.FAILED));
            Thread.sleep(3_000); // more sweeps
            assertThat(fx.completions()).filteredOn(e -> key.equals(e.key())).hasSize(1);
        }
    }

    /**
     * The sweeper's FAILED write to a stuck item applied, but its answer lost (the SDK's retry then
     * answered 412, or no answer came): putJsonIfMatch says false and the manifest's ETag is no longer
     * the judged one. The item must still be announced, or its uploads stay PROCESSING for good (the
     * sweeper looks only at manifests PROCESSING): IamIT's stuck-item test timed out so on 3 Dec.
     */
    @Test
    void stuckItemFailedByAWriteWhoseAnswerWasLost_isStillAnnounced() throws Exception {
        Path voice = SyntheticMedia.voiceNoteWav(tmp.resolve("voice.wav"), 16_000, 1.0, 0.5);
        String key = "lost-answer/voice.wav";
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(options(null).withEnvironment(Map.of("X264_PRESET", "bogus"))))) {
            String etag = fx.upload(voice, key, "audio/wav");
            String mediaId = StackFixture.await(() -> Receipts.find(fx.store, fx.media, fx.ingest, key, etag)
                    .map(Receipt::mediaId), WAIT, "the receipt naming the item");
            StackFixture.await(() -> fx.store.exists(fx.media, Keys.stepResult(mediaId, "metadata")) ? Optional.of(true)
                    : Optional.empty(), WAIT, "metadata's result (transcode fails its initialisation)");
            var judged = fx.store.getJsonVersioned(fx.media, Keys.manifest(mediaId), Manifest.class).orElseThrow();
            assertThat(judged.value().status()).isEqualTo(MediaStatus.PROCESSING);
            var reason = com.mediaflow.shared.validation.Reason.error(ReasonCode.STALLED, "sweeper: lost-answer test");
            // the write as markItemFailed makes it, applied; its caller never heard back
            Manifest failed = judged.value().withOutcome(MediaStatus.FAILED, judged.value().original(), judged.value().steps(),
                    List.of(reason), judged.value().outputs(), judged.value().metadata());
            assertThat(fx.store.putJsonIfMatch(fx.media, Keys.manifest(mediaId), failed, judged.etag())).isTrue();

            // when the call is made again, as the sweeper's next attempt or run does, with the ETag it judged
            var failures = new com.mediaflow.shared.pipeline.Failures(fx.store, new com.mediaflow.shared.aws.Queue(fx.stack.sqs()),
                    fx.media, fx.stack.queueUrl("CompletionQueue"));
            boolean marked = failures.markItemFailed(mediaId, reason, judged.etag());

            // then the item is FAILED and its upload announced, once
            assertThat(marked).as("the item is FAILED").isTrue();
            Receipt receipt = fx.awaitFinalReceipt(key, etag, Duration.ofSeconds(10));
            assertThat(receipt.status()).isEqualTo(MediaStatus.FAILED);
            assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT)).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(MediaStatus.FAILED));
        }
    }

    @Test
    void validateFailingItsInitialisation_leavesUploadsWithoutReceipt_whichTheSweeperFails() throws Exception {
        Path photo = SyntheticMedia.jpeg(tmp.resolve("unvalidated.jpg"), 64, 64, 0);
        String key = "init/unvalidated.jpg";
        // MAX_UPLOAD_BYTES is read when validate starts: a bad one fails its initialisation
        Map<String, String> env = Map.of(Config.MAX_UPLOAD_BYTES, "abc", Config.SWEEP_UPLOAD_GRACE_SECONDS, "2",
                Config.SWEEP_MAX_REDRIVES, "1");
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(options(null).withSweepInterval(Duration.ofSeconds(1))
                .withEnvironment(env)))) {
            String etag = fx.upload(photo, key, "image/jpeg");

            Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);

            assertThat(receipt.status()).isEqualTo(MediaStatus.FAILED);
            assertThat(receipt.mediaId()).as("never validated").isNull();
            assertThat(receipt.reasons()).singleElement().satisfies(r -> {
                assertThat(r.code()).isEqualTo(ReasonCode.STALLED);
                assertThat(r.message()).startsWith("sweeper: expected a receipt within 2 s of the upload")
                        .endsWith("found none after 1 re-drive(s) of its notification");
            });
            assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT)).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(MediaStatus.FAILED));
            Thread.sleep(3_000); // more sweeps
            assertThat(fx.completions()).filteredOn(e -> key.equals(e.key())).hasSize(1);
            assertThat(Receipts.of(fx.store, fx.media, fx.ingest, key)).hasSize(1);
        }
    }

    private static EmbeddedStack.Options options(Path data) {
        EmbeddedStack.Options o = EmbeddedStack.Options.defaults(TestPaths.template()).withWorkers(1)
                .withSweepInterval(Duration.ZERO);
        return data == null ? o : o.withDataDir(data);
    }

    private static void sweep(EmbeddedStack stack) {
        Object line = stack.host("SweeperFunction").invoke(EmbeddedStack.scheduledEvent("SweeperFunction"));
        assertThat(String.valueOf(line)).startsWith("sweep: ");
    }

    /** Runs a function's handler on what its queue holds now, as its event source would. */
    private static void invokeWithMessagesOf(EmbeddedStack stack, String function) {
        EmbeddedStack.QueueRef queue = stack.eventSourceQueue(function);
        List<Message> messages = StackFixture.await(() -> {
            List<Message> m = stack.sqs().receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            return m.isEmpty() ? Optional.empty() : Optional.of(m);
        }, WAIT, "messages for " + function);
        stack.host(function).invoke(SqsEvents.fromMessages(messages, queue.arn(), EmbeddedStack.REGION));
        messages.forEach(m -> stack.sqs().deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(m.receiptHandle())));
    }

    /** Takes every message off a queue. */
    private static List<Message> take(EmbeddedStack stack, String queue) {
        String url = stack.queueUrl(queue);
        List<Message> messages = stack.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        messages.forEach(m -> stack.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        return messages;
    }

    private static int count(EmbeddedStack stack, String queue) {
        Map<QueueAttributeName, String> a = stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl(queue)).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static MediaStatus status(StackFixture fx, String mediaId) {
        return fx.store.getJson(fx.media, Keys.manifest(mediaId), Manifest.class).orElseThrow().status();
    }
}
