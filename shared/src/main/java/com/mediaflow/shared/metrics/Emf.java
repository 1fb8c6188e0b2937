package com.mediaflow.shared.metrics;

import java.util.List;
import java.util.Map;

/**
 * Writes one CloudWatch embedded metric format (EMF) document as one line of JSON: the
 * {@code _aws} metadata ({@code Timestamp} in epoch milliseconds, one {@code CloudWatchMetrics}
 * directive with its {@code Namespace}, one dimension set and the metric definitions), and, at the
 * top level, each dimension's value and each metric's value (a number, or an array of up to
 * {@value #MAX_VALUES} numbers). Written by hand rather than through Jackson's tree or Powertools:
 * it loads no class beyond these (see README, dependencies).
 *
 * <p>The spec's limits are checked here, failing with what was expected and found: at most
 * {@value #MAX_METRICS} metrics and {@value #MAX_DIMENSIONS} dimensions per document, names of 1
 * to 255 characters, no metric without a value, every value finite.
 */
final class Emf {
    public static final int MAX_METRICS = 100;
    public static final int MAX_DIMENSIONS = 30;
    public static final int MAX_VALUES = 100;

    private Emf() {
    }

    /** A metric's definition and its values (one value is written as a number, more as an array). */
    public record Metric(String name, MetricUnit unit, List<Double> values) {
        public Metric {
            values = List.copyOf(values);
        }
    }

    /**
     * @param dimensions dimension name to value, in the order they are declared
     * @param metrics in the order they are declared
     * @throws IllegalArgumentException when the document would break one of the spec's rules
     */
    public static String document(String namespace, long timestampMillis, Map<String, String> dimensions, List<Metric> metrics) {
        check(namespace, "namespace");
        if (metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("an EMF document declares 1 to " + MAX_METRICS + " metrics, found " + metrics.size());
        }
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("an EMF dimension set has at most " + MAX_DIMENSIONS + " dimensions, found "
                    + dimensions.size() + ": " + dimensions.keySet());
        }
        StringBuilder out = new StringBuilder(256);
        out.append("{\"_aws\":{\"Timestamp\":").append(timestampMillis).append(",\"CloudWatchMetrics\":[{\"Namespace\":");
        string(out, namespace);
        out.append(",\"Dimensions\":[[");
        boolean first = true;
        for (String d : dimensions.keySet()) {
            check(d, "dimension name");
            out.append(first ? "" : ",");
            string(out, d);
            first = false;
        }
        out.append("]],\"Metrics\":[");
        first = true;
        for (Metric m : metrics) {
            check(m.name(), "metric name");
            if (dimensions.containsKey(m.name())) {
                throw new IllegalArgumentException("metric '" + m.name() + "' has the name of a dimension");
            }
            out.append(first ? "{\"Name\":" : ",{\"Name\":");
            string(out, m.name());
            out.append(",\"Unit\":\"").append(m.unit().emfName()).append("\"}");
            first = false;
        }
        out.append("]}]}");
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            check(d.getValue(), "value of dimension " + d.getKey());
            out.append(',');
            string(out, d.getKey());
            out.append(':');
            string(out, d.getValue());
        }
        for (Metric m : metrics) {
            out.append(',');
            string(out, m.name());
            out.append(':');
            values(out, m);
        }
        return out.append('}').toString();
    }

    private static void values(StringBuilder out, Metric m) {
        List<Double> v = m.values();
        if (v.isEmpty() || v.size() > MAX_VALUES) {
            throw new IllegalArgumentException("metric '" + m.name() + "' has " + v.size() + " values, expected 1 to " + MAX_VALUES);
        }
        if (v.size() > 1) {
            out.append('[');
        }
        for (int i = 0; i < v.size(); i++) {
            double d = v.get(i);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("metric '" + m.name() + "' has value " + d + ", expected a finite number");
            }
            out.append(i == 0 ? "" : ",");
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                out.append((long) d);
            } else {
                out.append(d);
            }
        }
        if (v.size() > 1) {
            out.append(']');
        }
    }

    private static void check(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw new IllegalArgumentException("an EMF " + what + " has 1 to 255 characters, found "
                    + (name == null ? "none" : name.length() + ": '" + name + "'"));
        }
    }

    /** A JSON string, with quotes, backslashes and control characters escaped. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
