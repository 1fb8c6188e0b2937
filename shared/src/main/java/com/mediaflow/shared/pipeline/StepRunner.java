package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.codec.CodecWarnings;
import com.mediaflow.shared.codec.EarlyRenditions;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.config.Config;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.lambda.Heartbeat;
import com.mediaflow.shared.lambda.Lease;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MediaStep} for one queue message: fetch the original, process it, store the
 * renditions under fixed keys, store the step's result, tell finalize if the item's other steps are
 * done too. Running it twice for the same message writes the same objects again and sends one more
 * (harmless) notice to finalize.
 *
 * <p>A shadow copy of the message ({@link StepMessage#shadowCopy()}, shadow mode) runs the same step
 * with every key under {@code shadow/<id>/<step>/} instead ({@link Keys#shadowRendition},
 * {@link Keys#shadowResult}), tells nobody, and hands its result to {@link ShadowCompare}; it never
 * writes the manifest, a receipt, an outbox mark or an event, even when it fails for good
 * ({@link #failureRecorder()}). This is the one place that redirects, for every step.
 *
 * <p>A {@link FileStep} (transcode) runs the same way, with files instead of bytes: see there.
 */
final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    /** Stores early renditions beside the step's work (one thread per invocation in flight), for the JVM's life. */
    private static final ExecutorService EARLY_PUBLISHER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "early-renditions");
        t.setDaemon(true);
        return t;
    });

    /** One of these two is set: the step's work on bytes in memory, or on files. */
    private final MediaStep step;
    private final FileStep fileStep;
    private final String name;
    /** How often a {@link FileStep}'s claim on its message is extended; null for a {@link MediaStep}. */
    private final Duration heartbeat;
    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String finalizeQueue;
    private final Path workDir;
    private final Failures failures;
    private final ShadowCompare shadowCompare;
    private final StepMetrics metrics;

    public StepRunner(MediaStep step, Config config, ObjectStore store, Queue queue) {
        this(step, null, step.name(), null, config, store, queue);
    }

    StepRunner(FileStep step, Config config, ObjectStore store, Queue queue) {
        this(null, step, step.name(), config.heartbeat(), config, store, queue);
    }

    private StepRunner(MediaStep step, FileStep fileStep, String name, Duration heartbeat, Config config,
                       ObjectStore store, Queue queue) {
        this.step = step;
        this.fileStep = fileStep;
        this.name = name;
        this.heartbeat = heartbeat;
        this.store = store;
        this.queue = queue;
        this.mediaBucket = config.mediaBucket();
        this.finalizeQueue = config.finalizeQueueUrl();
        this.workDir = config.workDir();
        this.failures = new Failures(store, queue, mediaBucket, config.completionQueueUrl());
        this.shadowCompare = new ShadowCompare(store, mediaBucket, config.stage());
        this.metrics = new StepMetrics(config.stage(), name);
    }

    /** This step's metrics; the bytes it downloads and stores count in them through the {@link ObjectStore}. */
    public StepMetrics metrics() {
        return metrics;
    }

    public String stepName() {
        return name;
    }

    /** What this step records when a message fails for good: the item it names marked FAILED. */
    public Failures failures() {
        return failures;
    }

    /**
     * What this step records when a message fails for good: the item it names marked FAILED, except
     * for a shadow copy, whose failure is only logged (its message then goes to its own dead-letter
     * queue) and never touches the item.
     */
    public SqsBatch.FailureRecorder failureRecorder() {
        SqsBatch.FailureRecorder items = failures.forItems(name);
        return new SqsBatch.FailureRecorder() {
            @Override
            public void permanent(SQSEvent.SQSMessage message, MediaflowException error) {
                if (!shadow(message)) {
                    items.permanent(message, error);
                }
            }

            @Override
            public void lastAttempt(SQSEvent.SQSMessage message, RuntimeException error) {
                if (!shadow(message)) {
                    items.lastAttempt(message, error);
                }
            }
        };
    }

    /** Whether the record is a shadow copy of a step message; false for anything unreadable. */
    public static boolean shadow(SQSEvent.SQSMessage message) {
        try {
            return Json.read(message.getBody(), StepMessage.class).shadowCopy();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public void run(String messageBody) {
        run(Json.read(messageBody, StepMessage.class), Lease.NONE);
    }

    /**
     * One step message, already read. A {@link FileStep}'s work extends the {@code lease} on its
     * message while it runs; a {@link MediaStep}'s is short, and ignores it.
     */
    public void run(StepMessage message, Lease lease) {
        Keys.checkMessage("step message", message.mediaId(), message.bucket(), mediaBucket);
        if (!Keys.original(message.mediaId()).equals(message.key())) {
            throw new MalformedEventException("step message for " + message.mediaId() + " names key '" + message.key()
                    + "', expected its original '" + Keys.original(message.mediaId()) + "'");
        }
        if (message.shadowCopy()) {
            runShadow(message, lease);
            return;
        }
        String resultKey = Keys.stepResult(message.mediaId(), name);
        Optional<StepResult> done = store.getJson(mediaBucket, resultKey, StepResult.class);
        if (done.isPresent()) {
            LOG.info("{} for {} already done; telling finalize again", name, message.mediaId());
            queue.send(finalizeQueue, new StepDone(message.mediaId(), name));
            return;
        }
        Optional<StepResult> result = process(message, lease);
        if (result.isEmpty()) {
            return; // handed on: the later work writes the result and tells finalize
        }
        store.putJson(mediaBucket, resultKey, result.get());
        tellFinalizeIfLast(message);
    }

    /**
     * Tells finalize, once this step's result is stored, unless another step of the item has not
     * stored its own yet: that one tells finalize when it has, and finalize could do nothing before
     * (it merges only when every result is there). Each step stores its result before it looks for
     * the others', and S3 reads what was written before them, so of two steps finishing at the same
     * moment at least one sees the other's result (both may, and finalize runs twice, harmlessly). A
     * message that does not name the item's steps (the previous version's) always tells.
     */
    private void tellFinalizeIfLast(StepMessage message) {
        String id = message.mediaId();
        for (String other : message.otherSteps()) {
            if (!store.exists(mediaBucket, Keys.stepResult(id, other))) {
                LOG.info("{} for {} done; {} is not, and tells finalize when it is", name, id, other);
                return;
            }
        }
        queue.send(finalizeQueue, new StepDone(id, name));
    }

    /** A shadow copy: its own result under shadow/ (made once, kept across retries), then the comparison. */
    private void runShadow(StepMessage message, Lease lease) {
        String resultKey = Keys.shadowResult(message.mediaId(), name);
        Optional<StepResult> done = store.getJson(mediaBucket, resultKey, StepResult.class);
        StepResult result;
        if (done.isPresent()) {
            result = done.get();
        } else {
            result = process(message, lease).orElseThrow(() -> new IllegalStateException(name + " handed on the work of "
                    + "the shadow copy of " + message.mediaId() + "; expected a shadow copy to be done in one run"));
            store.putJson(mediaBucket, resultKey, result);
        }
        shadowCompare.compare(message.mediaId(), name, result);
    }

    /** The step's result; empty when a {@link FileStep} handed its work on. */
    private Optional<StepResult> process(StepMessage message, Lease lease) {
        return fileStep != null ? processFiles(message, lease) : Optional.of(process(message));
    }

    private StepResult process(StepMessage message) {
        Path original = null;
        EarlyPublication early = message.shadowCopy() ? null : new EarlyPublication(message);
        try {
            Files.createDirectories(workDir);
            original = Files.createTempFile(workDir, step.name() + "-", ".bin");
            long downloadStarted = System.nanoTime();
            store.download(mediaBucket, message.key(), original);
            long started = System.nanoTime();
            StepMetrics.current().millis(StepMetrics.DOWNLOAD_DURATION, (started - downloadStarted) / 1_000_000);
            MediaStep.Output out;
            List<Reason> warnings = new ArrayList<>();
            try (CodecWarnings.Scope codec = CodecWarnings.open()) {
                out = step.process(message, original, early == null ? EarlyRenditions.NONE : early);
                warnings.addAll(out.warnings());
                // what the codecs put up with (broken EXIF, an unusable ICC profile, ...), named by step
                codec.warnings().forEach(w -> warnings.add(Reason.warning(w.code(), step.name() + ": " + w.message())));
            }
            long storeStarted = System.nanoTime();
            StepMetrics.current().millis(StepMetrics.PROCESS_DURATION, (storeStarted - started) / 1_000_000);
            List<String> storedEarly = early == null ? List.of() : early.await();
            List<Output> outputs = new ArrayList<>();
            for (Rendition r : out.renditions()) {
                String key = message.shadowCopy() ? Keys.shadowRendition(message.mediaId(), step.name(), r.name())
                        : Keys.rendition(message.mediaId(), step.name(), r.name());
                if (!storedEarly.contains(key)) {
                    store.putRendition(mediaBucket, key, r.bytes(), r.contentType());
                }
                outputs.add(new Output(r.kind(), key, r.contentType(), r.width(), r.height(), (long) r.bytes().length));
            }
            StepMetrics.current().millis(StepMetrics.STORE_DURATION, (System.nanoTime() - storeStarted) / 1_000_000);
            LOG.info("{} for {} made {} renditions in {} ms", step.name(), message.mediaId(), outputs.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return new StepResult(message.mediaId(), step.name(), outputs, out.metadata(), List.copyOf(warnings));
        } catch (CodecException e) {
            if (early != null) {
                early.withdraw(); // a quarantined item publishes nothing
            }
            return failed(message, e);
        } catch (IOException e) {
            throw new StorageException("scratch file in " + workDir + " for " + message.mediaId() + " failed: " + e.getMessage(), e);
        } finally {
            if (original != null) {
                try {
                    Files.deleteIfExists(original);
                } catch (IOException e) {
                    LOG.warn("could not delete scratch file {}", original, e);
                }
            }
        }
    }

    private Optional<StepResult> processFiles(StepMessage message, Lease lease) {
        String id = message.mediaId();
        Path dir = Scratch.create(workDir, name, id);
        try (Heartbeat beat = Heartbeat.start(lease, heartbeat, id)) {
            Path original = store.download(mediaBucket, message.key(), dir.resolve("original"));
            long started = System.nanoTime();
            FileStep.Outcome outcome;
            List<Reason> warnings = new ArrayList<>();
            try (CodecWarnings.Scope codec = CodecWarnings.open()) {
                outcome = fileStep.process(message, original, work(message, dir));
                codec.warnings().forEach(w -> warnings.add(Reason.warning(w.code(), name + ": " + w.message())));
            }
            if (outcome instanceof FileStep.HandedOn on) {
                LOG.info("{} for {} handed on: {}", name, id, on.what());
                return Optional.empty();
            }
            FileStep.Made made = (FileStep.Made) outcome;
            for (FileStep.FileRendition r : made.unlisted()) { // delivered too (an HLS segment): cached as long
                store.putRenditionFile(mediaBucket, message.shadowCopy() ? Keys.shadowRendition(id, name, r.name())
                        : Keys.rendition(id, name, r.name()), r.file(), r.contentType());
            }
            List<Output> outputs = new ArrayList<>();
            for (FileStep.FileRendition r : made.renditions()) {
                String key = message.shadowCopy() ? Keys.shadowRendition(id, name, r.name()) : Keys.rendition(id, name, r.name());
                store.putRenditionFile(mediaBucket, key, r.file(), r.contentType());
                outputs.add(new Output(r.kind(), key, r.contentType(), r.width(), r.height(), Files.size(r.file())));
            }
            LOG.info("{} for {} made {} renditions in {} ms", name, id, outputs.size(), (System.nanoTime() - started) / 1_000_000);
            return Optional.of(new StepResult(id, name, outputs, made.metadata(), List.copyOf(warnings)));
        } catch (CodecException e) {
            return Optional.of(failed(message, e));
        } catch (IOException e) {
            throw new StorageException("scratch files of " + id + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            Scratch.delete(dir);
        }
    }

    /**
     * Stores the renditions a step hands on early ({@link EarlyRenditions}) on another thread while
     * the step goes on, then lists them in the manifest if the item is still PROCESSING (a
     * conditional write: it never overwrites finalize's, nor finalize's terminal write one it did
     * not see). Listing is best effort, as the final READY manifest lists every output anyway.
     */
    private final class EarlyPublication implements EarlyRenditions {
        private final StepMessage message;
        private CompletableFuture<List<String>> stored = CompletableFuture.completedFuture(List.of());
        private long storedBytes;

        EarlyPublication(StepMessage message) {
            this.message = message;
        }

        @Override
        public void publish(List<Rendition> renditions) {
            String id = message.mediaId();
            storedBytes = renditions.stream().mapToLong(r -> r.bytes().length).sum();
            stored = CompletableFuture.supplyAsync(() -> {
                List<Output> outputs = new ArrayList<>();
                for (Rendition r : renditions) {
                    String key = Keys.rendition(id, name, r.name());
                    store.putRendition(mediaBucket, key, r.bytes(), r.contentType());
                    outputs.add(new Output(r.kind(), key, r.contentType(), r.width(), r.height(), (long) r.bytes().length));
                }
                listInManifest(id, outputs);
                return outputs.stream().map(Output::key).toList();
            }, EARLY_PUBLISHER);
        }

        /**
         * The keys stored early; empty when that failed (the step then stores them with the rest).
         * Their bytes count in this invocation's metrics here: the storing thread has none.
         */
        List<String> await() {
            try {
                List<String> keys = stored.join();
                StepMetrics.current().bytes(StepMetrics.BYTES_OUT, storedBytes);
                storedBytes = 0;
                return keys;
            } catch (CompletionException e) {
                LOG.warn("{}: storing {}'s first renditions early failed; they are stored with the rest: {}", name,
                        message.mediaId(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                return List.of();
            }
        }

        /** Deletes what was stored early. */
        void withdraw() {
            for (String key : await()) {
                store.delete(mediaBucket, key);
            }
        }

        private void listInManifest(String id, List<Output> published) {
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<ObjectStore.Versioned<Manifest>> read = store.getJsonVersioned(mediaBucket, Keys.manifest(id),
                        Manifest.class);
                if (read.isEmpty() || read.get().value().status() != MediaStatus.PROCESSING
                        || read.get().value().outputs().containsAll(published)) {
                    return;
                }
                if (store.putJsonIfMatch(mediaBucket, Keys.manifest(id), read.get().value().withPublished(published),
                        read.get().etag())) {
                    return;
                }
            }
            LOG.info("{}: {}'s manifest kept changing; its first renditions are listed when it is READY", name, id);
        }
    }

    private FileStep.Work work(StepMessage message, Path dir) {
        return new FileStep.Work() {
            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public void progress(String line) {
                if (!message.shadowCopy()) {
                    queue.send(finalizeQueue, StepDone.progress(message.mediaId(), name, line));
                }
            }
        };
    }

    /** Permanent: the content cannot be processed; the result says why, and finalize quarantines the item. */
    private StepResult failed(StepMessage message, CodecException e) {
        LOG.warn("{} could not process {}: {}", name, message.mediaId(), e.getMessage());
        return new StepResult(message.mediaId(), name, List.of(), Map.of(),
                List.of(Reason.error(ReasonCode.DECODE_FAILED, name + ": " + e.getMessage())));
    }
}
