package com.mediaflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.load.PhotoLike;
import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.infra.stack.WriteLog;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code bench/run latency}: one 12-megapixel JPEG at a time through the embedded stack with the
 * template's defaults (every rendition), after warm-up; p50 and p99 of upload to READY, upload to
 * first thumbnail, and each stage on the way; and how long the stack takes to start, cold (first
 * in this JVM) and warm.
 *
 * <p>Clocks: the two end-to-end figures go from the upload's S3 event time (its receipt's
 * {@code uploadedAt}) to the store's write time of the READY manifest and of the first thumbnail
 * ({@link WriteLog}: S3Proxy's own times are whole seconds); both are stamped by this JVM's system
 * clock. The stages come from the functions' own EMF metric lines ({@link StepMetrics}): each
 * step's {@code ItemDuration}, validate's {@code CopyDuration}, the thumbnail step's
 * {@code DecodeDuration} and {@code RenditionDuration.<name>}, and each queue hop's
 * {@code QueueWait} (SQS's ApproximateFirstReceiveTimestamp minus SentTimestamp, ElasticMQ's clock).
 * The CompletionQueue only says when to look; nothing is timed by polling.
 *
 * <p>Usage: {@code bench/run latency [--count N] [--warmup W]} (default 100 timed uploads after 3
 * warm-ups; a bare number is the count).
 */
public final class PipelineLatency {
    /** Different pictures under the per-upload comment: the generated set of {@code bench/run images}, kept in bench/target. */
    static final int BASE_PHOTOS = 8;
    static final String READY = "upload -> READY";
    static final String FIRST_THUMBNAIL = "upload -> first thumbnail";
    static final String RENDITION_SUFFIX = " (scale + encode)";

    private PipelineLatency() {
    }

    public static void main(String[] args) throws Exception {
        int count = 100;
        int warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> {
                    if (args[i].matches("[0-9]+")) {
                        count = Integer.parseInt(args[i]);
                    } else {
                        System.err.println("usage: bench/run latency [--count N] [--warmup W]; found '" + args[i] + "'");
                        System.exit(2);
                    }
                }
            }
        }
        if (count < 1 || count > 1000) {
            System.err.println("--count is " + count + ", expected 1 to 1000 (the stack keeps the last 10,000 metric lines)");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath().normalize();
        List<byte[]> bases = basePhotos(root.resolve("bench/target/image-set"));
        long run = new SplittableRandom().nextLong() & 0xFFFF_FFFFL;

        long t0 = System.nanoTime();
        EmbeddedStack cold = EmbeddedStack.start(EmbeddedStack.Options.defaults(root.resolve("template.yaml")));
        double coldStart = (System.nanoTime() - t0) / 1e6;
        cold.close();
        t0 = System.nanoTime();
        LatencyTable table = new LatencyTable();
        for (String s : List.of(READY, FIRST_THUMBNAIL)) {
            table.stage(s);
        }
        StageLines stages = new StageLines();
        double warmStart;
        long hwmBefore;
        long hwmTimed = -1;
        long bytes = 0;
        // a record that failed (S3Proxy now and then cuts off a request body) comes back after a hundredth of its
        // VisibilityTimeout (7 s, not 12 min), unless MEDIAFLOW_TIME_SCALE says otherwise; such uploads are left out
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults(root.resolve("template.yaml"));
        if (System.getenv(EmbeddedStack.TIME_SCALE_VARIABLE) == null) {
            options = options.withTimeScale(EmbeddedStack.SHORT_TIME_SCALE);
        }
        List<String> retried = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(options)) {
            warmStart = (System.nanoTime() - t0) / 1e6;
            ObjectStore store = new ObjectStore(stack.s3());
            String ingest = stack.bucket("IngestBucket");
            String media = stack.bucket("MediaBucket");
            String completions = stack.queueUrl("CompletionQueue");
            hwmBefore = PeakRss.vmHwmKb();
            for (int i = 0; i < warmup + count; i++) {
                boolean timed = i >= warmup;
                if (i == warmup) {
                    PeakRss.reset();
                }
                byte[] photo = PhotoVariants.withComment(bases.get(i % bases.size()), "mediaflow latency bench " + run + " " + i);
                bytes += timed ? photo.length : 0;
                String key = "bench/latency-" + run + "-" + i + ".jpg";
                int linesBefore = stack.metrics().lines().size();
                String etag = stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"),
                        RequestBody.fromBytes(photo)).eTag();
                CompletionEvent done = awaitCompletion(stack, completions, ingest, key);
                if (done.status() != MediaStatus.READY) {
                    throw new IllegalStateException(key + " ended " + done.status() + " " + done.reasons());
                }
                Receipt receipt = Receipts.find(store, media, ingest, key, etag)
                        .orElseThrow(() -> new IllegalStateException(key + ": final event, yet no receipt"));
                long uploadedAt = Instant.parse(receipt.uploadedAt()).toEpochMilli();
                ObjectStore.Versioned<Manifest> manifest = store.getJsonVersioned(media, Keys.manifest(done.mediaId()), Manifest.class)
                        .orElseThrow(() -> new IllegalStateException(key + ": READY, yet no manifest"));
                long readyAt = stack.writes().find(media, Keys.manifest(done.mediaId()), manifest.etag())
                        .orElseThrow(() -> new IllegalStateException(key + ": the READY manifest's write was not logged"))
                        .epochMillis();
                long thumbAt = firstThumbnail(stack.writes(), media, manifest.value().outputs())
                        .orElseThrow(() -> new IllegalStateException(key + ": READY without a logged thumbnail write"));
                List<String> lines = awaitStepLines(stack, linesBefore);
                boolean failedOnce = StageLines.failures(lines) > 0;
                if (timed && failedOnce) {
                    retried.add(key);
                } else if (timed) {
                    table.add(READY, readyAt - uploadedAt);
                    table.add(FIRST_THUMBNAIL, thumbAt - uploadedAt);
                    stages.add(lines);
                }
                System.err.printf(Locale.ROOT, "bench: %d/%d%s upload -> READY %d ms, first thumbnail %d ms%s%n",
                        timed ? i - warmup + 1 : i + 1, timed ? count : warmup, timed ? "" : " (warm-up)", readyAt - uploadedAt,
                        thumbAt - uploadedAt, failedOnce ? " (a step failed and was retried: left out)" : "");
            }
            hwmTimed = PeakRss.vmHwmKb();
        }
        System.out.printf(Locale.ROOT, "stack start: %.0f ms cold (first in this JVM), %.0f ms warm%n", coldStart, warmStart);
        System.out.printf(Locale.ROOT, "latency: %d uploads one at a time after %d warm-ups, 12 MP JPEGs (4000x3000, %.2f MB average,"
                + " %d different pictures, a distinct comment each), the template's renditions, %d cores%n", count, warmup,
                bytes / (double) count / 1e6, bases.size(), Runtime.getRuntime().availableProcessors());
        System.out.println();
        stages.into(table);
        table.print(System.out);
        System.out.println();
        System.out.printf(Locale.ROOT, "summary: upload -> READY p50 %s, p99 %s (goal p50 <= 500 ms, p99 <= 800 ms); upload -> first"
                        + " thumbnail p50 %s, p99 %s (goal p50 <= 250 ms); n %d%n",
                LatencyTable.ms(table.percentile(READY, 50)), LatencyTable.ms(table.percentile(READY, 99)),
                LatencyTable.ms(table.percentile(FIRST_THUMBNAIL, 50)), LatencyTable.ms(table.percentile(FIRST_THUMBNAIL, 99)),
                table.count(READY));
        System.out.printf(Locale.ROOT, "left out: %d upload(s) whose records failed once and were retried (ItemsFailed in a step's"
                + " line; the retry waits 1/100 of the queue's VisibilityTimeout here)%s%n", retried.size(),
                retried.isEmpty() ? "" : ": " + String.join(", ", retried));
        System.out.printf(Locale.ROOT, "peak RSS of this JVM (the whole stack, every function in it): %s during the timed uploads"
                + " (VmHWM %s), %s before them%n", PeakRss.mb(hwmTimed), PeakRss.resetWorked() ? "reset after the warm-ups"
                : "NOT reset: the kernel refused clear_refs, so this includes the start", PeakRss.mb(hwmBefore));
    }

    /** The generated 12 MP set (made once by this bench or {@code bench/run images}, kept in bench/target/image-set). */
    static List<byte[]> basePhotos(Path sets) throws Exception {
        Files.createDirectories(sets);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < BASE_PHOTOS; i++) {
            Path p = sets.resolve("photo-" + ImageThumbnails.GENERATOR + "-4000x3000-" + i + ".jpg");
            if (!Files.exists(p)) {
                System.err.printf("bench: generating %s%n", p.getFileName());
                Path tmp = sets.resolve(p.getFileName() + ".tmp");
                PhotoLike.jpeg(tmp, 4000, 3000, 1000 + i);
                Files.move(tmp, p);
            }
            out.add(Files.readAllBytes(p));
        }
        return out;
    }

    /** Waits (long-polling, no load on the stack) for this upload's completion event; other events are dropped. */
    private static CompletionEvent awaitCompletion(EmbeddedStack stack, String queue, String bucket, String key) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Message m : stack.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                stack.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
                CompletionEvent e = Json.MAPPER.readValue(m.body(), CompletionEvent.class);
                if (bucket.equals(e.bucket()) && key.equals(e.key())) {
                    return e;
                }
            }
        }
        throw new IllegalStateException(key + ": no completion event within 120 s");
    }

    /** The earliest write of a thumbnail of the item: what a recipient can see first. */
    private static OptionalLong firstThumbnail(WriteLog writes, String media, List<Output> outputs) {
        return outputs.stream().filter(o -> "thumbnail".equals(o.kind()))
                .flatMap(o -> writes.find(media, o.key(), null).stream())
                .mapToLong(WriteLog.Write::epochMillis).min();
    }

    /**
     * The metric lines written since {@code from}, once every step's line is among them: finalize's
     * with the upload's {@code UploadToReadyLatency}, and validate's, thumbnail's and metadata's. A
     * step writes its line when its invocation ends, after it has told the next step, so the line
     * can come after finalize's; waiting for it keeps it out of the next upload's lines.
     */
    private static List<String> awaitStepLines(EmbeddedStack stack, int from) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<String> all = stack.metrics().lines();
            List<String> mine = all.subList(Math.min(from, all.size()), all.size());
            boolean complete = mine.stream().anyMatch(l -> l.contains("\"" + StepMetrics.UPLOAD_TO_READY_LATENCY + "\""));
            for (String step : List.of("validate", "thumbnail", "metadata")) {
                complete &= mine.stream().anyMatch(l -> l.contains("\"Step\":\"" + step + "\"") && l.contains(StepMetrics.ITEM_DURATION));
            }
            if (complete) {
                return mine;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every step's metric line within 10 s of the completion event: " + mine);
            }
            Thread.sleep(2);
        }
    }

    /** A JPEG with a comment (COM) segment right after its SOI marker: other bytes, the same picture. */
    static final class PhotoVariants {
        private PhotoVariants() {
        }

        static byte[] withComment(byte[] jpeg, String comment) {
            if (jpeg.length < 2 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
                throw new IllegalArgumentException("expected a JPEG (FF D8), found " + jpeg.length + " bytes starting otherwise");
            }
            byte[] text = comment.getBytes(StandardCharsets.US_ASCII);
            int length = text.length + 2;
            byte[] out = new byte[jpeg.length + 2 + length];
            out[0] = (byte) 0xFF;
            out[1] = (byte) 0xD8;
            out[2] = (byte) 0xFF;
            out[3] = (byte) 0xFE;
            out[4] = (byte) (length >> 8);
            out[5] = (byte) length;
            System.arraycopy(text, 0, out, 6, text.length);
            System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
            return out;
        }
    }

    /** The stages of each upload, from the functions' EMF lines. */
    static final class StageLines {
        /** Where the renditions' rows go in {@link #ORDER}, in the order the renderer made them. */
        private static final String RENDITIONS = "(renditions)";
        /** Derived per upload: the thumbnail step's work minus its decode and renditions. */
        static final String OTHER_WORK = "    the rest: EXIF, ICC, pHash, frees (derived)";
        static final List<String> ORDER = List.of("queue: S3 event -> validate", "validate (whole item)", "  copy to the media bucket",
                "queue: validate -> thumbnail", "thumbnail (whole item)", "  thumbnail: download the original",
                "  thumbnail: decode, renditions, pHash", "    decode", RENDITIONS, OTHER_WORK,
                "  thumbnail: PUT the renditions",
                "queue: validate -> metadata", "metadata (whole item)", "  metadata: download the original", "  metadata: its work",
                "queue: step -> finalize (each step's message)", "finalize (each message)",
                "UploadToReadyLatency (finalize's clock, to the READY receipt)");
        private final LatencyTable table = new LatencyTable();

        /** Every stage in {@link #ORDER} (a stage never seen shows n 0), and anything else seen after. */
        void into(LatencyTable out) {
            List<String> rest = new ArrayList<>(table.stages());
            for (String s : ORDER) {
                if (s.equals(RENDITIONS)) {
                    for (String r : table.stages()) {
                        if (r.endsWith(RENDITION_SUFFIX)) {
                            copy(r, out);
                            rest.remove(r);
                        }
                    }
                } else {
                    copy(s, out);
                    rest.remove(s);
                }
            }
            rest.forEach(r -> copy(r, out));
        }

        private void copy(String stage, LatencyTable out) {
            out.stage(stage);
            table.samples(stage).forEach(v -> out.add(stage, v));
        }

        /** One upload's lines (one upload at a time: every line since its PUT is its own). */
        void add(List<String> lines) throws Exception {
            double thumbnailWork = 0;
            double measuredInside = 0;
            int works = 0;
            for (String line : lines) {
                JsonNode doc = Json.MAPPER.readTree(line);
                String step = doc.path("Step").asText();
                if (doc.has("ReasonCode")) {
                    continue;
                }
                for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    String stage = stage(step, name);
                    if (stage == null) {
                        continue;
                    }
                    JsonNode v = doc.get(name);
                    for (JsonNode n : v.isArray() ? v : List.of(v)) {
                        table.add(stage, n.asDouble());
                        if (step.equals("thumbnail") && name.equals(StepMetrics.PROCESS_DURATION)) {
                            thumbnailWork += n.asDouble();
                            works++;
                        } else if (step.equals("thumbnail") && (name.equals(StepMetrics.DECODE_DURATION)
                                || name.startsWith(StepMetrics.RENDITION_DURATION_PREFIX))) {
                            measuredInside += n.asDouble();
                        }
                    }
                }
            }
            if (works == 1) {
                table.add(OTHER_WORK, Math.max(0, thumbnailWork - measuredInside));
            }
        }

        /** The records that failed in these lines (each is retried): the sum of every step's ItemsFailed. */
        static int failures(List<String> lines) throws Exception {
            int n = 0;
            for (String line : lines) {
                n += Json.MAPPER.readTree(line).path(StepMetrics.ITEMS_FAILED).asInt(0);
            }
            return n;
        }

        /** The row of one metric of one step; null for what the table does not show. */
        static String stage(String step, String metric) {
            if (metric.equals(StepMetrics.QUEUE_WAIT)) {
                return switch (step) {
                    case "validate" -> "queue: S3 event -> validate";
                    case "finalize" -> "queue: step -> finalize (each step's message)";
                    default -> "queue: validate -> " + step;
                };
            }
            if (metric.equals(StepMetrics.ITEM_DURATION)) {
                return step.equals("finalize") ? "finalize (each message)" : step + " (whole item)";
            }
            if (metric.equals(StepMetrics.DOWNLOAD_DURATION)) {
                return "  " + step + ": download the original";
            }
            if (metric.equals(StepMetrics.PROCESS_DURATION)) {
                return step.equals("thumbnail") ? "  thumbnail: decode, renditions, pHash" : "  " + step + ": its work";
            }
            if (metric.equals(StepMetrics.STORE_DURATION)) {
                return step.equals("thumbnail") ? "  thumbnail: PUT the renditions" : null;
            }
            if (metric.equals(StepMetrics.COPY_DURATION)) {
                return "  copy to the media bucket";
            }
            if (metric.equals(StepMetrics.DECODE_DURATION)) {
                return "    decode";
            }
            if (metric.startsWith(StepMetrics.RENDITION_DURATION_PREFIX)) {
                return "    " + metric.substring(StepMetrics.RENDITION_DURATION_PREFIX.length()) + RENDITION_SUFFIX;
            }
            if (metric.equals(StepMetrics.UPLOAD_TO_READY_LATENCY)) {
                return "UploadToReadyLatency (finalize's clock, to the READY receipt)";
            }
            return null;
        }
    }
}
