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
import com.mediaflow.testkit.LocalContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Large uploads through the handler on API Gateway's event shape, over an in-memory S3: above the
 * threshold a multipart upload with one presigned URL per part, the parts received while it is
 * open, the complete call and its checks.
 */
class MultipartUploadTest {
    private static final JsonMapper EVENTS = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String INGEST = "ingest";
    private static final String MEDIA = "media";
    private static final long MIB = 1L << 20;
    private static final long THRESHOLD = 10 * MIB;
    private static final String OWNER = "user-7f3a";

    private MemoryS3 s3;
    private S3Presigner presigner;
    private UploadApiHandler handler;

    @BeforeEach
    void setUp() {
        s3 = new MemoryS3();
        presigner = S3Presigner.builder().region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"))).build();
        handler = new UploadApiHandler(new Uploads(new ObjectStore(s3), INGEST, MEDIA, "eu-west-1",
                "https://ingest.s3.eu-west-1.amazonaws.com/", 1L << 30, Duration.ofMinutes(15),
                () -> AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"),
                        ZoneOffset.UTC), DeliveryLinks.NONE, new MultipartUploads(s3, presigner, THRESHOLD, 5 * MIB)), TestDeletes.on(s3, MEDIA));
    }

    @AfterEach
    void tearDown() {
        presigner.close();
    }

    private static APIGatewayV2HTTPEvent event(String route, String sub, String uploadId, String body) throws Exception {
        Path file = Path.of(System.getProperty("mediaflow.root", "../..")).resolve("events/uploadapi-post.json");
        APIGatewayV2HTTPEvent e = EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class);
        e.setRouteKey(route);
        e.setBody(body);
        if (uploadId != null) {
            e.setPathParameters(Map.of("uploadId", uploadId));
            e.setRawPath("/uploads/" + uploadId + (route.endsWith("/complete") ? "/complete" : ""));
        }
        e.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", sub));
        return e;
    }

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent e) {
        return handler.handleRequest(e, new LocalContext("UploadApiFunction", 10, 512));
    }

    private JsonNode create(long size) throws Exception {
        APIGatewayV2HTTPResponse r = call(event(UploadApiHandler.CREATE, OWNER, null,
                "{\"filename\":\"holiday.mp4\",\"contentType\":\"video/mp4\",\"size\":" + size + "}"));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        return Json.MAPPER.readTree(r.getBody());
    }

    private APIGatewayV2HTTPResponse complete(String sub, String id, String body) throws Exception {
        return call(event(UploadApiHandler.COMPLETE, sub, id, body));
    }

    private String s3UploadId(String id) throws Exception {
        return Json.MAPPER.readTree(s3.objects.get(MEDIA + "/" + Keys.apiUpload(id))).get("multipartUploadId").asText();
    }

    private static byte[] bytes(long size) {
        byte[] b = new byte[(int) size];
        new Random(13).nextBytes(b);
        return b;
    }

    private static String partsBody(List<Integer> numbers, List<String> etags) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            parts.add(Map.of("partNumber", numbers.get(i), "etag", etags.get(i)));
        }
        return Json.write(Map.of("parts", parts));
    }

    @Test
    void post_aboveTheThreshold_isAMultipartUpload_withAPresignedUrlPerPart_eachSigningItsLength() throws Exception {
        long size = 12 * MIB + 3;

        JsonNode created = create(size);

        String id = created.get("uploadId").asText();
        String key = "uploads/" + OWNER + "/" + id + "/holiday.mp4";
        assertThat(created.get("key").asText()).isEqualTo(key);
        assertThat(created.has("fields")).as("no POST form").isFalse();
        assertThat(created.get("maxBytes").asLong()).isEqualTo(size);
        assertThat(created.get("expiresAt").asText()).isEqualTo("2026-12-03T10:15:00Z");
        JsonNode mp = created.get("multipart");
        assertThat(mp.get("partSize").asLong()).isEqualTo(5 * MIB);
        assertThat(mp.get("complete").asText()).isEqualTo("POST /uploads/" + id + "/complete");
        assertThat(mp.get("parts").findValuesAsText("partNumber")).containsExactly("1", "2", "3");
        assertThat(mp.get("parts").findValues("size")).extracting(JsonNode::asLong).containsExactly(5 * MIB, 5 * MIB, 2 * MIB + 3);
        String s3Id = s3UploadId(id);
        assertThat(s3.uploads.get(s3Id).contentType()).as("the Content-Type pinned at creation").isEqualTo("video/mp4");
        assertThat(s3.uploads.get(s3Id).key()).isEqualTo(key);
        for (JsonNode part : mp.get("parts")) {
            URI url = URI.create(part.get("url").asText());
            assertThat(url.getHost()).isEqualTo("ingest.s3.eu-west-1.amazonaws.com");
            assertThat(url.getPath()).isEqualTo("/" + key);
            // the SDK's presigner signs with the wall clock (the handler's clock is fixed here): the scope's day is the URL's own
            java.util.regex.Matcher signedAt = java.util.regex.Pattern.compile("X-Amz-Date=(\\d{8})T").matcher(url.getQuery());
            assertThat(signedAt.find()).as("an X-Amz-Date in " + url.getQuery()).isTrue();
            assertThat(url.getQuery()).contains("partNumber=" + part.get("partNumber").asText(), "uploadId=" + s3Id,
                    "X-Amz-Expires=900", "X-Amz-Credential=AKIDEXAMPLE/" + signedAt.group(1) + "/eu-west-1/s3/aws4_request");
            assertThat(url.getQuery()).as("the part's length is signed").contains("X-Amz-SignedHeaders=content-length;host");
        }
    }

    @Test
    void post_atTheThreshold_isAPostForm() throws Exception {
        JsonNode created = create(THRESHOLD);

        assertThat(created.has("fields")).isTrue();
        assertThat(created.has("multipart")).isFalse();
        assertThat(s3.uploads).isEmpty();
    }

    @Test
    void partSize_growsToKeepWithinTenThousandParts() {
        MultipartUploads m = new MultipartUploads(s3, presigner, THRESHOLD, 16 * MIB);

        assertThat(m.partSize(4L << 30)).isEqualTo(16 * MIB);
        long huge = 200L << 30;
        long part = m.partSize(huge);
        assertThat(part % MIB).isZero();
        assertThat(MultipartUploads.partCount(huge, part)).isLessThanOrEqualTo(10_000);
        assertThat(MultipartUploads.partCount(huge, part - MIB)).isGreaterThan(10_000);
    }

    @Test
    void get_whileOpen_listsThePartsReceived_thenTheRestCompletes_andTheObjectHoldsEveryByte() throws Exception {
        long size = 12 * MIB;
        byte[] file = bytes(size);
        JsonNode created = create(size);
        String id = created.get("uploadId").asText();
        String s3Id = s3UploadId(id);
        String etag1 = s3.uploadPart(s3Id, 1, Arrays.copyOfRange(file, 0, (int) (5 * MIB)));

        // the connection drops; the client asks what arrived
        JsonNode status = Json.MAPPER.readTree(call(event(UploadApiHandler.STATUS, OWNER, id, null)).getBody());

        assertThat(status.get("status").asText()).isEqualTo("PENDING");
        assertThat(status.get("partSize").asLong()).isEqualTo(5 * MIB);
        assertThat(status.get("partsReceived")).hasSize(1);
        assertThat(status.get("partsReceived").get(0).get("partNumber").asInt()).isEqualTo(1);
        assertThat(status.get("partsReceived").get(0).get("size").asLong()).isEqualTo(5 * MIB);
        assertThat(status.get("partsReceived").get(0).get("etag").asText()).isEqualTo(etag1.replace("\"", ""));

        String etag2 = s3.uploadPart(s3Id, 2, Arrays.copyOfRange(file, (int) (5 * MIB), (int) (10 * MIB)));
        String etag3 = s3.uploadPart(s3Id, 3, Arrays.copyOfRange(file, (int) (10 * MIB), (int) size));
        APIGatewayV2HTTPResponse done = complete(OWNER, id, partsBody(List.of(1, 2, 3), List.of(etag1, etag2, etag3)));

        assertThat(done.getStatusCode()).as(done.getBody()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(done.getBody());
        assertThat(body.get("uploadId").asText()).isEqualTo(id);
        assertThat(body.get("status").asText()).isEqualTo("PENDING");
        assertThat(body.has("partsReceived")).as("no longer open").isFalse();
        String key = INGEST + "/" + created.get("key").asText();
        assertThat(s3.objects.get(key)).isEqualTo(file);
        assertThat(s3.contentTypes.get(key)).isEqualTo("video/mp4");
        assertThat(s3.uploads).isEmpty();
        // completed again (the answer was lost): the same status, nothing else
        assertThat(complete(OWNER, id, partsBody(List.of(1, 2, 3), List.of(etag1, etag2, etag3))).getStatusCode()).isEqualTo(200);
    }

    @Test
    void complete_whosePartsDoNotAddUpToTheDeclaredSize_is400SizeMismatch_abortsTheUpload_andStoresNothing() throws Exception {
        long size = 12 * MIB;
        byte[] file = bytes(size);
        String id = create(size).get("uploadId").asText();
        String s3Id = s3UploadId(id);
        String etag1 = s3.uploadPart(s3Id, 1, Arrays.copyOfRange(file, 0, (int) (5 * MIB)));
        String etag2 = s3.uploadPart(s3Id, 2, Arrays.copyOfRange(file, (int) (5 * MIB), (int) (10 * MIB)));

        APIGatewayV2HTTPResponse r = complete(OWNER, id, partsBody(List.of(1, 2), List.of(etag1, etag2)));

        assertThat(r.getStatusCode()).isEqualTo(400);
        JsonNode body = Json.MAPPER.readTree(r.getBody());
        assertThat(body.get("code").asText()).isEqualTo("SIZE_MISMATCH");
        assertThat(body.get("message").asText()).contains("10485760 bytes, expected the declared size 12582912");
        assertThat(s3.uploads).as("aborted").isEmpty();
        assertThat(s3.objects.keySet()).noneMatch(k -> k.startsWith(INGEST + "/"));
        assertThat(complete(OWNER, id, partsBody(List.of(1, 2), List.of(etag1, etag2))).getStatusCode())
                .as("an aborted upload cannot be completed").isEqualTo(409);
    }

    @Test
    void complete_namingAPartNotReceived_is400_andLeavesTheUploadOpenToSendIt() throws Exception {
        long size = 12 * MIB;
        String id = create(size).get("uploadId").asText();
        String s3Id = s3UploadId(id);
        String etag1 = s3.uploadPart(s3Id, 1, bytes(5 * MIB));

        APIGatewayV2HTTPResponse missing = complete(OWNER, id, partsBody(List.of(1, 2), List.of(etag1, "\"0123\"")));
        APIGatewayV2HTTPResponse wrongEtag = complete(OWNER, id, partsBody(List.of(1), List.of("\"" + "f".repeat(32) + "\"")));
        APIGatewayV2HTTPResponse malformed = complete(OWNER, id, "{\"parts\":[{\"partNumber\":0,\"etag\":\"x\"}]}");
        APIGatewayV2HTTPResponse twice = complete(OWNER, id, partsBody(List.of(1, 1), List.of(etag1, etag1)));

        assertThat(List.of(missing, wrongEtag, malformed, twice)).allSatisfy(r -> {
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(r.getBody()).get("code").asText()).isEqualTo("BAD_REQUEST");
        });
        assertThat(missing.getBody()).contains("part 2", "has not arrived");
        assertThat(s3.uploads).as("still open").containsKey(s3Id);
    }

    @Test
    void complete_ofAnotherCallersUpload_is404_andTouchesNothing() throws Exception {
        String id = create(12 * MIB).get("uploadId").asText();
        String s3Id = s3UploadId(id);
        String etag1 = s3.uploadPart(s3Id, 1, bytes(5 * MIB));

        APIGatewayV2HTTPResponse other = complete("someone-else", id, partsBody(List.of(1), List.of(etag1)));
        APIGatewayV2HTTPResponse unknown = complete(OWNER, "00000000-0000-4000-8000-000000000000", partsBody(List.of(1),
                List.of(etag1)));
        APIGatewayV2HTTPResponse otherGet = call(event(UploadApiHandler.STATUS, "someone-else", id, null));

        assertThat(other.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(otherGet.getStatusCode()).isEqualTo(404);
        assertThat(s3.uploads).containsKey(s3Id);
        assertThat(s3.uploads.get(s3Id).parts()).containsOnlyKeys(1);
    }

    @Test
    void complete_ofAPostFormUpload_is409() throws Exception {
        String id = create(MIB).get("uploadId").asText();

        APIGatewayV2HTTPResponse r = complete(OWNER, id, partsBody(List.of(1), List.of("\"abc\"")));

        assertThat(r.getStatusCode()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(r.getBody()).get("code").asText()).isEqualTo("CONFLICT");
    }
}
