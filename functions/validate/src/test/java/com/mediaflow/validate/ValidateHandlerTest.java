package com.mediaflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.CountingEndpoint;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Priming;
import com.mediaflow.shared.model.Upload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming of the validate function: its hooks run the real detection and validation on
 * a synthetic PNG, and make no S3 or SQS call (the clients point at a local endpoint that counts).
 */
class ValidateHandlerTest {
    private static Map<String, String> environment(CountingEndpoint aws) {
        String queues = aws.url() + "/000000000000/";
        return Map.of(Config.INGEST_BUCKET, "ingest", Config.MEDIA_BUCKET, "media", Config.QUARANTINE_BUCKET, "quarantine",
                Config.COMPLETION_QUEUE_URL, queues + "Completion",
                Config.PIPELINE_STEPS, "thumbnail image,video " + queues + "Thumbnail\n"
                        + "metadata image,video,audio,document " + queues + "Metadata\n"
                        + "transcode video,audio,image/gif,image/webp " + queues + "Transcode\n");
    }

    @Test
    void beforeCheckpoint_validateHandler_primesTheValidatorWithoutCallingS3() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            ValidateHandler handler = new ValidateHandler(aws.config(environment(aws)));
            Priming priming = handler.priming();

            priming.beforeCheckpoint(null);
            priming.afterRestore(null);

            assertThat(priming.lastFailed()).as(priming.lastOutcome()).isFalse();
            assertThat(priming.lastOutcome())
                    .contains("8x8 image/png ACCEPTED")
                    .contains("steps [thumbnail, metadata]")
                    .contains("5 JSON round trips");
            assertThat(priming.runs()).isEqualTo(1);
            assertThat(priming.restores()).isEqualTo(1);
            assertThat(aws.requests()).as("S3 and SQS requests made by priming").isEmpty();
        }
    }

    @Test
    void constructor_validateHandlerOffLambda_neitherPrimesNorRegisters() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            ValidateHandler handler = new ValidateHandler(aws.config(environment(aws)));

            assertThat(handler.priming().runs()).isZero();
            assertThat(handler.priming().registered()).isFalse();
        }
    }

    /** The endpoint does see the handler's calls: its silence during priming means something. */
    @Test
    void handleRequest_validateHandlerAtTheCountingEndpoint_isSeenCallingS3() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            ValidateHandler handler = new ValidateHandler(aws.config(environment(aws)));
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("m-1");
            message.setBody("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"ingest\"},"
                    + "\"object\":{\"key\":\"a.png\",\"size\":94,\"eTag\":\"abc\"}}}]}");
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message));

            handler.handleRequest(event, null);

            String receipt = Keys.receipt(new Upload("ingest", "a.png", null, "abc"));
            assertThat(aws.requests()).anySatisfy(r -> assertThat(r).startsWith("GET /media/" + receipt));
        }
    }
}
