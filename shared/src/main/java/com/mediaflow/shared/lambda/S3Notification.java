package com.mediaflow.shared.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.model.Json;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the S3 event notification that S3 puts on an SQS queue. S3 events are hostile input: the
 * key is URL-encoded, the size may be missing, and the bucket must be the one this function
 * serves before any call is made for it.
 */
public final class S3Notification {
    /**
     * One created object. {@code key} is already URL-decoded.
     *
     * @param eventTime the record's {@code eventTime} as S3 wrote it (ISO-8601), when the object was created; null when absent
     */
    public record ObjectCreated(String eventName, String bucket, String key, long size, String etag, String sequencer,
                                String eventTime) {
    }

    private S3Notification() {
    }

    /**
     * Writes one ObjectCreated record the way S3 puts it on a queue (event structure 2.1), the
     * inverse of {@link #parse}: the sweeper re-sends lost notifications with it, the PreTraffic hook
     * builds its probes with it, and the embedded stack announces uploads with it.
     *
     * @param o the object; a negative size, a null sequencer or a null event time leaves that field out
     * @param configurationId the notification configuration's id, which tells who sent it
     * @return the record, for a caller to add what its sender adds ({@code userIdentity} and the like)
     */
    public static ObjectNode record(String region, String configurationId, ObjectCreated o) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("eventVersion", "2.1");
        r.put("eventSource", "aws:s3");
        r.put("awsRegion", region);
        if (o.eventTime() != null) {
            r.put("eventTime", o.eventTime());
        }
        r.put("eventName", o.eventName());
        ObjectNode s3 = r.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", o.bucket());
        bucket.put("arn", "arn:aws:s3:::" + o.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", encodeKey(o.key()));
        if (o.size() >= 0) {
            object.put("size", o.size());
        }
        object.put("eTag", o.etag() == null ? null : o.etag().replace("\"", ""));
        if (o.sequencer() != null) {
            object.put("sequencer", o.sequencer());
        }
        return r;
    }

    /** A whole notification holding these records (its JSON is an SQS message body). */
    public static ObjectNode notification(List<ObjectNode> records) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putArray("Records").addAll(records);
        return root;
    }

    /** A whole notification of one record: {@link #record} in its {@code Records} array. */
    public static ObjectNode notification(String region, String configurationId, ObjectCreated o) {
        return notification(List.of(record(region, configurationId, o)));
    }

    /** A key as S3 writes it in events: form encoding ('+' for a space), leaving '/', '~' alone. */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/").replace("*", "%2A").replace("%7E", "~");
    }

    /**
     * @return the ObjectCreated records in the message body; empty for S3's {@code s3:TestEvent}
     * @throws MalformedEventException if the body is not an S3 notification, or names another bucket
     */
    public static List<ObjectCreated> parse(String body, String expectedBucket) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new MalformedEventException("expected an S3 event notification in the SQS body, found invalid JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("expected an S3 event notification object in the SQS body, found " + root);
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return List.of();
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new MalformedEventException("expected an S3 event notification with a Records array, found keys " + fieldNames(root));
        }
        List<ObjectCreated> out = new ArrayList<>();
        for (JsonNode r : records) {
            String eventName = r.path("eventName").asText("");
            if (!eventName.startsWith("ObjectCreated:")) {
                continue;
            }
            String bucket = r.path("s3").path("bucket").path("name").asText(null);
            String rawKey = r.path("s3").path("object").path("key").asText(null);
            if (bucket == null || rawKey == null || rawKey.isEmpty()) {
                throw new MalformedEventException("S3 record " + eventName + " lacks s3.bucket.name or s3.object.key");
            }
            if (!bucket.equals(expectedBucket)) {
                throw new MalformedEventException("S3 record names bucket '" + bucket + "', expected '" + expectedBucket + "'");
            }
            JsonNode obj = r.path("s3").path("object");
            long size = obj.path("size").asLong(-1);
            out.add(new ObjectCreated(eventName, bucket, decodeKey(rawKey), size,
                    obj.path("eTag").asText(null), obj.path("sequencer").asText(null), r.path("eventTime").asText(null)));
        }
        return out;
    }

    /** S3 encodes keys in events as application/x-www-form-urlencoded: '+' is a space. */
    public static String decodeKey(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("S3 object key '" + raw + "' is not valid URL encoding", e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
