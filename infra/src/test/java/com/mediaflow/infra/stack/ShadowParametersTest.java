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
                .containsEntry("ShadowVersion", EmbeddedStack.LOCAL_SHADOW_VERSION).containsEntry("ShadowFraction", "0.25");
    }

    @Test
    void noFraction_orZero_orAnExplicitVersion_setsNothing() {
        assertThat(EmbeddedStack.shadowParameters(options(Map.of(), Map.of()))).isEmpty();
        assertThat(EmbeddedStack.shadowParameters(options(Map.of(Config.SHADOW_FRACTION, "0"), Map.of()))).isEmpty();
        assertThat(EmbeddedStack.shadowParameters(options(Map.of(Config.SHADOW_FRACTION, "1"), Map.of("ShadowVersion", "9"))))
                .isEmpty();
    }
}
