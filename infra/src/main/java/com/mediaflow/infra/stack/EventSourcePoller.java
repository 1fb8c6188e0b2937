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
 * <p>A failed record (and a batch the function could not start for) stays invisible for the
 * queue's VisibilityTimeout from its receive, as on AWS, times the stack's time scale
 * ({@link EmbeddedStack#TIME_SCALE_VARIABLE}): the tests and {@code process} shorten the wait,
 * {@code up} keeps AWS's.
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
    /** How long after its receive a failed record is received again. */
    private final Duration retryWait;
    private final AtomicBoolean running;
    private final AtomicInteger inFlight;

    EventSourcePoller(String name, SqsClient sqs, String queueUrl, String queueArn, String region, int batchSize,
                      boolean partialBatch, Supplier<FunctionHost> hostFactory, Duration retryWait,
                      AtomicBoolean running, AtomicInteger inFlight) {
        this.name = name;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.batchSize = Math.max(1, Math.min(10, batchSize));
        this.partialBatch = partialBatch;
        this.hostFactory = hostFactory;
        this.retryWait = retryWait;
        this.running = running;
        this.inFlight = inFlight;
    }

    @Override
    public void run() {
        FunctionHost host = null;
        Throwable initError = null;
        while (running.get()) {
            if (host == null) {
                // As Lambda does: a failed Init phase fails the invocation; the batch goes back to the
                // queue and is retried (with a new init) until the redrive policy dead-letters it.
                try {
                    host = hostFactory.get();
                    initError = null;
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (RuntimeException | Error e) {
                    // an Error too (a native library that does not load, a class that fails its static
                    // initialiser): Lambda reports it as a failed Init; a dead poller would stop the function
                    if (initError == null) {
                        LOG.error("{}: the function failed its initialisation: {}; its messages go back to the queue and"
                                + " reach the dead-letter queue after maxReceiveCount receives", name, e.toString(), e);
                    }
                    initError = e;
                }
            }
            List<Message> messages;
            long receivedAt;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(batchSize).waitTimeSeconds(WAIT_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                receivedAt = System.nanoTime();
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
                release(messages, Duration.ZERO);
                break;
            }
            inFlight.incrementAndGet();
            try {
                if (host == null) {
                    LOG.warn("{}: initialisation failed ({}); {} message(s) not processed, they go back to the queue", name,
                            initError, messages.size());
                    release(messages, remainingWait(receivedAt));
                } else if (!deliver(host, messages, receivedAt)) {
                    host = null; // as Lambda does after a runtime crash: the next batch gets a new environment
                }
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** @return whether the execution environment may serve the next batch (false after an Error: it is rebuilt) */
    private boolean deliver(FunctionHost host, List<Message> messages, long receivedAt) {
        SQSEvent event = SqsEvents.fromMessages(messages, queueArn, region);
        Set<String> failed = new HashSet<>();
        boolean healthy = true;
        try {
            Object response = host.invoke(event);
            if (response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null) {
                r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: invocation failed, the whole batch of {} will be retried: {}", name, messages.size(), e.toString(), e);
            messages.forEach(m -> failed.add(m.messageId()));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            // Lambda: "Runtime exited with error"; the batch is retried in a fresh execution environment
            LOG.error("{}: the function's runtime failed with {}; the whole batch of {} will be retried in a new execution"
                    + " environment", name, e.toString(), messages.size(), e);
            messages.forEach(m -> failed.add(m.messageId()));
            healthy = false;
        }
        if (!failed.isEmpty() && !partialBatch) {
            messages.forEach(m -> failed.add(m.messageId()));
        }
        int wait = (int) remainingWait(receivedAt).toSeconds();
        for (Message m : messages) {
            try {
                if (failed.contains(m.messageId())) {
                    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(wait));
                } else {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: could not settle message {}: {}", name, m.messageId(), e.toString());
            }
        }
        return healthy;
    }

    /**
     * The wait before a failed record is received again: {@code visibilityTimeout x timeScale},
     * rounded up to whole seconds (SQS's unit), and at least 1 s so that a failing record cannot
     * spin; 0 only for a queue whose VisibilityTimeout is 0.
     */
    static Duration retryWait(Duration visibilityTimeout, double timeScale) {
        if (visibilityTimeout.isZero()) {
            return Duration.ZERO;
        }
        long seconds = (long) Math.ceil(visibilityTimeout.toMillis() * timeScale / 1000.0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    /** What is left of {@link #retryWait} since the batch was received, in whole seconds (at least 1 s unless the wait is 0). */
    private Duration remainingWait(long receivedAt) {
        if (retryWait.isZero()) {
            return Duration.ZERO;
        }
        long elapsedMs = (System.nanoTime() - receivedAt) / 1_000_000;
        long seconds = (long) Math.ceil((retryWait.toMillis() - elapsedMs) / 1000.0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    private void release(List<Message> messages, Duration wait) {
        for (Message m : messages) {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                        .visibilityTimeout((int) wait.toSeconds()));
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
