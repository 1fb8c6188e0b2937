package com.mediaflow.shared.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The CloudWatch metrics of one step, in the embedded metric format: gathered while an invocation
 * runs and written once, when it ends, as one EMF line (dimensions {@code Stage, Step}) plus one per
 * quarantine reason code (dimensions {@code Stage, Step, ReasonCode}).
 *
 * <p>The common machinery opens the invocation ({@link com.mediaflow.shared.lambda.SqsBatch}) and
 * records what every step has (items processed and failed, each item's duration); the step's own
 * code adds what only it knows (bytes, quarantines, latency) through {@link #current()}, which is
 * the invocation open on this thread, or one that discards everything when none is (unit tests,
 * priming). The metric names are the constants below; docs/deploying.md lists them.
 */
public final class StepMetrics {
    public static final String NAMESPACE = "Mediaflow";
    public static final String ITEMS_PROCESSED = "ItemsProcessed";
    public static final String ITEMS_FAILED = "ItemsFailed";
    public static final String ITEM_DURATION = "ItemDuration";
    public static final String BYTES_IN = "BytesIn";
    public static final String BYTES_OUT = "BytesOut";
    public static final String QUARANTINES = "Quarantines";
    public static final String UPLOAD_TO_READY_LATENCY = "UploadToReadyLatency";
    /** A record's wait on its queue: SQS's ApproximateFirstReceiveTimestamp minus its SentTimestamp, first receives only. */
    public static final String QUEUE_WAIT = "QueueWait";
    /** A media step's download of the original (thumbnail, metadata). */
    public static final String DOWNLOAD_DURATION = "DownloadDuration";
    /** A media step's own work on the downloaded original: for thumbnail, the decode, every rendition and the pHash. */
    public static final String PROCESS_DURATION = "ProcessDuration";
    /** A media step's PUTs of its renditions, one after the other. */
    public static final String STORE_DURATION = "StoreDuration";
    /** Validate's server-side copy of an accepted upload to the media bucket. */
    public static final String COPY_DURATION = "CopyDuration";
    /** The thumbnail step's one decode of a still (before any rendition is made). */
    public static final String DECODE_DURATION = "DecodeDuration";
    /** Prefix of one metric per rendition name ({@code RenditionDuration.thumb-320.jpg}): its scale, colour conversion and encode. */
    public static final String RENDITION_DURATION_PREFIX = "RenditionDuration.";

    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();
    private static final Invocation DISCARD = new Invocation(null);
    private static volatile MetricsSink sink = MetricsSink.STDOUT;
    private static volatile LongSupplier clock = System::currentTimeMillis;

    private final String stage;
    private final String step;

    /**
     * @param stage the deployment stage (the {@code STAGE} setting); the {@code Stage} dimension
     * @param step the step's name, as in PIPELINE_STEPS; the {@code Step} dimension
     */
    public StepMetrics(String stage, String step) {
        this.stage = stage;
        this.step = step;
    }

    public String step() {
        return step;
    }

    /** Where every step's EMF lines go from now on; standard output unless replaced (the embedded stack, tests). */
    public static void sink(MetricsSink newSink) {
        sink = newSink == null ? MetricsSink.STDOUT : newSink;
    }

    public static MetricsSink sink() {
        return sink;
    }

    /** The invocation open on this thread; one that discards what it is given when none is. */
    public static Invocation current() {
        Invocation i = CURRENT.get();
        return i == null ? DISCARD : i;
    }

    /** Opens an invocation on this thread: what is recorded on it until {@link Invocation#close()} goes into its lines. */
    public Invocation begin() {
        Invocation i = new Invocation(this);
        CURRENT.set(i);
        return i;
    }

    /** One invocation's metrics; closing it writes them to the sink, once. */
    public static final class Invocation implements AutoCloseable {
        private final StepMetrics owner;
        private final Map<String, Value> values = new LinkedHashMap<>();
        private final Map<String, Integer> quarantines = new TreeMap<>();
        private boolean closed;

        private Invocation(StepMetrics owner) {
            this.owner = owner;
        }

        /** Adds to a count (a sum: one value per invocation). */
        public void count(String name, long n) {
            if (owner != null) {
                values.computeIfAbsent(name, k -> new Value(MetricUnit.COUNT, true)).add(n);
            }
        }

        /** Adds bytes (a sum: one value per invocation). */
        public void bytes(String name, long n) {
            if (owner != null) {
                values.computeIfAbsent(name, k -> new Value(MetricUnit.BYTES, true)).add(n);
            }
        }

        /** One observation of a duration: each is kept, so CloudWatch's percentiles see them all. */
        public void millis(String name, long ms) {
            if (owner != null) {
                values.computeIfAbsent(name, k -> new Value(MetricUnit.MILLISECONDS, false)).add(ms);
            }
        }

        /** One item quarantined, for this reason code. */
        public void quarantine(String reasonCode) {
            if (owner != null) {
                quarantines.merge(reasonCode == null || reasonCode.isEmpty() ? "UNKNOWN" : reasonCode, 1, Integer::sum);
            }
        }

        /** The EMF lines of what was recorded so far, as {@link #close()} writes them. */
        public List<String> lines() {
            if (owner == null) {
                return List.of();
            }
            long now = clock.getAsLong();
            List<String> out = new ArrayList<>();
            Map<String, String> dims = new LinkedHashMap<>();
            dims.put("Stage", owner.stage);
            dims.put("Step", owner.step);
            List<Emf.Metric> metrics = new ArrayList<>();
            List<Emf.Metric> overflow = new ArrayList<>();
            for (Map.Entry<String, Value> e : values.entrySet()) {
                List<Double> v = e.getValue().values;
                // more than EMF's 100 values of one metric in one document: the rest go in further documents
                for (int from = 0; from < v.size(); from += Emf.MAX_VALUES) {
                    (from == 0 ? metrics : overflow).add(new Emf.Metric(e.getKey(), e.getValue().unit,
                            v.subList(from, Math.min(v.size(), from + Emf.MAX_VALUES))));
                }
            }
            if (!metrics.isEmpty()) {
                out.add(Emf.document(NAMESPACE, now, dims, metrics));
            }
            for (Emf.Metric m : overflow) {
                out.add(Emf.document(NAMESPACE, now, dims, List.of(m)));
            }
            for (Map.Entry<String, Integer> q : quarantines.entrySet()) {
                Map<String, String> qd = new LinkedHashMap<>(dims);
                qd.put("ReasonCode", q.getKey());
                out.add(Emf.document(NAMESPACE, now, qd, List.of(new Emf.Metric(QUARANTINES, MetricUnit.COUNT,
                        List.of((double) q.getValue())))));
            }
            return out;
        }

        /** Writes the lines to the sink (once) and closes this thread's invocation. */
        @Override
        public void close() {
            if (owner == null || closed) {
                return;
            }
            closed = true;
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
            MetricsSink target = sink;
            try {
                for (String line : lines()) {
                    target.accept(line);
                }
            } catch (RuntimeException e) {
                // metrics never fail the work they describe
                org.slf4j.LoggerFactory.getLogger(StepMetrics.class).warn("{}: writing its metrics failed: {}", owner.step,
                        e.toString(), e);
            }
        }
    }

    /**
     * SnapStart priming: one invocation's lines built and dropped (no invocation is opened, nothing
     * reaches the sink), so that the writer's classes are in the snapshot.
     *
     * @return how many lines were built
     */
    public int prime() {
        Invocation i = new Invocation(this);
        i.count(ITEMS_PROCESSED, 1);
        i.bytes(BYTES_IN, 1);
        i.millis(UPLOAD_TO_READY_LATENCY, 1);
        i.quarantine("PRIMING");
        return i.lines().size();
    }

    /** For tests: the clock that stamps documents, epoch milliseconds; null puts the system clock back. */
    static void clock(LongSupplier millis) {
        clock = millis == null ? System::currentTimeMillis : millis;
    }

    private static final class Value {
        final MetricUnit unit;
        final boolean sum;
        final List<Double> values = new ArrayList<>();

        Value(MetricUnit unit, boolean sum) {
            this.unit = unit;
            this.sum = sum;
        }

        void add(double v) {
            if (sum && !values.isEmpty()) {
                values.set(0, values.get(0) + v);
            } else {
                values.add(v);
            }
        }
    }
}
