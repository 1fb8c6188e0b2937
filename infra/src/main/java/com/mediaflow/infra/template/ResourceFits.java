package com.mediaflow.infra.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The limits fit the resources at the largest upload a deploy allows ({@code MaxUploadBytes}'s
 * {@code MaxValue}): a batch of an SQS event source moves its bytes within the function's
 * {@code Timeout}, and a function that downloads an original holds it, its own files and the
 * natives in its {@code EphemeralStorage}. Each function's share is declared below with its reason
 * ({@link #TRANSFERS}, {@link #SCRATCH}); a function that reads a queue without a declared share is a
 * problem too, so a new step cannot skip the rule.
 */
public final class ResourceFits {
    /** The parameter whose MaxValue is the largest upload a deploy can allow. */
    static final String MAX_UPLOAD = "MaxUploadBytes";

    /**
     * Bytes per second one S3 connection moves: the lower end of AWS's "Make one concurrent request
     * for each 85–90 MB/s of desired network throughput" (Amazon S3 User Guide, Performance design
     * patterns, "Horizontal scaling and request parallelization for high throughput",
     * https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance-design-patterns.html#optimizing-performance-parallelization).
     * Every function here reads and writes an object over one connection. AWS states no rate for a
     * server-side CopyObject; it is taken as no faster.
     */
    static final long S3_BYTES_PER_SECOND_PER_CONNECTION = 85_000_000L;

    /**
     * Seconds of a batch that are not the big transfer: a cold start (thumbnail's measured 1.2 s,
     * bench/README.md), the manifest, receipts and messages around each item (tens of small requests).
     */
    static final int MARGIN_SECONDS = 15;

    /** Lambda's largest ephemeral storage, in MB. */
    static final int MAX_EPHEMERAL_MB = 10_240;

    /**
     * MB of /tmp kept for the natives. SamBuildIT holds that JavaCPP loads them in place from the
     * package and writes none under /tmp (its cachedir, /tmp/javacpp); kept anyway, because a
     * package that carried them inside jars would have JavaCPP extract them there (thumbnail's are
     * 68 MB unpacked, docs/runs-on-lambda.md), beside the JVM's own small files.
     */
    static final int NATIVES_MB = 100;

    /** How many times each message moves the largest upload over S3, and why. */
    public record Share(double uploads, String why) {
    }

    /** Every SQS-fed function's transfer per message, in largest uploads. */
    static final Map<String, Share> TRANSFERS = Map.of(
            "ValidateFunction", new Share(1 + 1.0 / 50 + 1, "one streaming pass hashes every byte (IngestService.ingest);"
                    + " the structural pass reads headers and indexes with ranged GETs, under 1/50 of the object (RangedReadsIT);"
                    + " a server-side copy stores the original in the media or the quarantine bucket"),
            "ThumbnailFunction", new Share(1, "downloads the original (StepRunner); its renditions are kilobytes"),
            "MetadataFunction", new Share(1, "downloads the original (StepRunner); its result is JSON"),
            "TranscodeFunction", new Share(1 + 2 * 1.0, "downloads the original; a long video's stitch then downloads the"
                    + " encoded parts and uploads the renditions, each at most the input's size (see SCRATCH)"),
            "FinalizeFunction", new Share(1, "a decoder refused the item: a server-side copy moves its original to the"
                    + " quarantine bucket (Finalizer); the rest is JSON"));

    /**
     * Every function that downloads to /tmp: its peak on /tmp, in largest uploads, beside {@link #NATIVES_MB}.
     * Transcode's bound, 2, is one input for the original plus one for what it writes
     * (TranscodeService): a long video's split writes its segments, a stream copy of the input (the
     * same packets, remuxed); the single path writes the renditions; the stitch holds the finished
     * renditions and the rung being stitched twice (its parts and its file). Assumed, not proved:
     * that these renditions take at most the input's size, since the ladder's rates (VideoLadder's
     * maxrate, 1 to 6 Mbit/s) are at or below those of camera and phone originals. A source
     * compressed harder than the ladder can re-encode larger; its job then fails for want of space
     * (ENOSPC), is retried and dead-lettered, and the dead-letter alarm says so.
     */
    static final Map<String, Share> SCRATCH = Map.of(
            "ThumbnailFunction", new Share(1, "the original (StepRunner: a temp file in WORK_DIR); renditions stay in memory"),
            "MetadataFunction", new Share(1, "the original (StepRunner: a temp file in WORK_DIR)"),
            "TranscodeFunction", new Share(2, "the original and its segments or renditions (TranscodeService), bounded as"
                    + " ResourceFits.SCRATCH explains"));

    private ResourceFits() {
    }

    /** The largest upload a deploy may allow, in bytes: MaxUploadBytes's MaxValue; null when it has none. */
    static Long largestUpload(Template template) {
        Object max = template.parameter(MAX_UPLOAD).get("MaxValue");
        try {
            return max == null ? null : Long.valueOf(String.valueOf(max).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every problem found, each a sentence naming the function and the numbers. */
    public static List<String> problems(Template template) {
        List<String> problems = new ArrayList<>();
        Long largest = largestUpload(template);
        if (largest == null) {
            problems.add("parameter " + MAX_UPLOAD + " has MaxValue " + template.parameter(MAX_UPLOAD).get("MaxValue")
                    + ", expected the largest upload the functions' storage and timeouts are sized for (a number)");
            return problems;
        }
        Set<String> functions = new TreeSet<>();
        for (Template.FunctionDef f : template.functions()) {
            functions.add(f.logicalId());
            batches(f, largest, problems);
        }
        for (String declared : new TreeSet<>(TRANSFERS.keySet())) {
            if (!functions.contains(declared)) {
                problems.add("ResourceFits.TRANSFERS declares " + declared + ", which is no function of the template");
            }
        }
        for (String declared : new TreeSet<>(SCRATCH.keySet())) {
            if (!functions.contains(declared)) {
                problems.add("ResourceFits.SCRATCH declares " + declared + ", which is no function of the template");
                continue;
            }
            storage(template, declared, largest, problems);
        }
        return problems;
    }

    private static void batches(Template.FunctionDef f, long largest, List<String> problems) {
        if (f.events().isEmpty()) {
            return;
        }
        Share share = TRANSFERS.get(f.logicalId());
        if (share == null) {
            problems.add("function " + f.logicalId() + " reads a queue, and ResourceFits.TRANSFERS does not say how many"
                    + " largest uploads a message of it moves; expected an entry, with its reason");
            return;
        }
        double perMessage = share.uploads() * largest / S3_BYTES_PER_SECOND_PER_CONNECTION;
        for (Template.EventSource e : f.events()) {
            double needed = e.batchSize() * perMessage + MARGIN_SECONDS;
            if (needed > f.timeoutSeconds()) {
                problems.add(String.format(java.util.Locale.ROOT, "function %s event %s: a batch of %d at the largest upload"
                        + " (%s MaxValue %d bytes) needs %.0f s, expected at most its Timeout of %d s (%d x %.2f uploads"
                        + " per message at %d MB/s, plus %d s; %s). Lower the BatchSize or raise the Timeout",
                        f.logicalId(), e.name(), e.batchSize(), MAX_UPLOAD, largest, needed, f.timeoutSeconds(), e.batchSize(),
                        share.uploads(), S3_BYTES_PER_SECOND_PER_CONNECTION / 1_000_000, MARGIN_SECONDS, share.why()));
            }
        }
    }

    private static void storage(Template template, String function, long largest, List<String> problems) {
        Share share = SCRATCH.get(function);
        Object size = map(template.functionProperty(function, "EphemeralStorage")).get("Size");
        long mb = size instanceof Number n ? n.longValue() : 512;
        long needed = (long) Math.ceil(share.uploads() * largest / (1024.0 * 1024.0)) + NATIVES_MB;
        if (mb > MAX_EPHEMERAL_MB) {
            problems.add("function " + function + " has EphemeralStorage.Size " + mb + " MB, expected at most "
                    + MAX_EPHEMERAL_MB + " (Lambda's largest)");
        }
        if (needed > mb) {
            problems.add("function " + function + " has EphemeralStorage.Size " + mb + " MB, expected at least " + needed
                    + " MB: " + share.uploads() + " x the largest upload (" + MAX_UPLOAD + " MaxValue " + largest + " bytes) for "
                    + share.why() + ", plus " + NATIVES_MB + " MB for the natives. Raise the Size (at most " + MAX_EPHEMERAL_MB
                    + ") or lower " + MAX_UPLOAD + "'s MaxValue");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
