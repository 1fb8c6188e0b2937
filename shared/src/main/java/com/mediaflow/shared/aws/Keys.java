package com.mediaflow.shared.aws;

import com.mediaflow.shared.error.MalformedEventException;

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

    /** One receipt per upload, named after its ingest key. */
    public static String receipt(String ingestKey) {
        return "receipts/" + ingestKey + ".json";
    }

    /** In the quarantine bucket. */
    public static String quarantinedOriginal(String mediaId) {
        return mediaId + "/original";
    }

    /** In the quarantine bucket: the machine-readable reasons of the upload that put it there. */
    public static String quarantineReasons(String mediaId) {
        return mediaId + "/reasons.json";
    }
}
