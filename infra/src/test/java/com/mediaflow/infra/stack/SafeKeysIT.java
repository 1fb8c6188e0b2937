package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.SyntheticMedia;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys that S3 accepts but a file store cannot name as they are (1024 bytes, a path component over
 * 255 bytes), and keys with characters that need care (unicode, '+', '%', spaces, a newline), through
 * the SDK against a stack with a data folder, as 'up --data' runs it; and again after a restart.
 */
class SafeKeysIT {
    /** 1024 bytes of UTF-8, the longest key S3 takes: one component of 1016 bytes. */
    static final String LONGEST = "uploads/" + "k".repeat(1024 - "uploads/".length());
    /** 1007 bytes, several components, two of them over 255 bytes of two-byte characters. */
    static final String LONG_UNICODE = "uploads/" + "é".repeat(200) + "/" + "ü".repeat(200) + "/" + "photo ".repeat(32) + "x.jpg";
    static final String UNICODE = "uploads/naïve café/日本語の写真.jpg";
    static final String PLUS_PERCENT_SPACE = "uploads/a+b c%20d%2F e.jpg";
    static final String NEWLINE = "uploads/line\nbreak.jpg";
    static final String PLAIN = "uploads/plain.jpg";
    static final List<String> KEYS = List.of(LONGEST, LONG_UNICODE, UNICODE, PLUS_PERCENT_SPACE, NEWLINE, PLAIN);

    @TempDir
    Path data;

    @Test
    void everyKeyS3Takes_worksOnTheFileStore_andSurvivesARestart() throws Exception {
        assertThat(LONGEST.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        assertThat(LONG_UNICODE.getBytes(StandardCharsets.UTF_8).length).isBetween(1000, 1024);
        String media;
        try (EmbeddedStack stack = start()) {
            S3Client s3 = stack.s3();
            media = stack.bucket("MediaBucket");
            String bucket = media;
            for (String key : KEYS) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg").metadata(Map.of("owner", "test")),
                        RequestBody.fromString(body(key)));
            }

            for (String key : KEYS) {
                var head = s3.headObject(b -> b.bucket(bucket).key(key));
                assertThat(head.contentLength()).as(key).isEqualTo(body(key).length());
                assertThat(head.contentType()).isEqualTo("image/jpeg");
                assertThat(head.metadata()).containsExactly(Map.entry("owner", "test"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String()).isEqualTo(body(key));
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=5-9")).asUtf8String())
                        .isEqualTo(body(key).substring(5, 10));
            }
            assertThat(allKeys(s3, bucket, "", 1000)).containsExactlyElementsOf(new TreeSet<>(KEYS));
            assertThat(allKeys(s3, bucket, "", 2)).as("pages of 2, continuation tokens across both kinds of key")
                    .containsExactlyElementsOf(new TreeSet<>(KEYS));
            assertThat(allKeys(s3, bucket, "uploads/é", 1000)).containsExactly(LONG_UNICODE);
            var top = s3.listObjectsV2(b -> b.bucket(bucket).prefix("uploads/").delimiter("/"));
            assertThat(top.contents()).extracting(S3Object::key)
                    .containsExactlyInAnyOrder(LONGEST, PLUS_PERCENT_SPACE, NEWLINE, PLAIN);
            assertThat(top.commonPrefixes()).extracting(p -> p.prefix())
                    .containsExactlyInAnyOrder("uploads/naïve café/", "uploads/" + "é".repeat(200) + "/");
            var v1 = s3.listObjects(b -> b.bucket(bucket).prefix("uploads/k"));
            assertThat(v1.contents()).extracting(S3Object::key).containsExactly(LONGEST);

            // copy long -> long, long -> short, short -> long
            String longCopy = LONGEST.substring(0, 1000) + "-copy";
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(LONGEST).destinationBucket(bucket).destinationKey(longCopy));
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(LONG_UNICODE).destinationBucket(bucket).destinationKey("short-copy"));
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(PLAIN).destinationBucket(bucket).destinationKey(longCopy + "2"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(longCopy)).asUtf8String()).isEqualTo(body(LONGEST));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("short-copy")).asUtf8String()).isEqualTo(body(LONG_UNICODE));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(longCopy + "2")).asUtf8String()).isEqualTo(body(PLAIN));

            // delete, one and several
            s3.deleteObject(b -> b.bucket(bucket).key(longCopy));
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ObjectIdentifier.builder().key(longCopy + "2").build(),
                    ObjectIdentifier.builder().key("short-copy").build())));
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key(longCopy)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
            assertThat(allKeys(s3, bucket, "", 1000)).containsExactlyElementsOf(new TreeSet<>(KEYS));

            // multipart, to a 1024-byte key
            String mpuKey = "multipart/" + "m".repeat(1024 - "multipart/".length());
            byte[] part1 = new byte[5 * 1024 * 1024];
            java.util.Arrays.fill(part1, (byte) 'a');
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(mpuKey).contentType("video/mp4")).uploadId();
            assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).extracting(u -> u.key()).contains(mpuKey);
            String e1 = s3.uploadPart(b -> b.bucket(bucket).key(mpuKey).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(part1)).eTag();
            String e2 = s3.uploadPart(b -> b.bucket(bucket).key(mpuKey).uploadId(uploadId).partNumber(2), RequestBody.fromString("tail")).eTag();
            assertThat(s3.listParts(b -> b.bucket(bucket).key(mpuKey).uploadId(uploadId)).parts()).hasSize(2);
            var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key(mpuKey).uploadId(uploadId).multipartUpload(m -> m.parts(
                    CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
            assertThat(done.key()).isEqualTo(mpuKey);
            assertThat(s3.headObject(b -> b.bucket(bucket).key(mpuKey)).contentLength()).isEqualTo(part1.length + 4L);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(mpuKey).range("bytes=-4")).asUtf8String()).isEqualTo("tail");
            s3.deleteObject(b -> b.bucket(bucket).key(mpuKey));

            // the ingest bucket announces a long key by its own name
            String ingest = stack.bucket("IngestBucket");
            s3.putObject(b -> b.bucket(ingest).key(LONG_UNICODE), RequestBody.fromString("x"));
            var messages = stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl("IngestQueue")).waitTimeSeconds(5)).messages();
            assertThat(messages).hasSize(1);
            JsonNode key = Json.MAPPER.readTree(messages.get(0).body()).at("/Records/0/s3/object/key");
            assertThat(URLDecoder.decode(key.asText(), StandardCharsets.UTF_8)).isEqualTo(LONG_UNICODE);
        }

        // the data folder holds no path component the filesystem could refuse
        try (Stream<Path> files = Files.walk(data)) {
            files.forEach(p -> assertThat(p.getFileName().toString().getBytes(StandardCharsets.UTF_8).length).as(p.toString())
                    .isLessThanOrEqualTo(SafeKeyBlobStore.MAX_COMPONENT_BYTES));
        }

        try (EmbeddedStack again = start()) {
            String bucket = media;
            assertThat(allKeys(again.s3(), bucket, "", 3)).containsExactlyElementsOf(new TreeSet<>(KEYS));
            for (String key : KEYS) {
                assertThat(again.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String()).isEqualTo(body(key));
            }
        }
    }

    /**
     * The same kinds of key as uploads through the whole pipeline, on a stack with a data folder as
     * 'up --data' runs it: S3 puts each key in its event form-encoded ('+' for a space, "%2B" for a
     * '+', "%25" for a '%', "%0A" for a newline), validate decodes it, and every upload ends READY
     * with its own receipt and completion event naming the key exactly. Receipt keys hash the ingest
     * key, so they stay far below S3's 1024 bytes whatever its length.
     */
    @Test
    void everyKindOfKey_goesThroughThePipeline_toReady_withItsReceiptAndEvent() throws Exception {
        String longestJpg = "uploads/" + "k".repeat(1024 - "uploads/".length() - ".jpg".length()) + ".jpg";
        String longestUnicode = "uploads/" + "写".repeat(337) + "x.jpg";
        String percentPlus = "uploads/100%25 + 50% off+sale%2B.jpg";
        List<String> keys = List.of(longestJpg, longestUnicode, LONG_UNICODE, UNICODE, PLUS_PERCENT_SPACE, NEWLINE,
                percentPlus, "uploads/tab\tand\rreturn.jpg", PLAIN);
        assertThat(longestJpg.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        assertThat(longestUnicode.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withDataDir(data)
                .withWorkers(2))) {
            ObjectStore store = new ObjectStore(stack.s3());
            String ingest = stack.bucket("IngestBucket");
            String media = stack.bucket("MediaBucket");
            Map<String, String> etags = new java.util.LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                // each a different picture: every upload is processed, none is a duplicate
                Path jpeg = SyntheticMedia.jpeg(data.resolve("photo-" + i + ".jpg"), 64 + 2 * i, 48, 0);
                etags.put(key, stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"),
                        RequestBody.fromFile(jpeg)).eTag());
            }

            for (String key : keys) {
                Receipt receipt = StackFixture.await(() -> Receipts.find(store, media, ingest, key, etags.get(key))
                        .filter(Receipt::isFinal), Duration.ofSeconds(120), "final receipt of " + printable(key));
                assertThat(receipt.status()).as(printable(key)).isEqualTo(MediaStatus.READY);
                assertThat(receipt.key()).isEqualTo(key);
                assertThat(receipt.bucket()).isEqualTo(ingest);
                String receiptKey = Keys.receipt(receipt.upload());
                assertThat(receiptKey.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
                assertThat(store.getJson(media, receiptKey, Receipt.class)).isPresent();
                Manifest manifest = store.getJson(media, Keys.manifest(receipt.mediaId()), Manifest.class).orElseThrow();
                assertThat(manifest.status()).isEqualTo(MediaStatus.READY);
                assertThat(manifest.outputs()).isNotEmpty();
            }
            // one completion event per upload, naming its key exactly as it was written
            String completions = stack.queueUrl("CompletionQueue");
            List<CompletionEvent> events = new ArrayList<>();
            StackFixture.await(() -> {
                for (var m : stack.sqs().receiveMessage(b -> b.queueUrl(completions).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages()) {
                    events.add(Json.read(m.body(), CompletionEvent.class));
                    stack.sqs().deleteMessage(b -> b.queueUrl(completions).receiptHandle(m.receiptHandle()));
                }
                long distinct = events.stream().map(CompletionEvent::eventId).distinct().count();
                return distinct >= keys.size() ? java.util.Optional.of(events) : java.util.Optional.empty();
            }, Duration.ofSeconds(60), keys.size() + " completion events");
            // at least once: an event may come twice, with its eventId; after deduplication, one per upload
            Map<String, CompletionEvent> byId = new java.util.LinkedHashMap<>();
            events.forEach(e -> byId.putIfAbsent(e.eventId(), e));
            assertThat(byId.values()).extracting(CompletionEvent::key).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(events).extracting(CompletionEvent::status).containsOnly(MediaStatus.READY);
            assertThat(events).allSatisfy(e -> assertThat(e.receiptKey().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(1024));
        }
    }

    private static String printable(String key) {
        String shown = key.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return shown.length() > 80 ? shown.substring(0, 80) + "... (" + key.getBytes(StandardCharsets.UTF_8).length + " bytes)" : shown;
    }

    @Test
    void keysAreMappedOnlyWhenTheFileStoreCannotHoldThem() {
        SafeKeyBlobStore store = new SafeKeyBlobStore(new TransientNio2BlobStore(), Path.of("/data/s3"));

        assertThat(store.needsMapping("b", PLAIN)).isFalse();
        assertThat(store.needsMapping("b", UNICODE)).isFalse();
        assertThat(store.needsMapping("b", PLUS_PERCENT_SPACE)).isFalse();
        assertThat(store.needsMapping("b", NEWLINE)).isFalse();
        assertThat(store.needsMapping("b", "folder/")).as("a folder marker").isFalse();
        assertThat(store.needsMapping("b", "a/" + "x".repeat(SafeKeyBlobStore.MAX_COMPONENT_BYTES))).isFalse();
        assertThat(store.needsMapping("b", "a/" + "x".repeat(SafeKeyBlobStore.MAX_COMPONENT_BYTES + 1))).isTrue();
        assertThat(store.needsMapping("b", "a/" + "é".repeat(110))).as("220 bytes in 110 characters").isTrue();
        assertThat(store.needsMapping("b", LONGEST)).isTrue();
        assertThat(store.needsMapping("b", "a//b")).isTrue();
        assertThat(store.needsMapping("b", "/a")).isTrue();
        assertThat(store.needsMapping("b", "a/../b")).isTrue();
        assertThat(store.needsMapping("b", "./a")).isTrue();
        assertThat(store.needsMapping("b", SafeKeyBlobStore.HASHED_PREFIX + "x")).as("the hashed area itself").isTrue();
        SafeKeyBlobStore deep = new SafeKeyBlobStore(new TransientNio2BlobStore(), Path.of("/" + "d/".repeat(1600)));
        assertThat(deep.needsMapping("b", "short/key")).as("the whole path over 4 KiB").isFalse();
        assertThat(deep.needsMapping("b", "k/".repeat(450) + "x")).isTrue();
        assertThat(store.storedKey("b", LONGEST)).isEqualTo(SafeKeyBlobStore.HASHED_PREFIX + SafeKeyBlobStore.sha256(LONGEST));
    }

    private EmbeddedStack start() throws Exception {
        return EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false).withDataDir(data));
    }

    private static String body(String key) {
        return "bytes of " + key.hashCode() + " ".repeat(8);
    }

    private static List<String> allKeys(S3Client s3, String bucket, String prefix, int pageSize) {
        List<String> keys = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(pageSize))) {
            assertThat(page.contents().size()).isLessThanOrEqualTo(pageSize);
            page.contents().forEach(o -> keys.add(o.key()));
        }
        return keys;
    }
}
