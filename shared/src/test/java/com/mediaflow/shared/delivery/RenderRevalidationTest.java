package com.mediaflow.shared.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderRevalidationTest {
    @Test
    void theDeletionWaits_longerThanAnyRenderIsServedUnchecked() {
        Config defaults = Config.of(Map.of());
        assertThat(RenderRevalidation.window(defaults)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RenderRevalidation.invalidationDelay(defaults)).isEqualTo(Duration.ofSeconds(2));
        Config zero = Config.of(Map.of("RENDER_REVALIDATE_MILLIS", "0"));
        assertThat(RenderRevalidation.window(zero)).isZero();
        assertThat(RenderRevalidation.invalidationDelay(zero)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aWindowOutsideTheRange_orNotANumber_isRefusedWithWhatWasExpected() {
        for (String bad : new String[] {"-1", "5001", "1s"}) {
            assertThatThrownBy(() -> RenderRevalidation.window(Config.of(Map.of("RENDER_REVALIDATE_MILLIS", bad))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("RENDER_REVALIDATE_MILLIS is '" + bad + "'")
                    .hasMessageContaining("from 0 to 5000");
        }
    }
}
