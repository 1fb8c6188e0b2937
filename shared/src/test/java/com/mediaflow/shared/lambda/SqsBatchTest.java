package com.mediaflow.shared.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqsBatchTest {

    @Test
    void process_middleRecordThrows_reportsOnlyThatMessage() {
        // given three records, the second of which fails
        SQSEvent event = event("m-1", "m-2", "m-3");
        List<String> handled = new ArrayList<>();

        // when
        SQSBatchResponse response = SqsBatch.process(event, message -> {
            handled.add(message.getMessageId());
            if (message.getMessageId().equals("m-2")) {
                throw new IllegalStateException("boom on " + message.getBody());
            }
        });

        // then every record was tried and only the failed one is reported
        assertThat(handled).containsExactly("m-1", "m-2", "m-3");
        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-2");
    }

    @Test
    void process_allSucceed_reportsNoFailures() {
        List<String> bodies = new ArrayList<>();

        SQSBatchResponse response = SqsBatch.process(event("a", "b"), m -> bodies.add(m.getBody()));

        assertThat(bodies).containsExactly("body of a", "body of b");
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void process_allFail_reportsEveryMessageInOrder() {
        SQSBatchResponse response = SqsBatch.process(event("x", "y", "z"), m -> {
            throw new RuntimeException("down");
        });

        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("x", "y", "z");
    }

    @Test
    void process_nullEvent_reportsNoFailures() {
        SQSBatchResponse response = SqsBatch.process(null, m -> {
            throw new AssertionError("must not be called");
        });

        assertThat(response.getBatchItemFailures()).isNotNull().isEmpty();
    }

    @Test
    void process_eventWithoutRecords_reportsNoFailures() {
        SQSEvent noRecords = new SQSEvent();
        SQSEvent emptyRecords = new SQSEvent();
        emptyRecords.setRecords(List.of());

        assertThat(SqsBatch.process(noRecords, m -> { }).getBatchItemFailures()).isEmpty();
        assertThat(SqsBatch.process(emptyRecords, m -> { }).getBatchItemFailures()).isEmpty();
    }

    @Test
    void queueWait_isFirstReceiveMinusSent_onTheFirstReceiveOnly() {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setAttributes(java.util.Map.of("SentTimestamp", "1700000000100", "ApproximateFirstReceiveTimestamp", "1700000000142",
                "ApproximateReceiveCount", "1"));
        assertThat(SqsBatch.queueWait(m)).hasValue(42);

        // a retry's wait is its visibility timeout, not the hop
        m.setAttributes(java.util.Map.of("SentTimestamp", "1700000000100", "ApproximateFirstReceiveTimestamp", "1700000000142",
                "ApproximateReceiveCount", "2"));
        assertThat(SqsBatch.queueWait(m)).isEmpty();
        // attributes missing (a hand-made event) or not numbers: nothing, and no failure
        m.setAttributes(java.util.Map.of("ApproximateReceiveCount", "1"));
        assertThat(SqsBatch.queueWait(m)).isEmpty();
        m.setAttributes(java.util.Map.of("SentTimestamp", "x", "ApproximateFirstReceiveTimestamp", "1", "ApproximateReceiveCount", "1"));
        assertThat(SqsBatch.queueWait(m)).isEmpty();
        m.setAttributes(null);
        assertThat(SqsBatch.queueWait(m)).isEmpty();
    }

    private static SQSEvent event(String... ids) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String id : ids) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(id);
            m.setBody("body of " + id);
            m.setEventSource("aws:sqs");
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }
}
