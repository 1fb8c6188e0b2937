package com.mediaflow.infra.cli;

import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.shared.validation.Reason;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Puts files through a running embedded stack exactly as a client would (a PUT to the ingest
 * bucket, Content-Type from the extension), waits until each upload's receipt is final, and copies
 * its outputs to a local folder.
 */
public final class Pipeline {
    /** One file on its way through. */
    public static final class Upload {
        final Path file;
        final String key;
        String etag;
        String status;
        String receiptKey;
        Receipt receipt;
        Manifest manifest;
        String failure;
        boolean reported;

        Upload(Path file, String key) {
            this.file = file;
            this.key = key;
        }

        boolean terminal() {
            return status != null;
        }
    }

    private final EmbeddedStack stack;
    private final ObjectStore store;
    private final String ingest;
    private final String media;
    private final PrintStream err;
    private final boolean interactive;

    public Pipeline(EmbeddedStack stack, PrintStream err, boolean interactive) {
        this.stack = stack;
        this.store = new ObjectStore(stack.s3());
        this.ingest = stack.bucket("IngestBucket");
        this.media = stack.bucket("MediaBucket");
        this.err = err;
        this.interactive = interactive;
    }

    /** At most this many PUTs at a time, as a concurrent client (the aws CLI's default is 10). */
    static final int UPLOAD_THREADS = 8;
    /**
     * Uploads whose receipt is read directly each {@link #POLL_INTERVAL}, round-robin, besides the
     * completion events: progress of long steps, and a fallback should an event go astray.
     */
    static final int POLLS_PER_ROUND = 4;
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** How often the dead-letter queues are looked at. */
    static final Duration DEAD_LETTER_CHECK = Duration.ofSeconds(2);

    /** Told of each upload once, as soon as it is final (READY, QUARANTINED or FAILED). */
    @FunctionalInterface
    public interface Listener {
        void finished(Upload upload) throws IOException;
    }

    /** Completion events taken off the queue for uploads of this pipeline not awaited yet, by ingest key. */
    private final Map<String, CompletionEvent> early = new HashMap<>();

    /**
     * Uploads every file, each under a fresh key, up to {@link #UPLOAD_THREADS} at a time; the
     * list is in the order of {@code files}.
     */
    public List<Upload> upload(List<Path> files) throws InterruptedException {
        List<Upload> uploads = new ArrayList<>();
        String batch = UUID.randomUUID().toString().substring(0, 8);
        for (Path f : files) {
            uploads.add(new Upload(f, "uploads/" + batch + "/" + uploads.size() + "/" + f.getFileName()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(UPLOAD_THREADS, uploads.size())), r -> {
            Thread t = new Thread(r, "mediaflow-upload");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (Upload u : uploads) {
                puts.add(pool.submit(() -> put(u)));
            }
            for (Future<?> put : puts) {
                try {
                    put.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("upload failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return uploads;
    }

    private void put(Upload u) {
        String contentType = MediaFormat.byFileName(u.file.getFileName().toString())
                .filter(fmt -> fmt != MediaFormat.UNKNOWN).map(MediaFormat::mimeType).orElse(null);
        var put = stack.s3().putObject(b -> b.bucket(ingest).key(u.key).contentType(contentType), RequestBody.fromFile(u.file));
        u.etag = put.eTag();
    }

    /** Waits until every upload is final, it has reached a dead-letter queue, or the timeout passes. */
    public void await(List<Upload> uploads, Duration timeout) throws InterruptedException, IOException {
        await(uploads, timeout, u -> { });
    }

    /**
     * Waits until every upload is final, it has reached a dead-letter queue, or the timeout passes,
     * and tells {@code onFinal} of each one as soon as it is, in the order they end.
     *
     * <p>An upload is known final by its completion event (the CompletionQueue, which this stack's
     * pipeline alone reads) and the receipt the event names; a few uploads per round also have their
     * receipt read directly, so that progress is shown and a missed event only delays an upload.
     * Nothing is polled per upload per round: with a hundred uploads, reading every receipt every
     * round took the CPU the functions needed.
     */
    public void await(List<Upload> uploads, Duration timeout, Listener onFinal) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long started = System.nanoTime();
        long nextDeadLetterCheck = started;
        String completionQueue = stack.queueUrl("CompletionQueue");
        Map<String, Upload> byKey = new HashMap<>();
        for (Upload u : uploads) {
            byKey.put(u.key, u);
        }
        int cursor = 0;
        long nextPoll = started;
        String lastProgress = "";
        while (true) {
            for (Upload u : uploads) {
                CompletionEvent e = u.terminal() ? null : early.remove(u.key);
                if (e != null) {
                    settle(u, e);
                    report(u, onFinal);
                }
            }
            long pending = uploads.stream().filter(x -> !x.terminal()).count();
            if (pending > 0 && System.nanoTime() >= nextPoll) {
                nextPoll = System.nanoTime() + POLL_INTERVAL.toNanos();
                // a few direct looks, round-robin: progress of long steps, and a fallback for a missed event
                List<Upload> open = uploads.stream().filter(x -> !x.terminal()).toList();
                for (int i = 0; i < Math.min(POLLS_PER_ROUND, open.size()); i++) {
                    Upload u = open.get(cursor++ % open.size());
                    poll(u);
                    report(u, onFinal);
                }
            }
            if (System.nanoTime() >= nextDeadLetterCheck) {
                for (Upload u : checkDeadLetters(uploads)) {
                    report(u, onFinal);
                }
                nextDeadLetterCheck = System.nanoTime() + DEAD_LETTER_CHECK.toNanos();
            }
            long done = uploads.stream().filter(Upload::terminal).count();
            String progress = progress(uploads);
            if (interactive) {
                err.printf("\r[%d/%d done] %.1f s elapsed%s  ", done, uploads.size(), (System.nanoTime() - started) / 1e9,
                        progress.isEmpty() ? "" : "  " + progress);
                err.flush();
            } else if (!progress.isEmpty() && !progress.equals(lastProgress)) {
                err.printf("[%d/%d done] %.1f s  %s%n", done, uploads.size(), (System.nanoTime() - started) / 1e9, progress);
            }
            lastProgress = progress;
            if (done == uploads.size()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                for (Upload u : uploads) {
                    if (!u.terminal()) {
                        u.status = "FAILED";
                        u.failure = "no terminal state within " + timeout.toSeconds() + " s (--timeout)";
                        report(u, onFinal);
                    }
                }
                break;
            }
            // long-polls up to 1 s: returns as soon as an event is there
            receiveCompletions(completionQueue, byKey, onFinal);
        }
        if (interactive) {
            err.println();
        }
    }

    /** Takes the completion events off the queue; each names its upload by bucket and key. */
    private void receiveCompletions(String queueUrl, Map<String, Upload> byKey, Listener onFinal)
            throws IOException, InterruptedException {
        List<Message> messages;
        try {
            messages = stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        } catch (RuntimeException e) {
            err.println("mediaflow: could not read the CompletionQueue (" + e + "); falling back to reading receipts");
            sleep(Duration.ofSeconds(1));
            return;
        }
        for (Message m : messages) {
            CompletionEvent event = null;
            try {
                event = Json.read(m.body(), CompletionEvent.class);
            } catch (RuntimeException e) {
                err.println("mediaflow: ignored a CompletionQueue message that is not a completion event: " + e.getMessage());
            }
            if (event != null && ingest.equals(event.bucket()) && event.key() != null) {
                Upload u = byKey.get(event.key());
                if (u == null) {
                    early.put(event.key(), event); // an upload of this pipeline awaited later, or another client's
                } else if (!u.terminal()) {
                    settle(u, event);
                    report(u, onFinal);
                }
            }
            stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
    }

    /** An upload's completion event arrived: its receipt (which agrees with the event) and its item's manifest. */
    private void settle(Upload u, CompletionEvent event) {
        if (event.etag() != null && u.etag != null && !event.etag().equals(u.etag.replace("\"", ""))) {
            return; // another upload of the same key
        }
        if (event.receiptKey() != null) {
            u.receiptKey = event.receiptKey();
            store.getJson(media, u.receiptKey, Receipt.class).ifPresent(r -> u.receipt = r);
        }
        if (u.receipt == null || !u.receipt.isFinal()) {
            poll(u);
            return;
        }
        if (u.receipt.mediaId() != null) {
            store.getJson(media, Keys.manifest(u.receipt.mediaId()), Manifest.class).ifPresent(m -> u.manifest = m);
        }
        u.status = u.receipt.status().name();
    }

    /** Tells the listener of an upload that has just become final, once. */
    private static void report(Upload u, Listener onFinal) throws IOException {
        if (u.terminal() && !u.reported) {
            u.reported = true;
            onFinal.finished(u);
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** What long steps of unfinished uploads report, e.g. "clip.mp4 transcode segments 3/12". */
    static String progress(List<Upload> uploads) {
        StringBuilder line = new StringBuilder();
        for (Upload u : uploads) {
            if (u.terminal() || u.manifest == null || u.manifest.progress().isEmpty()) {
                continue;
            }
            line.append(line.length() == 0 ? "" : "; ").append(u.file.getFileName());
            u.manifest.progress().forEach((step, p) -> line.append(' ').append(step).append(' ').append(p));
        }
        return line.toString();
    }

    /**
     * Reads the upload's receipt and its item's manifest; the upload is done when its receipt is
     * final (READY, QUARANTINED or FAILED), which the pipeline writes after the item's manifest.
     */
    private void poll(Upload u) {
        if (u.receiptKey == null) {
            // the receipt is named after the S3 event's sequencer, which a client never sees: it is
            // found among the key's receipts by the ETag the PUT returned
            Optional<Receipt> r = Receipts.find(store, media, ingest, u.key, u.etag);
            if (r.isEmpty()) {
                return;
            }
            u.receiptKey = Keys.receipt(r.get().upload());
            u.receipt = r.get();
        } else {
            store.getJson(media, u.receiptKey, Receipt.class).ifPresent(r -> u.receipt = r);
        }
        if (u.receipt.mediaId() != null) {
            store.getJson(media, Keys.manifest(u.receipt.mediaId()), Manifest.class).ifPresent(m -> u.manifest = m);
        }
        if (u.receipt.isFinal()) {
            u.status = u.receipt.status().name();
        }
    }

    /** A message in a dead-letter queue that names an upload's key or media id fails that upload; returns those. */
    private List<Upload> checkDeadLetters(List<Upload> uploads) {
        List<Upload> failed = new ArrayList<>();
        for (String dlq : stack.deadLetterQueues()) {
            List<Message> messages = stack.sqs().receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10)
                    .visibilityTimeout(0).waitTimeSeconds(0)).messages();
            for (Message m : messages) {
                for (Upload u : uploads) {
                    if (u.terminal()) {
                        continue;
                    }
                    boolean mine = m.body().contains(Json.write(u.key).replace("\"", ""))
                            || m.body().contains(com.mediaflow.shared.lambda.S3Notification.encodeKey(u.key))
                            || (u.receipt != null && u.receipt.mediaId() != null && m.body().contains(u.receipt.mediaId()));
                    if (mine) {
                        u.status = "FAILED";
                        u.failure = "reached dead-letter queue " + dlq.substring(dlq.lastIndexOf('/') + 1) + " after its retries";
                        failed.add(u);
                    }
                }
            }
        }
        return failed;
    }

    /** Copies an upload's outputs under {@code outDir/<mediaId>/} and describes it as one result line. */
    public ResultLine collect(Upload u, Path outDir) throws IOException {
        if (u.receipt == null && u.etag != null) {
            // failed by a dead-letter queue or the timeout before its receipt was read: its reasons, if it has one
            Receipts.find(store, media, ingest, u.key, u.etag).ifPresent(r -> u.receipt = r);
        }
        if (u.manifest == null && u.receipt != null && u.receipt.mediaId() != null) {
            store.getJson(media, Keys.manifest(u.receipt.mediaId()), Manifest.class).ifPresent(m -> u.manifest = m);
        }
        String mediaId = u.receipt == null ? null : u.receipt.mediaId();
        String type = u.receipt == null || u.receipt.detectedType() == null ? null : u.receipt.detectedType().mimeType();
        List<ResultLine.ReasonOut> reasons = new ArrayList<>();
        List<ResultLine.OutputOut> outputs = new ArrayList<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (u.failure != null) {
            reasons.add(new ResultLine.ReasonOut("FAILED", "ERROR", u.failure));
        }
        if (u.receipt != null) {
            reasons.addAll(ResultLine.ReasonOut.of(u.receipt.reasons()));
            metadata.put("duplicate", u.receipt.duplicate());
        }
        if (u.manifest != null && mediaId != null) {
            for (Reason r : u.manifest.reasons()) {
                if (u.receipt.reasons().stream().noneMatch(x -> x.equals(r))) {
                    reasons.add(new ResultLine.ReasonOut(r.code().name(), r.severity().name(), r.message()));
                }
            }
            metadata.putAll(u.manifest.metadata());
            Path dir = outDir.resolve(mediaId);
            Files.createDirectories(dir);
            // a rejected upload publishes nothing, even when the same bytes are READY for another upload
            List<Output> published = "READY".equals(u.status) ? u.manifest.outputs() : List.of();
            for (Output o : published) {
                String relative = o.key().substring(Keys.mediaPrefix(mediaId).length());
                // HLS playlists name their segments by relative URI: they keep their folders
                Path local = dir.resolve("hls".equals(o.kind()) ? relative : relative.replace('/', '-'));
                Files.createDirectories(local.getParent());
                store.download(media, o.key(), local);
                outputs.add(new ResultLine.OutputOut(o.kind(), local.toString(), o.contentType(), o.width(), o.height()));
            }
            // and the init and media segments they name (not listed in the manifest) go next to them
            Optional<Output> master = published.stream().filter(o -> "hls".equals(o.kind())).findFirst();
            if (master.isPresent()) {
                String folder = master.get().key().substring(0, master.get().key().lastIndexOf('/') + 1);
                for (String key : store.list(media, folder)) {
                    Path local = dir.resolve(key.substring(Keys.mediaPrefix(mediaId).length()));
                    Files.createDirectories(local.getParent());
                    store.download(media, key, local);
                }
            }
            Files.writeString(dir.resolve("manifest.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(u.manifest));
        }
        return new ResultLine(u.file.toString(), u.status, mediaId, type, reasons, outputs, metadata);
    }

    /** For tests and the demo: a code that explains a rejection, for display. */
    public static String firstCode(ResultLine line) {
        return line.reasons().isEmpty() ? "" : line.reasons().get(0).code();
    }

}
