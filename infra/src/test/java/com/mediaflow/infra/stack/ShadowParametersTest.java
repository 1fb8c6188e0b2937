package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mediaflow up --env SHADOW_FRACTION=...}: the environment alone turns shadow mode on locally. */
class ShadowParametersTest {
    private static EmbeddedStack.Options options(Map<String, String> env, Map<String, String> parameters) {
        return EmbeddedStack.Options.defaults(TestPaths.template()).withEnvironment(env).withParameters(parameters);
    }

    @Test
    void fractionAboveZero_setsTheLocalShadowVersion() {
        assertThat(EmbeddedStack.shadowParameters(options(Map.of(Config.SHADOW_FRACTION, "0.25"), Map.of())))
                .containsEntry("ThumbnailShadowVersion", EmbeddedStack.LOCAL_SHADOW_VERSION)
                .containsEntry("MetadataShadowVersion", EmbeddedStack.LOCAL_SHADOW_VERSION).containsEntry("ShadowFraction", "0.25");
    }

    @Test
    void noFraction_orZero_orAnExplicitVersion_setsNothing() {
        assertThat(EmbeddedStack.shadowParameters(options(Map.of(), Map.of()))).isEmpty();
        assertThat(EmbeddedStack.shadowParameters(options(Map.of(Config.SHADOW_FRACTION, "0"), Map.of()))).isEmpty();
        assertThat(EmbeddedStack.shadowParameters(options(Map.of(Config.SHADOW_FRACTION, "1"), Map.of("ThumbnailShadowVersion", "9", "MetadataShadowVersion", "4"))))
                .isEmpty();
    }

    @Test
    void template_setsTheTwoShadowVersionsTogether_byARule() throws Exception {
        Map<String, Object> template = com.mediaflow.infra.template.CfnYaml.load(TestPaths.template());
        String rule = String.valueOf(((Map<?, ?>) template.get("Rules")).get("ShadowVersionsTogether"));

        assertThat(rule).contains("ThumbnailShadowVersion").contains("MetadataShadowVersion");
        assertThat(((Map<?, ?>) template.get("Parameters")).keySet().stream().map(String::valueOf).toList()).contains("ThumbnailShadowVersion", "MetadataShadowVersion")
                .doesNotContain("ShadowVersion");
    }
}
