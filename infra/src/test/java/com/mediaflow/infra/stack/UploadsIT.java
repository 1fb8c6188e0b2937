package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.SyntheticMedia;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The upload is the unit a user sees: every upload ends READY, QUARANTINED or FAILED with its own
 * receipt and its own completion event, however many identical uploads arrive at once and whatever
 * its key. Every event taken off the CompletionQueue is checked against the published schema,
 * {@code mediaflow-completion-event.schema.json}.
 */
class UploadsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static StackFixture fx;
    private static JsonSchema eventSchema;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        // four execution environments per function: identical uploads are validated concurrently
        fx = StackFixture.start(true, Map.of(), 4);
        try (InputStream in = UploadsIT.class.getResourceAsStream("/mediaflow-completion-event.schema.json")) {
            eventSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void twentyIdenticalUploadsAtOnce_areProcessedOnce_andEachEndsWithItsOwnEvent() throws Exception {
        // given: one photo that no other test here uploads (tests run in any order), and twenty
        // clients ready to upload it under their own keys
        Path photo = SyntheticMedia.jpeg(tmp.resolve("same.jpg"), 336, 248, 0);
        byte[] bytes = Files.readAllBytes(photo);
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> puts = new ArrayList<>();
        Map<String, String> etags = new LinkedHashMap<>();

        // when: they are released at once
        try {
            for (int i = 0; i < n; i++) {
                String key = "identical/" + i + ".jpg";
                puts.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return fx.stack.s3().putObject(b -> b.bucket(fx.ingest).key(key).contentType("image/jpeg"),
                            RequestBody.fromBytes(bytes)).eTag();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (int i = 0; i < n; i++) {
                etags.put("identical/" + i + ".jpg", puts.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        // then: twenty final receipts, all READY, exactly one of them not a duplicate
        List<Receipt> receipts = new ArrayList<>();
        etags.forEach((key, etag) -> receipts.add(fx.awaitFinalReceipt(key, etag, WAIT)));
        assertThat(receipts).extracting(Receipt::status).containsOnly(MediaStatus.READY);
        assertThat(receipts).extracting(Receipt::mediaId).containsOnly(receipts.get(0).mediaId());
        assertThat(receipts).filteredOn(r -> !r.duplicate()).as("uploads processed as new").hasSize(1);
        String mediaId = receipts.get(0).mediaId();
        Receipt claimer = receipts.stream().filter(r -> !r.duplicate()).findFirst().orElseThrow();

        // and twenty completion events, one per upload, with distinct ids that are the receipts'
        List<CompletionEvent> events = fx.awaitCompletions(e -> e.key().startsWith("identical/"), n, WAIT);
        fx.awaitQuiet(WAIT);
        events = fx.completions().stream().filter(e -> e.key().startsWith("identical/")).toList();
        assertThat(events.stream().map(CompletionEvent::eventId).collect(Collectors.toSet()))
                .as("distinct event ids (at-least-once delivery may repeat one)").hasSize(n)
                .isEqualTo(receipts.stream().map(Receipt::eventId).collect(Collectors.toSet()));
        assertThat(events).extracting(CompletionEvent::key).containsAll(etags.keySet());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(MediaStatus.READY);
            assertThat(e.mediaId()).isEqualTo(mediaId);
        });
        assertThat(events).filteredOn(e -> !e.duplicate()).extracting(CompletionEvent::key).containsOnly(claimer.key());

        // and one media item with one set of outputs
        Manifest item = fx.store.getJson(fx.media, Keys.manifest(mediaId), Manifest.class).orElseThrow();
        assertThat(item.status()).isEqualTo(MediaStatus.READY);
        assertThat(item.claimedBy()).isEqualTo(claimer.uploadId());
        Set<String> expected = new TreeSet<>();
        expected.add(Keys.original(mediaId));
        expected.add(Keys.manifest(mediaId));
        item.steps().keySet().forEach(step -> expected.add(Keys.stepResult(mediaId, step)));
        item.outputs().stream().map(Output::key).forEach(expected::add);
        receipts.forEach(r -> {
            expected.add(Keys.upload(mediaId, r.uploadId()));
            expected.add(Keys.sent(mediaId, r.uploadId(), MediaStatus.READY));
        });
        assertThat(new TreeSet<>(fx.keys(fx.media, Keys.mediaPrefix(mediaId))))
                .as("the original, the manifest, each step's result and renditions once; each upload's record and mark")
                .isEqualTo(expected);
        assertEveryEventMatchesTheSchema();
    }

    @Test
    void sameKeyUploadedTwice_isTwoUploads_withTwoReceiptsAndTwoEvents() throws Exception {
        String key = "again/photo.jpg";
        Path first = SyntheticMedia.jpeg(tmp.resolve("first.jpg"), 320, 240, 0);
        Path second = SyntheticMedia.jpeg(tmp.resolve("second.jpg"), 240, 320, 0);

        String firstEtag = fx.upload(first, key, "image/jpeg");
        Receipt a = fx.awaitFinalReceipt(key, firstEtag, WAIT);
        String secondEtag = fx.upload(second, key, "image/jpeg");
        Receipt b = fx.awaitFinalReceipt(key, secondEtag, WAIT);

        assertThat(List.of(a.status(), b.status())).containsOnly(MediaStatus.READY);
        assertThat(b.uploadId()).isNotEqualTo(a.uploadId());
        assertThat(b.mediaId()).isNotEqualTo(a.mediaId());
        assertThat(Receipts.of(fx.store, fx.media, fx.ingest, key)).extracting(Receipt::uploadId)
                .containsExactlyInAnyOrder(a.uploadId(), b.uploadId());
        List<CompletionEvent> events = fx.awaitCompletions(e -> key.equals(e.key()), 2, WAIT);
        assertThat(events.stream().map(CompletionEvent::eventId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(a.eventId(), b.eventId());
        assertThat(events).extracting(CompletionEvent::etag).contains(firstEtag.replace("\"", ""), secondEtag.replace("\"", ""));
        assertEveryEventMatchesTheSchema();
    }

    @Test
    void sameKeyAndSameBytesUploadedTwice_isStillTwoUploads() throws Exception {
        String key = "again/same.jpg";
        Path photo = SyntheticMedia.jpeg(tmp.resolve("same-twice.jpg"), 200, 120, 0);

        String etag = fx.upload(photo, key, "image/jpeg");
        fx.awaitFinalReceipt(key, etag, WAIT);
        fx.upload(photo, key, "image/jpeg");
        List<Receipt> receipts = StackFixture.await(() -> {
            List<Receipt> all = Receipts.of(fx.store, fx.media, fx.ingest, key);
            return all.size() == 2 && all.stream().allMatch(Receipt::isFinal) ? java.util.Optional.of(all) : java.util.Optional.empty();
        }, WAIT, "two final receipts of " + key);

        assertThat(receipts).extracting(Receipt::status).containsOnly(MediaStatus.READY);
        assertThat(receipts).extracting(Receipt::duplicate).containsExactlyInAnyOrder(false, true);
        assertThat(receipts).extracting(Receipt::sequencer).doesNotHaveDuplicates();
        assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 2, WAIT).stream().map(CompletionEvent::eventId)
                .collect(Collectors.toSet())).hasSize(2);
        assertEveryEventMatchesTheSchema();
    }

    @Test
    void awkwardKeys_1024BytesUnicodePlusPercentSpacesNewline_endReadyWithReceiptAndEvent() throws Exception {
        String longKey = "long/" + "k".repeat(1024 - "long/".length() - ".jpg".length()) + ".jpg";
        List<String> keys = List.of(longKey, "unicode/фото 日本 ü.jpg", "plus/a+b+c.jpg", "percent/100%25 done%.jpg",
                "spaces/with  two spaces .jpg", "newline/line one\nline two.jpg");
        assertThat(longKey.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        Map<String, String> etags = new LinkedHashMap<>();
        int i = 0;
        for (String key : keys) {
            Path photo = SyntheticMedia.jpeg(tmp.resolve("awkward-" + i + ".jpg"), 160 + 2 * i, 120, 0);
            etags.put(key, fx.upload(photo, key, "image/jpeg"));
            i++;
        }

        for (String key : keys) {
            Receipt r = fx.awaitFinalReceipt(key, etags.get(key), WAIT);
            assertThat(r.status()).as(key).isEqualTo(MediaStatus.READY);
            assertThat(r.key()).isEqualTo(key);
            assertThat(Keys.receipt(r.upload()).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
            assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT)).as(key)
                    .allSatisfy(e -> assertThat(e.eventId()).isEqualTo(r.eventId()));
        }
        assertEveryEventMatchesTheSchema();
    }

    /** Every completion event taken off the queue so far, as sent, against the published JSON Schema. */
    private static void assertEveryEventMatchesTheSchema() {
        List<String> bodies = fx.completionBodies();
        assertThat(bodies).as("completion events seen by this class").isNotEmpty();
        for (String body : bodies) {
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("a completion event is not JSON: " + body, e);
            }
            assertThat(eventSchema.validate(node)).as("schema violations of " + body).isEmpty();
        }
    }
}
