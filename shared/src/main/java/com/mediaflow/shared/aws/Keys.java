package com.mediaflow.shared.aws;

import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Upload;

/** Where everything lives. Content-addressed: a media item's keys derive from its SHA-256 alone. */
public final class Keys {
    private Keys() {
    }

    /**
     * Checks a message's media id (64 lowercase hex digits) and, when {@code expectedBucket} is
     * given, that it names the media bucket: a message is hostile input until it passes.
     *
     * @param what the message, for the error: "step message", "finalize message"
     */
    public static void checkMessage(String what, String mediaId, String bucket, String expectedBucket) {
        if (mediaId == null || !mediaId.matches("[0-9a-f]{64}")) {
            throw new MalformedEventException(what + " mediaId is '" + mediaId + "', expected 64 hex digits");
        }
        if (expectedBucket != null && !expectedBucket.equals(bucket)) {
            throw new MalformedEventException(what + " names bucket '" + bucket + "', expected '" + expectedBucket + "'");
        }
    }

    /**
     * Where a step keeps scratch objects for an item while it works (the transcode step's segments,
     * plan and encoded parts): under one top-level prefix, {@code work/<step>/<id>/}, so that the
     * media bucket's lifecycle rule expires what a job never cleaned up.
     */
    public static String scratchPrefix(String step, String mediaId) {
        return "work/" + step + "/" + mediaId + "/";
    }

    public static String mediaPrefix(String mediaId) {
        return "media/" + mediaId + "/";
    }

    public static String original(String mediaId) {
        return mediaPrefix(mediaId) + "original";
    }

    public static String manifest(String mediaId) {
        return mediaPrefix(mediaId) + "manifest.json";
    }

    public static String stepResult(String mediaId, String step) {
        return mediaPrefix(mediaId) + "steps/" + step + ".json";
    }

    public static String rendition(String mediaId, String step, String name) {
        return mediaPrefix(mediaId) + step + "/" + name;
    }

    /**
     * The folder of every receipt of one ingest key: {@code receipts/<SHA-256 of "bucket|key">/}.
     * Fixed length (74 characters), so a receipt key stays far below S3's 1024-byte limit for any
     * ingest key.
     */
    public static String receiptPrefix(String ingestBucket, String ingestKey) {
        return "receipts/" + Upload.keyHash(ingestBucket, ingestKey) + "/";
    }

    /** One receipt per upload: {@code receipts/<SHA-256 of "bucket|key">/<upload id>.json}. */
    public static String receipt(Upload upload) {
        return receiptPrefix(upload.bucket(), upload.key()) + upload.id() + ".json";
    }

    /** The uploads attached to an item: each one's receipt as validate wrote it, with its own verdict. */
    public static String uploadsPrefix(String mediaId) {
        return mediaPrefix(mediaId) + "uploads/";
    }

    public static String upload(String mediaId, String uploadId) {
        return uploadsPrefix(mediaId) + uploadId + ".json";
    }

    /**
     * {@code media/<id>/deleting}: the item is being deleted (its last upload was deleted). Created
     * with {@code If-None-Match: *} by the deleter before it lists the item's uploads a last time;
     * validate, attaching a duplicate, checks for it after writing its own upload and backs off.
     */
    public static String tombstone(String mediaId) {
        return mediaPrefix(mediaId) + "deleting";
    }

    /** The on-demand renders the render function stored for an item: {@code media/<id>/render/}. */
    public static String renderPrefix(String mediaId) {
        return mediaPrefix(mediaId) + "render/";
    }

    /** The outbox's marks: one object per completion event sent, holding the event. */
    public static String sentPrefix(String mediaId) {
        return mediaPrefix(mediaId) + "events/";
    }

    /** {@code media/<id>/events/<upload id>.<STATUS>.json}: the event of that upload in that state was sent. */
    public static String sent(String mediaId, String uploadId, MediaStatus status) {
        return sentPrefix(mediaId) + uploadId + "." + status.name() + ".json";
    }

    /**
     * Shadow mode: everything a shadow copy of a step writes, {@code shadow/<id>/<step>/}, beside the
     * item's own keys and never among them (no manifest, receipt, outbox mark or event under it).
     */
    public static String shadowPrefix(String mediaId, String step) {
        return "shadow/" + mediaId + "/" + step + "/";
    }

    /** A rendition of a shadow copy: {@code shadow/<id>/<step>/<name>}, as {@link #rendition} under media/. */
    public static String shadowRendition(String mediaId, String step, String name) {
        return shadowPrefix(mediaId, step) + name;
    }

    /** A shadow copy's step result, as {@link #stepResult} for the real one. */
    public static String shadowResult(String mediaId, String step) {
        return shadowPrefix(mediaId, step) + "result.json";
    }

    /** Where the shadow result and the real one differ: {@code shadow/<id>/<step>/compare.json}. */
    public static String shadowComparison(String mediaId, String step) {
        return shadowPrefix(mediaId, step) + "compare.json";
    }

    /** In the quarantine bucket. */
    public static String quarantinedOriginal(String mediaId) {
        return mediaId + "/original";
    }

    /** In the quarantine bucket: the machine-readable reasons of the upload that put it there. */
    public static String quarantineReasons(String mediaId) {
        return mediaId + "/reasons.json";
    }

    /**
     * In the ingest bucket: where the upload API lets a caller's presigned POST put one upload,
     * {@code uploads/<caller>/<upload id>/<file name>}; the caller and the name already made safe.
     */
    public static String apiIngestKey(String caller, String uploadId, String fileName) {
        return apiIngestPrefix(caller) + uploadId + "/" + fileName;
    }

    /** In the ingest bucket: every upload the API presigned for one caller, {@code uploads/<caller>/}. */
    public static String apiIngestPrefix(String caller) {
        return "uploads/" + caller + "/";
    }

    /** In the media bucket: the upload API's record of one presigned upload, {@code api/uploads/<upload id>.json}. */
    public static String apiUpload(String uploadId) {
        return "api/uploads/" + uploadId + ".json";
    }
}
