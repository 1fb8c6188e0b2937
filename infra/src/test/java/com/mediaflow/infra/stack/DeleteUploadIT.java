package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.testkit.Corpus;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /uploads/{id}} end to end on the embedded stack, over real HTTP: two uploads of the
 * same photo share one item; deleting one keeps the item for the other, deleting the other removes
 * every object of the item and its delivery URLs answer 404; each deletion sends a DELETED event
 * that the published schema accepts; another caller's DELETE is a 404 that deletes nothing.
 */
class DeleteUploadIT {
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

    private static int get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** POST /uploads, then the presigned form posted as a browser does; the upload id. */
    private static String upload(String filename, byte[] bytes) throws Exception {
        HttpResponse<String> r = api("POST", "/uploads", Json.write(Map.of("filename", filename, "contentType", "image/jpeg",
                "size", bytes.length)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode created = Json.MAPPER.readTree(r.body());
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = created.get("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.put(e.getKey(), e.getValue().asText());
        }
        String boundary = "----mediaflow" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue()
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(bytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(created.get("url").asText()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 204);
        return created.get("uploadId").asText();
    }

    private static JsonNode awaitFinal(String id) {
        return StackFixture.await(() -> {
            try {
                JsonNode s = Json.MAPPER.readTree(api("GET", "/uploads/" + id, null, null).body());
                String status = s.get("status").asText();
                return status.equals("PENDING") || status.equals("PROCESSING") ? Optional.empty() : Optional.of(s);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, WAIT, "upload " + id + " final");
    }

    @Test
    void twoUploadsOfOnePhoto_deleteOne_keepsTheItem_deleteTheOther_removesIt_andTheDeliveryUrls404() throws Exception {
        byte[] photo = Files.readAllBytes(Corpus.file("exif-orientation/Landscape_6.jpg"));
        String first = upload("first.jpg", photo);
        JsonNode firstReady = awaitFinal(first);
        String second = upload("second.jpg", photo);
        JsonNode secondReady = awaitFinal(second);
        assertThat(firstReady.get("status").asText()).as(firstReady.toString()).isEqualTo("READY");
        assertThat(secondReady.get("status").asText()).as(secondReady.toString()).isEqualTo("READY");
        String mediaId = firstReady.get("mediaId").asText();
        assertThat(secondReady.get("mediaId").asText()).as("the same bytes: one item").isEqualTo(mediaId);
        String rendition = firstReady.get("renditions").get(0).get("url").asText();
        String sample = firstReady.get("sampleRenderUrl").asText();
        assertThat(get(rendition)).isEqualTo(200);
        assertThat(get(sample)).as("the sample render, stored and held in the render function's memory").isEqualTo(200);

        HttpResponse<String> mallory = api("DELETE", "/uploads/" + first, null, "mallory");
        assertThat(mallory.statusCode()).as("another caller's upload").isEqualTo(404);
        assertThat(api("GET", "/uploads/" + first, null, null).statusCode()).isEqualTo(200);

        HttpResponse<String> deleted = api("DELETE", "/uploads/" + first, null, null);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(api("GET", "/uploads/" + first, null, null).statusCode()).isEqualTo(404);
        assertThat(api("DELETE", "/uploads/" + first, null, null).statusCode()).as("a second DELETE").isEqualTo(404);
        JsonNode other = Json.MAPPER.readTree(api("GET", "/uploads/" + second, null, null).body());
        assertThat(other.get("status").asText()).as(other.toString()).isEqualTo("READY");
        assertThat(fx.keys(fx.media, "media/" + mediaId + "/")).contains("media/" + mediaId + "/manifest.json",
                "media/" + mediaId + "/original");
        assertThat(get(rendition)).isEqualTo(200);
        assertThat(fx.keys(fx.ingest, "uploads/local/" + first + "/")).as("the first upload's bytes").isEmpty();

        HttpResponse<String> last = api("DELETE", "/uploads/" + second, null, null);

        assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
        assertThat(fx.keys(fx.media, "media/" + mediaId + "/")).as("nothing left of the item").isEmpty();
        assertThat(fx.keys(fx.media, "api/uploads/")).noneMatch(k -> k.contains(first) || k.contains(second));
        assertThat(fx.keys(fx.ingest, "uploads/local/" + second + "/")).isEmpty();
        assertThat(get(rendition)).as("the rendition's delivery URL").isEqualTo(404);
        assertThat(get(sample)).as("the sample render's URL, though the render function held it in memory").isEqualTo(404);

        List<CompletionEvent> events = fx.awaitCompletions(e -> e.status() == MediaStatus.DELETED && mediaId.equals(e.mediaId()),
                2, WAIT);
        assertThat(events).extracting(CompletionEvent::key).containsExactlyInAnyOrder(keyOf(first, "first.jpg"),
                keyOf(second, "second.jpg"));
        assertThat(events).filteredOn(e -> e.key().equals(keyOf(first, "first.jpg"))).singleElement()
                .satisfies(e -> assertThat(e.itemDeleted()).isFalse());
        assertThat(events).filteredOn(e -> e.key().equals(keyOf(second, "second.jpg"))).singleElement()
                .satisfies(e -> assertThat(e.itemDeleted()).isTrue());
        JsonSchema schema;
        try (InputStream in = DeleteUploadIT.class.getResourceAsStream("/mediaflow-completion-event.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        for (String body : fx.completionBodies()) {
            if (body.contains("\"DELETED\"")) {
                assertThat(schema.validate(Json.MAPPER.readTree(body))).as("schema violations of " + body).isEmpty();
            }
        }
    }

    private static String keyOf(String uploadId, String filename) {
        return "uploads/local/" + uploadId + "/" + filename;
    }
}
