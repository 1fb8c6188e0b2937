package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.Receipt;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the uploads of one ingest key, and each item no upload refers to any more.
 *
 * <p>The uploads attached to an item ({@code media/<id>/uploads/<upload id>.json}) are its reference
 * count. For each receipt of the key, in this order: its attached upload is removed; if none is
 * left, the item goes (see {@link #deleteItemIfUnreferenced}); the DELETED event is sent; the
 * receipt is removed last. Every step is idempotent and the receipt is what points a retry at the
 * item, so a crash anywhere leaves what a retry of the same deletion completes (the event may then
 * be sent twice, with the same {@code eventId}).
 *
 * <p>A duplicate that validate attaches while the item is deleted: the deleter creates the item's
 * tombstone ({@link Keys#tombstone}) before it lists the uploads a last time; validate writes its
 * attached upload before it checks for the tombstone. S3 is strongly consistent, so at least one of
 * the two sees the other: the deleter keeps the item (and removes its tombstone), or validate
 * detaches itself and fails for a retry (which finds the item again, or claims it anew once gone).
 */
public final class MediaDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(MediaDeletion.class);

    /** Tells the CDN to forget an item: its {@code /media/<id>/*} objects and the renders it stored. */
    @FunctionalInterface
    public interface Cdn {
        /** No CDN (the embedded stack's delivery server caches nothing): nothing to forget. */
        Cdn NONE = (mediaId, renderKeys) -> {
        };

        /** @param renderKeys the stored renders' keys, {@code media/<id>/render/<w>x<h>-<fit>.<ext>} */
        void invalidate(String mediaId, List<String> renderKeys);
    }

    /**
     * What the tombstone holds: who deletes the item (an upload id) and the renders stored when the
     * deletion started, so that a retry after a crash still invalidates their paths.
     */
    public record Tombstone(String mediaId, String deletedBy, List<String> renderKeys, String since) {
        public Tombstone {
            renderKeys = renderKeys == null ? List.of() : List.copyOf(renderKeys);
        }
    }

    /** One upload deleted: its media id (null when it had none) and whether its item went with it. */
    public record Deleted(String uploadId, String mediaId, boolean itemDeleted) {
    }

    private final ObjectStore store;
    private final Queue queue;
    private final String mediaBucket;
    private final String quarantineBucket;
    private final String completionQueue;
    private final Cdn cdn;
    private final Clock clock;

    public MediaDeletion(ObjectStore store, Queue queue, String mediaBucket, String quarantineBucket, String completionQueue,
            Cdn cdn, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.mediaBucket = mediaBucket;
        this.quarantineBucket = quarantineBucket;
        this.completionQueue = completionQueue;
        this.cdn = cdn;
        this.clock = clock;
    }

    /** The media id of an item an upload of this key is attached to that is still processing; empty when none is. */
    public Optional<String> processing(String ingestBucket, String key) {
        for (Receipt r : Receipts.of(store, mediaBucket, ingestBucket, key)) {
            if (r.mediaId() != null && store.getJson(mediaBucket, Keys.manifest(r.mediaId()), Manifest.class)
                    .filter(m -> !m.terminal()).isPresent()) {
                return Optional.of(r.mediaId());
            }
        }
        return Optional.empty();
    }

    /** Deletes every upload of the key (one per receipt; none when validate never wrote one). */
    public List<Deleted> deleteKey(String ingestBucket, String key) {
        List<Deleted> out = new ArrayList<>();
        for (String receiptKey : store.list(mediaBucket, Keys.receiptPrefix(ingestBucket, key))) {
            Optional<Receipt> found = store.getJson(mediaBucket, receiptKey, Receipt.class);
            if (found.isEmpty()) {
                continue;
            }
            Receipt receipt = found.get();
            String uploadId = receipt.upload().id();
            String mediaId = receipt.mediaId();
            boolean itemDeleted = false;
            if (mediaId != null) {
                store.delete(mediaBucket, Keys.upload(mediaId, uploadId));
                itemDeleted = deleteItemIfUnreferenced(mediaId, uploadId);
            }
            CompletionEvent event = CompletionEvent.deleted(receipt, mediaId == null ? null : Keys.manifest(mediaId), receiptKey,
                    itemDeleted);
            queue.send(completionQueue, event);
            store.delete(mediaBucket, receiptKey);
            LOG.info("s3://{}/{} (upload {}) deleted; media {} {}; event {} sent", ingestBucket, key, uploadId, mediaId,
                    itemDeleted ? "deleted with it" : "kept", event.eventId());
            out.add(new Deleted(uploadId, mediaId, itemDeleted));
        }
        return out;
    }

    /**
     * Deletes the item when no upload is attached to it: everything under {@code media/<id>/}, its
     * quarantined copy and its shadow outputs, the manifest last but the tombstone, then the CDN's
     * copies, then the tombstone. A tombstone already there is this upload's (a retry: go on) or
     * another deleter's (go on when no upload is attached, but leave its tombstone to it).
     *
     * @param deleter the upload whose deletion this is
     * @return whether the item is gone
     */
    boolean deleteItemIfUnreferenced(String mediaId, String deleter) {
        String uploads = Keys.uploadsPrefix(mediaId);
        if (!store.list(mediaBucket, uploads).isEmpty()) {
            return false;
        }
        String tombstoneKey = Keys.tombstone(mediaId);
        Tombstone mine = new Tombstone(mediaId, deleter, store.list(mediaBucket, Keys.renderPrefix(mediaId)),
                clock.instant().toString());
        boolean created = store.putJsonIfAbsent(mediaBucket, tombstoneKey, mine);
        Tombstone tombstone = created ? mine : store.getJson(mediaBucket, tombstoneKey, Tombstone.class).orElse(null);
        boolean owner = created || tombstone != null && deleter.equals(tombstone.deletedBy());
        List<String> attached = store.list(mediaBucket, uploads);
        if (!attached.isEmpty()) {
            if (owner) {
                store.delete(mediaBucket, tombstoneKey);
            }
            LOG.info("media {} kept: {} was attached while it was being deleted", mediaId, attached.get(0));
            return false;
        }
        TreeSet<String> renders = new TreeSet<>(tombstone == null ? mine.renderKeys() : tombstone.renderKeys());
        String manifest = Keys.manifest(mediaId);
        for (String k : store.list(mediaBucket, Keys.mediaPrefix(mediaId))) {
            if (!k.equals(manifest) && !k.equals(tombstoneKey)) {
                if (k.startsWith(Keys.renderPrefix(mediaId))) {
                    renders.add(k);
                }
                store.delete(mediaBucket, k);
            }
        }
        store.deletePrefix(quarantineBucket, mediaId + "/");
        store.deletePrefix(mediaBucket, "shadow/" + mediaId + "/");
        store.delete(mediaBucket, manifest);
        cdn.invalidate(mediaId, List.copyOf(renders));
        if (owner) {
            store.delete(mediaBucket, tombstoneKey);
        }
        LOG.info("media {} deleted with its last upload ({}), {} stored render(s) invalidated with it", mediaId, deleter,
                renders.size());
        return true;
    }
}
