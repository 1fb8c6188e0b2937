package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.shared.model.Upload;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Drives every events/*.json file through its function's real handler, as {@code sam local invoke}
 * would, against the embedded stack (no pollers: each handler runs only when the test says). The
 * events describe one real photo, the repository's corpus/exif-orientation/Landscape_1.jpg,
 * uploaded as "uploads/sample/Landscape 1.jpg"; the test stores it there first, so the events'
 * ETag, size and media id are the photo's own.
 */
class HandlerEventsIT {
    private static final String MEDIA_ID = "a23b1b0eac8c5ee5ae0373d07984b8d57df152e6be363d2ab77b304285bcad81";
    /** The upload events/validate-sqs.json describes: its bucket, key, sequencer and ETag. */
    private static final Upload UPLOAD = new Upload("mediaflow-ingest-us-east-1-000000000000", "uploads/sample/Landscape 1.jpg",
            "0055AED6DCD90281E5", "1a4b21e45ec884762ef9f4af3ff2c73c");
    private static StackFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
        Path photo = Corpus.dir().resolve("exif-orientation/Landscape_1.jpg");
        fx.stack.s3().putObject(b -> b.bucket(fx.ingest).key("uploads/sample/Landscape 1.jpg").contentType("image/jpeg"),
                RequestBody.fromFile(photo));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /**
     * The four events are one photo's chain, so they run in one test, in the pipeline's order: each
     * needs what the one before it stored. The other tests do not depend on it, nor it on them.
     */
    @Test
    void eventFiles_takeTheirPhoto_fromValidateThroughTheSteps_toReady() throws Exception {
        validateEvent_storesOriginal_writesReceipt_fansOut();
        thumbnailEvent_writesThumbnails_andLeavesFinalizeToTheStepStillRunning();
        metadataEvent_recordsDimensionsAndCamera_andTellsFinalize_asTheLastStep();
        finalizeEvent_marksReady_andAnnouncesCompletion();
    }

    private static void validateEvent_storesOriginal_writesReceipt_fansOut() throws Exception {
        SQSBatchResponse response = invoke("ValidateFunction", "validate-sqs.json");

        assertThat(response.getBatchItemFailures()).isEmpty();
        Receipt receipt = fx.store.getJson(fx.media, Keys.receipt(UPLOAD), Receipt.class).orElseThrow();
        assertThat(receipt.mediaId()).isEqualTo(MEDIA_ID);
        assertThat(receipt.detectedType()).isEqualTo(MediaFormat.JPEG);
        assertThat(receipt.status()).isEqualTo(MediaStatus.PROCESSING);
        assertThat(receipt.duplicate()).isFalse();
        assertThat(fx.store.exists(fx.media, Keys.original(MEDIA_ID))).isTrue();
        Manifest m = fx.store.getJson(fx.media, Keys.manifest(MEDIA_ID), Manifest.class).orElseThrow();
        assertThat(m.status()).isEqualTo(MediaStatus.PROCESSING);
        assertThat(m.steps()).isEqualTo(Map.of("metadata", StepState.PENDING, "thumbnail", StepState.PENDING));
        assertThat(messagesIn("ThumbnailQueue")).isEqualTo(1);
        assertThat(messagesIn("MetadataQueue")).isEqualTo(1);
        // what validate sent is what the step events hold (a peek: visible again at once)
        for (String step : new String[] {"thumbnail", "metadata"}) {
            String queue = step.substring(0, 1).toUpperCase() + step.substring(1) + "Queue";
            var sent = fx.stack.sqs().receiveMessage(b -> b.queueUrl(fx.stack.queueUrl(queue)).visibilityTimeout(0)
                    .waitTimeSeconds(1)).messages();
            assertThat(sent).singleElement().satisfies(msg -> assertThat(Json.read(msg.body(), StepMessage.class))
                    .isEqualTo(Json.read(eventBody(step + "-sqs.json"), StepMessage.class)));
        }
    }

    private static String eventBody(String file) throws Exception {
        return Json.MAPPER.readTree(Files.readString(TestPaths.events(file))).get("Records").get(0).get("body").asText();
    }

    private static void thumbnailEvent_writesThumbnails_andLeavesFinalizeToTheStepStillRunning() throws Exception {
        SQSBatchResponse response = invoke("ThumbnailFunction", "thumbnail-sqs.json");

        assertThat(response.getBatchItemFailures()).isEmpty();
        StepResult r = fx.store.getJson(fx.media, Keys.stepResult(MEDIA_ID, "thumbnail"), StepResult.class).orElseThrow();
        assertThat(r.reasons()).isEmpty();
        assertThat(r.outputs()).isNotEmpty().allSatisfy(o -> assertThat(fx.store.exists(fx.media, o.key())).isTrue());
        assertThat(finalizeMessagesFor(MEDIA_ID)).as("the message names both steps, and metadata's result is not stored yet")
                .isZero();
    }

    private static void metadataEvent_recordsDimensionsAndCamera_andTellsFinalize_asTheLastStep() throws Exception {
        SQSBatchResponse response = invoke("MetadataFunction", "metadata-sqs.json");

        assertThat(response.getBatchItemFailures()).isEmpty();
        StepResult r = fx.store.getJson(fx.media, Keys.stepResult(MEDIA_ID, "metadata"), StepResult.class).orElseThrow();
        assertThat(r.metadata()).containsEntry("width", 1800).containsEntry("height", 1200).containsEntry("orientation", 1);
        assertThat(finalizeMessagesFor(MEDIA_ID)).as("thumbnail's result is stored: metadata, the last step, tells finalize")
                .isEqualTo(1);
    }

    private static void finalizeEvent_marksReady_andAnnouncesCompletion() throws Exception {
        SQSBatchResponse response = invoke("FinalizeFunction", "finalize-sqs.json");

        assertThat(response.getBatchItemFailures()).isEmpty();
        Manifest m = fx.store.getJson(fx.media, Keys.manifest(MEDIA_ID), Manifest.class).orElseThrow();
        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        assertThat(m.steps()).containsOnly(Map.entry("metadata", StepState.DONE), Map.entry("thumbnail", StepState.DONE));
        assertThat(messagesIn("CompletionQueue")).isEqualTo(1);
        Receipt receipt = fx.store.getJson(fx.media, Keys.receipt(UPLOAD), Receipt.class).orElseThrow();
        assertThat(receipt.status()).isEqualTo(MediaStatus.READY);
        assertThat(receipt.eventId()).isEqualTo(UPLOAD.eventId(MediaStatus.READY));
        // docs/architecture.md shows this very event as its example
        String body = fx.completionBodies().get(0);
        assertThat(Json.MAPPER.readTree(body)).as("docs/architecture.md's example completion event").isEqualTo(documentedExampleEvent());
    }

    /** The JSON block under the "Completion events" heading of docs/architecture.md. */
    private static JsonNode documentedExampleEvent() throws Exception {
        String doc = Files.readString(TestPaths.root().resolve("docs/architecture.md"));
        int section = doc.indexOf("\n## Completion events\n");
        assertThat(section).as("docs/architecture.md has a \"## Completion events\" section").isNotNegative();
        int start = doc.indexOf("```json\n", section) + "```json\n".length();
        return Json.MAPPER.readTree(doc.substring(start, doc.indexOf("```", start)));
    }

    @Test
    void eventForAnotherBucket_isConsumedAsAPermanentError_andWritesNothing() throws Exception {
        String json = Files.readString(TestPaths.events("validate-sqs.json"))
                .replace("mediaflow-ingest-us-east-1-000000000000", "someone-elses-bucket")
                .replace("uploads/sample/Landscape+1.jpg", "uploads/sample/other.jpg");
        Map<String, String> before = fx.snapshot(fx.media, "");

        SQSBatchResponse response = (SQSBatchResponse) fx.stack.host("ValidateFunction").invoke(SqsEvents.fromJson(json));

        // a message for another bucket fails the same way every time: recorded (WARN, MESSAGE_INVALID), not retried
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fx.snapshot(fx.media, "")).isEqualTo(before);
    }

    @Test
    void stepEventNamingAFormatThisVersionDoesNotKnow_isRetried_andWritesNothing() throws Exception {
        String json = Files.readString(TestPaths.events("thumbnail-sqs.json")).replace("image/jpeg", "image/jxl");
        Map<String, String> before = fx.snapshot(fx.media, "");

        SQSBatchResponse response = (SQSBatchResponse) fx.stack.host("ThumbnailFunction").invoke(SqsEvents.fromJson(json));

        // a newer version's message (NewerFormatException): back to its queue for that version, the item not FAILED
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(fx.snapshot(fx.media, "")).isEqualTo(before);
    }

    @Test
    void transcodeEvent_makesTheVideoRendition_evenWhenTheEventsReceiptHandleIsStale() throws Exception {
        // the event names a sample clip by a fixed media id; stage a real clip there (its receipt
        // handle is not one this queue issued, so extending its claim fails and is only logged)
        String id = "318a2cb02e94ef5de7c87532f43a31f50a10d4f96fde73200534b65ee3b8ad1c";
        Path clip = com.mediaflow.testkit.SyntheticMedia.mp4(Files.createTempDirectory("events").resolve("clip.mp4"),
                320, 240, 2, 15, true, 0);
        fx.stack.s3().putObject(b -> b.bucket(fx.media).key(Keys.original(id)).contentType("video/mp4"), RequestBody.fromFile(clip));

        SQSBatchResponse response = invoke("TranscodeFunction", "transcode-sqs.json");

        assertThat(response.getBatchItemFailures()).isEmpty();
        StepResult r = fx.store.getJson(fx.media, Keys.stepResult(id, "transcode"), StepResult.class).orElseThrow();
        assertThat(r.reasons()).isEmpty();
        assertThat(r.outputs()).extracting(o -> o.kind()).containsExactly("video", "hls", "hls"); // the MP4, the HLS playlists
        assertThat(r.outputs()).filteredOn(o -> o.kind().equals("video")).singleElement().satisfies(o -> {
            assertThat(o.contentType()).isEqualTo("video/mp4");
            assertThat(o.width()).isEqualTo(320);
            assertThat(fx.store.exists(fx.media, o.key())).isTrue();
        });
    }

    /** API Gateway's event for POST /uploads (payload 2.0, a JWT authorizer's claims): a presigned form, and its record. */
    @Test
    void uploadApiEvent_presignsAPostForItsCaller_andRecordsIt() throws Exception {
        var mapper = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        var event = mapper.readValue(Files.readString(TestPaths.events("uploadapi-post.json")),
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.class);

        var response = (com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse) fx.stack.host("UploadApiFunction")
                .invoke(event);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        var body = com.mediaflow.shared.model.Json.MAPPER.readTree(response.getBody());
        String id = body.get("uploadId").asText();
        assertThat(body.get("fields").get("key").asText()).isEqualTo("uploads/user-7f3a/" + id + "/beach.jpg");
        assertThat(body.get("url").asText()).isEqualTo(fx.stack.s3Endpoint() + "/" + fx.ingest);
        assertThat(fx.store.exists(fx.media, com.mediaflow.shared.aws.Keys.apiUpload(id))).isTrue();
    }

    private static SQSBatchResponse invoke(String function, String eventFile) throws Exception {
        SQSEvent event = SqsEvents.fromJson(Files.readString(TestPaths.events(eventFile)));
        return (SQSBatchResponse) fx.stack.host(function).invoke(event);
    }

    /**
     * The FinalizeQueue's messages about {@code mediaId}, left on the queue (the other tests' steps,
     * which run in any order, may have left theirs there too).
     */
    private static long finalizeMessagesFor(String mediaId) {
        String url = fx.stack.queueUrl("FinalizeQueue");
        List<Message> all = new ArrayList<>();
        List<Message> got;
        do {
            got = fx.stack.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(30)).messages();
            all.addAll(got);
        } while (!got.isEmpty());
        for (Message m : all) {
            fx.stack.sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
        return all.stream().filter(m -> Json.read(m.body(), StepDone.class).mediaId().equals(mediaId)).count();
    }

    private static int messagesIn(String queue) {
        return Integer.parseInt(fx.stack.sqs().getQueueAttributes(b -> b.queueUrl(fx.stack.queueUrl(queue))
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));
    }
}
