package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.Json;
import com.mediaflow.testkit.Corpus;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upload API end to end on the embedded stack, over real HTTP as a browser or a script uses it:
 * {@code POST /uploads} on the API, the presigned form posted (multipart/form-data) to the storage
 * endpoint it names, the pipeline running on what lands, {@code GET /uploads/{id}} until READY. The
 * storage side (S3Proxy 4.1.0, which checks POST policies and their signatures) refuses a file of
 * another length, another Content-Type, another key and a forged signature, and stores nothing.
 */
class UploadApiIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static StackFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true);
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static HttpResponse<String> api(String method, String path, String body, String caller) throws Exception {
        return fx.api(method, path, body, caller);
    }

    private static JsonNode create(String filename, String contentType, long size) throws Exception {
        HttpResponse<String> r = api("POST", "/uploads", Json.write(Map.of("filename", filename, "contentType", contentType,
                "size", size)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }

    /** The form as a browser posts it: every field, then the file. */
    private static HttpResponse<String> postForm(String url, Map<String, String> fields, String fileName, byte[] file)
            throws Exception {
        String boundary = "----mediaflow" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue()
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> fields(JsonNode created) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = created.get("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    @Test
    void postedPhoto_landsInTheIngestBucket_andBecomesReady_withItsRenditions() throws Exception {
        Path photo = Corpus.file("exif-orientation/Landscape_6.jpg");
        byte[] bytes = Files.readAllBytes(photo);

        JsonNode created = create("Landscape 6.jpg", "image/jpeg", bytes.length);
        String id = created.get("uploadId").asText();
        String key = created.get("fields").get("key").asText();
        assertThat(key).isEqualTo("uploads/local/" + id + "/Landscape_6.jpg");
        assertThat(created.get("url").asText()).isEqualTo(fx.stack.s3Endpoint() + "/" + fx.ingest);
        assertThat(created.get("maxBytes").asLong()).isEqualTo(bytes.length);
        assertThat(Json.MAPPER.readTree(api("GET", "/uploads/" + id, null, null).body()).get("status").asText())
                .as("before the form is posted").isEqualTo("PENDING");

        HttpResponse<String> posted = postForm(created.get("url").asText(), fields(created), "Landscape 6.jpg", bytes);

        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 204);
        assertThat(fx.stack.s3().headObject(b -> b.bucket(fx.ingest).key(key)).contentType()).isEqualTo("image/jpeg");
        JsonNode ready = awaitFinal(id);
        assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("READY");
        assertThat(ready.get("mediaId").asText()).matches("[0-9a-f]{64}");
        assertThat(ready.get("renditions")).isNotEmpty().allSatisfy(r -> {
            var head = fx.stack.s3().headObject(b -> b.bucket(fx.media).key(r.get("key").asText()));
            assertThat(head.contentType()).as(r.toString()).isEqualTo(r.get("contentType").asText());
            if (r.has("bytes")) {
                assertThat(head.contentLength()).as(r.toString()).isEqualTo(r.get("bytes").asLong());
            }
        });
        assertThat(ready.get("renditions").findValuesAsText("kind")).contains("thumbnail");
        // delivery: each rendition's URL on the delivery server, and a signed sample render that it serves
        assertThat(ready.get("renditions")).allSatisfy(r -> assertThat(r.get("url").asText())
                .isEqualTo(fx.stack.deliveryUrl() + "/" + r.get("key").asText()));
        HttpResponse<byte[]> sample = HTTP.send(HttpRequest.newBuilder(URI.create(ready.get("sampleRenderUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sample.statusCode()).as(new String(sample.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(sample.headers().firstValue("Content-Type")).hasValue("image/webp");
        HttpResponse<byte[]> thumb = HTTP.send(HttpRequest.newBuilder(URI.create(ready.get("renditions").get(0).get("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumb.statusCode()).isEqualTo(200);
    }

    /** A Windows program declared as a photo passes the API (it cannot see bytes) and is quarantined by validate. */
    @Test
    void postedDisguisedExecutable_isQuarantined_withItsReasonCode() throws Exception {
        byte[] program = new byte[512];
        program[0] = 'M';
        program[1] = 'Z';
        JsonNode created = create("holiday.jpg", "image/jpeg", program.length);
        String id = created.get("uploadId").asText();

        HttpResponse<String> posted = postForm(created.get("url").asText(), fields(created), "holiday.jpg", program);

        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 204);
        JsonNode done = awaitFinal(id);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("QUARANTINED");
        assertThat(done.get("reasons").findValuesAsText("code")).contains("EXECUTABLE");
        assertThat(done.get("renditions")).isEmpty();
    }

    private static JsonNode awaitFinal(String id) {
        return StackFixture.await(() -> {
            try {
                JsonNode s = Json.MAPPER.readTree(api("GET", "/uploads/" + id, null, null).body());
                return s.get("status").asText().equals("PENDING") || s.get("status").asText().equals("PROCESSING")
                        ? Optional.empty() : Optional.of(s);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, WAIT, "upload " + id + " final");
    }

    @Test
    void storage_refusesAnotherLength_anotherType_anotherKey_aForgedSignature_andStoresNothing() throws Exception {
        byte[] bytes = Files.readAllBytes(Corpus.file("exif-orientation/Landscape_6.jpg"));
        JsonNode created = create("photo.jpg", "image/jpeg", bytes.length);
        String url = created.get("url").asText();
        String key = created.get("fields").get("key").asText();

        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        HttpResponse<String> tooLarge = postForm(url, fields(created), "photo.jpg", longer);
        Map<String, String> png = fields(created);
        png.put("Content-Type", "image/png");
        HttpResponse<String> wrongType = postForm(url, png, "photo.jpg", bytes);
        Map<String, String> elsewhere = fields(created);
        elsewhere.put("key", "uploads/someone-else/" + created.get("uploadId").asText() + "/photo.jpg");
        HttpResponse<String> wrongKey = postForm(url, elsewhere, "photo.jpg", bytes);
        Map<String, String> forged = fields(created);
        forged.put("x-amz-signature", "0".repeat(64));
        HttpResponse<String> forgedSignature = postForm(url, forged, "photo.jpg", bytes);

        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isBetween(400, 403);
        assertThat(tooLarge.body()).contains("EntityTooLarge");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(403);
        assertThat(wrongKey.statusCode()).as(wrongKey.body()).isEqualTo(403);
        assertThat(forgedSignature.statusCode()).as(forgedSignature.body()).isEqualTo(403);
        assertThat(fx.keys(fx.ingest, "uploads/")).doesNotContain(key)
                .noneMatch(k -> k.startsWith("uploads/someone-else/"));
    }

    /**
     * The same policy with its expiration a minute ago, signed again with the stack's secret: the
     * signature is right (not the reason), the storage side refuses the expired policy.
     */
    @Test
    void storage_refusesAnExpiredPolicy() throws Exception {
        byte[] bytes = Files.readAllBytes(Corpus.file("exif-orientation/Landscape_6.jpg"));
        JsonNode created = create("late.jpg", "image/jpeg", bytes.length);
        Map<String, String> fields = fields(created);
        var policy = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                java.util.Base64.getDecoder().decode(fields.get("policy")));
        policy.put("expiration", java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        String expired = java.util.Base64.getEncoder().encodeToString(policy.toString().getBytes(StandardCharsets.UTF_8));
        fields.put("policy", expired);
        fields.put("x-amz-signature", sign(EmbeddedStack.SECRET_KEY, fields.get("x-amz-date").substring(0, 8), EmbeddedStack.REGION,
                expired));

        HttpResponse<String> late = postForm(created.get("url").asText(), fields, "late.jpg", bytes);

        assertThat(late.statusCode()).as(late.body()).isEqualTo(403);
        assertThat(late.body()).contains("expired");
        assertThat(fx.keys(fx.ingest, "uploads/")).doesNotContain(created.get("fields").get("key").asText());
    }

    /** SigV4's POST signature, as AWS's "Calculating a Signature" lists its steps. */
    private static String sign(String secret, String day, String region, String policy) throws Exception {
        byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] {day, region, "s3", "aws4_request", policy}) {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            key = mac.doFinal(part.getBytes(StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(key);
    }

    @Test
    void api_refusesATypeOrSizeValidationWouldRefuse_withItsReasonCode_andNoUrl() throws Exception {
        HttpResponse<String> html = api("POST", "/uploads", "{\"filename\":\"x.html\",\"contentType\":\"text/html\",\"size\":10}", null);
        HttpResponse<String> huge = api("POST", "/uploads", "{\"filename\":\"x.mp4\",\"contentType\":\"video/mp4\",\"size\":"
                + (fx.stack.environment("UploadApiFunction").containsKey("MAX_UPLOAD_BYTES")
                        ? Long.parseLong(fx.stack.environment("UploadApiFunction").get("MAX_UPLOAD_BYTES")) + 1 : Long.MAX_VALUE) + "}",
                null);
        HttpResponse<String> malformed = api("POST", "/uploads", "{\"filename\":", null);

        assertThat(html.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(html.body()).get("code").asText()).isEqualTo("UNSUPPORTED_TYPE");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(huge.body()).get("code").asText()).isEqualTo("SIZE_LIMIT");
        assertThat(Json.MAPPER.readTree(huge.body()).get("message").asText()).contains("expected at most 4294967296");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(html.body() + huge.body() + malformed.body()).doesNotContain("\"url\"").doesNotContain("policy");
    }

    @Test
    void anotherCallersUpload_is404_itsOwnerSeesIt() throws Exception {
        String id = create("mine.png", "image/png", 100).get("uploadId").asText();

        HttpResponse<String> other = api("GET", "/uploads/" + id, null, "someone-else");
        HttpResponse<String> otherDelete = api("DELETE", "/uploads/" + id, null, "someone-else");
        HttpResponse<String> owner = api("GET", "/uploads/" + id, null, UploadApiServer.LOCAL_CALLER);
        HttpResponse<String> noRoute = api("PUT", "/uploads/" + id, null, null);

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("mine");
        assertThat(owner.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(owner.body()).get("filename").asText()).isEqualTo("mine.png");
        assertThat(otherDelete.statusCode()).as("another caller's DELETE, which deletes nothing").isEqualTo(404);
        assertThat(noRoute.statusCode()).as("API Gateway's 404 for a route it lacks").isEqualTo(404);
    }
}
