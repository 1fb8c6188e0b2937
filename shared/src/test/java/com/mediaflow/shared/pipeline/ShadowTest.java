package com.mediaflow.shared.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ConfigException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.StepMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class ShadowTest {
    private static String id(int n) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("item " + n).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void selected_isAFunctionOfTheMediaIdAlone() {
        for (int n = 0; n < 200; n++) {
            String id = id(n);
            boolean first = Shadow.selected(id, 0.3);
            assertThat(Shadow.selected(new String(id.toCharArray()), 0.3)).as("a re-run decides the same for %s", id).isEqualTo(first);
        }
    }

    @Test
    void selected_fractionZeroNone_fractionOneAll() {
        assertThat(IntStream.range(0, 500).mapToObj(ShadowTest::id).filter(id -> Shadow.selected(id, 0))).isEmpty();
        assertThat(IntStream.range(0, 500).mapToObj(ShadowTest::id).allMatch(id -> Shadow.selected(id, 1))).isTrue();
    }

    @Test
    void selected_fivePercent_choosesAboutFivePercent_andALargerFractionKeepsThem() {
        long chosen = IntStream.range(0, 4000).mapToObj(ShadowTest::id).filter(id -> Shadow.selected(id, 0.05)).count();
        assertThat(chosen).as("items of 4000 chosen at 0.05").isBetween(140L, 260L);
        assertThat(IntStream.range(0, 4000).mapToObj(ShadowTest::id).filter(id -> Shadow.selected(id, 0.05))
                .allMatch(id -> Shadow.selected(id, 0.5))).as("every item chosen at 0.05 is chosen at 0.5").isTrue();
    }

    @Test
    void selected_readsTheIdsLeadingDigits() {
        assertThat(Shadow.selected("0000000000001" + "0".repeat(51), 0.001)).isTrue();
        assertThat(Shadow.selected("f".repeat(64), 0.99)).isFalse();
        assertThat(Shadow.selected("8" + "0".repeat(63), 0.5)).as("exactly one half is not below 0.5").isFalse();
        assertThat(Shadow.selected("7" + "f".repeat(63), 0.5)).isTrue();
    }

    @Test
    void shadowCopy_isMarked_andTheRealMessageIsNot() {
        StepMessage real = new StepMessage(id(1), "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, "media", Keys.original(id(1)));
        assertThat(Json.write(real)).doesNotContain("shadow");
        StepMessage copy = Json.read(Json.write(real.asShadow()), StepMessage.class);
        assertThat(copy.shadowCopy()).isTrue();
        assertThat(copy).isEqualTo(real.asShadow());
        assertThat(Json.read(Json.write(real), StepMessage.class).shadowCopy()).isFalse();
    }

    @Test
    void shadowKeys_areUnderShadowOnly() {
        String id = id(2);
        assertThat(Keys.shadowRendition(id, "thumbnail", "thumb-320.jpg")).isEqualTo("shadow/" + id + "/thumbnail/thumb-320.jpg");
        assertThat(Keys.shadowResult(id, "metadata")).isEqualTo("shadow/" + id + "/metadata/result.json");
        assertThat(Keys.shadowComparison(id, "thumbnail")).isEqualTo("shadow/" + id + "/thumbnail/compare.json");
    }

    @Test
    void config_offByDefault_andChecked() {
        Config none = Config.of(Map.of());
        assertThat(none.shadowFraction()).isZero();
        assertThat(none.shadowQueues()).isEmpty();
        assertThat(new Shadow(none, null).on()).isFalse();
        Config on = Config.of(Map.of(Config.SHADOW_FRACTION, "0.05", Config.SHADOW_QUEUES, "thumbnail http://q/t\nmetadata http://q/m\n"));
        assertThat(on.shadowQueues()).containsExactly(Map.entry("thumbnail", "http://q/t"), Map.entry("metadata", "http://q/m"));
        assertThat(new Shadow(on, null).on()).isTrue();
        Assertions.assertThatThrownBy(() -> Config.of(Map.of(Config.SHADOW_FRACTION, "1.5")).shadowFraction())
                .isInstanceOf(ConfigException.class).hasMessageContaining("SHADOW_FRACTION is 1.5, expected a fraction from 0 to 1");
        Assertions.assertThatThrownBy(() -> Config.of(Map.of(Config.SHADOW_QUEUES, "thumbnail")).shadowQueues())
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected 2: name queueUrl");
    }
}
