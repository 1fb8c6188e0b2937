package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.model.Json;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The notification the stack emits for an object created through its S3 endpoint has AWS's exact
 * shape: compared field by field with the sample event in events/, written from AWS's documentation.
 */
class S3EventShapeIT {
    /** Fields AWS sends only for versioning-enabled buckets; the stack's buckets are not versioned. */
    private static final Set<String> ONLY_WHEN_VERSIONED = Set.of("Records[0].s3.object.versionId");

    private static StackFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void emittedEvent_matchesAwsSampleFieldByField() throws Exception {
        byte[] content = "not media, only bytes for the event".getBytes();
        String key = "shape/Happy Face (1)+ü.jpg";
        fx.stack.s3().putObject(b -> b.bucket(fx.ingest).key(key), RequestBody.fromBytes(content));

        JsonNode emitted = Json.MAPPER.readTree(receiveOne());
        JsonNode sample = Json.MAPPER.readTree(Files.readString(TestPaths.events("s3-object-created.json")));

        List<String> differences = new ArrayList<>();
        compareShape(sample, emitted, "", differences);
        assertThat(differences).as("field-by-field differences from events/s3-object-created.json").isEmpty();

        JsonNode r = emitted.get("Records").get(0);
        assertThat(r.get("eventVersion").asText()).isEqualTo("2.1");
        assertThat(r.get("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(r.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(r.get("awsRegion").asText()).isEqualTo(EmbeddedStack.REGION);
        assertThat(r.get("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(r.at("/s3/s3SchemaVersion").asText()).isEqualTo("1.0");
        assertThat(r.at("/s3/bucket/name").asText()).isEqualTo(fx.ingest);
        assertThat(r.at("/s3/bucket/arn").asText()).isEqualTo("arn:aws:s3:::" + fx.ingest);
        assertThat(r.at("/s3/object/key").asText()).isEqualTo("shape/Happy+Face+%281%29%2B%C3%BC.jpg");
        assertThat(r.at("/s3/object/size").isIntegralNumber()).isTrue();
        assertThat(r.at("/s3/object/size").asLong()).isEqualTo(content.length);
        assertThat(r.at("/s3/object/eTag").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)));
        assertThat(r.at("/s3/object/sequencer").asText()).matches("[0-9A-F]{16,}");
    }

    @Test
    void copyAndMultipart_emitTheirOwnEventNames() throws Exception {
        fx.stack.s3().putObject(b -> b.bucket(fx.media).key("shape/source"), RequestBody.fromBytes(new byte[10]));
        fx.stack.s3().copyObject(b -> b.sourceBucket(fx.media).sourceKey("shape/source").destinationBucket(fx.ingest)
                .destinationKey("shape/copied"));
        assertThat(Json.MAPPER.readTree(receiveOne()).at("/Records/0/eventName").asText()).isEqualTo("ObjectCreated:Copy");

        var up = fx.stack.s3().createMultipartUpload(b -> b.bucket(fx.ingest).key("shape/multi"));
        var part = fx.stack.s3().uploadPart(b -> b.bucket(fx.ingest).key("shape/multi").uploadId(up.uploadId()).partNumber(1),
                RequestBody.fromBytes(new byte[100]));
        fx.stack.s3().completeMultipartUpload(b -> b.bucket(fx.ingest).key("shape/multi").uploadId(up.uploadId())
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.eTag()))));
        JsonNode multi = Json.MAPPER.readTree(receiveOne());
        assertThat(multi.at("/Records/0/eventName").asText()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(multi.at("/Records/0/s3/object/size").asLong()).isEqualTo(100);
    }

    @Test
    void bucketsWithoutNotificationConfiguration_emitNothing() {
        fx.stack.s3().putObject(b -> b.bucket(fx.media).key("shape/quiet"), RequestBody.fromBytes(new byte[1]));

        var messages = fx.stack.sqs().receiveMessage(b -> b.queueUrl(fx.stack.queueUrl("IngestQueue")).waitTimeSeconds(1)).messages();

        assertThat(messages).isEmpty();
    }

    private String receiveOne() {
        var messages = fx.stack.sqs().receiveMessage(b -> b.queueUrl(fx.stack.queueUrl("IngestQueue")).waitTimeSeconds(5)
                .maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(1);
        fx.stack.sqs().deleteMessage(b -> b.queueUrl(fx.stack.queueUrl("IngestQueue")).receiptHandle(messages.get(0).receiptHandle()));
        return messages.get(0).body();
    }

    /** Same field names at every level and the same JSON types; values may differ. */
    private static void compareShape(JsonNode expected, JsonNode actual, String path, List<String> differences) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": expected an object, found " + actual.getNodeType());
                return;
            }
            expected.fieldNames().forEachRemaining(name -> {
                String p = path.isEmpty() ? name : path + "." + name;
                if (!actual.has(name)) {
                    if (!ONLY_WHEN_VERSIONED.contains(p)) {
                        differences.add(p + ": missing");
                    }
                } else {
                    compareShape(expected.get(name), actual.get(name), p, differences);
                }
            });
            actual.fieldNames().forEachRemaining(name -> {
                if (!expected.has(name)) {
                    differences.add((path.isEmpty() ? name : path + "." + name) + ": not in AWS's event");
                }
            });
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                differences.add(path + ": expected an array of " + expected.size() + ", found " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compareShape(expected.get(i), actual.get(i), path + "[" + i + "]", differences);
            }
        } else if (expected.getNodeType() != actual.getNodeType()
                || expected.isIntegralNumber() != actual.isIntegralNumber()) {
            differences.add(path + ": expected " + expected.getNodeType() + ", found " + actual.getNodeType());
        }
    }
}
