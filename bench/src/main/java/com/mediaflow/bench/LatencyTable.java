package com.mediaflow.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Samples by stage, in the order stages were first seen, and their percentiles (nearest rank: the
 * smallest sample with at least p % of the samples at or below it, so a p99 of 100 samples is the
 * 99th smallest), printed as a Markdown table: stage, p50, p99, n.
 */
final class LatencyTable {
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    void add(String stage, double millis) {
        if (!Double.isFinite(millis)) {
            throw new IllegalArgumentException("stage '" + stage + "': expected a finite number of milliseconds, found " + millis);
        }
        samples.computeIfAbsent(stage, k -> new ArrayList<>()).add(millis);
    }

    /** Declares a stage (its row comes here even if its samples come later, or never: n 0). */
    void stage(String stage) {
        samples.computeIfAbsent(stage, k -> new ArrayList<>());
    }

    List<String> stages() {
        return List.copyOf(samples.keySet());
    }

    /** The samples of a stage, in the order added; empty for a stage never seen. */
    List<Double> samples(String stage) {
        return List.copyOf(samples.getOrDefault(stage, List.of()));
    }

    int count(String stage) {
        List<Double> s = samples.get(stage);
        return s == null ? 0 : s.size();
    }

    /** @throws IllegalArgumentException when the stage has no sample, or p is outside (0, 100] */
    double percentile(String stage, double p) {
        List<Double> s = samples.get(stage);
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("stage '" + stage + "' has no samples");
        }
        return percentile(s, p);
    }

    static double percentile(List<Double> values, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("expected a percentile in (0, 100], found " + p);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(1, rank) - 1);
    }

    /** The table, one row per stage; a stage without samples shows dashes. */
    void print(PrintStream out) {
        int width = "stage".length();
        for (String s : samples.keySet()) {
            width = Math.max(width, s.length());
        }
        String row = "| %-" + width + "s | %9s | %9s | %5s |%n";
        out.printf(Locale.ROOT, row, "stage", "p50", "p99", "n");
        out.printf(Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(width + 2), "-".repeat(10) + ":", "-".repeat(10) + ":", "-".repeat(6) + ":");
        for (Map.Entry<String, List<Double>> e : samples.entrySet()) {
            List<Double> v = e.getValue();
            out.printf(Locale.ROOT, row, e.getKey(), v.isEmpty() ? "-" : ms(percentile(v, 50)), v.isEmpty() ? "-" : ms(percentile(v, 99)),
                    v.size());
        }
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.1f ms" : "%.0f ms", millis);
    }
}
