package com.mediaflow.finalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.Json;
import com.mediaflow.testkit.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the deployed package logs: with mediaflow-lambda-logging on the classpath (as in the Lambda
 * zip), each line is one JSON object carrying the invocation's context. A malformed record is a
 * permanent error: consumed (not reported back, a retry would fail the same way), and the log says
 * which, why and with which reason code.
 */
class FinalizeHandlerLoggingTest {
    @Test
    void malformedRecord_isConsumedNotRetried_andLoggedAsStructuredJsonWithItsReasonCode() throws Exception {
        Config config = Config.of(Map.of(Config.MEDIA_BUCKET, "media", Config.QUARANTINE_BUCKET, "quarantine",
                Config.COMPLETION_QUEUE_URL, "http://127.0.0.1:9/000000000000/Completion",
                Config.AWS_ENDPOINT_URL, "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y"));
        FinalizeHandler handler = new FinalizeHandler(config);
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-1");
        message.setBody("{\"mediaId\":\"not-a-sha256\",\"step\":\"thumbnail\"}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SQSBatchResponse response;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            response = handler.handleRequest(event, new LocalContext("FinalizeFunction", 30, 512, "req-1"));
        } finally {
            System.setOut(original);
        }

        assertThat(response.getBatchItemFailures()).isEmpty();
        JsonNode line = null;
        for (String l : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (l.contains("m-1")) {
                line = Json.MAPPER.readTree(l);
            }
        }
        assertThat(line).as("a JSON log line about record m-1 in: " + captured).isNotNull();
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).contains("m-1").contains("not-a-sha256").contains("MESSAGE_INVALID");
        assertThat(line.path("function_name").asText()).isEqualTo("FinalizeFunction");
        assertThat(line.path("function_request_id").asText()).isEqualTo("req-1");
        assertThat(line.has("cold_start")).isTrue();
    }
}
