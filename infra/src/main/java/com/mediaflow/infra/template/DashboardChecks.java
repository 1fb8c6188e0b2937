package com.mediaflow.infra.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.pipeline.ShadowCompare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard shows what the functions measure: template.yaml's {@code AWS::CloudWatch::Dashboard}
 * body must parse as JSON, plot {@link StepMetrics#ITEMS_PROCESSED} of every step, the quarantines by
 * reason code (a SEARCH over the {@code ReasonCode} dimension), and {@link StepMetrics#UPLOAD_TO_READY_LATENCY}
 * of finalize at p50 and p99, each in the {@link StepMetrics#NAMESPACE} namespace with the
 * {@code Stage} and {@code Step} dimensions the functions write; and every metric of that namespace
 * it names must be one the functions write (a misspelt name plots nothing, silently).
 */
public final class DashboardChecks {
    /** The steps that write step metrics: the function of each. */
    static final List<String> STEPS = List.of("validate", "thumbnail", "metadata", "transcode", "finalize");
    static final Set<String> EMITTED = Set.of(StepMetrics.ITEMS_PROCESSED, StepMetrics.ITEMS_FAILED, StepMetrics.ITEM_DURATION,
            StepMetrics.BYTES_IN, StepMetrics.BYTES_OUT, StepMetrics.QUARANTINES, StepMetrics.UPLOAD_TO_READY_LATENCY,
            ShadowCompare.SHADOW_COMPARED, ShadowCompare.SHADOW_DIFFERENT);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DashboardChecks() {
    }

    /** A metric row of a widget: namespace, name, its dimensions, and its stat. */
    record Plotted(String namespace, String name, Map<String, String> dimensions, String stat) {
    }

    public static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        List<String> dashboards = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            if (r instanceof Map<?, ?> m && "AWS::CloudWatch::Dashboard".equals(m.get("Type"))) {
                dashboards.add(id);
            }
        });
        if (dashboards.size() != 1) {
            problems.add("the template has dashboards " + dashboards + ", expected exactly one");
            return problems;
        }
        String id = dashboards.get(0);
        Object props = ((Map<?, ?>) template.resources().get(id)).get("Properties");
        Object body = props instanceof Map<?, ?> p ? p.get("DashboardBody") : null;
        if (body instanceof Map<?, ?> sub && sub.get("Fn::Sub") != null) {
            body = sub.get("Fn::Sub") instanceof List<?> l && !l.isEmpty() ? l.get(0) : sub.get("Fn::Sub");
        }
        if (!(body instanceof String text)) {
            problems.add("dashboard " + id + " has DashboardBody " + body + ", expected a JSON string (or !Sub of one)");
            return problems;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (Exception e) {
            problems.add("dashboard " + id + ": DashboardBody is not JSON: " + e.getMessage());
            return problems;
        }
        List<Plotted> plotted = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode w : root.path("widgets")) {
            for (JsonNode row : w.path("properties").path("metrics")) {
                read(row, plotted, expressions);
            }
        }
        String where = "dashboard " + id;
        for (Plotted p : plotted) {
            if (StepMetrics.NAMESPACE.equals(p.namespace()) && !EMITTED.contains(p.name())) {
                problems.add(where + " plots " + p.namespace() + "/" + p.name() + ", which no function writes; expected one of "
                        + EMITTED);
            }
        }
        for (String step : STEPS) {
            if (plotted.stream().noneMatch(p -> stepMetric(p, StepMetrics.ITEMS_PROCESSED, step))) {
                problems.add(where + " does not plot " + StepMetrics.ITEMS_PROCESSED + " of step " + step
                        + " (namespace " + StepMetrics.NAMESPACE + ", dimensions Stage and Step)");
            }
        }
        for (String stat : List.of("p50", "p99")) {
            if (plotted.stream().noneMatch(p -> stepMetric(p, StepMetrics.UPLOAD_TO_READY_LATENCY, "finalize")
                    && stat.equals(p.stat()))) {
                problems.add(where + " does not plot the upload-to-READY latency at " + stat + " ("
                        + StepMetrics.UPLOAD_TO_READY_LATENCY + " of step finalize, namespace " + StepMetrics.NAMESPACE
                        + ", dimensions Stage and Step)");
            }
        }
        if (expressions.stream().noneMatch(e -> e.contains("SEARCH(") && e.contains(StepMetrics.NAMESPACE)
                && e.contains("ReasonCode") && e.contains(StepMetrics.QUARANTINES))) {
            problems.add(where + " does not plot the quarantines by reason code (a SEARCH of " + StepMetrics.QUARANTINES
                    + " over {" + StepMetrics.NAMESPACE + ",Stage,Step,ReasonCode})");
        }
        return problems;
    }

    private static boolean stepMetric(Plotted p, String name, String step) {
        return StepMetrics.NAMESPACE.equals(p.namespace()) && name.equals(p.name()) && step.equals(p.dimensions().get("Step"))
                && p.dimensions().size() == 2 && p.dimensions().containsKey("Stage");
    }

    /** One row: ["Namespace", "Name", "Dim", "value", ..., {options}], or [{"expression": ...}]. */
    private static void read(JsonNode row, List<Plotted> plotted, List<String> expressions) {
        List<String> parts = new ArrayList<>();
        JsonNode options = null;
        for (JsonNode x : row) {
            if (x.isObject()) {
                options = x;
            } else {
                parts.add(x.asText());
            }
        }
        if (options != null && options.has("expression")) {
            expressions.add(options.get("expression").asText());
        }
        if (parts.size() < 2) {
            return;
        }
        Map<String, String> dims = new java.util.LinkedHashMap<>();
        for (int i = 2; i + 1 < parts.size(); i += 2) {
            dims.put(parts.get(i), parts.get(i + 1));
        }
        plotted.add(new Plotted(parts.get(0), parts.get(1), dims, options == null ? null : options.path("stat").asText(null)));
    }
}
