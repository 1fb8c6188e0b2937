package com.mediaflow.shared.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.pipeline.StepRunner;

/**
 * The handler every processing step shares: each record of the batch is one {@code StepMessage},
 * run through a {@link StepRunner}; only failed records are reported back. A step's module
 * subclasses this with its {@link MediaStep} and nothing else.
 */
public abstract class StepHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final StepRunner runner;
    private final int maxReceiveCount;

    protected StepHandler(MediaStep step, Config config) {
        this(new StepRunner(step, config, new ObjectStore(AwsClients.s3(config)), new Queue(AwsClients.sqs(config))),
                config.maxReceiveCount());
    }

    protected StepHandler(StepRunner runner) {
        this(runner, 0);
    }

    protected StepHandler(StepRunner runner, int maxReceiveCount) {
        this.runner = runner;
        this.maxReceiveCount = maxReceiveCount;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.process(event, context, maxReceiveCount, runner.failures().forItems(runner.stepName()),
                message -> runner.run(message.getBody()));
    }
}
