package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Hashing;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.StepRoute;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.lambda.S3Notification.ObjectCreated;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.ArrayByteSource;
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
 * <p>Idempotent: the receipt is written last, so a redelivered event whose receipt exists is a
 * no-op, and every write before it is content-addressed or conditional.
 */
public final class IngestService {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final ObjectStore store;
    private final Queue queue;
    private final StructureValidator validator;
    private final String ingestBucket;
    private final String mediaBucket;
    private final String quarantineBucket;
    private final String completionQueue;
    private final List<StepRoute> steps;

    public IngestService(Config config, ObjectStore store, Queue queue) {
        this.store = store;
        this.queue = queue;
        this.validator = new StructureValidator(config.limits());
        this.ingestBucket = config.ingestBucket();
        this.mediaBucket = config.mediaBucket();
        this.quarantineBucket = config.quarantineBucket();
        this.completionQueue = config.completionQueueUrl();
        this.steps = config.pipelineSteps();
    }

    public String ingestBucket() {
        return ingestBucket;
    }

    public void ingest(ObjectCreated object) {
        String receiptKey = Keys.receipt(object.key());
        Optional<Receipt> previous = store.getJson(mediaBucket, receiptKey, Receipt.class);
        if (previous.isPresent() && sameEtag(previous.get().etag(), object.etag())) {
            LOG.info("s3://{}/{} already has its receipt; redelivery ignored", ingestBucket, object.key());
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
            pass = Hashing.hash(in, Detector.HEAD_BYTES);
        } catch (IOException e) {
            throw new StorageException("reading " + ObjectStore.uri(ingestBucket, object.key()) + " failed: " + e.getMessage(), e);
        }
        var detected = Detector.detect(pass.head(), pass.headLength());
        // The structural pass reads only headers and indexes, with ranged GETs pinned to the ETag
        // that was hashed; the hash above was the one pass over every byte.
        Verdict verdict;
        try (var source = new S3ByteSource(store.client(), ingestBucket, object.key(), etag, pass.size())) {
            verdict = validator.validate(source, detected, declaredType, object.key()).verdict();
            LOG.debug("structural pass over {} fetched {} of {} bytes", object.key(), source.bytesRead(), pass.size());
        } catch (IOException e) {
            throw new StorageException("closing the ranged reader of " + object.key() + " failed", e);
        }
        String mediaId = pass.sha256();
        LOG.info("s3://{}/{}: {} bytes, sha256 {}, detected {}, accepted {}, reasons {}", ingestBucket, object.key(),
                pass.size(), mediaId, detected.mimeType(), verdict.accepted(), verdict.reasons());

        Receipt receipt = verdict.accepted()
                ? accept(object, etag, declaredType, pass, verdict)
                : quarantine(object, etag, declaredType, pass, verdict);
        store.putJson(mediaBucket, receiptKey, receipt);
    }

    private Receipt accept(ObjectCreated object, String etag, String declaredType, Hashing.Pass pass, Verdict verdict) {
        String mediaId = pass.sha256();
        Optional<Manifest> existing = store.getJson(mediaBucket, Keys.manifest(mediaId), Manifest.class);
        if (existing.isPresent()) {
            Manifest m = existing.get();
            LOG.info("{} is a duplicate of media {} ({}); nothing is processed again", object.key(), mediaId, m.status());
            if (m.terminal()) {
                queue.send(completionQueue, new CompletionEvent(mediaId, m.status(), m.type(), Keys.manifest(mediaId),
                        object.key(), m.reasons()));
            }
            return new Receipt(ingestBucket, object.key(), etag, pass.size(), declaredType, mediaId,
                    verdict.detectedType(), m.status() == MediaStatus.QUARANTINED ? MediaStatus.QUARANTINED : MediaStatus.PROCESSING,
                    verdict.reasons(), true);
        }
        if (!store.copyIfMatch(ingestBucket, object.key(), etag, mediaBucket, Keys.original(mediaId), verdict.detectedType())) {
            throw new StorageException("s3://" + ingestBucket + "/" + object.key()
                    + " changed while it was validated (ETag " + etag + " no longer matches); will retry", null);
        }
        MediaCategory category = verdict.detected().category();
        Map<String, String> pending = new LinkedHashMap<>();
        for (StepRoute route : steps) {
            if (route.appliesTo(category, verdict.detectedType())) {
                pending.put(route.name(), Manifest.PENDING);
            }
        }
        boolean nothingToDo = pending.isEmpty();
        Manifest manifest = new Manifest(mediaId, nothingToDo ? MediaStatus.READY : MediaStatus.PROCESSING,
                verdict.detectedType(), category.id(), pass.size(),
                new Manifest.Location(mediaBucket, Keys.original(mediaId)), pending, verdict.reasons(), List.of(), Map.of());
        // Fan out before the manifest exists: a crash in between is retried and sends again, which
        // the steps tolerate; a manifest without its messages would stall forever.
        for (StepRoute route : steps) {
            if (route.appliesTo(category, verdict.detectedType())) {
                queue.send(route.queueUrl(), new StepMessage(mediaId, route.name(), verdict.detectedType(), category.id(),
                        mediaBucket, Keys.original(mediaId)));
            }
        }
        store.putJson(mediaBucket, Keys.manifest(mediaId), manifest);
        if (nothingToDo) {
            queue.send(completionQueue, new CompletionEvent(mediaId, MediaStatus.READY, manifest.type(), Keys.manifest(mediaId), null, List.of()));
        }
        return new Receipt(ingestBucket, object.key(), etag, pass.size(), declaredType, mediaId, verdict.detectedType(),
                MediaStatus.PROCESSING, verdict.reasons(), false);
    }

    private Receipt quarantine(ObjectCreated object, String etag, String declaredType, Hashing.Pass pass, Verdict verdict) {
        String mediaId = pass.sha256();
        if (!store.exists(quarantineBucket, Keys.quarantinedOriginal(mediaId))
                && !store.copyIfMatch(ingestBucket, object.key(), etag, quarantineBucket, Keys.quarantinedOriginal(mediaId),
                        "application/octet-stream")) {
            throw new StorageException("s3://" + ingestBucket + "/" + object.key()
                    + " changed while it was validated (ETag " + etag + " no longer matches); will retry", null);
        }
        store.putJson(quarantineBucket, Keys.quarantineReasons(mediaId), new Receipt(ingestBucket, object.key(), etag,
                pass.size(), declaredType, mediaId, verdict.detectedType(), MediaStatus.QUARANTINED, verdict.reasons(), false));
        if (verdict.contentRejected() && !store.exists(mediaBucket, Keys.manifest(mediaId))) {
            store.putJson(mediaBucket, Keys.manifest(mediaId), new Manifest(mediaId, MediaStatus.QUARANTINED,
                    verdict.detectedType(), verdict.detected().category().id(), pass.size(),
                    new Manifest.Location(quarantineBucket, Keys.quarantinedOriginal(mediaId)), Map.of(),
                    verdict.reasons(), List.of(), Map.of()));
        }
        queue.send(completionQueue, new CompletionEvent(mediaId, MediaStatus.QUARANTINED, verdict.detectedType(),
                Keys.manifest(mediaId), object.key(), verdict.reasons()));
        return new Receipt(ingestBucket, object.key(), etag, pass.size(), declaredType, mediaId, verdict.detectedType(),
                MediaStatus.QUARANTINED, verdict.reasons(), false);
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
    public String prime() {
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
        Map<String, String> pending = new LinkedHashMap<>();
        int roundTrips = 0;
        for (StepRoute route : steps) {
            if (route.appliesTo(category, verdict.detectedType())) {
                pending.put(route.name(), Manifest.PENDING);
                Json.roundTrip(new StepMessage(mediaId, route.name(), verdict.detectedType(), category.id(), mediaBucket,
                        Keys.original(mediaId)), StepMessage.class);
                roundTrips++;
            }
        }
        Json.roundTrip(new Manifest(mediaId, MediaStatus.PROCESSING, verdict.detectedType(), category.id(), pass.size(),
                new Manifest.Location(mediaBucket, Keys.original(mediaId)), pending, verdict.reasons(), List.of(), Map.of()),
                Manifest.class);
        Json.roundTrip(new Receipt(ingestBucket, key, created.get(0).etag(), pass.size(), "image/png", mediaId,
                verdict.detectedType(), MediaStatus.PROCESSING, verdict.reasons(), false), Receipt.class);
        Json.roundTrip(new CompletionEvent(mediaId, MediaStatus.READY, verdict.detectedType(), Keys.manifest(mediaId), null,
                verdict.reasons()), CompletionEvent.class);
        roundTrips += 3;
        return "priming.png: " + result.structure().width() + "x" + result.structure().height() + " "
                + verdict.detectedType() + " ACCEPTED, " + pass.size() + " bytes, sha256 " + mediaId.substring(0, 12)
                + "..., steps " + pending.keySet() + ", " + roundTrips + " JSON round trips";
    }

    private static boolean sameEtag(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return a.replace("\"", "").equals(b.replace("\"", ""));
    }
}
