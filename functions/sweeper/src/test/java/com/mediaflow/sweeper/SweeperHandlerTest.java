package com.mediaflow.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mediaflow.shared.aws.CountingEndpoint;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.lambda.Priming;
import com.mediaflow.shared.model.Json;
import com.mediaflow.testkit.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming of the sweeper: its hooks run the sweeper's decisions and a re-sent
 * notification through the JSON types, and make no S3 or SQS call (the clients point at a local
 * endpoint that counts). The sweep itself is tested on the embedded stack (infra's SweeperIT).
 */
class SweeperHandlerTest {
    private static Map<String, String> environment(CountingEndpoint aws) {
        String queues = aws.url() + "/000000000000/";
        return Map.of(Config.INGEST_BUCKET, "ingest", Config.MEDIA_BUCKET, "media", Config.COMPLETION_QUEUE_URL,
                queues + "Completion", Config.INGEST_QUEUE_URL, queues + "Ingest", Config.FINALIZE_QUEUE_URL,
                queues + "Finalize", Config.PIPELINE_STEPS, "thumbnail image,video " + queues + "Thumbnail");
    }

    @Test
    void beforeCheckpoint_sweeperHandler_judgesSyntheticAgesWithoutCallingS3OrSqs() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            SweeperHandler handler = new SweeperHandler(aws.config(environment(aws)));
            Priming priming = handler.priming();

            priming.beforeCheckpoint(null);
            priming.afterRestore(null);

            assertThat(priming.lastFailed()).as(priming.lastOutcome()).isFalse();
            assertThat(priming.lastOutcome()).contains("decisions LEAVE, REDRIVE, REDRIVE")
                    .contains("'priming/priming photo.png' parsed back");
            assertThat(priming.runs()).isEqualTo(1);
            assertThat(aws.requests()).as("S3 and SQS requests made by priming").isEmpty();
        }
    }

    @Test
    void constructor_sweeperHandlerOffLambda_neitherPrimesNorRegisters() throws Exception {
        try (CountingEndpoint aws = new CountingEndpoint()) {
            SweeperHandler handler = new SweeperHandler(aws.config(environment(aws)));

            assertThat(handler.priming().runs()).isZero();
            assertThat(handler.priming().registered()).isFalse();
        }
    }

    /** The endpoint does see the handler's calls: its silence during priming means something. */
    @Test
    void handleRequest_scheduledEventAtAnEndpointThatKnowsNoBucket_failsTheRun_afterAskingS3() throws Exception {
        Path eventFile = Path.of(System.getProperty("mediaflow.root", "../..")).resolve("events/sweeper-schedule.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> event = Json.MAPPER.readValue(Files.readString(eventFile), Map.class);
        try (CountingEndpoint aws = new CountingEndpoint()) {
            SweeperHandler handler = new SweeperHandler(aws.config(environment(aws)));

            Throwable thrown = catchThrowable(() -> handler.handleRequest(event, new LocalContext("SweeperFunction", 300, 512)));

            assertThat(thrown).isInstanceOf(StorageException.class).hasMessageContaining("s3://");
            assertThat(aws.requests()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r).matches("GET /(media|ingest)[/?].*"));
        }
    }
}
