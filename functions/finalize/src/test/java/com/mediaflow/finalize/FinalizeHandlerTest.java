package com.mediaflow.finalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.CountingEndpoint;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Priming;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming of the finalize function: its hooks merge synthetic step results into a
 * manifest through the JSON types, and make no S3 or SQS call (the clients point at a local
 * endpoint that counts).
 */
class FinalizeHandlerTest {
    private static Map<String, String> environment(CountingEndpoint aws) {
        return Map.of(Config.MEDIA_BUCKET, "media", Config.QUARANTINE_BUCKET, "quarantine",
                Config.COMPLETION_QUEUE_URL, aws.url() + "/000000000000/Completion");
    }

    @Test
    void beforeCheckpoint_finalizeHandler_mergesASyntheticManifestWithoutCallingS3OrSqs() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            FinalizeHandler handler = new FinalizeHandler(aws.config(environment(aws)));
            Priming priming = handler.priming();

            priming.beforeCheckpoint(null);
            priming.afterRestore(null);

            assertThat(priming.lastFailed()).as(priming.lastOutcome()).isFalse();
            assertThat(priming.lastOutcome())
                    .contains("manifest READY after merging 2 step results")
                    .contains("steps {metadata=DONE, thumbnail=DONE}")
                    .contains("metadata [exif, height, width]");
            assertThat(priming.runs()).isEqualTo(1);
            assertThat(priming.restores()).isEqualTo(1);
            assertThat(aws.requests()).as("S3 and SQS requests made by priming").isEmpty();
        }
    }

    @Test
    void constructor_finalizeHandlerOffLambda_neitherPrimesNorRegisters() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            FinalizeHandler handler = new FinalizeHandler(aws.config(environment(aws)));

            assertThat(handler.priming().runs()).isZero();
            assertThat(handler.priming().registered()).isFalse();
        }
    }

    /** The endpoint does see the handler's calls: its silence during priming means something. */
    @Test
    void handleRequest_finalizeHandlerAtTheCountingEndpoint_isSeenReadingTheManifest() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            FinalizeHandler handler = new FinalizeHandler(aws.config(environment(aws)));
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("m-1");
            message.setBody("{\"mediaId\":\"" + "a".repeat(64) + "\",\"step\":\"thumbnail\"}");
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message));

            handler.handleRequest(event, null);

            assertThat(aws.requests()).anySatisfy(r -> assertThat(r).startsWith("GET /media/media/" + "a".repeat(64)));
        }
    }
}
