package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Hashing;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.StepRoute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.lambda.S3Notification.ObjectCreated;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.shared.model.Upload;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.ByteSource;
import com.mediaflow.shared.validation.io.S3ByteSource;
import com.mediaflow.shared.validation.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validate step's work for one uploaded object: hash it in one streaming pass, judge it,
 * store it content-addressed (or in quarantine), and fan out to the steps that apply to its type.
 *
 * <p>An upload is identified by bucket, key and the S3 event's sequencer ({@link Upload}); it gets
 * its own receipt, and ends READY, QUARANTINED or FAILED with its own completion event, sent
 * through the {@link Outbox}. Idempotent: the receipt is written after everything else validate
 * does, so a redelivered event whose receipt exists only makes sure of the upload's completion;
 * every write before it is content-addressed, conditional, or a record named by the upload.
 */
public final class IngestService {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final int MAX_CLAIM_ATTEMPTS = 5;
    /**
     * Objects of up to this many bytes (8 MiB: a 12 MP phone JPEG, a voice note) are kept in memory
     * by the hashing pass and validated from there: about six ranged GETs fewer per photo. Larger
     * ones are read again with ranged GETs of headers and indexes only. Validate has 512 MB and
     * handles one record at a time.
     */
    static final int KEEP_WHOLE_BYTES = 8 * 1024 * 1024;

    private final ObjectStore store;
    private final Queue queue;
    private final StructureValidator validator;
    private final String ingestBucket;
    private final String mediaBucket;
    private final String quarantineBucket;
    private final String completionQueue;
    private final List<StepRoute> steps;
    private final Outbox outbox;
    private final Failures failures;
    private final Shadow shadow;
    private final StepMetrics metrics;

    public IngestService(Config config, ObjectStore store, Queue queue) {
        this.store = store;
        this.queue = queue;
        this.validator = new StructureValidator(config.limits());
        this.ingestBucket = config.ingestBucket();
        this.mediaBucket = config.mediaBucket();
        this.quarantineBucket = config.quarantineBucket();
        this.completionQueue = config.completionQueueUrl();
        this.steps = config.pipelineSteps();
        this.outbox = new Outbox(store, queue, mediaBucket, completionQueue);
        this.failures = new Failures(store, queue, mediaBucket, completionQueue);
        this.shadow = new Shadow(config, queue);
        this.metrics = new StepMetrics(config.stage(), "validate");
    }

    /** Validate's metrics: bytes hashed in, bytes stored (the original, by server-side copy), quarantines by reason code. */
    public StepMetrics metrics() {
        return metrics;
    }

    /**
     * What validate records when an ingest message fails for good. A permanent error (a malformed
     * notification, one for another bucket) names no upload of ours: the WARN line is the record. On
     * the last attempt every upload the notification names is marked FAILED (a FAILED receipt and
     * its event; when it is attached to an item, the item FAILED with it).
     */
    public SqsBatch.FailureRecorder failureRecorder() {
        return new SqsBatch.FailureRecorder() {
            @Override
            public void permanent(SQSEvent.SQSMessage message, MediaflowException error) {
                // nothing identifiable to mark: the notification itself is what is wrong
            }

            @Override
            public void lastAttempt(SQSEvent.SQSMessage message, RuntimeException error) {
                List<ObjectCreated> created;
                try {
                    created = S3Notification.parse(message.getBody(), ingestBucket);
                } catch (RuntimeException e) {
                    return;
                }
                for (ObjectCreated object : created) {
                    failures.markUploadFailed(new Upload(ingestBucket, object.key(), object.sequencer(), object.etag()),
                            Failures.reason("validate", error));
                }
            }
        };
    }

    public String ingestBucket() {
        return ingestBucket;
    }

    public void ingest(ObjectCreated object) {
        Upload announced = new Upload(ingestBucket, object.key(), object.sequencer(), object.etag());
        if (announced.hasVersion() && resume(announced)) {
            return;
        }
        if (resumeSwept(announced)) {
            return;
        }
        var opened = store.openIfMatch(ingestBucket, object.key(), object.etag());
        if (opened.isEmpty()) {
            LOG.warn("s3://{}/{} with ETag {} is gone or was replaced; its replacement has its own event",
                    ingestBucket, object.key(), object.etag());
            return;
        }
        Hashing.Pass pass;
        String declaredType;
        String etag;
        try (var in = opened.get()) {
            declaredType = in.response().contentType();
            etag = in.response().eTag();
            pass = Hashing.hash(in, Detector.HEAD_BYTES, KEEP_WHOLE_BYTES);
        } catch (IOException e) {
            throw new StorageException("reading " + ObjectStore.uri(ingestBucket, object.key()) + " failed: " + e.getMessage(), e);
        }
        Upload upload = announced.withEtag(etag);
        if (!announced.hasVersion() && resume(upload)) {
            return;
        }
        StepMetrics.current().bytes(StepMetrics.BYTES_IN, pass.size());
        var detected = Detector.detect(pass.head(), pass.headLength());
        // The structural pass reads only headers and indexes: from the bytes the hash kept, for an
        // object of up to KEEP_WHOLE_BYTES, else with ranged GETs pinned to the ETag that was hashed.
        // Either way the hash above was the one pass over every byte.
        Verdict verdict;
        try (ByteSource source = pass.whole() != null ? new ArrayByteSource(pass.whole())
                : new S3ByteSource(store.client(), ingestBucket, object.key(), etag, pass.size())) {
            verdict = validator.validate(source, detected, declaredType, object.key()).verdict();
            LOG.debug("structural pass over {} fetched {} of {} bytes", object.key(), source.bytesRead(), pass.size());
        } catch (IOException e) {
            throw new StorageException("closing the ranged reader of " + object.key() + " failed", e);
        }
        String mediaId = pass.sha256();
        LOG.info("s3://{}/{} (upload {}): {} bytes, sha256 {}, detected {}, accepted {}, reasons {}", ingestBucket,
                object.key(), upload.id(), pass.size(), mediaId, detected.mimeType(), verdict.accepted(), verdict.reasons());
        Receipt own = new Receipt(ingestBucket, upload.key(), upload.etag(), pass.size(), declaredType, mediaId,
                verdict.detected(), verdict.accepted() ? MediaStatus.PROCESSING : MediaStatus.QUARANTINED,
                verdict.reasons(), false, upload.sequencer(), upload.id(), null, object.eventTime());
        if (verdict.accepted()) {
            accept(upload, own, pass, verdict);
        } else {
            quarantine(upload, own, verdict);
        }
    }

    /**
     * A redelivered event: when the upload has its receipt, everything validate does was done, and
     * what is left is its completion, which this run makes sure of.
     *
     * @return whether the upload had its receipt
     */
    private boolean resume(Upload upload) {
        Optional<Receipt> receipt = store.getJson(mediaBucket, Keys.receipt(upload), Receipt.class);
        if (receipt.isEmpty()) {
            return false;
        }
        Receipt r = receipt.get();
        LOG.info("s3://{}/{} (upload {}) already has its receipt, {}; redelivery, only its completion is checked",
                ingestBucket, upload.key(), upload.id(), r.status());
        finish(store.getJson(mediaBucket, Keys.upload(r.mediaId(), upload.id()), Receipt.class).orElse(r));
        return true;
    }

    /**
     * The {@link Sweeper} re-sends the notification of an upload that has no receipt, without the
     * sequencer it cannot know: that upload is identified by its ETag. So S3's own notification,
     * arriving after the sweeper's one was processed, resumes the receipt written under the ETag;
     * and the sweeper's notification, arriving after S3's one was processed, resumes the receipt of
     * the upload of this key with this ETag.
     *
     * @return whether the upload had its receipt under the other identity
     */
    private boolean resumeSwept(Upload announced) {
        if (announced.etag() == null) {
            return false;
        }
        if (announced.sequencer() != null) {
            return resume(new Upload(ingestBucket, announced.key(), null, announced.etag()));
        }
        Optional<Receipt> found = Receipts.find(store, mediaBucket, ingestBucket, announced.key(), announced.etag());
        if (found.isEmpty()) {
            return false;
        }
        Receipt r = found.get();
        LOG.info("s3://{}/{} (ETag {}) re-driven by the sweeper already has its receipt (upload {}), {}; only its completion"
                + " is checked", ingestBucket, announced.key(), announced.etag(), r.uploadId(), r.status());
        finish(r.mediaId() == null || r.uploadId() == null ? r
                : store.getJson(mediaBucket, Keys.upload(r.mediaId(), r.uploadId()), Receipt.class).orElse(r));
        return true;
    }

    /**
     * Accepted bytes. The item is claimed with a conditional create of its manifest (S3 has no
     * conditional CopyObject): of identical uploads at the same moment exactly one creates it, and
     * only that one stores the original and fans out. Every upload, claimer or duplicate, attaches
     * itself to the item before it looks at the item's state again, so that either it sees the final
     * state or the run that wrote the final state sees it.
     */
    private void accept(Upload upload, Receipt own, Hashing.Pass pass, Verdict verdict) {
        String mediaId = pass.sha256();
        MediaCategory category = verdict.detected().category();
        Map<String, StepState> pending = new LinkedHashMap<>();
        for (StepRoute route : steps) {
            if (route.appliesTo(category, verdict.detectedType())) {
                pending.put(route.name(), StepState.PENDING);
            }
        }
        Manifest.Location original = new Manifest.Location(mediaBucket, Keys.original(mediaId));
        Manifest claim = new Manifest(mediaId, MediaStatus.PROCESSING, verdict.detected(), category, pass.size(),
                original, pending, verdict.reasons(), List.of(), Map.of(), Map.of(), upload.id());
        Manifest item = claim(claim);
        boolean claimer = upload.id().equals(item.claimedBy());
        Receipt attached = new Receipt(own.bucket(), own.key(), own.etag(), own.size(), own.declaredType(), mediaId,
                own.detectedType(), MediaStatus.PROCESSING, own.reasons(), !claimer, own.sequencer(), own.uploadId(), null,
                own.uploadedAt());
        store.putJson(mediaBucket, Keys.upload(mediaId, upload.id()), attached);
        if (store.exists(mediaBucket, Keys.tombstone(mediaId))) {
            release(upload, mediaId);
            throw deleting(upload, mediaId);
        }
        boolean storesOriginal = claimer && item.status() == MediaStatus.PROCESSING;
        // and sends the item's step messages: finalize, after them, ends the item
        boolean fansOut = storesOriginal && !pending.isEmpty();
        if (storesOriginal) {
            long copyStarted = System.nanoTime();
            boolean copied = store.copyIfMatch(ingestBucket, upload.key(), upload.etag(), mediaBucket, original.key(),
                    verdict.detectedType());
            StepMetrics.current().millis(StepMetrics.COPY_DURATION, (System.nanoTime() - copyStarted) / 1_000_000);
            if (!copied) {
                release(upload, mediaId);
                throw new StorageException("s3://" + ingestBucket + "/" + upload.key()
                        + " changed while it was validated (ETag " + upload.etag() + " no longer matches); claim on media "
                        + mediaId + " released, will retry", null);
            }
            StepMetrics.current().bytes(StepMetrics.BYTES_OUT, pass.size());
            // Fan out before the receipt exists: a crash in between is retried and sends again, which
            // the steps tolerate; a claimed item without its messages would stall forever.
            for (StepRoute route : steps) {
                if (route.appliesTo(category, verdict.detectedType())) {
                    StepMessage message = new StepMessage(mediaId, route.name(), verdict.detected(), category,
                            mediaBucket, Keys.original(mediaId)).withSteps(item.steps().keySet());
                    queue.send(route.queueUrl(), message);
                    // shadow mode: a marked copy for the version under test, for a fraction of the items chosen by id
                    shadow.copy(message);
                }
            }
            if (pending.isEmpty()) {
                store.putJson(mediaBucket, Keys.manifest(mediaId), claim.withOutcome(MediaStatus.READY, original, pending,
                        claim.reasons(), List.of(), Map.of()));
            }
        } else if (!claimer) {
            LOG.info("{} is a duplicate of media {} ({}, claimed by upload {}); nothing is processed again", upload.key(),
                    mediaId, item.status(), item.claimedBy());
        }
        // A receipt that exists was written final by a run that completed this upload meanwhile.
        store.putJsonIfAbsent(mediaBucket, Keys.receipt(upload), attached);
        // After a fan-out the item's final state can only be written by finalize, after the steps just
        // sent, and this upload was attached before they were sent: that run lists it and completes it.
        // Reading the manifest again could only find PROCESSING, or a final state that run publishes.
        if (!fansOut) {
            finish(attached);
        }
    }

    /**
     * Creates the item's manifest if it has none; otherwise reads the one there.
     *
     * @return the manifest now stored: {@code claim} when this call created it
     */
    private Manifest claim(Manifest claim) {
        String key = Keys.manifest(claim.mediaId());
        for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
            if (store.putJsonIfAbsent(mediaBucket, key, claim)) {
                LOG.info("media {} claimed by upload {}", claim.mediaId(), claim.claimedBy());
                return claim;
            }
            Optional<Manifest> existing = store.getJson(mediaBucket, key, Manifest.class);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        throw new StorageException("media " + claim.mediaId() + ": expected to create " + ObjectStore.uri(mediaBucket, key)
                + " or to read the one there; found neither in " + MAX_CLAIM_ATTEMPTS
                + " attempts (claims released or conditional writes in conflict); will retry", null);
    }

    /** Gives up a claim whose original could not be stored, so that the next upload of these bytes can claim it. */
    private void release(Upload upload, String mediaId) {
        store.delete(mediaBucket, Keys.upload(mediaId, upload.id()));
        Optional<Manifest> item = store.getJson(mediaBucket, Keys.manifest(mediaId), Manifest.class);
        if (item.isPresent() && upload.id().equals(item.get().claimedBy()) && item.get().status() == MediaStatus.PROCESSING) {
            store.delete(mediaBucket, Keys.manifest(mediaId));
        }
    }

    /**
     * The item's last upload is being deleted ({@link MediaDeletion}): this upload, attached after the
     * deleter's tombstone, detached itself again; its retry finds the item kept, or gone and claims it.
     */
    private StorageException deleting(Upload upload, String mediaId) {
        return new StorageException("media " + mediaId + " is being deleted (found " + ObjectStore.uri(mediaBucket,
                Keys.tombstone(mediaId)) + ", expected none); upload " + upload.id() + " of s3://" + ingestBucket + "/"
                + upload.key() + " detached itself, will retry", null);
    }

    /**
     * An attached upload ends when its item does: if the item is final now, this run completes the
     * upload (and, for the claimer, every upload attached to the item); if not, the run that writes
     * the item's final state will.
     */
    private void finish(Receipt attached) {
        if (attached.status() == MediaStatus.QUARANTINED) {
            outbox.complete(attached, null);
            return;
        }
        Optional<Manifest> item = store.getJson(mediaBucket, Keys.manifest(attached.mediaId()), Manifest.class);
        if (item.isEmpty()) {
            LOG.warn("s3://{}/{} (upload {}) waits for media {}, whose manifest is gone (its claim was released)",
                    attached.bucket(), attached.key(), attached.uploadId(), attached.mediaId());
            return;
        }
        if (!item.get().terminal()) {
            return;
        }
        if (attached.uploadId() != null && attached.uploadId().equals(item.get().claimedBy())) {
            outbox.publish(attached.mediaId(), item.get());
        } else {
            outbox.complete(attached, item.get());
        }
    }

    /** Rejected bytes: kept in the quarantine bucket; the upload ends QUARANTINED now, whatever its item does. */
    private void quarantine(Upload upload, Receipt own, Verdict verdict) {
        String mediaId = own.mediaId();
        if (!store.exists(quarantineBucket, Keys.quarantinedOriginal(mediaId))
                && !store.copyIfMatch(ingestBucket, upload.key(), upload.etag(), quarantineBucket, Keys.quarantinedOriginal(mediaId),
                        "application/octet-stream")) {
            throw new StorageException("s3://" + ingestBucket + "/" + upload.key()
                    + " changed while it was validated (ETag " + upload.etag() + " no longer matches); will retry", null);
        }
        StepMetrics.current().bytes(StepMetrics.BYTES_OUT, own.size());
        store.putJson(quarantineBucket, Keys.quarantineReasons(mediaId), own);
        if (verdict.contentRejected()) {
            store.putJsonIfAbsent(mediaBucket, Keys.manifest(mediaId), new Manifest(mediaId, MediaStatus.QUARANTINED,
                    verdict.detected(), verdict.detected().category(), own.size(),
                    new Manifest.Location(quarantineBucket, Keys.quarantinedOriginal(mediaId)), Map.of(),
                    verdict.reasons(), List.of(), Map.of(), Map.of(), upload.id()));
        }
        store.putJson(mediaBucket, Keys.upload(mediaId, upload.id()), own);
        if (store.exists(mediaBucket, Keys.tombstone(mediaId))) {
            store.delete(mediaBucket, Keys.upload(mediaId, upload.id()));
            throw deleting(upload, mediaId);
        }
        if (outbox.complete(own, null)) {
            StepMetrics.current().quarantine(Failures.rejectionCode(own.reasons()));
        }
    }

    /**
     * SnapStart priming: what {@link #ingest} does with the bytes of one upload, on an 8x8 PNG
     * made in memory, with no S3 or SQS call: the S3 notification is parsed, the bytes hashed,
     * detected and structurally validated, the steps chosen, and the receipt, manifest, step
     * messages and completion event built and sent through a JSON round trip.
     *
     * @return what it did, e.g. "priming.png: 8x8 image/png ACCEPTED, 94 bytes, ..."
     * @throws IllegalStateException when the synthetic PNG is not detected and accepted as a PNG
     */
    /** Bytes hashed when priming: enough invocations of SHA-256's block loop for C2 to take it. */
    static final long PRIMING_HASH_BYTES = 64L * 1024 * 1024;

    public String prime() {
        metrics.prime();
        // every upload's bytes go through SHA-256: hot (and compiled by C2, see template.yaml) before the snapshot
        Hashing.warm(PRIMING_HASH_BYTES);
        byte[] png = PrimingInputs.png(8, 8);
        String key = "priming/priming.png";
        List<ObjectCreated> created = S3Notification.parse(
                PrimingInputs.s3Notification(ingestBucket, key, png.length, "priming"), ingestBucket);
        Hashing.Pass pass;
        try {
            pass = Hashing.hash(new ByteArrayInputStream(png), Detector.HEAD_BYTES);
        } catch (IOException e) {
            throw new IllegalStateException("hashing an in-memory array cannot fail", e);
        }
        MediaFormat detected = Detector.detect(pass.head(), pass.headLength());
        StructureValidator.Result result = validator.validate(new ArrayByteSource(png), detected, "image/png", key);
        Verdict verdict = result.verdict();
        if (detected != MediaFormat.PNG || !verdict.accepted() || created.size() != 1) {
            throw new IllegalStateException("priming: the synthetic 8x8 PNG (" + png.length + " bytes) was expected detected"
                    + " as image/png, accepted, from one S3 record; found " + detected.mimeType() + ", "
                    + (verdict.accepted() ? "accepted" : "rejected") + " with reasons " + verdict.reasons() + ", "
                    + created.size() + " record(s)");
        }
        String mediaId = pass.sha256();
        MediaCategory category = detected.category();
        Map<String, StepState> pending = new LinkedHashMap<>();
        int roundTrips = 0;
        for (StepRoute route : steps) {
            if (route.appliesTo(category, verdict.detectedType())) {
                pending.put(route.name(), StepState.PENDING);
                Json.roundTrip(new StepMessage(mediaId, route.name(), verdict.detected(), category, mediaBucket,
                        Keys.original(mediaId)), StepMessage.class);
                roundTrips++;
            }
        }
        ObjectCreated object = created.get(0);
        Upload upload = new Upload(ingestBucket, object.key(), object.sequencer(), object.etag());
        Manifest claim = Json.roundTrip(new Manifest(mediaId, MediaStatus.PROCESSING, verdict.detected(), category,
                pass.size(), new Manifest.Location(mediaBucket, Keys.original(mediaId)), pending, verdict.reasons(), List.of(),
                Map.of(), Map.of(), upload.id()), Manifest.class);
        Receipt attached = Json.roundTrip(new Receipt(ingestBucket, key, upload.etag(), pass.size(), "image/png", mediaId,
                verdict.detected(), MediaStatus.PROCESSING, verdict.reasons(), false, upload.sequencer(), upload.id(), null),
                Receipt.class);
        Receipt settled = attached.settle(claim.withOutcome(MediaStatus.READY, claim.original(), claim.steps(), claim.reasons(),
                List.of(), Map.of()));
        Json.roundTrip(Outbox.eventOf(settled), CompletionEvent.class);
        roundTrips += 3;
        return "priming.png: " + result.structure().width() + "x" + result.structure().height() + " "
                + verdict.detectedType() + " ACCEPTED, " + pass.size() + " bytes, sha256 " + mediaId.substring(0, 12)
                + "..., steps " + pending.keySet() + ", " + roundTrips + " JSON round trips";
    }
}
