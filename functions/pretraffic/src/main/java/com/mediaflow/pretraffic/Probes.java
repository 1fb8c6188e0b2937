package com.mediaflow.pretraffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.StepDone;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.Sweeper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The synthetic events, one per function. Each one runs the new version's init and handler and
 * asks it for a real decision on real storage, and none of them can make it write anything: they
 * name a bucket the function does not own, an upload that does not exist, or an item whose id
 * (64 zeros) no SHA-256 of an upload can have. Every record carries {@code ApproximateReceiveCount}
 * 1, so no record is ever on its last attempt (which would record a failure).
 *
 * <ul>
 *   <li>A <b>forged</b> record (another bucket, or a media id that is not one) is a permanent error:
 *       the version must consume it, not report it for a retry. For the steps, consuming it looks up
 *       the item it names to mark it FAILED, finds no manifest (a read of the media bucket, so the
 *       role's S3 permissions and the bucket's name are exercised) and writes nothing.</li>
 *   <li>A <b>missing</b> record is a well-formed message for the item of 64 zeros in the real
 *       media bucket: its step result and its original are read and found missing, which is retryable
 *       (the original may not be readable yet), so the version must report exactly this record.</li>
 *   <li>Validate's <b>gone</b> record is an S3 notification for a key under {@code pretraffic/} in
 *       the real ingest bucket, with an ETag no object has: the receipts are looked up, the object is
 *       opened only if it has that ETag, found gone, and the record consumed.</li>
 * </ul>
 *
 * A version whose init throws, whose configuration names the wrong bucket, whose role lacks a read
 * permission, or which retries what it should consume (or consumes what it should retry) answers
 * differently and fails the hook.
 */
public final class Probes {
    public static final String FORGED = "pretraffic-forged";
    public static final String MISSING = "pretraffic-missing";
    public static final String GONE = "pretraffic-gone";
    /** An item no upload can have: 64 zeros is not the SHA-256 of anything known. */
    public static final String NO_ITEM = "0".repeat(64);
    /** A bucket no function of the stack owns. */
    public static final String FOREIGN_BUCKET = "mediaflow-pretraffic-not-a-stack-bucket";
    /** Where validate's synthetic upload would be; nothing is ever there. */
    public static final String GONE_PREFIX = "pretraffic/";
    /** An ETag no object has (not 32 hex digits). */
    static final String NO_ETAG = "pretraffic-no-such-etag";

    private Probes() {
    }

    /** Validate: a notification for another bucket (consumed) and for a gone upload (consumed); no failure. */
    public static Probe validate(String ingestBucket, String region, String nonce) {
        String payload = sqsEvent(region, List.of(
                record(FORGED, notification(region, FOREIGN_BUCKET, "pretraffic/forged.png")),
                record(GONE, notification(region, ingestBucket, GONE_PREFIX + nonce))));
        return new Probe("validate: a notification for bucket " + FOREIGN_BUCKET + " and one for the gone upload s3://"
                + ingestBucket + "/" + GONE_PREFIX + nonce + ", both consumed", payload, answer -> batch(answer, Set.of()));
    }

    /** Thumbnail or metadata (the StepRunner steps): a forged message consumed, the missing item's reported. */
    public static Probe step(String step, String mediaBucket, String region) {
        return stepProbe(step, MediaFormat.PNG, MediaCategory.IMAGE, mediaBucket, region);
    }

    /**
     * Transcode: as {@link #step}, with a video message (a still image would be finished at once,
     * with an empty result written: a write).
     */
    public static Probe transcode(String mediaBucket, String region) {
        return stepProbe("transcode", MediaFormat.MP4, MediaCategory.VIDEO, mediaBucket, region);
    }

    /** Finalize: a message whose media id is not one (consumed), and one for the missing item (reported: no manifest yet). */
    public static Probe finalize(String region) {
        String payload = sqsEvent(region, List.of(
                record(FORGED, Json.write(new StepDone("pretraffic-not-a-media-id", "thumbnail"))),
                record(MISSING, Json.write(new StepDone(NO_ITEM, "thumbnail")))));
        return new Probe("finalize: a message with a forged media id, consumed, and one for item " + NO_ITEM
                + ", whose manifest is missing, reported for a retry", payload, answer -> batch(answer, Set.of(MISSING)));
    }

    /** The {@code source} of the sweeper's check event (SweeperHandler answers it with {@code Sweeper.check()}, not a sweep). */
    public static final String SWEEPER_CHECK_SOURCE = "mediaflow.pretraffic";

    /**
     * Sweeper: a sweep re-drives and marks items FAILED, so the new version is not asked to sweep.
     * An event from {@link #SWEEPER_CHECK_SOURCE} asks it for its check instead: the sweep's
     * decisions on synthetic ages and the reads a sweep starts with, nothing written. The answer must
     * be the check's line; a version that swept instead answers a sweep line and fails the hook.
     */
    public static Probe sweeper(String nonce) {
        String payload = Json.write(Map.of("source", SWEEPER_CHECK_SOURCE, "detail-type", "PreTraffic check", "id", nonce,
                "detail", Map.of()));
        return new Probe("sweeper: the check event (decisions and reads, no sweep)", payload, answer -> {
            if (answer.functionError() != null) {
                return Optional.of("expected the check's line, found FunctionError " + answer.functionError() + ": "
                        + AppSpec.abbreviate(answer.payload()));
            }
            JsonNode line;
            try {
                line = answer.payload() == null ? null : Json.MAPPER.readTree(answer.payload());
            } catch (Exception e) {
                return Optional.of("expected the check's line as a JSON string, found " + AppSpec.abbreviate(answer.payload()));
            }
            if (line == null || !line.isTextual() || !line.asText().startsWith(Sweeper.CHECK_PREFIX + "decisions LEAVE")) {
                return Optional.of("expected a line starting '" + Sweeper.CHECK_PREFIX + "decisions LEAVE', found "
                        + AppSpec.abbreviate(answer.payload()));
            }
            return Optional.empty();
        });
    }

    /** The caller of the upload API's probe: no upload is ever recorded for it. */
    public static final String API_CALLER = "mediaflow-pretraffic";

    /**
     * The upload API: {@code GET /uploads/{nonce}} by {@link #API_CALLER}, as API Gateway's HTTP API
     * sends it (payload 2.0, the JWT authorizer's claims): the upload's record is read from the media
     * bucket and found missing, so the version must answer 404 (a 503 means it cannot read S3).
     *
     * @param nonce a fresh UUID, the upload id asked for
     */
    public static Probe uploadApi(String nonce) {
        String event = httpEvent("GET /uploads/{uploadId}", "/uploads/" + nonce, "application/json", nonce,
                Map.of("uploadId", nonce), Map.of("jwt", Map.of("claims", Map.of("sub", API_CALLER), "scopes", List.of())));
        return new Probe("uploadapi: GET /uploads/" + nonce + " of a caller with no uploads, answered 404", event,
                answer -> expectStatus(answer, 404, "no such upload"));
    }

    /**
     * The render function: {@code GET /r/{nonce}/<zeros>/64x64/cover.webp}, as its Function URL
     * sends it (payload 2.0): the signature (the nonce) cannot match, so the version must answer 403,
     * which shows it read its secret at init and checks signatures before any S3 call.
     *
     * @param nonce a fresh UUID, the (wrong) signature
     */
    public static Probe render(String nonce) {
        String path = "/r/" + nonce + "/" + "0".repeat(64) + "/64x64/cover.webp";
        return new Probe("render: GET " + path + " with a signature that cannot match, answered 403",
                httpEvent("$default", path, "image/webp", nonce, null, null), answer -> expectStatus(answer, 403, "bad signature"));
    }

    /**
     * A GET as API Gateway's HTTP API and a Function URL send it (payload 2.0).
     *
     * @param pathParameters null for none (a Function URL has no routes)
     * @param authorizer null for none (a Function URL has no JWT authorizer)
     */
    private static String httpEvent(String routeKey, String path, String accept, String nonce, Map<String, String> pathParameters,
                                    Map<String, Object> authorizer) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("requestId", "pretraffic-" + nonce);
        context.put("http", Map.of("method", "GET", "path", path, "protocol", "HTTP/1.1", "sourceIp", "127.0.0.1",
                "userAgent", "mediaflow-pretraffic"));
        if (authorizer != null) {
            context.put("authorizer", authorizer);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.put("headers", Map.of("accept", accept));
        if (pathParameters != null) {
            event.put("pathParameters", pathParameters);
        }
        event.put("requestContext", context);
        event.put("isBase64Encoded", false);
        return Json.write(event);
    }

    /** An HTTP answer's check: no function error, and this {@code statusCode}. */
    private static Optional<String> expectStatus(Versions.Invocation answer, int expected, String why) {
        if (answer.functionError() != null) {
            return Optional.of("expected statusCode " + expected + ", found FunctionError " + answer.functionError() + ": "
                    + AppSpec.abbreviate(answer.payload()));
        }
        JsonNode response;
        try {
            response = answer.payload() == null ? null : Json.MAPPER.readTree(answer.payload());
        } catch (Exception e) {
            response = null;
        }
        JsonNode status = response == null ? null : response.get("statusCode");
        if (status == null || status.asInt() != expected) {
            return Optional.of("expected statusCode " + expected + " (" + why + "), found " + AppSpec.abbreviate(answer.payload()));
        }
        return Optional.empty();
    }

    private static Probe stepProbe(String step, MediaFormat type, MediaCategory category, String mediaBucket, String region) {
        String payload = sqsEvent(region, List.of(
                record(FORGED, Json.write(new StepMessage(NO_ITEM, step, type, category, FOREIGN_BUCKET, Keys.original(NO_ITEM)))),
                record(MISSING, Json.write(new StepMessage(NO_ITEM, step, type, category, mediaBucket, Keys.original(NO_ITEM))))));
        return new Probe(step + ": a message for bucket " + FOREIGN_BUCKET + ", consumed, and one for item " + NO_ITEM
                + " in s3://" + mediaBucket + ", whose original is missing, reported for a retry", payload,
                answer -> batch(answer, Set.of(MISSING)));
    }

    /**
     * The problem with an SQS handler's answer: a function error, a payload that is not an
     * {@code SQSBatchResponse}, or batch item failures other than {@code expected}.
     */
    static Optional<String> batch(Versions.Invocation answer, Set<String> expected) {
        if (answer.functionError() != null) {
            return Optional.of("expected an SQSBatchResponse, found FunctionError " + answer.functionError() + ": "
                    + AppSpec.abbreviate(answer.payload()));
        }
        JsonNode root;
        try {
            root = answer.payload() == null ? null : Json.MAPPER.readTree(answer.payload());
        } catch (Exception e) {
            return Optional.of("expected an SQSBatchResponse, found invalid JSON: " + AppSpec.abbreviate(answer.payload()));
        }
        JsonNode failures = root == null ? null : root.get("batchItemFailures");
        if (failures == null || !failures.isArray()) {
            return Optional.of("expected an SQSBatchResponse with a batchItemFailures array, found " + AppSpec.abbreviate(answer.payload()));
        }
        Set<String> found = new TreeSet<>();
        for (JsonNode f : failures) {
            found.add(f.path("itemIdentifier").asText(""));
        }
        if (!found.equals(new TreeSet<>(expected))) {
            return Optional.of("expected batchItemFailures " + new TreeSet<>(expected) + ", found " + found);
        }
        return Optional.empty();
    }

    static Map<String, Object> record(String messageId, String body) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", messageId);
        r.put("receiptHandle", "pretraffic-" + messageId);
        r.put("body", body);
        r.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "0", "SenderId", "mediaflow-pretraffic",
                "ApproximateFirstReceiveTimestamp", "0"));
        r.put("messageAttributes", Map.of());
        r.put("eventSource", "aws:sqs");
        return r;
    }

    static String sqsEvent(String region, List<Map<String, Object>> records) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : records) {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            copy.put("eventSourceARN", "arn:aws:sqs:" + region + ":000000000000:mediaflow-pretraffic");
            copy.put("awsRegion", region);
            out.add(copy);
        }
        return Json.write(Map.of("Records", out));
    }

    /** An S3 ObjectCreated notification as S3 puts it on the ingest queue. */
    static String notification(String region, String bucket, String key) {
        return Json.write(S3Notification.notification(region, "mediaflow-pretraffic",
                new S3Notification.ObjectCreated("ObjectCreated:Put", bucket, key, 1, NO_ETAG, "00", "2026-01-01T00:00:00.000Z")));
    }
}
