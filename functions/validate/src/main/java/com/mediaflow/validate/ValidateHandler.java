package com.mediaflow.validate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Priming;
import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.pipeline.IngestService;

/**
 * Ingest: S3 ObjectCreated notifications arrive through the ingest queue. Each object is hashed,
 * judged, stored content-addressed or quarantined, and fanned out to the processing steps.
 */
public class ValidateHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final IngestService ingest;
    /** SnapStart's hooks; held here because org.crac may hold registered resources weakly. */
    private final Priming priming;
    private final int maxReceiveCount;

    /**
     * What Lambda calls: configuration and clients are built once, at cold start, and SnapStart
     * primes the validation path with a synthetic PNG before its snapshot.
     */
    public ValidateHandler() {
        this(Config.fromEnvironment());
        priming.register();
    }

    /** For the embedded stack, which gives each function its own template environment. */
    public ValidateHandler(Config config) {
        this(new IngestService(config, new ObjectStore(AwsClients.s3(config)), new Queue(AwsClients.sqs(config))),
                config.maxReceiveCount());
    }

    ValidateHandler(IngestService ingest) {
        this(ingest, 0);
    }

    ValidateHandler(IngestService ingest, int maxReceiveCount) {
        this.ingest = ingest;
        this.maxReceiveCount = maxReceiveCount;
        this.priming = new Priming("ValidateFunction", ingest::prime);
    }

    Priming priming() {
        return priming;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(ingest.metrics(), event, context, maxReceiveCount, ingest.failureRecorder(), message -> {
            for (var created : S3Notification.parse(message.getBody(), ingest.ingestBucket())) {
                ingest.ingest(created);
            }
        });
    }
}
