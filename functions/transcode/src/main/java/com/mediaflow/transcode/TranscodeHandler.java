package com.mediaflow.transcode;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Lease;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.pipeline.TranscodeService;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The transcode step's Lambda entry point. Its queue carries the step messages from validate and
 * the segment, audio and stitch jobs of long videos; {@link TranscodeService} tells them apart (a step
 * message runs through the same StepRunner as every step's). Each
 * record holds its claim (its visibility timeout is extended) for as long as its work runs.
 */
public class TranscodeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final TranscodeService service;
    private final SqsClient sqs;
    private final String queueUrl;
    private final SqsBatch.FailureRecorder recorder;
    private final int maxReceiveCount;
    private final StepMetrics metrics;

    /** What Lambda calls: configuration and clients are built once, at cold start. */
    public TranscodeHandler() {
        this(Config.fromEnvironment());
    }

    /** For the embedded stack, which gives each function its own template environment. */
    public TranscodeHandler(Config config) {
        this(config, AwsClients.sqs(config));
    }

    private TranscodeHandler(Config config, SqsClient sqs) {
        this(config, sqs, new ObjectStore(AwsClients.s3(config)), new Queue(sqs));
    }

    private TranscodeHandler(Config config, SqsClient sqs, ObjectStore store, Queue queue) {
        this(new TranscodeService(config, store, queue), sqs, config.transcodeQueueUrl(), config.maxReceiveCount());
    }

    private TranscodeHandler(TranscodeService service, SqsClient sqs, String queueUrl, int maxReceiveCount) {
        this(service, sqs, queueUrl, service.failureRecorder(), maxReceiveCount, service.metrics());
    }

    TranscodeHandler(TranscodeService service, SqsClient sqs, String queueUrl) {
        this(service, sqs, queueUrl, SqsBatch.FailureRecorder.NONE, 0, null);
    }

    /** @param metrics transcode's metrics (every message is an item: step, segment, audio and stitch jobs); null: none */
    TranscodeHandler(TranscodeService service, SqsClient sqs, String queueUrl, SqsBatch.FailureRecorder recorder,
                     int maxReceiveCount, StepMetrics metrics) {
        this.service = service;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.recorder = recorder;
        this.maxReceiveCount = maxReceiveCount;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(metrics, event, context, maxReceiveCount, recorder,
                message -> service.handle(message.getBody(), Lease.of(sqs, queueUrl, message.getReceiptHandle())));
    }
}
