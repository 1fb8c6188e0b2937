package com.mediaflow.shared.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.Upload;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure as a state: marks an item FAILED (its manifest, with a reason) and completes its attached
 * uploads through the {@link Outbox}, or marks a lone upload FAILED (its receipt and its event).
 * A settled item (READY, QUARANTINED) is never knocked down. FAILED is final but not the last word:
 * finalize still merges a FAILED item's step results, so a redriven step can make it READY, which
 * is a new state with new events.
 */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final int MAX_MESSAGE = 500;

    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String completionQueue;
    private final Outbox outbox;

    public Failures(ObjectStore store, Queue queue, String mediaBucket, String completionQueue) {
        this.store = store;
        this.queue = queue;
        this.mediaBucket = mediaBucket;
        this.completionQueue = completionQueue;
        this.outbox = new Outbox(store, queue, mediaBucket, completionQueue);
    }

    /** Reason codes that describe how processing went, not the item: finalize drops them when it rebuilds. */
    /** The code of the first reason that rejects the item, the ReasonCode dimension of its quarantine; UNKNOWN when none does. */
    public static String rejectionCode(List<Reason> reasons) {
        return reasons.stream().filter(Reason::rejects).map(r -> r.code().name()).findFirst().orElse("UNKNOWN");
    }

    public static boolean transientReason(Reason r) {
        return r.code() == ReasonCode.STEP_FAILED || r.code() == ReasonCode.MESSAGE_INVALID || r.code() == ReasonCode.STALLED;
    }

    /** The reason recorded for an error that ended a message of {@code what} (a step's name, "validate", "finalize"). */
    public static Reason reason(String what, RuntimeException error) {
        ReasonCode code = error instanceof MediaflowException m && !m.retryable() ? m.reasonCode() : ReasonCode.STEP_FAILED;
        if (code != ReasonCode.MESSAGE_INVALID) {
            code = ReasonCode.STEP_FAILED;
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        return Reason.error(code, what + ": " + message);
    }

    /**
     * A recorder for a queue whose messages name their item in a {@code mediaId} field: both a
     * permanent error and a last attempt mark the item FAILED when it exists and is not settled.
     */
    public SqsBatch.FailureRecorder forItems(String what) {
        return new SqsBatch.FailureRecorder() {
            @Override
            public void permanent(SQSEvent.SQSMessage message, MediaflowException error) {
                mediaIdOf(message.getBody()).ifPresent(id -> markItemFailed(id, reason(what, error)));
            }

            @Override
            public void lastAttempt(SQSEvent.SQSMessage message, RuntimeException error) {
                mediaIdOf(message.getBody()).ifPresent(id -> markItemFailed(id, reason(what, error)));
            }
        };
    }

    /** The message's {@code mediaId} when it is one (64 hex digits); a forged or missing one names no item. */
    public static Optional<String> mediaIdOf(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body == null ? "" : body);
            String id = node == null ? null : node.path("mediaId").asText(null);
            return id != null && id.matches("[0-9a-f]{64}") ? Optional.of(id) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * Marks the item FAILED with the reason, unless it is settled, and completes its uploads.
     *
     * @return whether the item is FAILED now
     */
    public boolean markItemFailed(String mediaId, Reason reason) {
        return markItemFailed(mediaId, reason, null);
    }

    /**
     * As {@link #markItemFailed(String, Reason)}, only if the manifest is still the one read when the
     * decision was taken: a manifest written since (a progress line, a step merged) is alive, and is
     * left alone.
     *
     * @param expectedEtag the manifest's ETag when it was judged; null for any
     * @return whether the item is FAILED now
     */
    public boolean markItemFailed(String mediaId, Reason reason, String expectedEtag) {
        String key = Keys.manifest(mediaId);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<ObjectStore.Versioned<Manifest>> read = store.getJsonVersioned(mediaBucket, key, Manifest.class);
            if (read.isEmpty()) {
                LOG.warn("media {}: {} {}; no manifest at {}, so no item to mark FAILED", mediaId, reason.code(), reason.message(),
                        ObjectStore.uri(mediaBucket, key));
                return false;
            }
            Manifest m = read.get().value();
            // FAILED for this very reason: this call's own write, applied by an earlier attempt whose
            // answer was lost (putJsonIfMatch then answers false, and the ETag no longer matches), or
            // an identical call's. Its uploads are announced now, or no one would: the sweeper looks
            // only at items still PROCESSING. Publishing is idempotent.
            if (m.status() == MediaStatus.FAILED && m.reasons().contains(reason)) {
                outbox.publish(mediaId, m);
                return true;
            }
            if (expectedEtag != null && !unquoted(expectedEtag).equals(unquoted(read.get().etag()))) {
                LOG.info("media {} changed since it was judged ({} expected ETag {}, found {}); left alone", mediaId,
                        reason.code(), expectedEtag, read.get().etag());
                return false;
            }
            if (m.settled()) {
                LOG.warn("media {} is {}; {} {} recorded in the log only", mediaId, m.status(), reason.code(), reason.message());
                return false;
            }
            List<Reason> reasons = new ArrayList<>(m.reasons());
            if (!reasons.contains(reason)) {
                reasons.add(reason);
            }
            Manifest failed = m.withOutcome(MediaStatus.FAILED, m.original(), m.steps(), reasons, m.outputs(), m.metadata());
            if (store.putJsonIfMatch(mediaBucket, key, failed, read.get().etag())) {
                LOG.warn("media {} is FAILED: {} {}", mediaId, reason.code(), reason.message());
                Outbox.Published published = outbox.publish(mediaId, failed);
                LOG.info("media {}: {} of its {} uploads announced FAILED", mediaId, published.sent(), published.uploads());
                return true;
            }
        }
        throw new StorageException("manifest " + ObjectStore.uri(mediaBucket, key) + " changed " + MAX_ATTEMPTS
                + " times while it was being marked FAILED; will retry", null);
    }

    private static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    /**
     * Marks an upload FAILED: when it is attached to an item, the item (and so the upload) is marked;
     * otherwise the upload gets a FAILED receipt and its event, unless it has a final receipt already.
     */
    public void markUploadFailed(Upload upload, Reason reason) {
        Optional<Receipt> receipt = store.getJson(mediaBucket, Keys.receipt(upload), Receipt.class);
        if (receipt.isPresent() && receipt.get().isFinal()) {
            LOG.warn("s3://{}/{} (upload {}) is {} already; {} {} recorded in the log only", upload.bucket(), upload.key(),
                    upload.id(), receipt.get().status(), reason.code(), reason.message());
            return;
        }
        if (receipt.isPresent() && receipt.get().mediaId() != null && markItemFailed(receipt.get().mediaId(), reason)) {
            return;
        }
        Receipt r = receipt.orElse(null);
        Receipt failed = new Receipt(upload.bucket(), upload.key(), upload.etag(), r == null ? 0 : r.size(),
                r == null ? null : r.declaredType(), r == null ? null : r.mediaId(), r == null ? null : r.detectedType(),
                MediaStatus.FAILED, List.of(reason), r != null && r.duplicate(), upload.sequencer(), upload.id(),
                upload.eventId(MediaStatus.FAILED));
        store.putJson(mediaBucket, Keys.receipt(upload), failed);
        CompletionEvent event = Outbox.eventOf(failed);
        queue.send(completionQueue, event);
        LOG.warn("s3://{}/{} (upload {}) is FAILED: {} {}; completion event {} sent", upload.bucket(), upload.key(), upload.id(),
                reason.code(), reason.message(), event.eventId());
    }
}
