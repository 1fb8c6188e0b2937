package com.mediaflow.shared.lambda;

import com.mediaflow.shared.error.StorageException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The claim a worker holds on the SQS message it is working on: while it holds it, nobody else
 * receives the message. A long job extends it ({@link Heartbeat}) so that the queue's visibility
 * timeout never runs out under it and hands the same work to a second worker.
 */
@FunctionalInterface
public interface Lease {
    /** Makes the message invisible for this long from now. */
    void extend(Duration from);

    /** For work that is not driven by a queue message (tests, the CLI). */
    Lease NONE = d -> { };

    /** The lease of one received SQS message. */
    static Lease of(SqsClient sqs, String queueUrl, String receiptHandle) {
        if (receiptHandle == null || receiptHandle.isBlank()) {
            return NONE;
        }
        return d -> {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)
                        .visibilityTimeout((int) Math.min(43_200, Math.max(1, d.toSeconds()))));
            } catch (SdkException e) {
                throw new StorageException("ChangeMessageVisibility on " + queueUrl + " failed: " + e.getMessage(), e);
            }
        };
    }
}
