package com.mediaflow.infra.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.model.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds S3 event notifications in AWS's exact JSON shape (event structure version 2.1), as S3
 * puts them on an SQS queue. Keys are URL-encoded the way S3 encodes them (a space is '+').
 */
public final class S3EventFactory {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 16);
    private final String region;
    private final String principal;

    public S3EventFactory(String region, String principal) {
        this.region = region;
        this.principal = principal;
    }

    /**
     * @param eventName e.g. ObjectCreated:Put, ObjectCreated:Copy, ObjectCreated:CompleteMultipartUpload
     * @param etag without quotes
     */
    public String objectCreated(String eventName, String configurationId, String bucket, String key, long size, String etag) {
        return objectCreated(eventName, configurationId, bucket, key, size, etag, String.format("%016X", sequencer.incrementAndGet()));
    }

    /**
     * As S3 sends it again: the same object event, with the sequencer it had (S3's sequencer grows
     * with each event of a key; a redelivered event keeps it).
     */
    public String objectCreated(String eventName, String configurationId, String bucket, String key, long size, String etag,
                                String sequencerHex) {
        ObjectNode r = S3Notification.record(region, configurationId, new S3Notification.ObjectCreated(eventName, bucket, key, size,
                etag, sequencerHex, TIME.format(Instant.now())));
        // what S3 adds that no reader here uses, so that the shape is AWS's
        r.putObject("userIdentity").put("principalId", "AWS:" + principal);
        r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = r.putObject("responseElements");
        response.put("x-amz-request-id", randomHex(8).toUpperCase());
        response.put("x-amz-id-2", randomHex(32));
        ((ObjectNode) r.get("s3").get("bucket")).putObject("ownerIdentity").put("principalId", principal);
        return Json.write(S3Notification.notification(java.util.List.of(r)));
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
