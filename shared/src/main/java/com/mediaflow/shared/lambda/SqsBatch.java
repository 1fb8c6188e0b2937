package com.mediaflow.shared.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import org.slf4j.LoggerFactory;

/**
 * Processes every record of an SQS batch and reports only the ones that failed, so that the event
 * source mapping (with {@code ReportBatchItemFailures}) deletes the rest and retries those alone.
 * A failure that keeps failing reaches the queue's dead-letter queue through its redrive policy.
 */
public final class SqsBatch {
    private static final Logger LOG = LoggerFactory.getLogger(SqsBatch.class);

    /**
     * Whether Powertools has a logging backend here: on Lambda the function package carries
     * powertools-logging-log4j; the embedded stack logs through logback and has none.
     */
    private static final boolean STRUCTURED_LOGGING = java.util.ServiceLoader
            .load(software.amazon.lambda.powertools.logging.internal.LoggingManager.class).findFirst().isPresent();

    /** Work on one record; throw to have it retried. */
    @FunctionalInterface
    public interface RecordHandler {
        void handle(SQSEvent.SQSMessage message);
    }

    private SqsBatch() {
    }

    /**
     * As {@link #process(SQSEvent, RecordHandler)}, with Powertools' structured logging: every log
     * line of the invocation carries the function's name, the request id and whether it was a
     * cold start.
     */
    public static SQSBatchResponse process(SQSEvent event, Context context, RecordHandler handler) {
        if (context == null || !STRUCTURED_LOGGING) {
            return process(event, handler);
        }
        return PowertoolsLogging.withLogging(context, () -> process(event, handler));
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
