package com.mediaflow.uploadapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mediaflow.shared.model.Json;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * A presigned S3 POST, as AWS documents it in "Authenticating Requests: Browser-Based Uploads Using
 * POST (AWS Signature Version 4)": the policy (expiration and conditions) as Base64 JSON, signed with
 * the SigV4 signing key of the day, region and service {@code s3}; the form fields a client sends
 * with the file. The SDK has no POST presigner, so this is built here.
 *
 * <p>The policy pins everything: the bucket, the exact key, the exact {@code Content-Type}, the
 * length to {@code [size, size]}, and the credential, algorithm, date (and session token, when the
 * credentials have one) that the signature covers.
 */
final class PostPolicy {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The form a client posts, {@code file} last: every field here, in this order. */
    record Signed(String url, Map<String, String> fields, Instant expiresAt, String policyJson) {
    }

    private PostPolicy() {
    }

    /**
     * @param url where the form is posted (the bucket's endpoint)
     * @param size the declared length: the only one the policy accepts
     */
    static Signed presign(AwsCredentials credentials, String region, Instant now, Duration expiry, String url, String bucket,
            String key, String contentType, long size) {
        String amzDate = AMZ_DATE.format(now);
        String day = amzDate.substring(0, 8);
        String credential = credentials.accessKeyId() + "/" + day + "/" + region + "/s3/aws4_request";
        String token = credentials instanceof AwsSessionCredentials s ? s.sessionToken() : null;
        Instant expiresAt = now.plus(expiry);

        ObjectNode policy = Json.MAPPER.createObjectNode();
        policy.put("expiration", EXPIRATION.format(expiresAt));
        ArrayNode conditions = policy.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        conditions.addObject().put("key", key);
        conditions.addObject().put("Content-Type", contentType);
        conditions.addArray().add("content-length-range").add(size).add(size);
        conditions.addObject().put("x-amz-algorithm", ALGORITHM);
        conditions.addObject().put("x-amz-credential", credential);
        conditions.addObject().put("x-amz-date", amzDate);
        if (token != null) {
            conditions.addObject().put("x-amz-security-token", token);
        }
        String policyJson = policy.toString();
        String policyBase64 = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", contentType);
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", amzDate);
        if (token != null) {
            fields.put("x-amz-security-token", token);
        }
        fields.put("policy", policyBase64);
        fields.put("x-amz-signature", signature(credentials.secretAccessKey(), day, region, policyBase64));
        return new Signed(url, java.util.Collections.unmodifiableMap(fields), expiresAt, policyJson);
    }

    /**
     * The POST signature: HMAC-SHA256 of the Base64 policy with the SigV4 signing key
     * ({@code "AWS4" + secret}, then the day, the region, {@code s3} and {@code aws4_request}), in hex.
     */
    static String signature(String secretAccessKey, String day, String region, String policyBase64) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, policyBase64));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256, which every JVM has, is unavailable", e);
        }
    }
}
