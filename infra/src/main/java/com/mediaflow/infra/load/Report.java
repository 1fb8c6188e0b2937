package com.mediaflow.infra.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link LoadRun} measured and found. An "upload" here is one receipt under a key the run
 * sent: normally one per key, more when a PUT cut off by a kill had been stored and announced
 * before the client saw an error and sent it again.
 *
 * @param stackCpuSeconds CPU time of the stack's JVMs (every start, the starts included); NaN when unknown
 * @param seconds from the first PUT to the last upload that became final
 * @param latenciesMs per acknowledged key, from its PUT's acknowledgement to its first completion
 *     event, sorted
 * @param lost acknowledged keys with no final receipt for the acknowledged ETag
 * @param notFinal receipts (of any upload of our keys) still not final at the end
 * @param withoutEvent final uploads that got no completion event
 * @param manyEvents uploads with more than one distinct eventId, or whose event is not the receipt's
 * @param duplicates identical bytes processed as new more than once
 * @param eventsOfUploads distinct eventIds received for the final uploads, summed
 */
public record Report(String label, LoadMix mix, int acknowledged, int gaveUp, int failedPuts, double stackCpuSeconds,
                    List<Kill> kills, long rawEvents,
                    int distinctEvents, int eventsOfUploads, int strayEvents, double seconds, List<Double> latenciesMs,
                    int uploads, int extraUploads, Map<String, Integer> statuses, List<String> lost, List<String> notFinal,
                    List<String> withoutEvent, List<String> manyEvents, List<String> duplicates, String burstMediaId,
                    int burstUploads, int burstProcessedAsNew, boolean burstClaimedByItsOneNewUpload) {

    /** One SIGKILL: when, how far the run was, and how long the restart took. */
    public record Kill(double atSeconds, double progress, int acknowledged, int finalKeys, double restartSeconds) {
    }

    /** Whether every acknowledged upload became final: only then is there a throughput "to all final". */
    public boolean allFinal() {
        return lost.isEmpty() && notFinal.isEmpty();
    }

    /** Acknowledged uploads per second from the first PUT to the last upload final; NaN when some never became final. */
    public double uploadsPerSecond() {
        return !allFinal() ? Double.NaN : seconds <= 0 ? 0 : acknowledged / seconds;
    }

    /** The report's throughput line; it names no figure when uploads never became final. */
    String throughputLine() {
        if (!allFinal()) {
            return String.format(Locale.ROOT, "  throughput: none to all final: %d acknowledged upload(s) lost, %d receipt(s) not final "
                    + "(%d acknowledged; the last final at %.1f s; %d PUTs failed and were sent again)", lost.size(), notFinal.size(),
                    acknowledged, seconds, failedPuts);
        }
        return String.format(Locale.ROOT, "  throughput: %.1f uploads/s to all final (%d acknowledged in %.1f s; %d PUTs failed and were "
                + "sent again)", uploadsPerSecond(), acknowledged, seconds, failedPuts);
    }

    /** Percentile (nearest rank) of the upload-to-final latencies, in ms; NaN when there are none. */
    public double percentileMs(double p) {
        if (latenciesMs.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * latenciesMs.size()) - 1;
        return latenciesMs.get(Math.max(0, Math.min(latenciesMs.size() - 1, i)));
    }

    public double eventsPerUpload() {
        return uploads == 0 ? 0 : eventsOfUploads / (double) uploads;
    }

    public double rawEventsPerUpload() {
        return uploads == 0 ? 0 : rawEvents / (double) uploads;
    }

    /** Everything that breaks the guarantee; empty when the run met it. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        lost.forEach(x -> p.add("lost: " + x));
        notFinal.forEach(x -> p.add("not final: " + x));
        withoutEvent.forEach(x -> p.add("no event: " + x));
        manyEvents.forEach(x -> p.add("events: " + x));
        duplicates.forEach(x -> p.add("duplicate output: " + x));
        if (gaveUp > 0) {
            p.add(gaveUp + " upload(s) never acknowledged after 10 minutes of retries");
        }
        if (burstUploads > 0 && burstProcessedAsNew != 1) {
            p.add("the burst of " + burstUploads + " identical uploads was processed as new " + burstProcessedAsNew + " times");
        }
        if (burstUploads > 0 && !burstClaimedByItsOneNewUpload) {
            p.add("the burst's item " + burstMediaId + " is not claimed by the upload that processed it");
        }
        return p;
    }

    public void print(PrintStream out) {
        int burst = mix.of(LoadMix.Kind.BURST).size();
        out.printf(Locale.ROOT, "%s: %d uploads (%d photos, %d identical %s at once, %d hostile, %d videos; %.0f MB)%n", label,
                mix.items().size(), mix.of(LoadMix.Kind.PHOTO).size(), burst,
                mix.spec().burstWidth() + "x" + mix.spec().burstHeight() + " JPEGs", mix.of(LoadMix.Kind.HOSTILE).size(),
                mix.of(LoadMix.Kind.VIDEO).size(), mix.bytes() / 1e6);
        for (Kill k : kills) {
            out.printf(Locale.ROOT, "  SIGKILL at %.1f s (progress %.2f: %d acknowledged, %d final), restarted in %.1f s%n",
                    k.atSeconds(), k.progress(), k.acknowledged(), k.finalKeys(), k.restartSeconds());
        }
        out.println(throughputLine());
        if (!Double.isNaN(stackCpuSeconds)) {
            out.printf(Locale.ROOT, "  stack CPU: %.0f s in all, %.2f s per upload (%.1f of the machine's cores busy on average)%n",
                    stackCpuSeconds, stackCpuSeconds / Math.max(1, acknowledged), stackCpuSeconds / Math.max(1e-9, seconds));
        }
        out.printf(Locale.ROOT, "  upload acknowledged -> final (first event): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                percentileMs(50), percentileMs(99), latenciesMs.isEmpty() ? Double.NaN : latenciesMs.get(latenciesMs.size() - 1));
        out.printf(Locale.ROOT, "  final: %s of %d uploads (%d more than one per key, from PUTs cut off by a kill)%n",
                new TreeMap<>(statuses), uploads, extraUploads);
        out.printf(Locale.ROOT, "  events per upload: %.3f after dedup by eventId, %.3f raw (%d received, %d distinct, %d stray)%n",
                eventsPerUpload(), rawEventsPerUpload(), rawEvents, distinctEvents, strayEvents);
        out.printf(Locale.ROOT, "  lost: %d; not final: %d; without event: %d; more than one eventId: %d%n", lost.size(),
                notFinal.size(), withoutEvent.size(), manyEvents.size());
        out.printf(Locale.ROOT, "  duplicate outputs: %d (burst: %d uploads of one item, %d processed as new, claimed by it: %s)%n",
                duplicates.size(), burstUploads, burstProcessedAsNew, burstClaimedByItsOneNewUpload);
        List<String> problems = problems();
        for (int i = 0; i < Math.min(20, problems.size()); i++) {
            out.println("  PROBLEM " + problems.get(i));
        }
        if (problems.size() > 20) {
            out.println("  ... and " + (problems.size() - 20) + " more problems");
        }
    }

    /** Filled by {@link LoadRun#verify}. */
    static final class Builder {
        final LoadMix mix;
        final String label;
        int acknowledged;
        int gaveUp;
        int failedPuts;
        double stackCpuSeconds = Double.NaN;
        List<Kill> kills = List.of();
        long rawEvents;
        int distinctEvents;
        int eventsOfUploads;
        int strayEvents;
        double seconds;
        List<Double> latenciesMs = List.of();
        int uploads;
        int extraUploads;
        final Map<String, Integer> statuses = new TreeMap<>();
        final List<String> lost = new ArrayList<>();
        final List<String> notFinal = new ArrayList<>();
        final List<String> withoutEvent = new ArrayList<>();
        final List<String> manyEvents = new ArrayList<>();
        final List<String> duplicates = new ArrayList<>();
        String burstMediaId;
        int burstUploads;
        int burstProcessedAsNew;
        boolean burstClaimedByItsOneNewUpload;

        Builder(LoadMix mix, String label) {
            this.mix = mix;
            this.label = label;
        }

        Report build() {
            return new Report(label, mix, acknowledged, gaveUp, failedPuts, stackCpuSeconds, kills, rawEvents, distinctEvents, eventsOfUploads,
                    strayEvents, seconds, List.copyOf(latenciesMs), uploads, extraUploads, Map.copyOf(statuses), List.copyOf(lost),
                    List.copyOf(notFinal), List.copyOf(withoutEvent), List.copyOf(manyEvents), List.copyOf(duplicates),
                    burstMediaId, burstUploads, burstProcessedAsNew, burstClaimedByItsOneNewUpload);
        }
    }
}
