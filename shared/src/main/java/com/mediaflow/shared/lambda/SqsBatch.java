package com.mediaflow.shared.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Processes every record of an SQS batch and reports only the ones that failed, so that the event
 * source mapping (with {@code ReportBatchItemFailures}) deletes the rest and retries those alone.
 * A failure that keeps failing reaches the queue's dead-letter queue through its redrive policy.
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

    private SqsBatch() {
    }

    /**
     * As {@link #process(SQSEvent, RecordHandler)}, with the invocation's context in the logging
     * MDC: on Lambda every JSON log line then carries the request id, the function's ARN and
     * whether this was a cold start, under the field names Powertools uses.
     */
    public static SQSBatchResponse process(SQSEvent event, Context context, RecordHandler handler) {
        if (context == null) {
            return process(event, handler);
        }
        MDC.put("function_name", String.valueOf(context.getFunctionName()));
        MDC.put("function_request_id", String.valueOf(context.getAwsRequestId()));
        MDC.put("function_arn", String.valueOf(context.getInvokedFunctionArn()));
        MDC.put("cold_start", String.valueOf(COLD.getAndSet(false)));
        try {
            return process(event, handler);
        } finally {
            MDC.remove("function_name");
            MDC.remove("function_request_id");
            MDC.remove("function_arn");
            MDC.remove("cold_start");
        }
    }

    public static SQSBatchResponse process(SQSEvent event, RecordHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            try {
                handler.handle(message);
            } catch (RuntimeException e) {
                LOG.warn("record {} failed, it will be retried: {}", message.getMessageId(), e.toString(), e);
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
