package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.testkit.Corpus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Failure is a state, not a silence: a step whose configuration is broken fails its message on
 * every receive; on the last one (the queue's maxReceiveCount) its item is marked FAILED with
 * STEP_FAILED and its upload gets a FAILED completion event, and the message goes on to the step's
 * dead-letter queue. Restarted with a good configuration on the same data folder, a redrive
 * (SQS StartMessageMoveTask, which ElasticMQ implements) brings the message back and the item
 * ends READY, with a second event of a new eventId.
 */
class FailureIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path data;

    @Test
    void brokenStep_endsFailedInTheDlq_thenARedriveWithAGoodConfigurationMakesItReady() throws Exception {
        Path photo = Corpus.dir().resolve("exif-orientation").resolve("Landscape_1.jpg");
        String key = "failure/landscape.jpg";
        String mediaId;
        String failedEventId;
        // given a stack whose thumbnail function is misconfigured
        try (EmbeddedStack stack = start(Map.of("THUMBNAIL_SIZES", "abc"))) {
            ObjectStore store = new ObjectStore(stack.s3());
            String ingest = stack.bucket("IngestBucket");
            String media = stack.bucket("MediaBucket");
            String etag = stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"), RequestBody.fromFile(photo)).eTag();

            // when the upload goes through the pipeline
            Receipt failed = StackFixture.await(() -> com.mediaflow.shared.pipeline.Receipts.find(store, media, ingest, key, etag)
                    .filter(Receipt::isFinal), WAIT, "final receipt of " + key);

            // then it ends FAILED with STEP_FAILED naming the step and the error
            mediaId = failed.mediaId();
            assertThat(failed.status()).isEqualTo(MediaStatus.FAILED);
            assertThat(failed.reasons()).anySatisfy(r -> {
                assertThat(r.code()).isEqualTo(ReasonCode.STEP_FAILED);
                assertThat(r.message()).startsWith("thumbnail: ").contains("THUMBNAIL_SIZES");
            });
            Manifest manifest = store.getJson(media, Keys.manifest(mediaId), Manifest.class).orElseThrow();
            assertThat(manifest.status()).isEqualTo(MediaStatus.FAILED);
            List<CompletionEvent> events = drain(stack.sqs(), stack.queueUrl("CompletionQueue"), 1);
            assertThat(events).extracting(CompletionEvent::status).containsExactly(MediaStatus.FAILED);
            failedEventId = events.get(0).eventId();
            // and the message is in the thumbnail step's dead-letter queue, for alarms and a redrive
            String dlq = stack.queueUrl("ThumbnailDLQ");
            StackFixture.await(() -> count(stack.sqs(), dlq) == 1 ? Optional.of(1) : Optional.empty(), WAIT,
                    "one message in ThumbnailDLQ");
        }

        // given the same data folder with a good configuration
        try (EmbeddedStack stack = start(Map.of())) {
            ObjectStore store = new ObjectStore(stack.s3());
            String media = stack.bucket("MediaBucket");
            String dlq = stack.queueUrl("ThumbnailDLQ");
            String dlqArn = stack.sqs().getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);

            // when the dead-lettered message is moved back to its source queue
            stack.sqs().startMessageMoveTask(b -> b.sourceArn(dlqArn));

            // then the item ends READY, and the upload gets a second event with a new id
            String id = mediaId;
            Manifest ready = StackFixture.await(() -> store.getJson(media, Keys.manifest(id), Manifest.class)
                    .filter(m -> m.status() == MediaStatus.READY), WAIT, "READY manifest of " + id);
            assertThat(ready.reasons()).noneMatch(r -> r.code() == ReasonCode.STEP_FAILED);
            assertThat(ready.outputs()).isNotEmpty();
            List<CompletionEvent> events = drain(stack.sqs(), stack.queueUrl("CompletionQueue"), 1);
            assertThat(events).extracting(CompletionEvent::status).containsExactly(MediaStatus.READY);
            assertThat(events.get(0).eventId()).isNotEqualTo(failedEventId);
            assertThat(count(stack.sqs(), dlq)).isZero();
        }
    }

    private EmbeddedStack start(Map<String, String> environment) throws Exception {
        return EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withDataDir(data)
                .withWorkers(1).withEnvironment(environment));
    }

    private static List<CompletionEvent> drain(SqsClient sqs, String url, int atLeast) {
        List<CompletionEvent> out = new ArrayList<>();
        return StackFixture.await(() -> {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                out.add(Json.read(m.body(), CompletionEvent.class));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
            return out.size() >= atLeast ? Optional.of(List.copyOf(out)) : Optional.empty();
        }, WAIT, atLeast + " completion event(s)");
    }

    private static int count(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
