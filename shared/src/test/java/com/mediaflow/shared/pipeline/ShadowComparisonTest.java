package com.mediaflow.shared.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowComparisonTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String HASH = "f0e1d2c3b4a59687";

    private static Output out(String root, String name, int w, int h) {
        return new Output("thumbnail", root + ID + "/thumbnail/" + name, "image/jpeg", w, h, 1234L);
    }

    private static StepResult main(List<Output> outputs, Map<String, Object> metadata, List<Reason> reasons) {
        return new StepResult(ID, "thumbnail", outputs.stream().map(o -> out("media/", name(o), o.width(), o.height())).toList(),
                metadata, reasons);
    }

    private static StepResult shadow(List<Output> outputs, Map<String, Object> metadata, List<Reason> reasons) {
        return new StepResult(ID, "thumbnail", outputs.stream().map(o -> out("shadow/", name(o), o.width(), o.height())).toList(),
                metadata, reasons);
    }

    private static String name(Output o) {
        return o.key().substring(o.key().lastIndexOf('/') + 1);
    }

    private static final List<Output> OUTPUTS = List.of(out("", "thumb-320.jpg", 320, 240), out("", "display.jpg", 2048, 1536));
    private static final Map<String, Object> META = Map.of("perceptualHash", HASH, "placeholder", Map.of("blurHash", "LEHV6n"));

    @Test
    void identicalOutputs_noDifference() {
        ShadowComparison c = ShadowComparison.of(main(OUTPUTS, META, List.of()), shadow(OUTPUTS, META, List.of()));
        assertThat(c.differs()).isFalse();
        assertThat(c.differences()).isEmpty();
        assertThat(c.perceptualHashDistance()).isZero();
    }

    @Test
    void changedDimensions_isADimensionsDifferenceOnThatRendition() {
        List<Output> changed = List.of(out("", "thumb-320.jpg", 320, 213), out("", "display.jpg", 2048, 1536));
        ShadowComparison c = ShadowComparison.of(main(OUTPUTS, META, List.of()), shadow(changed, META, List.of()));
        assertThat(c.differs()).isTrue();
        assertThat(c.differences()).containsExactly(new ShadowComparison.Difference("DIMENSIONS", "thumb-320.jpg", "320x240", "320x213"));
    }

    @Test
    void perceptualHashDistanceOverTheThreshold_isAPerceptualHashDifference() {
        String far = Long.toHexString(Long.parseUnsignedLong(HASH, 16) ^ 0x0000_0000_0000_0FFFL); // 12 bits flipped
        ShadowComparison c = ShadowComparison.of(main(OUTPUTS, META, List.of()),
                shadow(OUTPUTS, Map.of("perceptualHash", far, "placeholder", Map.of("blurHash", "LEHV6n")), List.of()));
        assertThat(c.perceptualHashDistance()).isEqualTo(12);
        assertThat(c.codes()).containsExactly("PERCEPTUAL_HASH");
    }

    @Test
    void perceptualHashDistanceWithinTheThreshold_isRecordedButNoDifference() {
        String near = Long.toHexString(Long.parseUnsignedLong(HASH, 16) ^ 0x7L); // 3 bits flipped
        ShadowComparison c = ShadowComparison.of(main(OUTPUTS, META, List.of()),
                shadow(OUTPUTS, Map.of("perceptualHash", near, "placeholder", Map.of("blurHash", "LEHV6n")), List.of()));
        assertThat(c.perceptualHashDistance()).isEqualTo(3);
        assertThat(c.differs()).isFalse();
    }

    @Test
    void differentReasonCode_isAReasonCodesDifference() {
        ShadowComparison c = ShadowComparison.of(main(OUTPUTS, META, List.of()), shadow(OUTPUTS, META,
                List.of(Reason.error(ReasonCode.DECODE_FAILED, "thumbnail: broken"))));
        assertThat(c.codes()).containsExactly("REASON_CODES");
        assertThat(c.differences().get(0).shadow()).isEqualTo(List.of("DECODE_FAILED:ERROR"));
    }

    @Test
    void durations_differBeyondTheTolerance() {
        StepResult m = main(List.of(), Map.of("durationSeconds", 10.0), List.of());
        assertThat(ShadowComparison.of(m, shadow(List.of(), Map.of("durationSeconds", 10.02), List.of())).differs()).isFalse();
        assertThat(ShadowComparison.of(m, shadow(List.of(), Map.of("durationSeconds", 9.5), List.of())).codes())
                .containsExactly("DURATION");
    }

    @Test
    void missingExtraAndOtherMetadata_areNamed() {
        ShadowComparison c = ShadowComparison.of(main(OUTPUTS, Map.of("width", 4000), List.of()),
                shadow(List.of(out("", "display.jpg", 2048, 1536), out("", "display.avif", 2048, 1536)), Map.of("width", 4032), List.of()));
        assertThat(c.codes()).containsExactlyInAnyOrder("OUTPUT_MISSING", "OUTPUT_EXTRA", "METADATA");
    }

    @Test
    void metricLine_isEmfWithTheDifferenceAsZeroOrOne() {
        ShadowComparison same = ShadowComparison.of(main(OUTPUTS, META, List.of()), shadow(OUTPUTS, META, List.of()));
        JsonNode line = Json.read(ShadowCompare.metricLine(same, "prod", 1_700_000_000_000L), JsonNode.class);
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Mediaflow");
        assertThat(directive.path("Dimensions").get(0).toString()).isEqualTo("[\"Stage\",\"Step\"]");
        assertThat(line.path("Stage").asText()).isEqualTo("prod");
        assertThat(directive.path("Metrics").findValuesAsText("Name")).containsExactlyInAnyOrder("ShadowCompared", "ShadowDifferent");
        assertThat(line.path("Step").asText()).isEqualTo("thumbnail");
        assertThat(line.path("ShadowCompared").asInt()).isEqualTo(1);
        assertThat(line.path("ShadowDifferent").asInt()).isZero();
        ShadowComparison differs = ShadowComparison.of(main(OUTPUTS, META, List.of()),
                shadow(List.of(out("", "thumb-320.jpg", 1, 1), out("", "display.jpg", 2048, 1536)), META, List.of()));
        assertThat(Json.read(ShadowCompare.metricLine(differs, "prod", 1L), JsonNode.class).path("ShadowDifferent").asInt()).isEqualTo(1);
    }
}
