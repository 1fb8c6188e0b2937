package com.mediaflow.uploadapi;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** The one SQS call the upload API makes (SendMessage, of DELETED events), kept in a list; anything else throws. */
final class MemorySqs implements SqsClient {
    final List<SendMessageRequest> sent = new ArrayList<>();

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        sent.add(request);
        return SendMessageResponse.builder().messageId("m" + sent.size()).build();
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
