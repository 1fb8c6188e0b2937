package com.mediaflow.shared.model;

import com.mediaflow.shared.error.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One upload: an object created in the ingest bucket. It is identified by its bucket, its key and
 * its {@link #version()}: the S3 event's sequencer, or the object's ETag when the event has no
 * sequencer. The same key uploaded twice is two uploads, even with the same bytes.
 *
 * <p>The identifiers are SHA-256 digests (lowercase hex) of the fields joined by {@code |}:
 * <ul>
 *   <li>{@link #keyHash} = SHA-256 of {@code bucket|key}: names the folder of the key's receipts;
 *   <li>{@link #id()} = SHA-256 of {@code bucket|key|version}: names the upload's receipt;
 *   <li>{@link #eventId} = SHA-256 of {@code bucket|key|version|status}: the completion event of
 *       the upload in that final state.
 * </ul>
 * A bucket name, a sequencer, an ETag and a status never contain {@code |}, so each joined string
 * reads back one way only, whatever the key holds.
 *
 * @param etag without quotes
 * @param sequencer null when the event had none
 */
public record Upload(String bucket, String key, String sequencer, String etag) {
    public Upload {
        if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
            throw new MalformedEventException("an upload needs a bucket and a key; found bucket '" + bucket + "', key '"
                    + key + "'");
        }
        sequencer = sequencer == null || sequencer.isBlank() ? null : sequencer;
        etag = etag == null || etag.isBlank() ? null : etag.replace("\"", "");
        if (sequencer != null && !sequencer.matches("[0-9A-Fa-f]{1,64}")) {
            throw new MalformedEventException("S3 record for s3://" + bucket + "/" + key + " has sequencer '" + sequencer
                    + "', expected 1 to 64 hex digits");
        }
        if (etag != null && !etag.matches("[0-9A-Za-z-]{1,128}")) {
            throw new MalformedEventException("S3 record for s3://" + bucket + "/" + key + " has ETag '" + etag
                    + "', expected hex digits and dashes");
        }
    }

    /** The sequencer when there is one, else the ETag; null when the event had neither. */
    public String version() {
        return sequencer != null ? sequencer : etag;
    }

    public boolean hasVersion() {
        return version() != null;
    }

    /** This upload with the ETag S3 returned when its bytes were read. */
    public Upload withEtag(String readEtag) {
        return new Upload(bucket, key, sequencer, readEtag);
    }

    /**
     * SHA-256 of {@code bucket|key|version}.
     *
     * @throws IllegalStateException when there is neither a sequencer nor an ETag yet
     */
    public String id() {
        return sha256(bucket + "|" + key + "|" + requireVersion());
    }

    /** SHA-256 of {@code bucket|key|version|status}: the same upload in the same final state has one event id. */
    public String eventId(MediaStatus status) {
        return sha256(bucket + "|" + key + "|" + requireVersion() + "|" + status.name());
    }

    /** SHA-256 of {@code bucket|key}: every upload of this key has its receipt under one folder named by it. */
    public static String keyHash(String bucket, String key) {
        return sha256(bucket + "|" + key);
    }

    private String requireVersion() {
        if (!hasVersion()) {
            throw new IllegalStateException("upload s3://" + bucket + "/" + key
                    + " has no identity yet: expected the event's sequencer or the object's ETag, found neither");
        }
        return version();
    }

    static String sha256(String s) {
        return HexFormat.of().formatHex(sha256Digest().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static java.security.MessageDigest sha256Digest() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
