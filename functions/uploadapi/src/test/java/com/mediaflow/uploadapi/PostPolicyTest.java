package com.mediaflow.uploadapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class PostPolicyTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /**
     * A published vector: the npm package s3-post-policy's README signs this Base64 policy with AWS's
     * example secret on 20130806 in us-east-1 and prints this signature (checked again with Python's hmac).
     */
    @Test
    void signature_ofAPublishedExample_isThePublishedSignature() {
        String policy = "eyJleHBpcmF0aW9uIjoiMjAxMy0wOC0wNlQxMjowMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYWNsIjoicHVibGljLXJlYWQifSxb"
                + "InN0YXJ0cy13aXRoIiwiJENvbnRlbnQtVHlwZSIsImltYWdlLyJdLFsic3RhcnRzLXdpdGgiLCIka2V5IiwidXNlci91c2VyMS8iXSxbInN0YXJ0"
                + "cy13aXRoIiwiJHgtYW16LW1ldGEtdGFnIiwiIl0seyJ4LWFtei1tZXRhLXV1aWQiOiIxNDM2NTEyMzY1MTI3NCJ9LHsiYnVja2V0IjoiZXhhbXBs"
                + "ZWJ1Y2tldCJ9LHsieC1hbXotYWxnb3JpdGhtIjoiQVdTNC1ITUFDLVNIQTI1NiJ9LHsieC1hbXotY3JlZGVudGlhbCI6IkFLSUFJT1NGT0ROTjdF"
                + "WEFNUExFLzIwMTMwODA2L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSx7IngtYW16LWRhdGUiOiIyMDEzMDgwNlQxMjAwMDBaIn1dfQ==";

        assertThat(PostPolicy.signature(SECRET, "20130806", "us-east-1", policy))
                .isEqualTo("5bc8a7be4a6fc6445b94d0f4096f8cf3dfa00303529f8a68ea7dc0c23bb83cd9");
    }

    @Test
    void presign_pinsBucketKeyTypeLengthAndExpiry_andSignsThePolicyItSends() throws Exception {
        Instant now = Instant.parse("2026-12-03T09:30:05Z");

        PostPolicy.Signed signed = PostPolicy.presign(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", SECRET), "eu-west-1", now,
                Duration.ofMinutes(15), "https://ingest.s3.eu-west-1.amazonaws.com/", "ingest", "uploads/u1/id/beach.jpg",
                "image/jpeg", 48213);

        assertThat(signed.fields()).containsOnlyKeys("key", "Content-Type", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
                "policy", "x-amz-signature");
        assertThat(signed.fields()).containsEntry("key", "uploads/u1/id/beach.jpg").containsEntry("Content-Type", "image/jpeg")
                .containsEntry("x-amz-algorithm", "AWS4-HMAC-SHA256").containsEntry("x-amz-date", "20261203T093005Z")
                .containsEntry("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20261203/eu-west-1/s3/aws4_request");
        assertThat(signed.expiresAt()).isEqualTo(Instant.parse("2026-12-03T09:45:05Z"));
        String policyJson = new String(Base64.getDecoder().decode(signed.fields().get("policy")), StandardCharsets.UTF_8);
        JsonNode policy = Json.MAPPER.readTree(policyJson);
        assertThat(policy.get("expiration").asText()).isEqualTo("2026-12-03T09:45:05.000Z");
        assertThat(policy.get("conditions").toString()).isEqualTo("[{\"bucket\":\"ingest\"},{\"key\":\"uploads/u1/id/beach.jpg\"},"
                + "{\"Content-Type\":\"image/jpeg\"},[\"content-length-range\",48213,48213],{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},"
                + "{\"x-amz-credential\":\"AKIAIOSFODNN7EXAMPLE/20261203/eu-west-1/s3/aws4_request\"},"
                + "{\"x-amz-date\":\"20261203T093005Z\"}]");
        assertThat(signed.fields().get("x-amz-signature")).isEqualTo(independentSignature(SECRET, "20261203", "eu-west-1",
                signed.fields().get("policy")));
    }

    @Test
    void presign_withSessionCredentials_pinsAndSendsTheSecurityToken() throws Exception {
        var credentials = AwsSessionCredentials.create("ASIAEXAMPLE", SECRET, "token/with+chars==");

        PostPolicy.Signed signed = PostPolicy.presign(credentials, "us-east-1", Instant.parse("2026-12-03T00:00:00Z"),
                Duration.ofSeconds(60), "https://b.s3.us-east-1.amazonaws.com/", "b", "uploads/x/y/z.png", "image/png", 10);

        assertThat(signed.fields()).containsEntry("x-amz-security-token", "token/with+chars==");
        JsonNode policy = Json.MAPPER.readTree(Base64.getDecoder().decode(signed.fields().get("policy")));
        assertThat(policy.get("conditions").toString()).contains("{\"x-amz-security-token\":\"token/with+chars==\"}");
    }

    /** A second implementation, step by step as AWS's page "Calculating a Signature" lists it. */
    private static String independentSignature(String secret, String day, String region, String stringToSign) throws Exception {
        byte[] dateKey = mac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
        byte[] regionKey = mac(dateKey, region);
        byte[] serviceKey = mac(regionKey, "s3");
        byte[] signingKey = mac(serviceKey, "aws4_request");
        StringBuilder hex = new StringBuilder();
        for (byte b : mac(signingKey, stringToSign)) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }

    private static byte[] mac(byte[] key, String data) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
