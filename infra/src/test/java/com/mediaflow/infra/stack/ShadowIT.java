package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.shared.pipeline.ShadowComparison;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.EmfDocuments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Shadow mode on the embedded stack: the same real photo through a stack with shadow mode off and one
 * with SHADOW_FRACTION=1 (which turns the shadow versions on locally). The item, its manifest and its events
 * must not tell them apart; the shadow run leaves its outputs and comparisons under shadow/ only.
 */
class ShadowIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path PHOTO = Corpus.dir().resolve("exif-orientation/Landscape_6.jpg");
    private static final String KEY = "shadow-it/Landscape_6.jpg";
    private static final List<String> SHADOW_QUEUES = List.of("ShadowThumbnailQueue", "ShadowThumbnailDLQ",
            "ShadowMetadataQueue", "ShadowMetadataDLQ");

    /** What one run left of the item: everything a consumer sees, with the ids of the upload (new per run) taken out. */
    private record Run(String mediaId, Manifest manifest, List<String> itemKeys, List<CompletionEvent> events, List<String> receipts) {
    }

    private static Run process(StackFixture fx) {
        fx.upload(PHOTO, KEY, "image/jpeg");
        Receipt receipt = fx.awaitReceipt(KEY, WAIT);
        fx.awaitTerminal(receipt.mediaId(), WAIT);
        fx.awaitQuiet(WAIT);
        List<CompletionEvent> events = fx.awaitCompletions(e -> KEY.equals(e.key()), 1, WAIT);
        Manifest m = fx.store.getJson(fx.media, Keys.manifest(receipt.mediaId()), Manifest.class).orElseThrow();
        List<String> keys = new ArrayList<>();
        for (String k : fx.keys(fx.media, Keys.mediaPrefix(receipt.mediaId()))) {
            keys.add(receipt.uploadId() == null ? k : k.replace(receipt.uploadId(), "<upload>"));
        }
        return new Run(receipt.mediaId(), m, keys, events, fx.keys(fx.media, "receipts/"));
    }

    @Test
    void fractionOne_shadowOutputsUnderShadow_itemAndEventsAsWithoutShadow_andATamperedShadowResultIsADifference()
            throws Exception {
        // given: the photo through a stack whose template has shadow mode on (shadow versions set) at fraction 0
        Run off;
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withWorkers(2).withParameters(Map.of("ThumbnailShadowVersion", "3", "MetadataShadowVersion", "7"))))) {
            assertThat(fx.stack.queues()).containsKeys(SHADOW_QUEUES.toArray(String[]::new));
            off = process(fx);
            assertThat(fx.keys(fx.media, "shadow/")).as("fraction 0: no shadow work").isEmpty();
            for (String q : SHADOW_QUEUES) {
                assertThat(queued(fx, q)).as("fraction 0: nothing on %s", q).isZero();
            }
        }
        assertThat(off.manifest().status()).isEqualTo(MediaStatus.READY);

        // when: the same photo through a stack with SHADOW_FRACTION=1
        try (StackFixture fx = StackFixture.start(true, Map.of(Config.SHADOW_FRACTION, "1"))) {
            assertThat(fx.stack.condition("ShadowOn")).as("--env SHADOW_FRACTION=1 turns shadow mode on").isTrue();
            Run on = process(fx);
            String id = on.mediaId();
            for (String step : List.of("thumbnail", "metadata")) {
                fx.awaitQuiet(WAIT);
                StackFixture.await(() -> fx.store.getJson(fx.media, Keys.shadowComparison(id, step), ShadowComparison.class),
                        WAIT, "comparison of shadow " + step);
            }

            // then: the item is READY with its normal outputs, its manifest and events exactly as without shadow
            assertThat(on.mediaId()).isEqualTo(off.mediaId());
            assertThat(withoutClaim(on.manifest())).isEqualTo(withoutClaim(off.manifest()));
            assertThat(on.itemKeys()).as("the item's own keys").isEqualTo(off.itemKeys());
            assertThat(on.receipts()).hasSameSizeAs(off.receipts()).hasSize(1);
            assertThat(on.events()).as("one event per upload").hasSize(1);
            assertThat(fx.completions()).as("no other event").hasSize(1);
            CompletionEvent e = on.events().get(0);
            CompletionEvent before = off.events().get(0);
            assertThat(List.of(e.status(), e.type(), e.manifestKey(), e.reasons(), e.key()))
                    .isEqualTo(List.of(before.status(), before.type(), before.manifestKey(), before.reasons(), before.key()));
            assertThat(on.manifest().outputs()).allMatch(o -> o.key().startsWith(Keys.mediaPrefix(id)));

            // and the shadow outputs are under shadow/, one per real thumbnail output, and compare as the same
            StepResult shadowThumb = fx.store.getJson(fx.media, Keys.shadowResult(id, "thumbnail"), StepResult.class).orElseThrow();
            List<String> realNames = on.manifest().outputs().stream().filter(o -> o.key().contains("/thumbnail/"))
                    .map(o -> o.key().substring(o.key().lastIndexOf('/') + 1)).sorted().toList();
            assertThat(shadowThumb.outputs()).extracting(o -> o.key().substring(o.key().lastIndexOf('/') + 1))
                    .containsExactlyInAnyOrderElementsOf(realNames);
            for (Output o : shadowThumb.outputs()) {
                assertThat(o.key()).startsWith(Keys.shadowPrefix(id, "thumbnail"));
                assertThat(fx.store.exists(fx.media, o.key())).as(o.key()).isTrue();
            }
            for (String step : List.of("thumbnail", "metadata")) {
                ShadowComparison c = fx.store.getJson(fx.media, Keys.shadowComparison(id, step), ShadowComparison.class).orElseThrow();
                assertThat(c.differs()).as("%s: %s", step, c.differences()).isFalse();
            }
            assertThat(fx.keys(fx.media, "shadow/")).allMatch(k -> k.startsWith("shadow/" + id + "/"));

            // and the metrics: one comparison per shadowed step, no difference; the shadow work is not in the step metrics
            List<EmfDocuments.Document> docs = fx.stack.metrics().lines().stream()
                    .peek(l -> assertThat(EmfDocuments.problems(l)).as(l).isEmpty()).map(EmfDocuments::parse).toList();
            for (String step : List.of("thumbnail", "metadata")) {
                assertThat(sum(docs, step, "ShadowCompared")).as(step).isEqualTo(1);
                assertThat(sum(docs, step, "ShadowDifferent")).as(step).isZero();
                assertThat(sum(docs, step, "ItemsProcessed")).as("%s items processed: the live one only", step).isEqualTo(1);
            }

            // when: a tampered shadow result (other dimensions), compared again as a redelivered shadow copy would be
            Map<String, String> itemBefore = fx.snapshot(fx.media, Keys.mediaPrefix(id));
            List<Output> tampered = new ArrayList<>(shadowThumb.outputs());
            Output first = tampered.get(0);
            tampered.set(0, new Output(first.kind(), first.key(), first.contentType(), first.width() + 7, first.height() + 3,
                    first.bytes()));
            fx.store.putJson(fx.media, Keys.shadowResult(id, "thumbnail"), new StepResult(id, "thumbnail", tampered,
                    shadowThumb.metadata(), shadowThumb.reasons()));
            fx.stack.sqs().sendMessage(b -> b.queueUrl(fx.stack.queueUrl("ShadowThumbnailQueue")).messageBody(Json.write(
                    new StepMessage(id, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, fx.media, Keys.original(id)).asShadow())));

            // then: the difference is recorded, and nothing of the item changed, no event was sent
            ShadowComparison c = StackFixture.await(() -> fx.store.getJson(fx.media, Keys.shadowComparison(id, "thumbnail"),
                    ShadowComparison.class).filter(ShadowComparison::differs), WAIT, "the recorded difference");
            String name = first.key().substring(first.key().lastIndexOf('/') + 1);
            assertThat(c.differences()).containsExactly(new ShadowComparison.Difference("DIMENSIONS", name,
                    first.width() + "x" + first.height(), (first.width() + 7) + "x" + (first.height() + 3)));
            fx.awaitQuiet(WAIT);
            assertThat(fx.snapshot(fx.media, Keys.mediaPrefix(id))).isEqualTo(itemBefore);
            List<EmfDocuments.Document> after = fx.stack.metrics().lines().stream().map(EmfDocuments::parse).toList();
            assertThat(sum(after, "thumbnail", "ShadowDifferent")).as("the difference counted").isEqualTo(1);
            assertThat(fx.completions()).hasSize(1);
        }
    }

    @Test
    void mainResultNotThereYet_theShadowCopyIsRetried_andComparesOnceItIs() throws Exception {
        try (StackFixture fx = StackFixture.start(true, Map.of(Config.SHADOW_FRACTION, "1"))) {
            // given: an item PROCESSING without its real result yet, as when the shadow copy runs first
            String id = "ab".repeat(32);
            fx.stack.s3().putObject(b -> b.bucket(fx.media).key(Keys.original(id)).contentType("image/jpeg"),
                    software.amazon.awssdk.core.sync.RequestBody.fromFile(PHOTO));
            Manifest processing = new Manifest(id, MediaStatus.PROCESSING, MediaFormat.JPEG, MediaCategory.IMAGE, 1L,
                    new Manifest.Location(fx.media, Keys.original(id)), Map.of("thumbnail", StepState.PENDING), List.of(), List.of(),
                    Map.of(), Map.of(), null);
            fx.store.putJson(fx.media, Keys.manifest(id), processing);

            // and: a shadow copy that fails for good (it names another key: consumed without retry) leaves the item alone
            fx.stack.sqs().sendMessage(b -> b.queueUrl(fx.stack.queueUrl("ShadowThumbnailQueue")).messageBody(Json.write(
                    new StepMessage(id, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, fx.media, Keys.mediaPrefix(id) + "other").asShadow())));
            fx.awaitQuiet(WAIT);
            assertThat(fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class)).as("the item, after a failed shadow copy")
                    .contains(processing);
            assertThat(fx.completions()).isEmpty();

            fx.stack.sqs().sendMessage(b -> b.queueUrl(fx.stack.queueUrl("ShadowThumbnailQueue")).messageBody(Json.write(
                    new StepMessage(id, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, fx.media, Keys.original(id)).asShadow())));

            // when: the shadow result is stored, the comparison waits
            StepResult shadow = StackFixture.await(() -> fx.store.getJson(fx.media, Keys.shadowResult(id, "thumbnail"),
                    StepResult.class), WAIT, "the shadow result");
            Thread.sleep(1500);
            assertThat(fx.store.exists(fx.media, Keys.shadowComparison(id, "thumbnail"))).as("no false difference recorded").isFalse();

            // then: once the real result is there, a retry compares
            fx.store.putJson(fx.media, Keys.stepResult(id, "thumbnail"), new StepResult(id, "thumbnail",
                    shadow.outputs().stream().map(o -> new Output(o.kind(), o.key().replace("shadow/" + id + "/", Keys.mediaPrefix(id)),
                            o.contentType(), o.width(), o.height(), o.bytes())).toList(), shadow.metadata(), shadow.reasons()));
            ShadowComparison c = StackFixture.await(() -> fx.store.getJson(fx.media, Keys.shadowComparison(id, "thumbnail"),
                    ShadowComparison.class), WAIT, "the comparison after the retry");
            assertThat(c.differs()).as(c.differences().toString()).isFalse();
            assertThat(fx.keys(fx.media, Keys.mediaPrefix(id))).as("the shadow copy wrote nothing of the item")
                    .containsExactlyInAnyOrder(Keys.original(id), Keys.manifest(id), Keys.stepResult(id, "thumbnail"));
            assertThat(fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class)).contains(processing);
            assertThat(fx.completions()).isEmpty();
        }
    }

    @Test
    void shadowOffByDefault_noShadowQueueAtAll() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false))) {
            assertThat(stack.condition("ShadowOn")).isFalse();
            assertThat(stack.queues().keySet()).doesNotContainAnyElementsOf(SHADOW_QUEUES);
            assertThat(stack.environment("ValidateFunction").get(Config.SHADOW_QUEUES)).isEmpty();
        }
    }

    private static double sum(List<EmfDocuments.Document> docs, String step, String metric) {
        return docs.stream().filter(d -> step.equals(d.dimensions().get("Step")) && d.metrics().containsKey(metric))
                .mapToDouble(d -> d.metrics().get(metric).sum()).sum();
    }

    private static Manifest withoutClaim(Manifest m) {
        return new Manifest(m.mediaId(), m.status(), m.type(), m.category(), m.size(), m.original(), m.steps(), m.reasons(),
                m.outputs(), new TreeMap<>(m.metadata()), m.progress(), null);
    }

    private static int queued(StackFixture fx, String queue) {
        Map<QueueAttributeName, String> a = fx.stack.sqs().getQueueAttributes(b -> b.queueUrl(fx.stack.queueUrl(queue))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

}
