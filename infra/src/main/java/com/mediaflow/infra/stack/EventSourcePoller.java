package com.mediaflow.infra.stack;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping, in-process: long-polls the queue, hands batches to the
 * function, deletes what succeeded and leaves the rest to come back (and, after maxReceiveCount,
 * to move to the dead-letter queue by the queue's redrive policy). With ReportBatchItemFailures
 * only the reported records are retried; without it, any failure retries the whole batch.
 *
 * <p>One difference from AWS, on purpose: a failed record becomes visible again after the stack's
 * retry delay instead of the queue's full VisibilityTimeout, so local retries take seconds.
 *
 * <p>Each ReceiveMessage waits up to {@link #WAIT_SECONDS} for a message: an idle poller costs one
 * request per wait, not one a second (ten pollers polling each second were a few percent of the
 * stack's CPU under load). {@link EmbeddedStack#close()} does not wait that long: it stops the
 * servers once no invocation is under way, which ends the waiting receives.
 */
final class EventSourcePoller implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSourcePoller.class);
    /** Long-poll wait of each ReceiveMessage, seconds (SQS allows 0-20). */
    static final int WAIT_SECONDS = 10;

    private final String name;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final int batchSize;
    private final boolean partialBatch;
    private final Supplier<FunctionHost> hostFactory;
    private final Duration retryDelay;
    private final AtomicBoolean running;
    private final AtomicInteger inFlight;

    EventSourcePoller(String name, SqsClient sqs, String queueUrl, String queueArn, String region, int batchSize,
                      boolean partialBatch, Supplier<FunctionHost> hostFactory, Duration retryDelay,
                      AtomicBoolean running, AtomicInteger inFlight) {
        this.name = name;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.batchSize = Math.max(1, Math.min(10, batchSize));
        this.partialBatch = partialBatch;
        this.hostFactory = hostFactory;
        this.retryDelay = retryDelay;
        this.running = running;
        this.inFlight = inFlight;
    }

    @Override
    public void run() {
        FunctionHost host = null;
        RuntimeException initError = null;
        while (running.get()) {
            if (host == null) {
                // As Lambda does: a failed Init phase fails the invocation; the batch goes back to the
                // queue and is retried (with a new init) until the redrive policy dead-letters it.
                try {
                    host = hostFactory.get();
                    initError = null;
                } catch (RuntimeException e) {
                    if (initError == null) {
                        LOG.error("{}: the function failed its initialisation: {}; its messages go back to the queue and"
                                + " reach the dead-letter queue after maxReceiveCount receives", name, e.toString(), e);
                    }
                    initError = e;
                }
            }
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(batchSize).waitTimeSeconds(WAIT_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOG.warn("{}: ReceiveMessage failed: {}", name, e.toString());
                    sleep(Duration.ofMillis(500));
                }
                continue;
            }
            if (messages.isEmpty()) {
                continue;
            }
            if (!running.get()) {
                // received while the stack stops: back to the queue untouched, for the next start
                release(messages);
                break;
            }
            inFlight.incrementAndGet();
            try {
                if (host == null) {
                    LOG.warn("{}: initialisation failed ({}); {} message(s) not processed, they go back to the queue", name,
                            initError, messages.size());
                    release(messages);
                } else {
                    deliver(host, messages);
                }
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private void deliver(FunctionHost host, List<Message> messages) {
        SQSEvent event = SqsEvents.fromMessages(messages, queueArn, region);
        Set<String> failed = new HashSet<>();
        try {
            Object response = host.invoke(event);
            if (response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null) {
                r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: invocation failed, the whole batch of {} will be retried: {}", name, messages.size(), e.toString(), e);
            messages.forEach(m -> failed.add(m.messageId()));
        }
        if (!failed.isEmpty() && !partialBatch) {
            messages.forEach(m -> failed.add(m.messageId()));
        }
        for (Message m : messages) {
            try {
                if (failed.contains(m.messageId())) {
                    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                            .visibilityTimeout((int) retryDelay.toSeconds()));
                } else {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: could not settle message {}: {}", name, m.messageId(), e.toString());
            }
        }
    }

    private void release(List<Message> messages) {
        for (Message m : messages) {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                        .visibilityTimeout((int) retryDelay.toSeconds()));
            } catch (RuntimeException e) {
                LOG.warn("{}: could not release message {}: {}", name, m.messageId(), e.toString());
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
