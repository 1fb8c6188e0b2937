package com.mediaflow.pretraffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ConfigException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hook's configuration: which deployed function gets which synthetic event; and its Lambda constructor. */
class HookProbesTest {
    static final String FUNCTIONS = """
            validate s-ValidateFunction-A
            thumbnail s-ThumbnailFunction-B
            metadata s-MetadataFunction-C
            transcode s-TranscodeFunction-D
            finalize s-FinalizeFunction-E
            sweeper s-SweeperFunction-F
            uploadapi s-UploadApiFunction-H
            render s-RenderFunction-I
            """;

    static Map<String, String> env(String functions) {
        Map<String, String> env = new HashMap<>();
        env.put(Config.PRETRAFFIC_FUNCTIONS, functions);
        env.put(Config.INGEST_BUCKET, "ingest-b");
        env.put(Config.MEDIA_BUCKET, "media-b");
        env.put(Config.AWS_REGION, "eu-west-1");
        return env;
    }

    @Test
    void eachDeployedFunction_getsItsRolesEvent_byNameOrArn() {
        HookProbes probes = new HookProbes(Config.of(env(FUNCTIONS)));

        assertThat(probes.apply("s-ValidateFunction-A")).get().satisfies(p -> assertThat(p.what()).startsWith("validate:")
                .contains("s3://ingest-b/pretraffic/"));
        assertThat(probes.apply("s-ThumbnailFunction-B")).get().satisfies(p -> assertThat(p.what()).startsWith("thumbnail:")
                .contains("s3://media-b"));
        assertThat(probes.apply("s-MetadataFunction-C")).get().satisfies(p -> assertThat(p.what()).startsWith("metadata:"));
        assertThat(probes.apply("s-TranscodeFunction-D")).get().satisfies(p -> assertThat(p.payload()).contains("video/mp4"));
        assertThat(probes.apply("s-FinalizeFunction-E")).get().satisfies(p -> assertThat(p.what()).startsWith("finalize:"));
        assertThat(probes.apply("arn:aws:lambda:eu-west-1:123456789012:function:s-SweeperFunction-F:12")).get()
                .satisfies(p -> assertThat(p.what()).startsWith("sweeper:"));
        assertThat(probes.apply("s-UploadApiFunction-H")).get().satisfies(p -> assertThat(p.payload())
                .contains("\"routeKey\":\"GET /uploads/{uploadId}\"").contains("\"sub\":\"" + Probes.API_CALLER + "\""));
        assertThat(probes.apply("s-RenderFunction-I")).get().satisfies(p -> {
            assertThat(p.what()).startsWith("render:").endsWith("answered 403");
            assertThat(p.payload()).contains("\"rawPath\":\"/r/").contains("/64x64/cover.webp");
        });
        assertThat(probes.apply("s-OtherFunction")).isEmpty();
        assertThat(probes.apply(null)).isEmpty();
    }

    @Test
    void aMissingOrUnknownRole_failsTheColdStart() {
        assertThatThrownBy(() -> new HookProbes(Config.of(env(FUNCTIONS.replace("sweeper s-SweeperFunction-F\n", "")))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PRETRAFFIC_FUNCTIONS gives the roles [finalize,"
                        + " metadata, render, thumbnail, transcode, uploadapi, validate], expected each of");
        assertThatThrownBy(() -> new HookProbes(Config.of(env(FUNCTIONS + "resize s-ResizeFunction-G\n"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("resize");
        assertThatThrownBy(() -> new HookProbes(Config.of(env(FUNCTIONS + "validate s-ValidateFunction-A\n"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("names function s-ValidateFunction-A twice");
        assertThatThrownBy(() -> new HookProbes(Config.of(env("validate"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 'validate' is malformed");
        Map<String, String> noIngest = env(FUNCTIONS);
        noIngest.remove(Config.INGEST_BUCKET);
        assertThatThrownBy(() -> new HookProbes(Config.of(noIngest))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("INGEST_BUCKET");
    }

    @Test
    void handlersLambdaConstructor_buildsItsClients_andReadsItsConfigurationOnce() {
        // no call is made: the clients are built, the configuration is checked
        assertThat(new PreTrafficHandler(Config.of(env(FUNCTIONS)))).isNotNull();
        assertThatThrownBy(() -> new PreTrafficHandler(Config.of(env(""))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PRETRAFFIC_FUNCTIONS");
    }
}
