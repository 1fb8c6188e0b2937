package com.mediaflow.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Priming;
import com.mediaflow.shared.pipeline.Sweeper;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The periodic sweep: an EventBridge schedule (the template's {@code Schedule} event) invokes it
 * with a Scheduled Event, which carries nothing it needs; the work is in {@link Sweeper}. Returns
 * the run's progress line.
 */
public class SweeperHandler implements RequestHandler<Map<String, Object>, String> {
    private static final Logger LOG = LoggerFactory.getLogger(SweeperHandler.class);
    /** Left of the invocation's time when the sweep stops examining, so that it ends cleanly before the timeout. */
    static final Duration MARGIN = Duration.ofSeconds(10);
    /**
     * The {@code source} of the PreTraffic hook's event (functions/pretraffic): the new version is
     * checked ({@link Sweeper#check()}: reads and decisions, nothing written) instead of sweeping,
     * so that a broken version is caught before it touches an item.
     */
    public static final String PRETRAFFIC_SOURCE = "mediaflow.pretraffic";

    private final Sweeper sweeper;
    /** SnapStart's hooks; held here because org.crac may hold registered resources weakly. */
    private final Priming priming;

    /** What Lambda calls: configuration and clients built once; SnapStart primes the decisions before its snapshot. */
    public SweeperHandler() {
        this(Config.fromEnvironment());
        priming.register();
    }

    /** For the embedded stack, which gives each function its own template environment. */
    public SweeperHandler(Config config) {
        this(new Sweeper(config, new ObjectStore(AwsClients.s3(config)), new Queue(AwsClients.sqs(config))));
    }

    SweeperHandler(Sweeper sweeper) {
        this.sweeper = sweeper;
        this.priming = new Priming("SweeperFunction", sweeper::prime);
    }

    Priming priming() {
        return priming;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        if (context != null) {
            MDC.put("function_name", String.valueOf(context.getFunctionName()));
            MDC.put("function_request_id", String.valueOf(context.getAwsRequestId()));
        }
        try {
            if (event != null && PRETRAFFIC_SOURCE.equals(event.get("source"))) {
                LOG.info("PreTraffic check {}: reads and decisions only, no sweep", event.get("id"));
                return sweeper.check();
            }
            LOG.info("sweep started by {} {} at {}", event == null ? null : event.get("source"),
                    event == null ? null : event.get("id"), event == null ? null : event.get("time"));
            Duration budget = context == null || context.getRemainingTimeInMillis() <= 0 ? Duration.ofMinutes(4)
                    : Duration.ofMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
            return sweeper.sweep(budget.isNegative() ? Duration.ZERO : budget).line();
        } finally {
            MDC.remove("function_name");
            MDC.remove("function_request_id");
        }
    }
}
