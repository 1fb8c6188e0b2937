package com.mediaflow.shared.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.error.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsBatchClassificationTest {

    /** Remembers what it was told. */
    private static final class Recorded implements SqsBatch.FailureRecorder {
        final List<String> permanent = new ArrayList<>();
        final List<String> last = new ArrayList<>();

        @Override
        public void permanent(SQSEvent.SQSMessage message, MediaflowException error) {
            permanent.add(message.getMessageId() + " " + error.reasonCode());
        }

        @Override
        public void lastAttempt(SQSEvent.SQSMessage message, RuntimeException error) {
            last.add(message.getMessageId());
        }
    }

    @Test
    void permanentError_isRecordedAndConsumed_notReported() {
        // given a malformed message among good ones
        Recorded recorder = new Recorded();

        // when
        SQSBatchResponse response = SqsBatch.process(event(1, "ok", "bad", "ok2"), 3, recorder, m -> {
            if (m.getMessageId().equals("bad")) {
                throw new MalformedEventException("step message mediaId is 'x', expected 64 hex digits");
            }
        });

        // then it is recorded with its reason and not retried
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(recorder.permanent).containsExactly("bad MESSAGE_INVALID");
        assertThat(recorder.last).isEmpty();
    }

    @Test
    void retryableError_beforeLastAttempt_isReportedAndNotRecorded() {
        Recorded recorder = new Recorded();

        SQSBatchResponse response = SqsBatch.process(event(2, "s"), 3, recorder, m -> {
            throw new StorageException("S3 is down", null);
        });

        assertThat(ids(response)).containsExactly("s");
        assertThat(recorder.permanent).isEmpty();
        assertThat(recorder.last).isEmpty();
    }

    @Test
    void retryableError_onLastAttempt_isRecordedAndStillReported() {
        // given the third receive of a queue whose maxReceiveCount is 3
        Recorded recorder = new Recorded();

        // when
        SQSBatchResponse response = SqsBatch.process(event(3, "s"), 3, recorder, m -> {
            throw new StorageException("S3 is down", null);
        });

        // then the item hears of it and the record still goes on to the dead-letter queue
        assertThat(ids(response)).containsExactly("s");
        assertThat(recorder.last).containsExactly("s");
    }

    @Test
    void unknownRuntimeException_isRetriedConservatively() {
        Recorded recorder = new Recorded();

        SQSBatchResponse response = SqsBatch.process(event(1, "u"), 3, recorder, m -> {
            throw new IllegalStateException("who knows");
        });

        assertThat(ids(response)).containsExactly("u");
        assertThat(recorder.permanent).isEmpty();
    }

    @Test
    void unknownMaxReceiveCount_neverCallsALastAttempt() {
        Recorded recorder = new Recorded();

        SQSBatchResponse response = SqsBatch.process(event(99, "u"), 0, recorder, m -> {
            throw new IllegalStateException("who knows");
        });

        assertThat(ids(response)).containsExactly("u");
        assertThat(recorder.last).isEmpty();
    }

    @Test
    void recorderThatFails_onAPermanentError_leavesTheRecordToBeRetried() {
        SqsBatch.FailureRecorder broken = new SqsBatch.FailureRecorder() {
            @Override
            public void permanent(SQSEvent.SQSMessage message, MediaflowException error) {
                throw new StorageException("cannot write the manifest", null);
            }

            @Override
            public void lastAttempt(SQSEvent.SQSMessage message, RuntimeException error) {
            }
        };

        SQSBatchResponse response = SqsBatch.process(event(1, "bad"), 3, broken, m -> {
            throw new MalformedEventException("bad");
        });

        assertThat(ids(response)).containsExactly("bad");
    }

    @Test
    void errorReasonCodes() {
        assertThat(new MalformedEventException("x").reasonCode()).isEqualTo(ReasonCode.MESSAGE_INVALID);
        assertThat(new StorageException("x", null).reasonCode()).isEqualTo(ReasonCode.STEP_FAILED);
    }

    private static List<String> ids(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static SQSEvent event(int receiveCount, String... ids) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String id : ids) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(id);
            m.setBody("body of " + id);
            m.setAttributes(Map.of("ApproximateReceiveCount", String.valueOf(receiveCount)));
            records.add(m);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }
}
