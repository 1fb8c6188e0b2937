package com.mediaflow.shared.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.metrics.StepMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Processes every record of an SQS batch and reports only the ones that failed, so that the event
 * source mapping (with {@code ReportBatchItemFailures}) deletes the rest and retries those alone.
 * A failure that keeps failing reaches the queue's dead-letter queue through its redrive policy.
 *
 * <p>Failures are classified by {@link MediaflowException#retryable()}: a permanent error (a
 * malformed message, one for another bucket, a forged media id, a key that is not its item's) is
 * recorded, logged at WARN with its reason code and handed to the {@link FailureRecorder}, and the
 * record is consumed: retrying it can only fail the same way. Retryable errors, and any other
 * RuntimeException (conservatively), are reported so the record is retried. On the record's last
 * attempt (its {@code ApproximateReceiveCount} has reached the queue's {@code maxReceiveCount}) the
 * recorder hears of it too, before the record goes on to the dead-letter queue.
 */
public final class SqsBatch {
    private static final Logger LOG = LoggerFactory.getLogger(SqsBatch.class);

    /** True until this execution environment's first invocation has started. */
    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    /** Work on one record; throw to have it retried. */
    @FunctionalInterface
    public interface RecordHandler {
        void handle(SQSEvent.SQSMessage message);
    }

    /** What a function records when a record ends badly: typically its item or upload marked FAILED. */
    public interface FailureRecorder {
        /** Records nothing: the WARN line is the only record. */
        FailureRecorder NONE = new FailureRecorder() {
            @Override
            public void permanent(SQSEvent.SQSMessage message, MediaflowException error) {
            }

            @Override
            public void lastAttempt(SQSEvent.SQSMessage message, RuntimeException error) {
            }
        };

        /** A permanent error: the record is consumed after this returns. */
        void permanent(SQSEvent.SQSMessage message, MediaflowException error);

        /** The record failed on its last attempt; it goes on to the dead-letter queue after this returns. */
        void lastAttempt(SQSEvent.SQSMessage message, RuntimeException error);
    }

    private SqsBatch() {
    }

    /**
     * As {@link #process(SQSEvent, RecordHandler)}, with the invocation's context in the logging
     * MDC: on Lambda every JSON log line then carries the request id, the function's ARN and
     * whether this was a cold start, under the field names Powertools uses.
     */
    public static SQSBatchResponse process(SQSEvent event, Context context, RecordHandler handler) {
        return process(event, context, 0, FailureRecorder.NONE, handler);
    }

    /**
     * As {@link #process(SQSEvent, Context, RecordHandler)}, with failures recorded.
     *
     * @param maxReceiveCount the queue's redrive policy's maxReceiveCount; 0 when unknown (no last attempt is ever seen)
     */
    public static SQSBatchResponse process(SQSEvent event, Context context, int maxReceiveCount, FailureRecorder recorder,
                                           RecordHandler handler) {
        return process(null, event, context, maxReceiveCount, recorder, handler);
    }

    /**
     * As {@link #process(SQSEvent, Context, int, FailureRecorder, RecordHandler)}, with the
     * invocation's metrics: the step's {@link StepMetrics} invocation is open while the records
     * are handled (so the step's code can add to it), every record counts as processed or failed
     * with its duration, and the metrics are written once, when the batch is done.
     *
     * @param metrics the step's metrics; null: none
     */
    public static SQSBatchResponse process(StepMetrics metrics, SQSEvent event, Context context, int maxReceiveCount,
                                           FailureRecorder recorder, RecordHandler handler) {
        if (metrics != null) {
            try (StepMetrics.Invocation invocation = metrics.begin()) {
                return withContext(event, context, maxReceiveCount, recorder, timed(invocation, handler));
            }
        }
        return withContext(event, context, maxReceiveCount, recorder, handler);
    }

    /** The handler, with each record's outcome and duration recorded. */
    private static RecordHandler timed(StepMetrics.Invocation invocation, RecordHandler handler) {
        return message -> {
            queueWait(message).ifPresent(ms -> invocation.millis(StepMetrics.QUEUE_WAIT, ms));
            long started = System.nanoTime();
            boolean ok = false;
            try {
                handler.handle(message);
                ok = true;
            } finally {
                invocation.millis(StepMetrics.ITEM_DURATION, (System.nanoTime() - started) / 1_000_000);
                invocation.count(StepMetrics.ITEMS_PROCESSED, ok ? 1 : 0);
                invocation.count(StepMetrics.ITEMS_FAILED, ok ? 0 : 1);
            }
        };
    }

    /**
     * How long a record waited on its queue, by SQS's own clock: ApproximateFirstReceiveTimestamp
     * minus SentTimestamp (epoch milliseconds); empty on a later receive (a retry waited out its
     * visibility timeout) or when either attribute is missing or not a number.
     */
    static OptionalLong queueWait(SQSEvent.SQSMessage message) {
        Map<String, String> a = message.getAttributes();
        if (a == null || !"1".equals(a.get("ApproximateReceiveCount"))) {
            return OptionalLong.empty();
        }
        try {
            long sent = Long.parseLong(a.get("SentTimestamp"));
            long received = Long.parseLong(a.get("ApproximateFirstReceiveTimestamp"));
            return OptionalLong.of(Math.max(0, received - sent));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static SQSBatchResponse withContext(SQSEvent event, Context context, int maxReceiveCount, FailureRecorder recorder,
                                                RecordHandler handler) {
        if (context == null) {
            return process(event, maxReceiveCount, recorder, handler);
        }
        MDC.put("function_name", String.valueOf(context.getFunctionName()));
        MDC.put("function_request_id", String.valueOf(context.getAwsRequestId()));
        MDC.put("function_arn", String.valueOf(context.getInvokedFunctionArn()));
        MDC.put("cold_start", String.valueOf(COLD.getAndSet(false)));
        try {
            return process(event, maxReceiveCount, recorder, handler);
        } finally {
            MDC.remove("function_name");
            MDC.remove("function_request_id");
            MDC.remove("function_arn");
            MDC.remove("cold_start");
        }
    }

    public static SQSBatchResponse process(SQSEvent event, RecordHandler handler) {
        return process(event, 0, FailureRecorder.NONE, handler);
    }

    public static SQSBatchResponse process(SQSEvent event, int maxReceiveCount, FailureRecorder recorder, RecordHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            try {
                handler.handle(message);
            } catch (MediaflowException e) {
                if (e.retryable()) {
                    retry(message, e, maxReceiveCount, recorder, failures);
                } else {
                    consume(message, e, recorder, failures);
                }
            } catch (RuntimeException e) {
                retry(message, e, maxReceiveCount, recorder, failures);
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** A permanent error: recorded, and the record consumed (unless recording it failed: then it is retried). */
    private static void consume(SQSEvent.SQSMessage message, MediaflowException e, FailureRecorder recorder,
                                List<SQSBatchResponse.BatchItemFailure> failures) {
        LOG.warn("record {} failed permanently ({}), consumed without retry: {}", message.getMessageId(), e.reasonCode(),
                e.getMessage(), e);
        try {
            recorder.permanent(message, e);
        } catch (RuntimeException recording) {
            LOG.warn("record {}: recording its permanent failure failed, it will be retried: {}", message.getMessageId(),
                    recording.toString(), recording);
            failures.add(failure(message));
        }
    }

    private static void retry(SQSEvent.SQSMessage message, RuntimeException e, int maxReceiveCount, FailureRecorder recorder,
                              List<SQSBatchResponse.BatchItemFailure> failures) {
        int received = receiveCount(message);
        if (maxReceiveCount > 0 && received >= maxReceiveCount) {
            LOG.warn("record {} failed on its last attempt ({} of {}), it goes to the dead-letter queue ({}): {}",
                    message.getMessageId(), received, maxReceiveCount, reasonCode(e), e.toString(), e);
            try {
                recorder.lastAttempt(message, e);
            } catch (RuntimeException recording) {
                LOG.warn("record {}: recording its last failure failed: {}", message.getMessageId(), recording.toString(), recording);
            }
        } else {
            LOG.warn("record {} failed, it will be retried: {}", message.getMessageId(), e.toString(), e);
        }
        failures.add(failure(message));
    }

    /** The record's ApproximateReceiveCount attribute; 0 when absent or unreadable. */
    public static int receiveCount(SQSEvent.SQSMessage message) {
        String v = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String reasonCode(RuntimeException e) {
        return e instanceof MediaflowException m ? m.reasonCode().name() : "STEP_FAILED";
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSEvent.SQSMessage message) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build();
    }
}
