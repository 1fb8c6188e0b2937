package com.mediaflow.shared.aws;

import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.model.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends JSON messages to SQS queues, naming the queue when it fails. */
public final class Queue {
    private final SqsClient sqs;

    public Queue(SqsClient sqs) {
        this.sqs = sqs;
    }

    public void send(String queueUrl, Object message) {
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Json.write(message)));
        } catch (SdkException e) {
            throw new StorageException("SendMessage to " + queueUrl + " failed: " + e.getMessage(), e);
        }
    }
}
