package com.mediaflow.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.testkit.EmfDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfTest {
    private static final Map<String, String> DIMS = Map.of("Step", "validate");

    @Test
    void document_isValidEmf_withEveryDeclaredMetricAsANumberAndEveryDimensionAtTheRoot() {
        // given
        List<Emf.Metric> metrics = List.of(
                new Emf.Metric("ItemsProcessed", MetricUnit.COUNT, List.of(3.0)),
                new Emf.Metric("BytesIn", MetricUnit.BYTES, List.of(123456.0)),
                new Emf.Metric("ItemDuration", MetricUnit.MILLISECONDS, List.of(12.0, 7.5, 300.0)));
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("Stage", "prod");
        dims.put("Step", "validate");

        // when
        String line = Emf.document("Mediaflow", 1_700_000_000_123L, dims, metrics);

        // then
        assertThat(line).doesNotContain("\n");
        assertThat(EmfDocuments.problems(line)).isEmpty();
        EmfDocuments.Document doc = EmfDocuments.parse(line);
        assertThat(doc.namespace()).isEqualTo("Mediaflow");
        assertThat(doc.timestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(doc.dimensions()).containsExactly(Map.entry("Stage", "prod"), Map.entry("Step", "validate"));
        assertThat(doc.metrics()).containsOnlyKeys("ItemsProcessed", "BytesIn", "ItemDuration");
        assertThat(doc.metrics().get("ItemsProcessed")).isEqualTo(new EmfDocuments.Value("Count", List.of(3.0)));
        assertThat(doc.metrics().get("BytesIn").unit()).isEqualTo("Bytes");
        assertThat(doc.metrics().get("ItemDuration")).isEqualTo(new EmfDocuments.Value("Milliseconds", List.of(12.0, 7.5, 300.0)));
    }

    @Test
    void document_escapesDimensionValues() {
        String line = Emf.document("Mediaflow", 1L, Map.of("Step", "a\"b\\c\nd\u0001"),
                List.of(new Emf.Metric("ItemsProcessed", MetricUnit.COUNT, List.of(1.0))));

        assertThat(EmfDocuments.parse(line).dimensions()).containsEntry("Step", "a\"b\\c\nd\u0001");
    }

    @Test
    void document_atTheSpecsLimits_isValid_andBeyondThem_isRefused() {
        List<Emf.Metric> hundred = new ArrayList<>();
        for (int i = 0; i < Emf.MAX_METRICS; i++) {
            hundred.add(new Emf.Metric("M" + i, MetricUnit.COUNT, List.of((double) i)));
        }
        Map<String, String> thirty = new LinkedHashMap<>();
        for (int i = 0; i < Emf.MAX_DIMENSIONS; i++) {
            thirty.put("D" + i, "v" + i);
        }
        assertThat(EmfDocuments.problems(Emf.document("Mediaflow", 1L, thirty, hundred))).isEmpty();

        List<Emf.Metric> tooMany = new ArrayList<>(hundred);
        tooMany.add(new Emf.Metric("M100", MetricUnit.COUNT, List.of(1.0)));
        assertThatThrownBy(() -> Emf.document("Mediaflow", 1L, DIMS, tooMany))
                .hasMessageContaining("1 to 100 metrics, found 101");
        Map<String, String> tooManyDims = new LinkedHashMap<>(thirty);
        tooManyDims.put("D30", "v");
        assertThatThrownBy(() -> Emf.document("Mediaflow", 1L, tooManyDims, hundred.subList(0, 1)))
                .hasMessageContaining("at most 30 dimensions, found 31");
    }

    @Test
    void document_refusesWhatCloudWatchWouldDrop() {
        assertThatThrownBy(() -> Emf.document("Mediaflow", 1L, DIMS,
                List.of(new Emf.Metric("ItemDuration", MetricUnit.MILLISECONDS, List.of()))))
                .hasMessageContaining("has 0 values, expected 1 to 100");
        assertThatThrownBy(() -> Emf.document("Mediaflow", 1L, DIMS,
                List.of(new Emf.Metric("BytesIn", MetricUnit.BYTES, List.of(Double.NaN)))))
                .hasMessageContaining("expected a finite number");
        assertThatThrownBy(() -> Emf.document("Mediaflow", 1L, DIMS,
                List.of(new Emf.Metric("Step", MetricUnit.COUNT, List.of(1.0)))))
                .hasMessageContaining("has the name of a dimension");
        assertThatThrownBy(() -> Emf.document("Mediaflow", 1L, Map.of("Step", ""),
                List.of(new Emf.Metric("ItemsProcessed", MetricUnit.COUNT, List.of(1.0)))))
                .hasMessageContaining("value of dimension Step has 1 to 255 characters, found 0");
    }

    @Test
    void validator_findsTheBreaches_itIsMeantToFind() {
        // the checker the tests rely on must itself fail on broken documents
        assertThat(EmfDocuments.problems("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"Step\"]],\"Metrics\":[{\"Name\":\"X\",\"Unit\":\"Count\"}]}]}}"))
                .containsExactlyInAnyOrder("dimension \"Step\" has no string value at the root",
                        "metric X is declared but has no value at the root");
        assertThat(EmfDocuments.problems("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"X\",\"Unit\":\"Apples\"}]}]},\"X\":\"3\"}"))
                .containsExactlyInAnyOrder("metric X has unit \"Apples\", not one of the spec's", "metric X is not a number: \"3\"");
    }
}
