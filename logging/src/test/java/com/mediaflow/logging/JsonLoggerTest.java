package com.mediaflow.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;

class JsonLoggerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> LAMBDA = Map.of("POWERTOOLS_SERVICE_NAME", "mediaflow",
            "AWS_LAMBDA_FUNCTION_NAME", "mediaflow-validate", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final BasicMDCAdapter mdc = new BasicMDCAdapter();

    private Logger logger(Map<String, String> env, String name) {
        return JsonLogProvider.factory(env, mdc, new PrintStream(bytes, true, StandardCharsets.UTF_8)).getLogger(name);
    }

    private List<JsonNode> lines() throws Exception {
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).endsWith("\n");
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String line : out.split("\n")) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void info_withArgumentsAndMdc_isOneJsonLineWithPowertoolsFields() throws Exception {
        // given the request's context in the MDC, as SqsBatch puts it
        mdc.put("function_request_id", "req-1");
        mdc.put("cold_start", "true");

        // when
        logger(LAMBDA, "com.mediaflow.shared.pipeline.IngestService").info("stored {} as {}", "uploads/a.jpg", "abc");

        // then
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("message").asText()).isEqualTo("stored uploads/a.jpg as abc");
        assertThat(line.get("logger").asText()).isEqualTo("com.mediaflow.shared.pipeline.IngestService");
        assertThat(line.get("service").asText()).isEqualTo("mediaflow");
        assertThat(line.get("function_name").asText()).isEqualTo("mediaflow-validate");
        assertThat(line.get("function_memory_size").asText()).isEqualTo("512");
        assertThat(line.get("function_request_id").asText()).isEqualTo("req-1");
        assertThat(line.get("cold_start").asText()).isEqualTo("true");
        assertThat(java.time.Instant.parse(line.get("timestamp").asText())).isNotNull();
    }

    @Test
    void warn_withThrowable_carriesTheErrorAndItsStack() throws Exception {
        logger(LAMBDA, "com.mediaflow.x").warn("record {} failed", "m-1", new IllegalStateException("boom \"quoted\"\n"));

        JsonNode line = lines().get(0);
        assertThat(line.get("message").asText()).isEqualTo("record m-1 failed");
        assertThat(line.at("/error/name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.at("/error/message").asText()).isEqualTo("boom \"quoted\"\n");
        assertThat(line.at("/error/stack").asText()).contains("JsonLoggerTest.warn_withThrowable");
    }

    @Test
    void message_withControlCharactersAndUnicode_staysOneValidLine() throws Exception {
        String hostile = "a\u0000b\u001fc\td\re\\f\u2028g é 🎞";

        logger(LAMBDA, "com.mediaflow.x").error(hostile);

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.chars().filter(c -> c == '\n')).hasSize(1);
        assertThat(lines().get(0).get("message").asText()).isEqualTo(hostile);
    }

    @Test
    void levels_ownLoggersFollowPowertoolsLogLevel_othersOnlyWarn() throws Exception {
        Map<String, String> env = Map.of("POWERTOOLS_LOG_LEVEL", "warning");
        Logger own = logger(env, "com.mediaflow.x");
        Logger sdk = logger(env, "software.amazon.awssdk.request");

        own.info("hidden");
        own.warn("shown");
        sdk.info("hidden too");
        sdk.error("shown too");

        assertThat(lines()).extracting(n -> n.get("message").asText()).containsExactly("shown", "shown too");
        assertThat(own.isInfoEnabled()).isFalse();
        assertThat(logger(Map.of(), "com.mediaflow.x").isInfoEnabled()).as("INFO by default").isTrue();
        assertThat(logger(Map.of(), "com.mediaflow.x").isDebugEnabled()).isFalse();
    }

    @Test
    void unknownLevelName_fallsBackToInfo() {
        assertThat(LogSettings.level("LOUD", org.slf4j.event.Level.INFO)).isEqualTo(org.slf4j.event.Level.INFO);
        assertThat(LogSettings.level("debug", org.slf4j.event.Level.INFO)).isEqualTo(org.slf4j.event.Level.DEBUG);
    }

    @Test
    void traceId_isTheRootOfTheXRayHeader() {
        assertThat(JsonLogger.traceId("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
                .isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(JsonLogger.traceId(null)).isNull();
    }

    @Test
    void serviceLoader_findsTheProvider() {
        assertThat(java.util.ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider.class).stream()
                .map(p -> p.type().getName())).contains(JsonLogProvider.class.getName());
    }
}
