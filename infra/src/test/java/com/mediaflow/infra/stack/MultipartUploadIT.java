package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.SyntheticMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large uploads end to end on the embedded stack, over plain HTTP as a browser or curl sends them:
 * {@code POST /uploads} above the multipart threshold (6 MiB here, parts of 5 MiB, S3's smallest),
 * each part PUT to its presigned S3Proxy URL with no SDK, {@code GET /uploads/{id}} listing the parts
 * that arrived, {@code POST /uploads/{id}/complete}, and the pipeline taking the completed object to
 * READY (S3Proxy's CompleteMultipartUpload announces {@code ObjectCreated:CompleteMultipartUpload}).
 */
class MultipartUploadIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final long MIB = 1L << 20;
    /** HTTP/1.1, as curl and browsers speak to an http:// endpoint. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static StackFixture fx;
    /** A real video of about 12 MiB: lossless H.264 of noise, 640x480, 21 frames; three parts of 5, 5 and ~2 MiB. */
    private static byte[] video;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Path mp4 = SyntheticMedia.noiseMp4(tmp.resolve("h264-lossless-noise-640x480-21f.mp4"), 640, 480, 21, 13);
        video = Files.readAllBytes(mp4);
        assertThat((long) video.length).as("two full parts and a last one").isBetween(10 * MIB + 1, 15 * MIB - 1);
        fx = StackFixture.start(true, Map.of(Config.MULTIPART_THRESHOLD_BYTES, Long.toString(6 * MIB),
                Config.MULTIPART_PART_BYTES, Long.toString(5 * MIB)));
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static HttpResponse<String> api(String method, String path, String body) throws Exception {
        return fx.api(method, path, body, null);
    }

    private static JsonNode create(String filename, long size) throws Exception {
        HttpResponse<String> r = api("POST", "/uploads", Json.write(Map.of("filename", filename, "contentType", "video/mp4",
                "size", size)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }

    /**
     * A part PUT to its presigned URL as curl does it: the bytes, no SDK, and (as curl for a body over
     * 1 MB) {@code Expect: 100-continue}, so that a refused part is refused before its bytes are sent
     * rather than by a connection closed under them.
     */
    private static HttpResponse<String> put(JsonNode part, byte[] bytes) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText())).timeout(Duration.ofSeconds(60))
                .expectContinue(true).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] slice(JsonNode part, long partSize) {
        long from = (part.get("partNumber").asLong() - 1) * partSize;
        return Arrays.copyOfRange(video, (int) from, (int) (from + part.get("size").asLong()));
    }

    private static String partsBody(List<Map<String, Object>> parts) {
        return Json.write(Map.of("parts", parts));
    }

    private static JsonNode status(String id) throws Exception {
        HttpResponse<String> r = api("GET", "/uploads/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    /**
     * The connection drops after part 1: GET lists it (with its ETag), the client PUTs the rest to
     * the same URLs and completes; the video ends READY with its renditions. A part of more bytes
     * than its URL signs is refused on the way.
     */
    @Test
    void largeVideo_inPresignedParts_resumedAfterADrop_completes_andBecomesReady() throws Exception {
        JsonNode created = create("holiday video.mp4", video.length);
        String id = created.get("uploadId").asText();
        String key = created.get("key").asText();
        JsonNode mp = created.get("multipart");
        long partSize = mp.get("partSize").asLong();
        JsonNode parts = mp.get("parts");
        assertThat(key).isEqualTo("uploads/local/" + id + "/holiday_video.mp4");
        assertThat(partSize).isEqualTo(5 * MIB);
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).get("url").asText()).startsWith(fx.stack.s3Endpoint() + "/" + fx.ingest + "/" + key + "?");

        HttpResponse<String> first = put(parts.get(0), slice(parts.get(0), partSize));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        // ... the connection drops; a new session asks what arrived
        JsonNode resumed = status(id);

        assertThat(resumed.get("status").asText()).isEqualTo("PENDING");
        assertThat(resumed.get("partsReceived")).hasSize(1);
        assertThat(resumed.get("partsReceived").get(0).get("partNumber").asInt()).isEqualTo(1);
        assertThat(resumed.get("partsReceived").get(0).get("etag").asText())
                .isEqualTo(first.headers().firstValue("ETag").orElseThrow().replace("\"", ""));

        // a part longer than its URL signs (its Content-Length is signed): refused, nothing kept of it. S3Proxy
        // refuses before it reads the body and may close the connection while the client still writes it: the
        // client then sees the connection closed instead of the 403 (as in ConditionalWritesIT); either way
        // the part is refused, and what must hold is that it is not stored.
        byte[] longer = Arrays.copyOf(slice(parts.get(1), partSize), (int) partSize + 1);
        try {
            HttpResponse<String> tooLong = put(parts.get(1), longer);
            assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(403);
        } catch (java.io.IOException closed) {
            System.out.println("MultipartUploadIT: the part longer than signed was refused by a closed connection: " + closed);
        }
        // a part shorter than signed, whose few bytes are all sent before the answer: refused, 403, every time
        HttpResponse<String> tooShort = put(parts.get(1), new byte[] {1});
        assertThat(tooShort.statusCode()).as(tooShort.body()).isEqualTo(403);
        assertThat(status(id).get("partsReceived")).as("the longer and the shorter part refused").hasSize(1);

        List<Map<String, Object>> named = new ArrayList<>();
        named.add(Map.of("partNumber", 1, "etag", resumed.get("partsReceived").get(0).get("etag").asText()));
        for (JsonNode part : List.of(parts.get(1), parts.get(2))) {
            HttpResponse<String> r = put(part, slice(part, partSize));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            named.add(Map.of("partNumber", part.get("partNumber").asInt(), "etag", r.headers().firstValue("ETag").orElseThrow()));
        }
        HttpResponse<String> done = api("POST", "/uploads/" + id + "/complete", partsBody(named));

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(done.body()).get("uploadId").asText()).isEqualTo(id);
        var head = fx.stack.s3().headObject(b -> b.bucket(fx.ingest).key(key));
        assertThat(head.contentLength()).isEqualTo(video.length);
        assertThat(head.contentType()).as("pinned at creation").isEqualTo("video/mp4");
        JsonNode ready = awaitFinal(id);
        assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("READY");
        assertThat(ready.get("size").asLong()).isEqualTo(video.length);
        assertThat(ready.get("renditions")).isNotEmpty();
        assertThat(ready.has("partsReceived")).isFalse();
    }

    /** Parts that do not add up to the declared size: 400 SIZE_MISMATCH, the upload aborted, nothing stored or processed. */
    @Test
    void complete_withAWrongTotal_isRefused_theUploadAborted_andNothingProcessed() throws Exception {
        JsonNode created = create("short.mp4", video.length);
        String id = created.get("uploadId").asText();
        String key = created.get("key").asText();
        JsonNode parts = created.get("multipart").get("parts");
        long partSize = created.get("multipart").get("partSize").asLong();
        List<Map<String, Object>> named = new ArrayList<>();
        for (JsonNode part : List.of(parts.get(0), parts.get(1))) {
            HttpResponse<String> r = put(part, slice(part, partSize));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            named.add(Map.of("partNumber", part.get("partNumber").asInt(), "etag", r.headers().firstValue("ETag").orElseThrow()));
        }

        HttpResponse<String> refused = api("POST", "/uploads/" + id + "/complete", partsBody(named));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(refused.body()).get("code").asText()).isEqualTo("SIZE_MISMATCH");
        assertThat(fx.stack.s3().listMultipartUploads(b -> b.bucket(fx.ingest)).uploads()).as("aborted")
                .noneMatch(u -> u.key().equals(key));
        // a part of the aborted upload: 404 NoSuchUpload, or, as for the longer part above, the connection closed
        // before the answer when the server refuses it unread; either way it is not stored (checked below)
        try {
            HttpResponse<String> afterAbort = put(parts.get(2), slice(parts.get(2), partSize));
            assertThat(afterAbort.statusCode()).as("a part of an aborted upload: " + afterAbort.body()).isEqualTo(404);
        } catch (java.io.IOException closed) {
            System.out.println("MultipartUploadIT: the part of the aborted upload was refused by a closed connection: " + closed);
        }
        assertThat(fx.stack.s3().listMultipartUploads(b -> b.bucket(fx.ingest)).uploads()).as("still aborted")
                .noneMatch(u -> u.key().equals(key));
        HttpResponse<String> again = api("POST", "/uploads/" + id + "/complete", partsBody(named));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(status(id).has("partsReceived")).as("no longer open").isFalse();
        fx.awaitQuiet(Duration.ofSeconds(30));
        assertThat(fx.keys(fx.ingest, "uploads/")).doesNotContain(key);
        assertThat(status(id).get("status").asText()).isEqualTo("PENDING");
        assertThat(Receipts.of(fx.store, fx.media, fx.ingest, key)).as("no receipt: validate never ran").isEmpty();
    }

    private static JsonNode awaitFinal(String id) {
        return StackFixture.await(() -> {
            try {
                JsonNode s = status(id);
                String st = s.get("status").asText();
                return st.equals("PENDING") || st.equals("PROCESSING") ? Optional.empty() : Optional.of(s);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, WAIT, "upload " + id + " final");
    }
}
