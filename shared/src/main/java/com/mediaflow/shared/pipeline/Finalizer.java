package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.shared.model.Upload;
import com.mediaflow.shared.validation.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the step results into the manifest once every step that applies has reported. The
 * manifest is rebuilt from the stored step results each time, never patched, so finalize is
 * idempotent and order-independent. Every manifest write is conditional on the ETag that was read
 * (S3 conditional writes): a progress line ("segments 37/60") written while a long step works can
 * never overwrite the terminal manifest, nor the terminal write a progress line it did not see.
 * Completion events go through the {@link Outbox}: every run that reads the manifest in a final
 * state publishes the events of the item's uploads not yet marked sent, whether or not it wrote
 * that state itself.
 */
public final class Finalizer {
    private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

    private static final int MAX_ATTEMPTS = 5;
    private static final Pattern COUNT = Pattern.compile("(\\w+) (\\d+)/(\\d+)");

    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String completionQueue;
    private final String quarantineBucket;
    private final Outbox outbox;
    private final Failures failures;
    private final StepMetrics metrics;

    public Finalizer(Config config, ObjectStore store, Queue queue) {
        this.store = store;
        this.queue = queue;
        this.mediaBucket = config.mediaBucket();
        this.quarantineBucket = config.quarantineBucket();
        this.completionQueue = config.completionQueueUrl();
        this.outbox = new Outbox(store, queue, mediaBucket, completionQueue);
        this.failures = new Failures(store, queue, mediaBucket, completionQueue);
        this.metrics = new StepMetrics(config.stage(), "finalize");
    }

    /** Finalize's metrics: the upload-to-READY latency of the uploads it completes, quarantines by a decoder's refusal. */
    public StepMetrics metrics() {
        return metrics;
    }

    /** What finalize records when a message fails for good: the item it names marked FAILED. */
    public Failures failures() {
        return failures;
    }

    public void finalizeItem(String messageBody) {
        StepDone done = Json.read(messageBody, StepDone.class);
        Keys.checkMessage("finalize message", done.mediaId(), null, null);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (finalizeOnce(done)) {
                return;
            }
            LOG.info("{}: the manifest changed while finalize worked (attempt {}); reading it again", done.mediaId(), attempt);
        }
        throw new StorageException("manifest " + ObjectStore.uri(mediaBucket, Keys.manifest(done.mediaId()))
                + " changed under finalize " + MAX_ATTEMPTS + " times in a row; will retry", null);
    }

    /**
     * SnapStart priming: what {@link #finalizeItem} does between its reads and writes, on a
     * synthetic item with no S3 or SQS call: the finalize message parsed and checked, two step
     * results merged over a PROCESSING manifest, an attached upload settled in the final state, and
     * the manifests, step results, receipt and completion event sent through a JSON round trip.
     *
     * @return what it did, e.g. "manifest READY after merging 2 step results: ..."
     * @throws IllegalStateException when the merge does not come out READY with the synthetic output
     */
    public String prime() {
        metrics.prime();
        String id = PrimingInputs.MEDIA_ID;
        StepDone done = Json.roundTrip(new StepDone(id, "thumbnail"), StepDone.class);
        Keys.checkMessage("finalize message", done.mediaId(), null, null);
        Manifest processing = Json.roundTrip(new Manifest(id, MediaStatus.PROCESSING, MediaFormat.PNG, MediaCategory.IMAGE, 94,
                new Manifest.Location(mediaBucket, Keys.original(id)),
                Map.of("thumbnail", StepState.PENDING, "metadata", StepState.PENDING), List.of(), List.of(), Map.of()),
                Manifest.class);
        advances(processing.progress().get(done.step()), "segments 1/2");
        Map<String, StepResult> stored = Map.of(
                "thumbnail", new StepResult(id, "thumbnail", List.of(new Output("thumbnail",
                        Keys.rendition(id, "thumbnail", "320.jpg"), "image/jpeg", 8, 8, 320L)), Map.of("width", 8, "height", 8),
                        List.of()),
                "metadata", new StepResult(id, "metadata", List.of(), Map.of("exif", false), List.of()));
        Merged merged = merge(processing, step -> Optional.ofNullable(stored.get(step))
                .map(r -> Json.roundTrip(r, StepResult.class)));
        if (merged.pending() || merged.failed() || merged.outputs().size() != 1) {
            throw new IllegalStateException("priming: merging two done step results was expected to give a READY manifest"
                    + " with 1 output; found steps " + merged.steps() + ", failed " + merged.failed() + ", outputs "
                    + merged.outputs());
        }
        Manifest terminal = Json.roundTrip(new Manifest(id, MediaStatus.READY, processing.type(), processing.category(),
                processing.size(), processing.original(), merged.steps(), merged.reasons(), merged.outputs(),
                merged.metadata()), Manifest.class);
        Upload upload = new Upload("priming-ingest", "priming/priming.png", "0", "priming");
        Receipt attached = Json.roundTrip(new Receipt(upload.bucket(), upload.key(), upload.etag(), terminal.size(), "image/png",
                id, terminal.type(), MediaStatus.PROCESSING, List.of(), false, upload.sequencer(), upload.id(), null),
                Receipt.class);
        Outbox.uploadIdOf(id, Keys.upload(id, upload.id()));
        Json.roundTrip(Outbox.eventOf(attached.settle(terminal)), CompletionEvent.class);
        return "manifest " + terminal.status() + " after merging " + stored.size() + " step results: "
                + terminal.outputs().size() + " output, steps " + terminal.steps() + ", metadata "
                + terminal.metadata().keySet() + "; an upload's receipt settled and its event; 7 JSON round trips";
    }

    /**
     * One read-decide-write round; false when a conditional write lost a race and must be redone.
     * The completion events do not depend on winning: whenever the manifest read is in a final state,
     * the outbox publishes what is not marked sent yet. So a conditional write that succeeded but
     * was retried by the SDK after a network error (the retry gets 412) is read back as final on the
     * next round, and its events go out then.
     */
    private boolean finalizeOnce(StepDone done) {
        String id = done.mediaId();
        ObjectStore.Versioned<Manifest> read = store.getJsonVersioned(mediaBucket, Keys.manifest(id), Manifest.class)
                .orElseThrow(() -> new StorageException("manifest " + ObjectStore.uri(mediaBucket, Keys.manifest(id))
                        + " does not exist yet; expected validate to have written it. Will retry.", null));
        Manifest manifest = read.value();
        if (manifest.terminal()) {
            if (manifest.status() == MediaStatus.QUARANTINED && quarantineBucket.equals(manifest.original().bucket())) {
                // The run that recorded the quarantine drops the media bucket's copy after its manifest write;
                // it may not have got there (a crash, or the SDK retrying that write after S3 had applied it,
                // whose 412 reads as a lost race). Deleting a key that is gone does nothing.
                store.delete(mediaBucket, Keys.original(id));
            }
            Outbox.Published published = outbox.publish(id, manifest);
            LOG.info("{} is {}; {} of its {} uploads announced now", id, manifest.status(), published.sent(), published.uploads());
            if (manifest.settled()) {
                return true;
            }
            // FAILED: a redriven step may still complete the item, so the merge below still runs
        }
        Merged merged = merge(manifest, step -> store.getJson(mediaBucket, Keys.stepResult(id, step), StepResult.class));
        Map<String, StepState> steps = merged.steps();
        List<Output> outputs = merged.outputs();
        Map<String, Object> metadata = merged.metadata();
        List<Reason> reasons = merged.reasons();
        boolean failed = merged.failed();
        if (merged.pending()) {
            if (done.inProgress() && steps.get(done.step()) == StepState.PENDING
                    && advances(manifest.progress().get(done.step()), done.progress())) {
                LOG.info("{}: {} is at {}", id, done.step(), done.progress());
                return store.putJsonIfMatch(mediaBucket, Keys.manifest(id), manifest.withProgress(done.step(), done.progress()),
                        read.etag());
            }
            LOG.info("{}: {} reported; waiting for {}", id, done.step(), steps);
            return true;
        }
        MediaStatus status = failed ? MediaStatus.QUARANTINED : MediaStatus.READY;
        Manifest.Location original = manifest.original();
        if (failed) {
            // A decoder refused what validation let through: the bytes move to quarantine, and the
            // item publishes nothing. The media-bucket copy goes only once the outcome is recorded.
            Manifest.Location moved = new Manifest.Location(quarantineBucket, Keys.quarantinedOriginal(id));
            store.copyIfMatch(original.bucket(), original.key(), null, moved.bucket(), moved.key(), "application/octet-stream");
            store.putJson(quarantineBucket, Keys.quarantineReasons(id), reasons);
            original = moved;
            outputs.clear();
        }
        Manifest terminal = manifest.withOutcome(status, original, steps, reasons, outputs, metadata);
        if (!store.putJsonIfMatch(mediaBucket, Keys.manifest(id), terminal, read.etag())) {
            return false;
        }
        if (failed) {
            store.delete(mediaBucket, Keys.original(id));
            StepMetrics.current().quarantine(Failures.rejectionCode(reasons));
        }
        Outbox.Published published = outbox.publish(id, terminal);
        if (published.uploads() == 0) {
            // an item the previous version's validate created: no upload is attached, so its
            // item-level event goes out as that version sent it, once, by the run that wrote the state
            queue.send(completionQueue, new CompletionEvent(id, status, manifest.type(), Keys.manifest(id), null, reasons));
        }
        LOG.info("{} is {} with {} outputs; {} of its {} uploads announced", id, status, outputs.size(), published.sent(),
                published.uploads());
        return true;
    }

    /** The step results merged over a manifest: each step DONE or PENDING, and what the done ones made. */
    record Merged(Map<String, StepState> steps, List<Output> outputs, Map<String, Object> metadata, List<Reason> reasons,
                  boolean failed) {
        boolean pending() {
            return steps.containsValue(StepState.PENDING);
        }
    }

    /**
     * Merges the stored results of the manifest's steps, read through {@code results} in step
     * order: outputs and reasons appended, metadata laid over the manifest's. No I/O of its own.
     */
    static Merged merge(Manifest manifest, Function<String, Optional<StepResult>> results) {
        Map<String, StepState> steps = new TreeMap<>();
        List<Output> outputs = new ArrayList<>();
        Map<String, Object> metadata = new TreeMap<>(manifest.metadata());
        List<Reason> reasons = new ArrayList<>();
        for (Reason r : manifest.reasons()) {
            if (!Failures.transientReason(r)) {
                reasons.add(r); // a FAILED item's STEP_FAILED is about how it went, not about the item
            }
        }
        boolean failed = false;
        for (String step : manifest.steps().keySet()) {
            Optional<StepResult> result = results.apply(step);
            if (result.isEmpty()) {
                steps.put(step, StepState.PENDING);
                continue;
            }
            steps.put(step, StepState.DONE);
            outputs.addAll(result.get().outputs());
            metadata.putAll(result.get().metadata());
            reasons.addAll(result.get().reasons());
            failed |= result.get().failed();
        }
        return new Merged(steps, outputs, metadata, reasons, failed);
    }

    /**
     * Whether a progress line moves forward: notices can arrive out of order, and "segments 36/60"
     * after "segments 37/60" must not take the manifest back. Lines of other shapes always replace.
     */
    static boolean advances(String current, String next) {
        if (current == null) {
            return true;
        }
        Matcher a = COUNT.matcher(current);
        Matcher b = COUNT.matcher(next);
        if (a.matches() && b.matches() && a.group(1).equals(b.group(1)) && a.group(3).equals(b.group(3))) {
            return Long.parseLong(b.group(2)) > Long.parseLong(a.group(2));
        }
        return !current.equals(next);
    }
}
