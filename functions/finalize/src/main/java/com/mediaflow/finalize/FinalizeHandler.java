package com.mediaflow.finalize;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Priming;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.pipeline.Finalizer;

/** Merges step results into the manifest; marks the item READY when every step is done. */
public class FinalizeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Finalizer finalizer;
    /** SnapStart's hooks; held here because org.crac may hold registered resources weakly. */
    private final Priming priming;
    private final int maxReceiveCount;

    /** What Lambda calls: clients built once, and SnapStart primes the merge before its snapshot. */
    public FinalizeHandler() {
        this(Config.fromEnvironment());
        priming.register();
    }

    public FinalizeHandler(Config config) {
        this(new Finalizer(config, new ObjectStore(AwsClients.s3(config)), new Queue(AwsClients.sqs(config))),
                config.maxReceiveCount());
    }

    FinalizeHandler(Finalizer finalizer) {
        this(finalizer, 0);
    }

    FinalizeHandler(Finalizer finalizer, int maxReceiveCount) {
        this.finalizer = finalizer;
        this.maxReceiveCount = maxReceiveCount;
        this.priming = new Priming("FinalizeFunction", finalizer::prime);
    }

    Priming priming() {
        return priming;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(finalizer.metrics(), event, context, maxReceiveCount, finalizer.failures().forItems("finalize"),
                message -> finalizer.finalizeItem(message.getBody()));
    }
}
