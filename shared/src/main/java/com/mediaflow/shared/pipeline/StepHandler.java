package com.mediaflow.shared.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ConfigException;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.lambda.SqsBatch;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

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

    /**
     * Builds the step from the configuration; when the step's own settings are invalid (a
     * {@link ConfigException}, e.g. THUMBNAIL_SIZES=abc), the function still starts, and every record
     * fails with that error: retried, then on its last attempt its item is marked FAILED with the
     * error as its reason, and the message goes to the dead-letter queue for a redrive once the
     * configuration is fixed. Failing the cold start instead would leave the item PROCESSING forever.
     */
    protected StepHandler(String stepName, Function<Config, MediaStep> step, Config config) {
        this(new StepRunner(build(stepName, step, config), config, new ObjectStore(AwsClients.s3(config)),
                new Queue(AwsClients.sqs(config))), config.maxReceiveCount());
    }

    private static MediaStep build(String stepName, Function<Config, MediaStep> factory, Config config) {
        try {
            return factory.apply(config);
        } catch (ConfigException e) {
            LoggerFactory.getLogger(StepHandler.class).error("{}: its configuration is invalid; every record will fail: {}",
                    stepName, e.getMessage());
            return new MediaStep() {
                @Override
                public String name() {
                    return stepName;
                }

                @Override
                public Output process(com.mediaflow.shared.model.StepMessage message, java.nio.file.Path original) {
                    // not a ConfigException: retried like any failure, so a fixed configuration and a redrive recover
                    throw new IllegalStateException("the " + stepName + " function is misconfigured: " + e.getMessage(), e);
                }
            };
        }
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
        // A batch of shadow copies (shadow mode's event sources) is the version under test: its work stays
        // out of the step metrics, which are the live traffic's; it reports its own (ShadowCompare).
        boolean shadow = event != null && event.getRecords() != null && !event.getRecords().isEmpty()
                && event.getRecords().stream().allMatch(StepRunner::shadow);
        return SqsBatch.process(shadow ? null : runner.metrics(), event, context, maxReceiveCount, runner.failureRecorder(),
                message -> runner.run(message.getBody()));
    }
}
