package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.Receipt;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completion events of uploads, sent through an outbox so that sending never depends on
 * winning a conditional write. The final state is written first: the item's manifest, and the
 * uploads attached to it at {@code media/<id>/uploads/<upload id>.json} (each one's receipt as
 * validate wrote it). From these two, each upload's final receipt and event follow by a pure
 * function ({@link Receipt#settle}). Every run that sees the item in a final state (finalize, a
 * validate run of a late duplicate, a redelivery) publishes the events not yet marked sent: it
 * writes the upload's final receipt, sends its event, then marks it sent with
 * {@code media/<id>/events/<upload id>.<STATUS>.json} (holding the event). A crash between the
 * send and the mark only sends the event again: delivery is at least once, and consumers
 * deduplicate by {@code eventId}.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String completionQueue;

    /** What one {@link #publish} found and did. */
    public record Published(int uploads, int sent) {
    }

    public Outbox(ObjectStore store, Queue queue, String mediaBucket, String completionQueue) {
        this.store = store;
        this.queue = queue;
        this.mediaBucket = mediaBucket;
        this.completionQueue = completionQueue;
    }

    /**
     * Completes every upload attached to an item that is in a final state: the ones whose event for
     * this state is marked sent are skipped without being read.
     *
     * @throws IllegalArgumentException when the item is not in a final state
     */
    public Published publish(String mediaId, Manifest item) {
        if (!item.terminal()) {
            throw new IllegalArgumentException("the outbox of " + mediaId + " publishes final states only; found " + item.status());
        }
        List<String> attached = store.list(mediaBucket, Keys.uploadsPrefix(mediaId));
        Set<String> sent = new HashSet<>(store.list(mediaBucket, Keys.sentPrefix(mediaId)));
        int n = 0;
        for (String key : attached) {
            Optional<String> uploadId = uploadIdOf(mediaId, key);
            if (uploadId.isEmpty() || sent.contains(Keys.sent(mediaId, uploadId.get(), item.status()))) {
                continue;
            }
            Optional<Receipt> receipt = store.getJson(mediaBucket, key, Receipt.class);
            if (receipt.isPresent() && complete(receipt.get(), item, sent)) {
                n++;
            }
        }
        return new Published(attached.size(), n);
    }

    /**
     * Completes one upload: its final receipt, its event, its mark, unless the mark exists.
     *
     * @param attached the upload's receipt as validate wrote it
     * @param item the item's manifest; may be null only when the upload itself was rejected
     * @return whether the event was sent by this call
     */
    public boolean complete(Receipt attached, Manifest item) {
        return complete(attached, item, null);
    }

    private boolean complete(Receipt attached, Manifest item, Set<String> sentKeys) {
        Receipt settled = attached.settle(item);
        String mark = Keys.sent(settled.mediaId(), settled.uploadId(), settled.status());
        if (sentKeys != null ? sentKeys.contains(mark) : store.exists(mediaBucket, mark)) {
            return false;
        }
        store.putJson(mediaBucket, Keys.receipt(settled.upload()), settled);
        if (settled.status() == MediaStatus.READY) {
            // upload-to-READY latency: from the upload's S3 event to its READY receipt, written just after the item's
            // terminal manifest (by finalize; by validate for an item that was READY already or has no steps)
            settled.millisSinceUpload(Instant.now())
                    .ifPresent(ms -> StepMetrics.current().millis(StepMetrics.UPLOAD_TO_READY_LATENCY, Math.max(0, ms)));
        }
        CompletionEvent event = eventOf(settled);
        queue.send(completionQueue, event);
        store.putJson(mediaBucket, mark, event);
        LOG.info("s3://{}/{} is {} (media {}{}); completion event {} sent", settled.bucket(), settled.key(), settled.status(),
                settled.mediaId(), settled.duplicate() ? ", duplicate" : "", settled.eventId());
        return true;
    }

    /** The upload id in {@code media/<id>/uploads/<upload id>.json}; empty for any other key. */
    static Optional<String> uploadIdOf(String mediaId, String key) {
        String prefix = Keys.uploadsPrefix(mediaId);
        if (!key.startsWith(prefix) || !key.endsWith(".json")) {
            return Optional.empty();
        }
        String id = key.substring(prefix.length(), key.length() - ".json".length());
        return id.matches("[0-9a-f]{64}") ? Optional.of(id) : Optional.empty();
    }

    /** The completion event of a final receipt, with where its manifest and receipt are stored. */
    static CompletionEvent eventOf(Receipt settled) {
        return CompletionEvent.of(settled, settled.mediaId() == null ? null : Keys.manifest(settled.mediaId()),
                Keys.receipt(settled.upload()));
    }
}
