package com.mediaflow.infra.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load report's throughput: a figure "to all final" only when every acknowledged upload became final. */
class ReportTest {

    @Test
    void everyUploadFinal_givesUploadsPerSecondToTheLastFinal() {
        Report r = report(List.of(), List.of());
        assertThat(r.uploadsPerSecond()).isEqualTo(10.0);
        assertThat(r.throughputLine()).isEqualTo("  throughput: 10.0 uploads/s to all final (1000 acknowledged in 100.0 s; "
                + "32 PUTs failed and were sent again)");
    }

    @Test
    void uploadsNeverFinal_giveNoFigure() {
        Report r = report(List.of("load/photos/a.jpg (PHOTO): receipt [PROCESSING]"), List.of("receipts/x/y.json [PROCESSING]"));
        assertThat(r.uploadsPerSecond()).isNaN();
        assertThat(r.throughputLine()).isEqualTo("  throughput: none to all final: 1 acknowledged upload(s) lost, 1 receipt(s) not "
                + "final (1000 acknowledged; the last final at 100.0 s; 32 PUTs failed and were sent again)");
    }

    private static Report report(List<String> lost, List<String> notFinal) {
        return new Report("load", null, 1000, 0, 32, 180, List.of(), 1000, 1000, 1000, 0, 100.0, List.of(), 1000, 0,
                Map.of("READY", 1000), lost, notFinal, List.of(), List.of(), List.of(), null, 0, 0, true);
    }
}
