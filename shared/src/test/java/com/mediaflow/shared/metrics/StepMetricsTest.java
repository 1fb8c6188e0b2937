package com.mediaflow.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.testkit.EmfDocuments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepMetricsTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void captureLines() {
        StepMetrics.sink(lines::add);
    }

    @AfterEach
    void restore() {
        StepMetrics.sink(null);
    }

    @Test
    void batch_writesOneValidDocument_withItemsDurationsAndBytes_plusOnePerQuarantineReason() {
        // given a batch of three: two fine (one quarantines its upload), one that fails
        StepMetrics metrics = new StepMetrics("prod", "validate");
        SQSEvent event = event("ok-1", "hostile", "boom");

        // when
        SQSBatchResponse response = SqsBatch.process(metrics, event, null, 0, SqsBatch.FailureRecorder.NONE, message -> {
            StepMetrics.current().bytes(StepMetrics.BYTES_IN, 1000);
            switch (message.getBody()) {
                case "hostile" -> StepMetrics.current().quarantine("ARCHIVE_DISGUISED");
                case "boom" -> throw new IllegalStateException("boom");
                default -> StepMetrics.current().bytes(StepMetrics.BYTES_OUT, 400);
            }
        });

        // then
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(EmfDocuments.problems(l)).as(l).isEmpty());
        EmfDocuments.Document step = EmfDocuments.parse(lines.get(0));
        assertThat(step.namespace()).isEqualTo("Mediaflow");
        assertThat(step.dimensions()).containsExactly(Map.entry("Stage", "prod"), Map.entry("Step", "validate"));
        assertThat(step.metrics().get("ItemsProcessed")).isEqualTo(new EmfDocuments.Value("Count", List.of(2.0)));
        assertThat(step.metrics().get("ItemsFailed")).isEqualTo(new EmfDocuments.Value("Count", List.of(1.0)));
        assertThat(step.metrics().get("BytesIn")).isEqualTo(new EmfDocuments.Value("Bytes", List.of(3000.0)));
        assertThat(step.metrics().get("BytesOut")).isEqualTo(new EmfDocuments.Value("Bytes", List.of(400.0)));
        assertThat(step.metrics().get("ItemDuration").unit()).isEqualTo("Milliseconds");
        assertThat(step.metrics().get("ItemDuration").values()).hasSize(3);
        EmfDocuments.Document quarantine = EmfDocuments.parse(lines.get(1));
        assertThat(quarantine.dimensions()).containsExactly(Map.entry("Stage", "prod"), Map.entry("Step", "validate"),
                Map.entry("ReasonCode", "ARCHIVE_DISGUISED"));
        assertThat(quarantine.metrics()).containsExactly(Map.entry("Quarantines", new EmfDocuments.Value("Count", List.of(1.0))));
    }

    @Test
    void recording_withNoInvocationOpen_isDiscarded_andTheInvocationClosesWithTheBatch() {
        StepMetrics.current().bytes(StepMetrics.BYTES_IN, 5);
        StepMetrics.current().quarantine("TYPE_MISMATCH");
        assertThat(lines).isEmpty();

        SqsBatch.process(new StepMetrics("dev", "finalize"), event("a"), null, 0, SqsBatch.FailureRecorder.NONE, m -> {
        });
        StepMetrics.current().quarantine("TYPE_MISMATCH");

        assertThat(lines).singleElement().satisfies(l -> assertThat(EmfDocuments.parse(l).metrics())
                .containsOnlyKeys("ItemDuration", "ItemsProcessed", "ItemsFailed"));
    }

    @Test
    void moreThanAHundredObservations_spillIntoFurtherDocuments_noneOverTheLimit() {
        StepMetrics metrics = new StepMetrics("dev", "finalize");
        try (StepMetrics.Invocation i = metrics.begin()) {
            IntStream.range(0, 250).forEach(n -> i.millis(StepMetrics.UPLOAD_TO_READY_LATENCY, n));
        }

        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(EmfDocuments.problems(l)).as(l).isEmpty());
        List<Double> all = new ArrayList<>();
        lines.forEach(l -> all.addAll(EmfDocuments.parse(l).metrics().get("UploadToReadyLatency").values()));
        assertThat(all).hasSize(250).startsWith(0.0, 1.0).endsWith(249.0);
    }

    @Test
    void aFailingSink_neverFailsTheBatch() {
        StepMetrics.sink(line -> {
            throw new IllegalStateException("stdout closed");
        });

        SQSBatchResponse response = SqsBatch.process(new StepMetrics("dev", "thumbnail"), event("a"), null, 0,
                SqsBatch.FailureRecorder.NONE, m -> {
                });

        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void priming_buildsTheLines_butWritesNothing() {
        assertThat(new StepMetrics("dev", "validate").prime()).isEqualTo(2);

        assertThat(lines).isEmpty();
        assertThat(StepMetrics.current().lines()).as("no invocation left open").isEmpty();
    }

    private static SQSEvent event(String... bodies) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String b : bodies) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("id-" + b);
            m.setBody(b);
            records.add(m);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }
}
