package com.mediaflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTableTest {

    @Test
    void percentiles_areNearestRank_whateverTheOrderOfTheSamples() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values, new java.util.Random(7));
        LatencyTable t = new LatencyTable();
        values.forEach(v -> t.add("decode", v));

        assertThat(t.percentile("decode", 50)).isEqualTo(50.0);
        assertThat(t.percentile("decode", 99)).isEqualTo(99.0);
        assertThat(t.percentile("decode", 100)).isEqualTo(100.0);
        assertThat(t.count("decode")).isEqualTo(100);
    }

    @Test
    void smallSamples_p99IsTheLargest_p50TheLowerMiddle() {
        assertThat(LatencyTable.percentile(List.of(30.0, 10.0, 20.0), 99)).isEqualTo(30.0);
        assertThat(LatencyTable.percentile(List.of(30.0, 10.0, 20.0, 40.0), 50)).isEqualTo(20.0);
        assertThat(LatencyTable.percentile(List.of(5.0), 50)).isEqualTo(5.0);
        assertThat(LatencyTable.percentile(List.of(5.0), 0.1)).isEqualTo(5.0);
    }

    @Test
    void noSamples_orABadPercentile_orANonFiniteSample_fail() {
        LatencyTable t = new LatencyTable();
        t.stage("copy");
        assertThatThrownBy(() -> t.percentile("copy", 50)).hasMessageContaining("'copy' has no samples");
        assertThatThrownBy(() -> LatencyTable.percentile(List.of(1.0), 0)).hasMessageContaining("found 0.0");
        assertThatThrownBy(() -> LatencyTable.percentile(List.of(1.0), 101)).hasMessageContaining("found 101.0");
        assertThatThrownBy(() -> t.add("copy", Double.NaN)).hasMessageContaining("found NaN");
    }

    @Test
    void table_hasOneRowPerStage_inTheOrderFirstSeen_withP50P99AndN() {
        LatencyTable t = new LatencyTable();
        t.add("upload -> READY", 1200);
        t.add("upload -> READY", 800);
        t.stage("queue -> finalize");
        t.add("decode", 2.5);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).matches("\\| stage +\\| +p50 \\| +p99 \\| +n \\|");
        assertThat(lines.get(1)).startsWith("|---").endsWith(":|");
        assertThat(lines.get(2)).matches("\\| upload -> READY +\\| +800 ms \\| +1200 ms \\| +2 \\|");
        assertThat(lines.get(3)).matches("\\| queue -> finalize +\\| +- \\| +- \\| +0 \\|");
        assertThat(lines.get(4)).matches("\\| decode +\\| +2\\.5 ms \\| +2\\.5 ms \\| +1 \\|");
        assertThat(t.stages()).containsExactly("upload -> READY", "queue -> finalize", "decode");
    }
}
