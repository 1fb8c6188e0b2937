package com.mediaflow.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads CloudWatch embedded metric format (EMF) lines as CloudWatch Logs would, for tests: {@link #problems}
 * lists where a line breaks the spec's rules (docs.aws.amazon.com, "Specification: Embedded metric
 * format"), {@link #parse} gives what it says.
 */
public final class EmfDocuments {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The units the spec allows. */
    public static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    /** One metric directive's metric: its unit and its values. */
    public record Value(String unit, List<Double> values) {
        public double sum() {
            return values.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** One document: its namespace, its first directive's dimension keys and their values, and its metrics. */
    public record Document(String namespace, long timestamp, Map<String, String> dimensions, Map<String, Value> metrics) {
    }

    private EmfDocuments() {
    }

    /** Where the line breaks the spec; empty when it is a valid EMF document. */
    public static List<String> problems(String line) {
        List<String> p = new ArrayList<>();
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (Exception e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return List.of("the root is not a JSON object");
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            return List.of("no _aws object at the root");
        }
        if (!aws.path("Timestamp").isIntegralNumber() || aws.path("Timestamp").asLong() <= 0) {
            p.add("_aws.Timestamp is not a positive integer (epoch ms): " + aws.get("Timestamp"));
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray() || directives.isEmpty()) {
            p.add("_aws.CloudWatchMetrics is not a non-empty array");
            return p;
        }
        for (JsonNode d : directives) {
            String ns = d.path("Namespace").asText("");
            if (!d.path("Namespace").isTextual() || ns.isEmpty() || ns.length() > 255) {
                p.add("Namespace is not a string of 1 to 255 characters: " + d.get("Namespace"));
            }
            JsonNode dims = d.get("Dimensions");
            if (dims == null || !dims.isArray()) {
                p.add("Dimensions is not an array of dimension sets");
            } else {
                for (JsonNode set : dims) {
                    if (!set.isArray() || set.size() > 30) {
                        p.add("a dimension set is not an array of at most 30 names: " + set);
                        continue;
                    }
                    for (JsonNode key : set) {
                        if (!key.isTextual() || !root.path(key.asText()).isTextual()) {
                            p.add("dimension " + key + " has no string value at the root");
                        }
                    }
                }
            }
            JsonNode metrics = d.get("Metrics");
            if (metrics == null || !metrics.isArray() || metrics.size() > 100) {
                p.add("Metrics is not an array of at most 100 definitions");
                continue;
            }
            for (JsonNode m : metrics) {
                String name = m.path("Name").asText("");
                if (name.isEmpty() || name.length() > 255) {
                    p.add("a metric's Name is not 1 to 255 characters: " + m);
                }
                if (m.has("Unit") && !UNITS.contains(m.path("Unit").asText())) {
                    p.add("metric " + name + " has unit " + m.get("Unit") + ", not one of the spec's");
                }
                JsonNode v = root.get(name);
                if (v == null) {
                    p.add("metric " + name + " is declared but has no value at the root");
                } else if (v.isArray()) {
                    if (v.isEmpty() || v.size() > 100) {
                        p.add("metric " + name + " has " + v.size() + " values, expected 1 to 100");
                    }
                    v.forEach(x -> {
                        if (!x.isNumber()) {
                            p.add("metric " + name + " has a value that is not a number: " + x);
                        }
                    });
                } else if (!v.isNumber()) {
                    p.add("metric " + name + " is not a number: " + v);
                }
            }
        }
        return p;
    }

    /**
     * What a valid document says, from its first directive and first dimension set.
     *
     * @throws IllegalArgumentException when the line is not a valid EMF document
     */
    public static Document parse(String line) {
        List<String> p = problems(line);
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("expected a valid EMF document, found " + p + " in " + line);
        }
        try {
            JsonNode root = MAPPER.readTree(line);
            JsonNode d = root.get("_aws").get("CloudWatchMetrics").get(0);
            Map<String, String> dims = new LinkedHashMap<>();
            if (!d.get("Dimensions").isEmpty()) {
                d.get("Dimensions").get(0).forEach(k -> dims.put(k.asText(), root.get(k.asText()).asText()));
            }
            Map<String, Value> metrics = new LinkedHashMap<>();
            for (JsonNode m : d.get("Metrics")) {
                JsonNode v = root.get(m.get("Name").asText());
                List<Double> values = new ArrayList<>();
                if (v.isArray()) {
                    v.forEach(x -> values.add(x.asDouble()));
                } else {
                    values.add(v.asDouble());
                }
                metrics.put(m.get("Name").asText(), new Value(m.path("Unit").asText("None"), values));
            }
            return new Document(d.get("Namespace").asText(), root.get("_aws").get("Timestamp").asLong(), dims, metrics);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("expected JSON, found " + line, e);
        }
    }
}
