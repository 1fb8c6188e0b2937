package com.mediaflow.infra.cli;

import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.format.MediaFormat;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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

    /** Uploads every file, each under a fresh key. */
    public List<Upload> upload(List<Path> files) {
        List<Upload> uploads = new ArrayList<>();
        String batch = UUID.randomUUID().toString().substring(0, 8);
        for (Path f : files) {
            Upload u = new Upload(f, "uploads/" + batch + "/" + uploads.size() + "/" + f.getFileName());
            String contentType = MediaFormat.byFileName(f.getFileName().toString())
                    .filter(fmt -> fmt != MediaFormat.UNKNOWN).map(MediaFormat::mimeType).orElse(null);
            var put = stack.s3().putObject(b -> b.bucket(ingest).key(u.key).contentType(contentType), RequestBody.fromFile(f));
            u.etag = put.eTag();
            uploads.add(u);
        }
        return uploads;
    }

    /** Polls until every upload's receipt is final, it has reached a dead-letter queue, or the timeout passes. */
    public void await(List<Upload> uploads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long started = System.nanoTime();
        String lastProgress = "";
        while (true) {
            for (Upload u : uploads) {
                if (!u.terminal()) {
                    poll(u);
                }
            }
            checkDeadLetters(uploads);
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
                    }
                }
                break;
            }
            Thread.sleep(150);
        }
        if (interactive) {
            err.println();
        }
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

    /** A message in a dead-letter queue that names an upload's key or media id fails that upload. */
    private void checkDeadLetters(List<Upload> uploads) {
        for (String dlq : stack.deadLetterQueues()) {
            List<Message> messages = stack.sqs().receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10)
                    .visibilityTimeout(0).waitTimeSeconds(0)).messages();
            for (Message m : messages) {
                for (Upload u : uploads) {
                    if (u.terminal()) {
                        continue;
                    }
                    boolean mine = m.body().contains(Json.write(u.key).replace("\"", ""))
                            || m.body().contains(com.mediaflow.infra.stack.S3EventFactory.encodeKey(u.key))
                            || (u.receipt != null && m.body().contains(u.receipt.mediaId()));
                    if (mine) {
                        u.status = "FAILED";
                        u.failure = "reached dead-letter queue " + dlq.substring(dlq.lastIndexOf('/') + 1) + " after its retries";
                    }
                }
            }
        }
    }

    /** Copies an upload's outputs under {@code outDir/<mediaId>/} and describes it as one result line. */
    public ResultLine collect(Upload u, Path outDir) throws IOException {
        String mediaId = u.receipt == null ? null : u.receipt.mediaId();
        String type = u.receipt == null ? null : u.receipt.detectedType();
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
                Path local = dir.resolve(o.key().substring(Keys.mediaPrefix(mediaId).length()).replace('/', '-'));
                store.download(media, o.key(), local);
                outputs.add(new ResultLine.OutputOut(o.kind(), local.toString(), o.contentType(), o.width(), o.height()));
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
