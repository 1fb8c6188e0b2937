package com.mediaflow.uploadapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.testkit.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * {@code GET /uploads/{uploadId}/render}: the API signs a render URL for its caller (the browser never
 * holds the render secret), by the render function's rules, on API Gateway's event shape.
 */
class UploadRenderTest {
    private static final JsonMapper EVENTS = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String INGEST = "ingest";
    private static final String MEDIA = "media";
    private static final String BASE = "https://d111.cloudfront.net";
    private static final RenderUrls SIGNER = new RenderUrls("upload-render-test-secret-of-32-bytes-or-more");
    private static final String MEDIA_ID = "d".repeat(64);

    private MemoryS3 s3;
    private UploadApiHandler handler;

    @BeforeEach
    void setUp() {
        s3 = new MemoryS3();
        handler = handler(new DeliveryLinks(BASE + "/", SIGNER, List.of(64, 256, 512, 1024)));
    }

    private UploadApiHandler handler(DeliveryLinks links) {
        return new UploadApiHandler(new Uploads(new ObjectStore(s3), INGEST, MEDIA, "eu-west-1",
                "https://ingest.s3.eu-west-1.amazonaws.com/", 100_000, Duration.ofMinutes(15),
                () -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"),
                        ZoneOffset.UTC), links), TestDeletes.on(s3, MEDIA));
    }

    private static APIGatewayV2HTTPEvent postEvent() throws Exception {
        Path file = Path.of(System.getProperty("mediaflow.root", "../..")).resolve("events/uploadapi-post.json");
        return EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class);
    }

    /** The event API Gateway sends for {@code GET /uploads/{id}/render?<query>} by {@code sub}. */
    private static APIGatewayV2HTTPEvent renderEvent(String sub, String uploadId, Map<String, String> query) throws Exception {
        APIGatewayV2HTTPEvent e = postEvent();
        e.setRouteKey(UploadApiHandler.RENDER);
        e.setRawPath("/uploads/" + uploadId + "/render");
        e.setBody(null);
        e.setPathParameters(Map.of("uploadId", uploadId));
        e.setQueryStringParameters(query);
        e.getRequestContext().getHttp().setMethod("GET");
        e.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", sub));
        return e;
    }

    private static Map<String, String> query(String width, String height, String fit, String format) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("width", width);
        q.put("height", height);
        if (fit != null) {
            q.put("fit", fit);
        }
        if (format != null) {
            q.put("format", format);
        }
        return q;
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent e) {
        return handler.handleRequest(e, new LocalContext("UploadApiFunction", 10, 512));
    }

    /** An upload of user-7f3a whose item is {@code status} with an 800x600 display picture; its upload id. */
    private String upload(MediaStatus status) throws Exception {
        JsonNode created = Json.MAPPER.readTree(call(postEvent()).getBody());
        Receipt receipt = new Receipt(INGEST, created.get("fields").get("key").asText(), "etag", 48213, "image/jpeg", MEDIA_ID,
                MediaFormat.JPEG, status, List.of(), false, "0A1B2C", "u", null, "2026-12-03T10:01:00Z");
        new ObjectStore(s3).putJson(MEDIA, Keys.receipt(receipt.upload()), receipt);
        new ObjectStore(s3).putJson(MEDIA, Keys.manifest(MEDIA_ID), new Manifest(MEDIA_ID, status, MediaFormat.JPEG,
                MediaCategory.IMAGE, 48213, new Manifest.Location(MEDIA, Keys.original(MEDIA_ID)),
                Map.of("thumbnail", StepState.DONE), List.of(),
                List.of(new Output("display", Keys.rendition(MEDIA_ID, "thumbnail", "display.jpg"), "image/jpeg", 800, 600, 90000L)),
                Map.of()));
        return created.get("uploadId").asText();
    }

    private static String code(APIGatewayV2HTTPResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getBody()).get("code").asText();
    }

    @Test
    void ready_allowedSize_isASignedUrlTheRenderFunctionAccepts() throws Exception {
        String id = upload(MediaStatus.READY);

        APIGatewayV2HTTPResponse r = call(renderEvent("user-7f3a", id, query("512", "256", "contain", "jpg")));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getHeaders()).containsEntry("Cache-Control", "no-store");
        JsonNode body = Json.MAPPER.readTree(r.getBody());
        String url = body.get("url").asText();
        assertThat(url).isEqualTo(BASE + SIGNER.path(MEDIA_ID, 512, 256, "contain", "jpg"));
        String path = url.substring(BASE.length());
        int slash = path.indexOf('/', 3);
        assertThat(SIGNER.verify(path.substring(3, slash), path.substring(slash))).isTrue();
        assertThat(body.get("mediaId").asText()).isEqualTo(MEDIA_ID);
    }

    @Test
    void fitAndFormat_defaultToCoverWebp() throws Exception {
        String id = upload(MediaStatus.READY);

        JsonNode body = Json.MAPPER.readTree(call(renderEvent("user-7f3a", id, query("256", "256", null, null))).getBody());

        assertThat(body.get("url").asText()).isEqualTo(BASE + SIGNER.path(MEDIA_ID, 256, 256, "cover", "webp"));
    }

    @Test
    void sizeOutsideTheList_orAboveTheDisplay_is400SizeNotAllowed() throws Exception {
        String id = upload(MediaStatus.READY);

        APIGatewayV2HTTPResponse notListed = call(renderEvent("user-7f3a", id, query("300", "256", "cover", "webp")));
        APIGatewayV2HTTPResponse upscale = call(renderEvent("user-7f3a", id, query("1024", "256", "cover", "webp")));

        assertThat(notListed.getStatusCode()).isEqualTo(400);
        assertThat(code(notListed)).isEqualTo("SIZE_NOT_ALLOWED");
        assertThat(notListed.getBody()).contains("width 300 is not an allowed size, expected one of [64, 256, 512, 1024]");
        assertThat(upscale.getStatusCode()).isEqualTo(400);
        assertThat(code(upscale)).isEqualTo("SIZE_NOT_ALLOWED");
        assertThat(upscale.getBody()).contains("above the display size 800x600");
        assertThat(upscale.getBody()).doesNotContain("/r/");
    }

    @Test
    void badFit_badFormat_orMissingWidth_is400BadRequest() throws Exception {
        String id = upload(MediaStatus.READY);

        for (Map<String, String> q : List.of(query("256", "256", "stretch", "webp"), query("256", "256", "cover", "gif"),
                query(null, "256", "cover", "webp"), query("0", "256", "cover", "webp"))) {
            APIGatewayV2HTTPResponse r = call(renderEvent("user-7f3a", id, q));
            assertThat(r.getStatusCode()).as(q.toString()).isEqualTo(400);
            assertThat(code(r)).as(q.toString()).isEqualTo("BAD_REQUEST");
        }
        assertThat(call(renderEvent("user-7f3a", id, null)).getStatusCode()).as("no query at all").isEqualTo(400);
    }

    @Test
    void anotherCallersUpload_orAnUnknownOne_is404() throws Exception {
        String id = upload(MediaStatus.READY);

        APIGatewayV2HTTPResponse other = call(renderEvent("someone-else", id, query("256", "256", "cover", "webp")));
        APIGatewayV2HTTPResponse unknown = call(renderEvent("user-7f3a", "00000000-0000-4000-8000-000000000000",
                query("256", "256", "cover", "webp")));

        assertThat(other.getStatusCode()).isEqualTo(404);
        assertThat(other.getBody()).doesNotContain(MEDIA_ID).doesNotContain("/r/");
        assertThat(unknown.getStatusCode()).isEqualTo(404);
    }

    @Test
    void notReadyYet_orQuarantined_is409NotReady() throws Exception {
        String quarantined = upload(MediaStatus.QUARANTINED);
        String pending = Json.MAPPER.readTree(call(postEvent()).getBody()).get("uploadId").asText();

        APIGatewayV2HTTPResponse q = call(renderEvent("user-7f3a", quarantined, query("256", "256", "cover", "webp")));
        APIGatewayV2HTTPResponse p = call(renderEvent("user-7f3a", pending, query("256", "256", "cover", "webp")));

        assertThat(q.getStatusCode()).isEqualTo(409);
        assertThat(code(q)).isEqualTo("NOT_READY");
        assertThat(q.getBody()).contains("is QUARANTINED, expected READY");
        assertThat(p.getStatusCode()).isEqualTo(409);
        assertThat(p.getBody()).contains("is PENDING, expected READY");
    }

    @Test
    void withoutARenderSecret_is503NotConfigured() throws Exception {
        handler = handler(new DeliveryLinks(BASE, null, List.of(256)));
        String id = upload(MediaStatus.READY);

        APIGatewayV2HTTPResponse r = call(renderEvent("user-7f3a", id, query("256", "256", "cover", "webp")));

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(code(r)).isEqualTo("NOT_CONFIGURED");
    }
}
