package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.error.ResultPendingException;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow mode's compare stage: once a shadow copy of a step has stored its result, this compares it
 * with the real step's result, stores the {@link ShadowComparison} as {@code shadow/<id>/<step>/compare.json}
 * and publishes the outcome as a metric. It reads the item's own keys and writes only under shadow/.
 *
 * <p>When the real result is not stored yet it throws {@link ResultPendingException} (retryable): the
 * shadow message comes back later, finds its own result stored, and compares then, instead of recording
 * a difference that is only a race. When the item is final without a real result (it FAILED), that is
 * recorded as the difference {@code MAIN_MISSING}.
 */
public final class ShadowCompare {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowCompare.class);
    /** The CloudWatch namespace of the shadow metrics. */
    public static final String NAMESPACE = StepMetrics.NAMESPACE;
    /** 1 per comparison made. */
    public static final String SHADOW_COMPARED = "ShadowCompared";
    /** 1 per comparison that found a difference, 0 per one that did not: its Average is the difference rate. */
    public static final String SHADOW_DIFFERENT = "ShadowDifferent";

    private final ObjectStore store;
    private final String mediaBucket;
    private final String stage;
    private final Consumer<String> metrics;

    /**
     * Metrics go where every step's EMF lines go ({@link StepMetrics#sink()}: standard output on Lambda,
     * which the runtime sends to CloudWatch Logs, where EMF lines become metrics).
     *
     * @param stage the deployment stage, the {@code Stage} dimension as in the step metrics
     */
    public ShadowCompare(ObjectStore store, String mediaBucket, String stage) {
        this(store, mediaBucket, stage, line -> StepMetrics.sink().accept(line));
    }

    ShadowCompare(ObjectStore store, String mediaBucket, String stage, Consumer<String> metrics) {
        this.store = store;
        this.mediaBucket = mediaBucket;
        this.stage = stage;
        this.metrics = metrics;
    }

    public ShadowComparison compare(String mediaId, String step, StepResult shadow) {
        Optional<StepResult> main = store.getJson(mediaBucket, Keys.stepResult(mediaId, step), StepResult.class);
        ShadowComparison comparison;
        if (main.isPresent()) {
            comparison = ShadowComparison.of(main.get(), shadow);
        } else {
            Optional<Manifest> item = store.getJson(mediaBucket, Keys.manifest(mediaId), Manifest.class);
            if (item.isEmpty() || !item.get().terminal()) {
                throw new ResultPendingException("shadow " + step + " of media " + mediaId + ": expected the real result "
                        + ObjectStore.uri(mediaBucket, Keys.stepResult(mediaId, step)) + " to compare with, found none yet (item "
                        + item.map(m -> m.status().name()).orElse("without manifest") + "); will retry");
            }
            comparison = ShadowComparison.mainMissing(mediaId, step, shadow);
        }
        store.putJson(mediaBucket, Keys.shadowComparison(mediaId, step), comparison);
        LOG.info("shadow {} of media {}: {}", step, mediaId, comparison.differs() ? "differs " + comparison.codes() : "no difference");
        metrics.accept(metricLine(comparison, stage, System.currentTimeMillis()));
        return comparison;
    }

    /**
     * One CloudWatch Embedded Metric Format line: {@code ShadowCompared} 1 and {@code ShadowDifferent}
     * 1 or 0, by {@code Stage} and {@code Step} (the step metrics' dimensions, {@link StepMetrics}). The difference rate is {@code ShadowDifferent}'s Average (or its Sum over
     * {@code ShadowCompared}'s Sum). The media id and the difference codes ride along as properties, for
     * CloudWatch Logs Insights.
     */
    public static String metricLine(ShadowComparison c, String stage, long timestampMillis) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("Namespace", NAMESPACE);
        metric.put("Dimensions", List.of(List.of("Stage", "Step")));
        metric.put("Metrics", List.of(Map.of("Name", SHADOW_COMPARED, "Unit", "Count"),
                Map.of("Name", SHADOW_DIFFERENT, "Unit", "Count")));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", timestampMillis, "CloudWatchMetrics", List.of(metric)));
        line.put("Stage", stage);
        line.put("Step", c.step());
        line.put(SHADOW_COMPARED, 1);
        line.put(SHADOW_DIFFERENT, c.differs() ? 1 : 0);
        line.put("mediaId", c.mediaId());
        line.put("differences", c.codes());
        return Json.write(line);
    }
}
