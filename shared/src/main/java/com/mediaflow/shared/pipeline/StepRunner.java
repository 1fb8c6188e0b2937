package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.codec.CodecWarnings;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.config.Config;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.ReasonCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MediaStep} for one queue message: fetch the original, process it, store the
 * renditions under fixed keys, store the step's result, tell finalize. Running it twice for the
 * same message writes the same objects again and sends one more (harmless) notice to finalize.
 *
 * <p>A shadow copy of the message ({@link StepMessage#shadowCopy()}, shadow mode) runs the same step
 * with every key under {@code shadow/<id>/<step>/} instead ({@link Keys#shadowRendition},
 * {@link Keys#shadowResult}), tells nobody, and hands its result to {@link ShadowCompare}; it never
 * writes the manifest, a receipt, an outbox mark or an event, even when it fails for good
 * ({@link #failureRecorder()}). This is the one place that redirects, for every step.
 */
public final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final MediaStep step;
    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String finalizeQueue;
    private final Path workDir;
    private final Failures failures;
    private final ShadowCompare shadowCompare;
    private final StepMetrics metrics;

    public StepRunner(MediaStep step, Config config, ObjectStore store, Queue queue) {
        this.step = step;
        this.store = store;
        this.queue = queue;
        this.mediaBucket = config.mediaBucket();
        this.finalizeQueue = config.finalizeQueueUrl();
        this.workDir = config.workDir();
        this.failures = new Failures(store, queue, mediaBucket, config.completionQueueUrl());
        this.shadowCompare = new ShadowCompare(store, mediaBucket, config.stage());
        this.metrics = new StepMetrics(config.stage(), step.name());
    }

    /** This step's metrics; the bytes it downloads and stores count in them through the {@link ObjectStore}. */
    public StepMetrics metrics() {
        return metrics;
    }

    public String stepName() {
        return step.name();
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
        SqsBatch.FailureRecorder items = failures.forItems(step.name());
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
        StepMessage message = Json.read(messageBody, StepMessage.class);
        Keys.checkMessage("step message", message.mediaId(), message.bucket(), mediaBucket);
        if (!Keys.original(message.mediaId()).equals(message.key())) {
            throw new MalformedEventException("step message for " + message.mediaId() + " names key '" + message.key()
                    + "', expected its original '" + Keys.original(message.mediaId()) + "'");
        }
        if (message.shadowCopy()) {
            runShadow(message);
            return;
        }
        String resultKey = Keys.stepResult(message.mediaId(), step.name());
        Optional<StepResult> done = store.getJson(mediaBucket, resultKey, StepResult.class);
        if (done.isPresent()) {
            LOG.info("{} for {} already done; telling finalize again", step.name(), message.mediaId());
            queue.send(finalizeQueue, new StepDone(message.mediaId(), step.name()));
            return;
        }
        StepResult result = process(message);
        store.putJson(mediaBucket, resultKey, result);
        queue.send(finalizeQueue, new StepDone(message.mediaId(), step.name()));
    }

    /** A shadow copy: its own result under shadow/ (made once, kept across retries), then the comparison. */
    private void runShadow(StepMessage message) {
        String resultKey = Keys.shadowResult(message.mediaId(), step.name());
        Optional<StepResult> done = store.getJson(mediaBucket, resultKey, StepResult.class);
        StepResult result;
        if (done.isPresent()) {
            result = done.get();
        } else {
            result = process(message);
            store.putJson(mediaBucket, resultKey, result);
        }
        shadowCompare.compare(message.mediaId(), step.name(), result);
    }

    private StepResult process(StepMessage message) {
        Path original = null;
        try {
            Files.createDirectories(workDir);
            original = Files.createTempFile(workDir, step.name() + "-", ".bin");
            store.download(mediaBucket, message.key(), original);
            long started = System.nanoTime();
            MediaStep.Output out;
            List<Reason> warnings = new ArrayList<>();
            try (CodecWarnings.Scope codec = CodecWarnings.open()) {
                out = step.process(message, original);
                warnings.addAll(out.warnings());
                // what the codecs put up with (broken EXIF, an unusable ICC profile, ...), named by step
                codec.warnings().forEach(w -> warnings.add(Reason.warning(w.code(), step.name() + ": " + w.message())));
            }
            List<Output> outputs = new ArrayList<>();
            for (Rendition r : out.renditions()) {
                String key = message.shadowCopy() ? Keys.shadowRendition(message.mediaId(), step.name(), r.name())
                        : Keys.rendition(message.mediaId(), step.name(), r.name());
                store.putBytes(mediaBucket, key, r.bytes(), r.contentType());
                outputs.add(new Output(r.kind(), key, r.contentType(), r.width(), r.height(), (long) r.bytes().length));
            }
            LOG.info("{} for {} made {} renditions in {} ms", step.name(), message.mediaId(), outputs.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return new StepResult(message.mediaId(), step.name(), outputs, out.metadata(), List.copyOf(warnings));
        } catch (CodecException e) {
            LOG.warn("{} could not process {}: {}", step.name(), message.mediaId(), e.getMessage());
            return new StepResult(message.mediaId(), step.name(), List.of(), Map.of(),
                    List.of(Reason.error(ReasonCode.DECODE_FAILED, step.name() + ": " + e.getMessage())));
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
}
