package com.mediaflow.shared.aws;

/** Where everything lives. Content-addressed: a media item's keys derive from its SHA-256 alone. */
public final class Keys {
    private Keys() {
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
