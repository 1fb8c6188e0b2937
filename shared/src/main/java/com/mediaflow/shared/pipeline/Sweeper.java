package com.mediaflow.shared.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.StepRoute;
import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.Upload;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sweep that makes sure no upload is lost when a message is: it finds
 * <ul>
 *   <li><b>uploads without a receipt</b>: objects in the ingest bucket older than the grace period
 *       for which validate never wrote a receipt (the S3 notification was lost, or validate failed
 *       at initialisation and never read its queue). It re-sends the notification S3 would have
 *       sent to the ingest queue (validation is idempotent and claims are conditional), and after
 *       {@code maxRedrives} re-drives marks the upload FAILED ({@code STALLED}): a FAILED receipt and
 *       its completion event;</li>
 *   <li><b>stuck items</b>: manifests PROCESSING with no change for longer than {@code stuckAfter}.
 *       It re-drives what is missing (a step message for each step without a stored result; when
 *       every result is stored, a notice to finalize), and after {@code maxRedrives}
 *       re-drives marks the item FAILED ({@code STALLED}) through {@link Failures}, which completes
 *       each attached upload once through the {@link Outbox}.</li>
 * </ul>
 * Bounded: each scan examines at most {@code maxObjects} objects per run and keeps a cursor in the
 * media bucket ({@code sweeper/cursors/}), so the next run goes on where this one stopped and a
 * large bucket is covered over several runs. Idempotent: what it re-drove is recorded
 * ({@code sweeper/uploads/<upload id>.json}, {@code sweeper/items/<media id>.json}, holding the count and
 * the time), so a second run right after the first finds nothing new to do; and an item is only
 * marked FAILED if its manifest is still the one that was judged stuck. Nothing younger than its
 * limit is touched: an item merely slow (one whose manifest a progress line keeps rewriting) is
 * never stuck.
 */
public final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    /** The S3 event's {@code configurationId} in a notification the sweeper re-sends. */
    public static final String CONFIGURATION_ID = "mediaflow-sweeper";
    static final String CURSORS = "sweeper/cursors/";
    static final String UPLOAD_REDRIVES = "sweeper/uploads/";
    static final String ITEM_REDRIVES = "sweeper/items/";
    private static final Pattern MANIFEST = Pattern.compile("media/([0-9a-f]{64})/manifest\\.json");

    /** The sweeper's limits, from {@link Config}. */
    public record Settings(Duration stuckAfter, Duration uploadGrace, int maxRedrives, int maxObjects) {
        public static Settings of(Config config) {
            return new Settings(config.sweepStuckAfter(), config.sweepUploadGrace(), config.sweepMaxRedrives(),
                    config.sweepMaxObjects());
        }
    }

    /** What the sweeper keeps of one upload or item it re-drove: how many times, and when last. */
    public record Redrives(int count, Instant last) {
        Redrives next(Instant now) {
            return new Redrives(count + 1, now);
        }
    }

    public enum Action {
        /** Nothing to do: within its limits, or re-driven recently enough. */
        LEAVE,
        /** Send its work again. */
        REDRIVE,
        /** Re-driven {@code maxRedrives} times to no effect: mark it FAILED. */
        FAIL
    }

    /** A decision and why, in words for the log and the FAILED reason. */
    public record Decision(Action action, String why) {
    }

    /** What one run found and did; {@link #line()} is its progress line. */
    public record Report(int uploadsExamined, int uploadsWithoutReceipt, int uploadsRedriven, int uploadsFailed,
                         boolean uploadsScanComplete, int itemsExamined, int itemsStuck, int itemsRedriven, int itemsFailed,
                         boolean itemsScanComplete, long millis) {
        public String line() {
            return "sweep: ingest bucket " + uploadsExamined + " objects examined, " + uploadsWithoutReceipt
                    + " without a receipt past the grace period (" + uploadsRedriven + " re-driven, " + uploadsFailed
                    + " FAILED)" + (uploadsScanComplete ? "" : ", more next run") + "; items " + itemsExamined
                    + " manifests examined, " + itemsStuck + " PROCESSING past the limit (" + itemsRedriven + " re-driven, "
                    + itemsFailed + " FAILED)" + (itemsScanComplete ? "" : ", more next run") + "; " + millis + " ms";
        }
    }

    private final ObjectStore store;
    private final Queue queue;
    private final String region;
    private final String ingestBucket;
    private final String mediaBucket;
    private final String ingestQueue;
    private final String finalizeQueue;
    private final List<StepRoute> steps;
    private final Settings settings;
    private final Failures failures;
    private final Clock clock;

    public Sweeper(Config config, ObjectStore store, Queue queue) {
        this(config, store, queue, Clock.systemUTC());
    }

    public Sweeper(Config config, ObjectStore store, Queue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.region = config.region();
        this.ingestBucket = config.ingestBucket();
        this.mediaBucket = config.mediaBucket();
        this.ingestQueue = config.ingestQueueUrl();
        this.finalizeQueue = config.finalizeQueueUrl();
        this.steps = config.pipelineSteps();
        this.settings = Settings.of(config);
        this.failures = new Failures(store, queue, mediaBucket, config.completionQueueUrl());
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ decisions (no I/O)

    /**
     * An object in the ingest bucket with no receipt.
     *
     * @param created the object's LastModified
     * @param redrives what the sweeper re-drove of it so far; null for nothing
     */
    public static Decision judgeUpload(Instant created, Redrives redrives, Instant now, Settings s) {
        Duration age = Duration.between(created, now);
        if (age.compareTo(s.uploadGrace()) < 0) {
            return new Decision(Action.LEAVE, "created " + age.toSeconds() + " s ago, within the grace period of "
                    + s.uploadGrace().toSeconds() + " s: its notification may be on its way");
        }
        int count = redrives == null ? 0 : redrives.count();
        if (redrives != null && Duration.between(redrives.last(), now).compareTo(s.uploadGrace()) < 0) {
            return new Decision(Action.LEAVE, "re-driven " + Duration.between(redrives.last(), now).toSeconds()
                    + " s ago (" + count + " of " + s.maxRedrives() + "), within the grace period of "
                    + s.uploadGrace().toSeconds() + " s");
        }
        if (count >= s.maxRedrives()) {
            return new Decision(Action.FAIL, "expected a receipt within " + s.uploadGrace().toSeconds()
                    + " s of the upload (created " + created + "); found none after " + count + " re-drive(s) of its notification");
        }
        return new Decision(Action.REDRIVE, "no receipt " + age.toSeconds() + " s after the upload, expected one within "
                + s.uploadGrace().toSeconds() + " s; re-drive " + (count + 1) + " of " + s.maxRedrives());
    }

    /**
     * A manifest PROCESSING.
     *
     * @param changed the manifest's LastModified: its claim, or its last progress line
     * @param redrives what the sweeper re-drove of it so far; null for nothing. Counted only when the
     *     manifest has not changed since: an item that moved after a re-drive starts again
     */
    public static Decision judgeItem(Instant changed, Redrives redrives, Instant now, Settings s) {
        boolean movedSince = redrives == null || changed.isAfter(redrives.last());
        Instant quietSince = movedSince ? changed : redrives.last();
        Duration quiet = Duration.between(quietSince, now);
        if (quiet.compareTo(s.stuckAfter()) < 0) {
            return new Decision(Action.LEAVE, "PROCESSING, last " + (movedSince ? "changed" : "re-driven") + " "
                    + quiet.toSeconds() + " s ago, within " + s.stuckAfter().toSeconds() + " s");
        }
        int count = movedSince ? 0 : redrives.count();
        if (count >= s.maxRedrives()) {
            return new Decision(Action.FAIL, "expected the item to leave PROCESSING within " + s.stuckAfter().toSeconds()
                    + " s of its last change; found it unchanged since " + changed + " (" + Duration.between(changed, now).toSeconds()
                    + " s) after " + count + " re-drive(s)");
        }
        return new Decision(Action.REDRIVE, "PROCESSING and unchanged for " + quiet.toSeconds() + " s, expected a change within "
                + s.stuckAfter().toSeconds() + " s; re-drive " + (count + 1) + " of " + s.maxRedrives());
    }

    // ------------------------------------------------------------------ the sweep

    /** One run, with no time limit but its object budget. */
    public Report sweep() {
        return sweep(Duration.ofDays(1));
    }

    /**
     * One run: the ingest bucket, then the items, each from where the previous run stopped, each at
     * most {@code maxObjects} objects, and both together within {@code timeBudget}.
     */
    public Report sweep(Duration timeBudget) {
        long t0 = System.nanoTime();
        Instant stopAt = clock.instant().plus(timeBudget);
        Scan uploads = new Scan();
        scan("uploads", ingestBucket, "", uploads, stopAt, this::examineUpload);
        Scan items = new Scan();
        scan("items", mediaBucket, "media/", items, stopAt, this::examineItem);
        Report report = new Report(uploads.examined, uploads.candidates, uploads.redriven, uploads.failed, uploads.complete,
                items.examined, items.candidates, items.redriven, items.failed, items.complete,
                (System.nanoTime() - t0) / 1_000_000);
        LOG.info(report.line());
        return report;
    }

    /** Counts of one scan. */
    private static final class Scan {
        int examined;
        int candidates;
        int redriven;
        int failed;
        boolean complete;
    }

    private interface Examiner {
        /** @return whether the object counted against the budget */
        boolean examine(ObjectStore.Listed object, Instant now, Scan scan);
    }

    private void scan(String name, String bucket, String prefix, Scan scan, Instant stopAt, Examiner examiner) {
        String cursorKey = CURSORS + name + ".json";
        Optional<Cursor> saved = store.getJson(mediaBucket, cursorKey, Cursor.class);
        String startAfter = saved.map(Cursor::startAfter).orElse(null);
        String last = startAfter;
        int budget = settings.maxObjects();
        while (true) {
            ObjectStore.Page page = store.listPage(bucket, prefix, last, 1000);
            boolean stopped = false;
            for (ObjectStore.Listed o : page.objects()) {
                Instant now = clock.instant();
                if (budget <= 0 || now.isAfter(stopAt)) {
                    stopped = true;
                    break;
                }
                try {
                    if (examiner.examine(o, now, scan)) {
                        budget--;
                        scan.examined++;
                    }
                } catch (RuntimeException e) {
                    // one object's trouble must not stop the sweep; the scan's next pass sees it again
                    LOG.warn("sweep: s3://{}/{} could not be examined, left for the next run: {}", bucket, o.key(), e.toString(), e);
                }
                last = o.key();
            }
            if (!stopped && page.nextStartAfter() == null) {
                scan.complete = true;
                break;
            }
            if (stopped || budget <= 0 || clock.instant().isAfter(stopAt)) {
                break;
            }
        }
        if (scan.complete) {
            if (saved.isPresent()) {
                store.delete(mediaBucket, cursorKey);
            }
        } else if (last != null && !last.equals(startAfter)) {
            store.putJson(mediaBucket, cursorKey, new Cursor(last));
        }
    }

    /** Where a scan goes on in the next run. */
    record Cursor(String startAfter) {
    }

    private boolean examineUpload(ObjectStore.Listed o, Instant now, Scan scan) {
        if (o.etag() == null || o.etag().isEmpty()) {
            return true;
        }
        if (judgeUpload(o.lastModified(), null, now, settings).action() == Action.LEAVE) {
            return true; // young: not even its receipts are read
        }
        if (Receipts.find(store, mediaBucket, ingestBucket, o.key(), o.etag()).isPresent()) {
            return true;
        }
        scan.candidates++;
        Upload upload = new Upload(ingestBucket, o.key(), null, o.etag());
        String recordKey = UPLOAD_REDRIVES + upload.id() + ".json";
        Redrives redrives = store.getJson(mediaBucket, recordKey, Redrives.class).orElse(null);
        Decision d = judgeUpload(o.lastModified(), redrives, now, settings);
        switch (d.action()) {
            case LEAVE -> LOG.debug("sweep: s3://{}/{} has no receipt; {}", ingestBucket, o.key(), d.why());
            case REDRIVE -> {
                store.putJson(mediaBucket, recordKey, (redrives == null ? new Redrives(0, now) : redrives).next(now));
                queue.send(ingestQueue, notification(o));
                scan.redriven++;
                LOG.warn("sweep: s3://{}/{} (ETag {}) {}; its notification sent again to the ingest queue", ingestBucket,
                        o.key(), o.etag(), d.why());
            }
            case FAIL -> {
                if (Receipts.find(store, mediaBucket, ingestBucket, o.key(), o.etag()).isPresent()) {
                    return true; // validated meanwhile
                }
                failures.markUploadFailed(upload, Reason.error(ReasonCode.STALLED, "sweeper: " + d.why()));
                store.delete(mediaBucket, recordKey);
                scan.failed++;
            }
            default -> throw new IllegalStateException("unexpected " + d.action());
        }
        return true;
    }

    private boolean examineItem(ObjectStore.Listed o, Instant now, Scan scan) {
        Matcher m = MANIFEST.matcher(o.key());
        if (!m.matches()) {
            return false; // the item's other objects: listed, not examined
        }
        if (Duration.between(o.lastModified(), now).compareTo(settings.stuckAfter()) < 0) {
            return true; // changed recently: whatever its state, not stuck
        }
        String mediaId = m.group(1);
        Optional<ObjectStore.Versioned<Manifest>> read = store.getJsonVersioned(mediaBucket, o.key(), Manifest.class);
        if (read.isEmpty() || read.get().value().status() != MediaStatus.PROCESSING) {
            return true;
        }
        String etag = read.get().etag() == null ? "" : read.get().etag().replace("\"", "");
        if (o.etag() != null && !o.etag().equals(etag)) {
            return true; // written since it was listed: alive
        }
        String recordKey = ITEM_REDRIVES + mediaId + ".json";
        Redrives redrives = store.getJson(mediaBucket, recordKey, Redrives.class).orElse(null);
        Decision d = judgeItem(o.lastModified(), redrives, now, settings);
        if (d.action() == Action.LEAVE) {
            return true;
        }
        scan.candidates++;
        Manifest item = read.get().value();
        List<String> missing = new ArrayList<>();
        for (String step : item.steps().keySet()) {
            if (!store.exists(mediaBucket, Keys.stepResult(mediaId, step))) {
                missing.add(step);
            }
        }
        if (d.action() == Action.REDRIVE) {
            Redrives base = redrives == null || o.lastModified().isAfter(redrives.last()) ? new Redrives(0, now) : redrives;
            store.putJson(mediaBucket, recordKey, base.next(now));
            List<String> sent = redriveItem(item, missing);
            scan.redriven++;
            LOG.warn("sweep: media {} {}; sent {}", mediaId, d.why(), sent);
        } else {
            Reason reason = Reason.error(ReasonCode.STALLED, "sweeper: " + d.why() + "; steps without a result: " + missing);
            if (failures.markItemFailed(mediaId, reason, read.get().etag())) {
                store.delete(mediaBucket, recordKey);
                scan.failed++;
            }
        }
        return true;
    }

    /**
     * Sends again what a stuck item lacks: a step message for each step without a stored result; when
     * every result is stored, a notice to finalize, which merges them.
     */
    private List<String> redriveItem(Manifest item, List<String> missing) {
        List<String> sent = new ArrayList<>();
        String id = item.mediaId();
        if (missing.isEmpty()) {
            String any = item.steps().keySet().stream().findFirst().orElse("sweeper");
            queue.send(finalizeQueue, new StepDone(id, any));
            sent.add("finalize");
            return sent;
        }
        for (String step : missing) {
            Optional<StepRoute> route = steps.stream().filter(r -> r.name().equals(step)).findFirst();
            if (route.isEmpty()) {
                LOG.warn("sweep: media {} waits for step '{}', which PIPELINE_STEPS does not name (expected one of {}); "
                        + "nothing to re-drive it with", id, step, steps.stream().map(StepRoute::name).toList());
                continue;
            }
            queue.send(route.get().queueUrl(), new StepMessage(id, step, item.type(), item.category(), mediaBucket,
                    Keys.original(id)).withSteps(item.steps().keySet()));
            sent.add(step);
        }
        return sent;
    }

    /** The S3 event notification S3 would have sent for this object, as it puts it on a queue. */
    ObjectNode notification(ObjectStore.Listed o) {
        return notification(region, ingestBucket, o.key(), o.etag(), o.lastModified());
    }

    /** As S3 sends it, but for its size and sequencer, which a listing does not give (validate reads neither from the event). */
    static ObjectNode notification(String region, String bucket, String key, String etag, Instant created) {
        return S3Notification.notification(region, CONFIGURATION_ID,
                new S3Notification.ObjectCreated("ObjectCreated:Put", bucket, key, -1, etag, null, created.toString()));
    }

    /** What {@link #check()} answers first, so that a caller can tell a check from a sweep's progress line. */
    public static final String CHECK_PREFIX = "check: ";

    /**
     * The PreTraffic hook's check of a new version: the decisions of {@link #prime()}, plus the reads
     * a sweep starts with (both cursors, and the first object of the ingest bucket and of the items),
     * so that the configuration, the role's read permissions and the endpoints are exercised. It
     * writes nothing: no cursor, no re-drive, no FAILED mark.
     *
     * @return what it did, starting with {@link #CHECK_PREFIX}
     * @throws com.mediaflow.shared.error.StorageException when a read fails
     */
    public String check() {
        String decisions = prime();
        int cursors = 0;
        for (String name : List.of("uploads", "items")) {
            if (store.getJson(mediaBucket, CURSORS + name + ".json", Cursor.class).isPresent()) {
                cursors++;
            }
        }
        int uploads = store.listPage(ingestBucket, "", null, 1).objects().size();
        int items = store.listPage(mediaBucket, "media/", null, 1).objects().size();
        return CHECK_PREFIX + decisions + "; " + cursors + " of 2 cursors found; ingest bucket " + (uploads == 0 ? "empty" : "listed")
                + ", items " + (items == 0 ? "none" : "listed") + "; nothing written";
    }

    /**
     * SnapStart priming: the decisions on synthetic ages, and the records, a re-sent notification
     * and a step message through JSON, with no S3 or SQS call.
     *
     * @return what it did
     * @throws IllegalStateException when a decision comes out other than expected
     */
    public String prime() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Settings s = settings;
        Redrives once = Json.roundTrip(new Redrives(1, now.minus(s.stuckAfter()).minusSeconds(1)), Redrives.class);
        Decision young = judgeUpload(now, null, now, s);
        Decision stuck = judgeItem(now.minus(s.stuckAfter()).minusSeconds(1), null, now, s);
        Decision again = judgeItem(now.minus(s.stuckAfter().multipliedBy(2)), once, now, s);
        if (young.action() != Action.LEAVE || stuck.action() == Action.LEAVE || again.action() == Action.LEAVE) {
            throw new IllegalStateException("priming: expected LEAVE, then REDRIVE or FAIL, then REDRIVE or FAIL; found "
                    + young.action() + ", " + stuck.action() + ", " + again.action());
        }
        String body = Json.write(notification(region, ingestBucket, "priming/priming photo.png", "0123456789abcdef", now));
        var parsed = S3Notification.parse(body, ingestBucket);
        Json.roundTrip(new StepMessage(PrimingInputs.MEDIA_ID, "thumbnail", MediaFormat.PNG, MediaCategory.IMAGE, mediaBucket,
                Keys.original(PrimingInputs.MEDIA_ID)), StepMessage.class);
        Json.roundTrip(new Cursor("media/" + PrimingInputs.MEDIA_ID + "/manifest.json"), Cursor.class);
        Json.roundTrip(new Receipt(ingestBucket, parsed.get(0).key(), "0123456789abcdef", 0, null, null, null, MediaStatus.FAILED,
                List.of(Reason.error(ReasonCode.STALLED, "sweeper: priming")), false, null, null, null), Receipt.class);
        return "decisions " + young.action() + ", " + stuck.action() + ", " + again.action() + "; a re-sent notification for '"
                + parsed.get(0).key() + "' parsed back; 4 JSON round trips";
    }
}
