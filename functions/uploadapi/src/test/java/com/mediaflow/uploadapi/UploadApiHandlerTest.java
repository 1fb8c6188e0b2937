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
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.testkit.LocalContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** The handler on API Gateway's real event shape (events/uploadapi-post.json), over an in-memory S3. */
class UploadApiHandlerTest {
    /** Reads event JSON as the Lambda Java runtime does: keys matched ignoring case. */
    private static final JsonMapper EVENTS = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String INGEST = "ingest";
    private static final String MEDIA = "media";

    private MemoryS3 s3;
    private UploadApiHandler handler;

    @BeforeEach
    void setUp() {
        s3 = new MemoryS3();
        handler = new UploadApiHandler(new Uploads(new ObjectStore(s3), INGEST, MEDIA, "eu-west-1",
                "https://ingest.s3.eu-west-1.amazonaws.com/", 100_000, Duration.ofMinutes(15),
                () -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"),
                        ZoneOffset.UTC)), deletes());
    }

    private Deletes deletes() {
        return TestDeletes.on(s3, MEDIA);
    }

    private static APIGatewayV2HTTPEvent postEvent() throws Exception {
        Path file = Path.of(System.getProperty("mediaflow.root", "../..")).resolve("events/uploadapi-post.json");
        return EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class);
    }

    private static APIGatewayV2HTTPEvent getEvent(String sub, String uploadId) throws Exception {
        APIGatewayV2HTTPEvent e = postEvent();
        e.setRouteKey(UploadApiHandler.STATUS);
        e.setRawPath("/uploads/" + uploadId);
        e.setBody(null);
        e.setPathParameters(Map.of("uploadId", uploadId));
        e.getRequestContext().getHttp().setMethod("GET");
        e.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", sub));
        return e;
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent e) {
        return handler.handleRequest(e, new LocalContext("UploadApiFunction", 10, 512));
    }

    @Test
    void post_accepted_is201WithAPresignedForm_andRecordsWhoseItIs() throws Exception {
        APIGatewayV2HTTPResponse r = call(postEvent());

        assertThat(r.getStatusCode()).isEqualTo(201);
        JsonNode body = Json.MAPPER.readTree(r.getBody());
        String id = body.get("uploadId").asText();
        assertThat(body.get("url").asText()).isEqualTo("https://ingest.s3.eu-west-1.amazonaws.com/");
        assertThat(body.get("fields").get("key").asText()).isEqualTo("uploads/user-7f3a/" + id + "/beach.jpg");
        assertThat(body.get("fields").get("Content-Type").asText()).isEqualTo("image/jpeg");
        assertThat(body.get("expiresAt").asText()).isEqualTo("2026-12-03T10:15:00Z");
        assertThat(body.get("maxBytes").asLong()).isEqualTo(48213);
        assertThat(s3.objects).containsOnlyKeys(MEDIA + "/" + Keys.apiUpload(id));
        assertThat(Json.MAPPER.readTree(s3.objects.get(MEDIA + "/" + Keys.apiUpload(id))).get("caller").asText()).isEqualTo("user-7f3a");
    }

    @Test
    void post_refusedType_is400WithReasonCode_noUrl_nothingWritten() throws Exception {
        APIGatewayV2HTTPEvent e = postEvent();
        e.setBody("{\"filename\":\"setup.exe\",\"contentType\":\"application/vnd.microsoft.portable-executable\",\"size\":10}");

        APIGatewayV2HTTPResponse r = call(e);

        assertThat(r.getStatusCode()).isEqualTo(400);
        JsonNode body = Json.MAPPER.readTree(r.getBody());
        assertThat(body.get("code").asText()).isEqualTo("UNSUPPORTED_TYPE");
        assertThat(body.has("url")).isFalse();
        assertThat(s3.objects).isEmpty();
    }

    @Test
    void post_tooLarge_is400SizeLimit_nothingWritten() throws Exception {
        APIGatewayV2HTTPEvent e = postEvent();
        e.setBody("{\"filename\":\"big.jpg\",\"contentType\":\"image/jpeg\",\"size\":100001}");

        APIGatewayV2HTTPResponse r = call(e);

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.getBody()).get("code").asText()).isEqualTo("SIZE_LIMIT");
        assertThat(s3.objects).isEmpty();
    }

    @Test
    void post_withoutAuthorizerClaims_is401() throws Exception {
        APIGatewayV2HTTPEvent e = postEvent();
        e.getRequestContext().setAuthorizer(null);

        assertThat(call(e).getStatusCode()).isEqualTo(401);
        assertThat(s3.objects).isEmpty();
    }

    @Test
    void get_ownUpload_beforeAnyReceipt_isPending() throws Exception {
        String id = Json.MAPPER.readTree(call(postEvent()).getBody()).get("uploadId").asText();

        APIGatewayV2HTTPResponse r = call(getEvent("user-7f3a", id));

        assertThat(r.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(r.getBody());
        assertThat(body.get("status").asText()).isEqualTo("PENDING");
        assertThat(body.get("renditions")).isEmpty();
    }

    @Test
    void get_anotherCallersUpload_is404_asAnUnknownIdIs() throws Exception {
        String id = Json.MAPPER.readTree(call(postEvent()).getBody()).get("uploadId").asText();

        APIGatewayV2HTTPResponse other = call(getEvent("someone-else", id));
        APIGatewayV2HTTPResponse unknown = call(getEvent("user-7f3a", "00000000-0000-4000-8000-000000000000"));
        APIGatewayV2HTTPResponse malformed = call(getEvent("user-7f3a", "../receipts"));

        assertThat(other.getStatusCode()).isEqualTo(404);
        assertThat(other.getBody()).doesNotContain("beach");
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(malformed.getStatusCode()).isEqualTo(404);
    }

    @Test
    void get_receiptProcessing_itemReady_isReadyWithTheRenditions() throws Exception {
        JsonNode created = Json.MAPPER.readTree(call(postEvent()).getBody());
        String id = created.get("uploadId").asText();
        String key = created.get("fields").get("key").asText();
        String mediaId = "a".repeat(64);
        Receipt receipt = new Receipt(INGEST, key, "etag", 48213, "image/jpeg", mediaId, com.mediaflow.shared.format.MediaFormat.JPEG, MediaStatus.PROCESSING,
                List.of(), false, "0A1B2C", "u", null, "2026-12-03T10:01:00Z");
        new ObjectStore(s3).putJson(MEDIA, Keys.receipt(receipt.upload()), receipt);
        Manifest manifest = new Manifest(mediaId, MediaStatus.READY, com.mediaflow.shared.format.MediaFormat.JPEG,
                com.mediaflow.shared.format.MediaCategory.IMAGE, 48213,
                new Manifest.Location(MEDIA, Keys.original(mediaId)), Map.of("thumbnail", com.mediaflow.shared.model.StepState.DONE), List.of(),
                List.of(new Output("thumbnail", Keys.rendition(mediaId, "thumbnail", "320.jpg"), "image/jpeg", 320, 240, 9000L)),
                Map.of());
        new ObjectStore(s3).putJson(MEDIA, Keys.manifest(mediaId), manifest);

        JsonNode body = Json.MAPPER.readTree(call(getEvent("user-7f3a", id)).getBody());

        assertThat(body.get("status").asText()).isEqualTo("READY");
        assertThat(body.get("mediaId").asText()).isEqualTo(mediaId);
        assertThat(body.get("steps").toString()).as("the item's steps, for the console").isEqualTo("{\"thumbnail\":\"DONE\"}");
        assertThat(body.get("renditions").toString()).isEqualTo("[{\"bytes\":9000,\"contentType\":\"image/jpeg\",\"height\":240,"
                + "\"key\":\"media/" + mediaId + "/thumbnail/320.jpg\",\"kind\":\"thumbnail\",\"width\":320}]");
    }

    @Test
    void get_processing_listsTheRenditionsAlreadyStored_quarantinedNone() throws Exception {
        JsonNode created = Json.MAPPER.readTree(call(postEvent()).getBody());
        String id = created.get("uploadId").asText();
        String key = created.get("fields").get("key").asText();
        String mediaId = "b".repeat(64);
        Receipt receipt = new Receipt(INGEST, key, "etag", 48213, "image/jpeg", mediaId, com.mediaflow.shared.format.MediaFormat.JPEG, MediaStatus.PROCESSING,
                List.of(), false, "0A1B2C", "u", null, "2026-12-03T10:01:00Z");
        new ObjectStore(s3).putJson(MEDIA, Keys.receipt(receipt.upload()), receipt);
        Output first = new Output("thumbnail", Keys.rendition(mediaId, "thumbnail", "thumb-320.jpg"), "image/jpeg", 320, 240, 9000L);
        Manifest processing = new Manifest(mediaId, MediaStatus.PROCESSING, com.mediaflow.shared.format.MediaFormat.JPEG,
                com.mediaflow.shared.format.MediaCategory.IMAGE, 48213,
                new Manifest.Location(MEDIA, Keys.original(mediaId)), Map.of(), List.of(), List.of(first), Map.of());
        new ObjectStore(s3).putJson(MEDIA, Keys.manifest(mediaId), processing);

        JsonNode body = Json.MAPPER.readTree(call(getEvent("user-7f3a", id)).getBody());

        assertThat(body.get("status").asText()).isEqualTo("PROCESSING");
        assertThat(body.get("renditions")).extracting(n -> n.get("key").asText()).containsExactly(first.key());

        // an item that ends QUARANTINED lists nothing, though a step had stored something first
        new ObjectStore(s3).putJson(MEDIA, Keys.manifest(mediaId), new Manifest(mediaId, MediaStatus.QUARANTINED,
                com.mediaflow.shared.format.MediaFormat.JPEG, com.mediaflow.shared.format.MediaCategory.IMAGE, 48213,
                new Manifest.Location("quarantine", "q"), Map.of(), List.of(), List.of(), Map.of()));
        JsonNode quarantined = Json.MAPPER.readTree(call(getEvent("user-7f3a", id)).getBody());
        assertThat(quarantined.get("status").asText()).isEqualTo("QUARANTINED");
        assertThat(quarantined.get("renditions")).isEmpty();
    }

    @Test
    void get_ready_withADeliveryBase_givesEachRenditionItsUrl_andASignedSampleRender() throws Exception {
        var signer = new com.mediaflow.shared.delivery.RenderUrls("upload-api-test-secret-of-32-bytes-or-more");
        handler = new UploadApiHandler(new Uploads(new ObjectStore(s3), INGEST, MEDIA, "eu-west-1",
                "https://ingest.s3.eu-west-1.amazonaws.com/", 100_000, Duration.ofMinutes(15),
                () -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"),
                        ZoneOffset.UTC), new DeliveryLinks("https://d111.cloudfront.net/", signer, List.of(64, 256, 512, 1024))),
                deletes());
        JsonNode created = Json.MAPPER.readTree(call(postEvent()).getBody());
        String id = created.get("uploadId").asText();
        String mediaId = "b".repeat(64);
        Receipt receipt = new Receipt(INGEST, created.get("fields").get("key").asText(), "etag", 48213, "image/jpeg", mediaId,
                com.mediaflow.shared.format.MediaFormat.JPEG, MediaStatus.READY, List.of(), false, "0A1B2C", "u", null, "2026-12-03T10:01:00Z");
        new ObjectStore(s3).putJson(MEDIA, Keys.receipt(receipt.upload()), receipt);
        String display = Keys.rendition(mediaId, "thumbnail", "display.jpg");
        new ObjectStore(s3).putJson(MEDIA, Keys.manifest(mediaId), new Manifest(mediaId, MediaStatus.READY, com.mediaflow.shared.format.MediaFormat.JPEG, com.mediaflow.shared.format.MediaCategory.IMAGE,
                48213, new Manifest.Location(MEDIA, Keys.original(mediaId)), Map.of("thumbnail", com.mediaflow.shared.model.StepState.DONE), List.of(),
                List.of(new Output("display", display, "image/jpeg", 800, 600, 90000L)), Map.of()));

        JsonNode body = Json.MAPPER.readTree(call(getEvent("user-7f3a", id)).getBody());

        assertThat(body.get("renditions").get(0).get("url").asText()).isEqualTo("https://d111.cloudfront.net/" + display);
        String sample = body.get("sampleRenderUrl").asText();
        assertThat(sample).isEqualTo("https://d111.cloudfront.net" + signer.path(mediaId, 512, 512, "cover", "webp"));
        String path = sample.substring("https://d111.cloudfront.net".length());
        String signed = path.substring(path.indexOf('/', 3));
        assertThat(signer.verify(path.substring(3, path.indexOf('/', 3)), signed)).isTrue();
    }

    private static APIGatewayV2HTTPEvent deleteEvent(String sub, String uploadId) throws Exception {
        APIGatewayV2HTTPEvent e = getEvent(sub, uploadId);
        e.setRouteKey(UploadApiHandler.DELETE);
        e.getRequestContext().getHttp().setMethod("DELETE");
        return e;
    }

    @Test
    void delete_ownUpload_is204_thenItIsGone_anotherCallersIs404() throws Exception {
        String id = Json.MAPPER.readTree(call(postEvent()).getBody()).get("uploadId").asText();

        APIGatewayV2HTTPResponse other = call(deleteEvent("someone-else", id));
        APIGatewayV2HTTPResponse own = call(deleteEvent("user-7f3a", id));

        assertThat(other.getStatusCode()).isEqualTo(404);
        assertThat(own.getStatusCode()).isEqualTo(204);
        assertThat(own.getBody()).isNull();
        assertThat(s3.objects).isEmpty();
        assertThat(call(deleteEvent("user-7f3a", id)).getStatusCode()).as("a second DELETE").isEqualTo(404);
        assertThat(call(getEvent("user-7f3a", id)).getStatusCode()).isEqualTo(404);
    }

    @Test
    void noEvent_is401_notAnException() {
        assertThat(call(null).getStatusCode()).isEqualTo(401);
    }

    @Test
    void unknownRoute_is404() throws Exception {
        APIGatewayV2HTTPEvent e = postEvent();
        e.setRouteKey("PUT /uploads");

        assertThat(call(e).getStatusCode()).isEqualTo(404);
    }

    @Test
    void priming_signsWithoutNetwork() {
        handler.priming().prime();

        assertThat(handler.priming().lastFailed()).isFalse();
        assertThat(handler.priming().lastOutcome()).contains("signed a policy of").contains("a part URL of");
        assertThat(s3.objects).isEmpty();
    }
}
