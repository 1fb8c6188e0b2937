package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.codec.EarlyRenditions;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.pipeline.StepHandler;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.thumbnail.ThumbnailStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The thumbnail step stores the renditions a recipient sees first (the square and smallest
 * thumbnails and the placeholder) while it still makes the display images, and lists them in the
 * PROCESSING manifest; on the embedded stack, through the real handler and SDK clients. The step
 * is the real {@link ThumbnailStep}, watched at the moment it hands its early renditions on.
 */
class EarlyRenditionsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
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
    void photo_firstThumbnailsStoredAndListedWhileProcessing_theRestAfter() throws Exception {
        Path photo = Corpus.dir().resolve("exif-orientation/Landscape_3.jpg");
        String id = processingItem(photo);

        Config config = Config.of(fx.stack.environment("ThumbnailFunction"));
        ThumbnailStep real = new ThumbnailStep(config);
        AtomicReference<Manifest> seen = new AtomicReference<>();
        AtomicReference<List<String>> handed = new AtomicReference<>();
        AtomicReference<Boolean> displayStoredYet = new AtomicReference<>();
        MediaStep watched = onEarly(real, (early, renditions) -> {
            early.publish(renditions);
            handed.set(renditions.stream().map(r -> r.name()).toList());
            // the step waits here: what a client polling the manifest sees before the display images exist
            seen.set(StackFixture.await(() -> fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class)
                    .filter(m -> !m.outputs().isEmpty()), WAIT, "the early renditions listed in the manifest"));
            displayStoredYet.set(fx.store.exists(fx.media, Keys.rendition(id, "thumbnail", "display.jpg")));
        });
        StepHandler handler = new StepHandler(watched, config) { };

        SQSBatchResponse response = handler.handleRequest(thumbnailMessage(id, "early-1"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(handed.get()).as("handed on first").containsExactlyInAnyOrder("thumb-square-160.jpg", "thumb-320.jpg",
                "placeholder.jpg");
        Manifest processing = seen.get();
        assertThat(processing.status()).isEqualTo(MediaStatus.PROCESSING);
        assertThat(processing.outputs()).extracting(Output::key).containsExactlyInAnyOrder(
                Keys.rendition(id, "thumbnail", "thumb-square-160.jpg"), Keys.rendition(id, "thumbnail", "thumb-320.jpg"),
                Keys.rendition(id, "thumbnail", "placeholder.jpg"));
        for (Output o : processing.outputs()) {
            byte[] stored = fx.stack.s3().getObjectAsBytes(b -> b.bucket(fx.media).key(o.key())).asByteArray();
            assertThat(stored).as(o.key()).hasSize(o.bytes().intValue());
            assertThat(stored[0] & 0xff).as(o.key() + " is a JPEG").isEqualTo(0xff);
            assertThat(stored[1] & 0xff).isEqualTo(0xd8);
        }
        assertThat(displayStoredYet.get()).as("display.jpg stored before the early renditions were listed").isFalse();

        StepResult result = fx.store.getJson(fx.media, Keys.stepResult(id, "thumbnail"), StepResult.class).orElseThrow();
        assertThat(result.outputs()).extracting(Output::key).containsAll(processing.outputs().stream().map(Output::key).toList())
                .contains(Keys.rendition(id, "thumbnail", "display.jpg"), Keys.rendition(id, "thumbnail", "display.webp"),
                        Keys.rendition(id, "thumbnail", "thumb-1280.jpg"));
        assertThat(result.outputs()).as("the early ones recorded as stored")
                .filteredOn(o -> processing.outputs().contains(o)).hasSize(3);
        for (Output o : result.outputs()) {
            assertThat(fx.store.exists(fx.media, o.key())).as(o.key() + " stored").isTrue();
        }
    }

    /** A terminal manifest is never touched: a late early-listing finds the item READY and leaves it. */
    @Test
    void readyManifest_isNotRewritten() throws Exception {
        Path photo = Corpus.dir().resolve("exif-orientation/Portrait_3.jpg");
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(photo)));
        fx.store.putFile(fx.media, Keys.original(id), photo, "image/jpeg");
        Manifest ready = new Manifest(id, MediaStatus.READY, MediaFormat.JPEG, MediaCategory.IMAGE, Files.size(photo),
                new Manifest.Location(fx.media, Keys.original(id)), Map.of(), List.of(), List.of(), Map.of());
        fx.store.putJson(fx.media, Keys.manifest(id), ready);
        Config config = Config.of(fx.stack.environment("ThumbnailFunction"));
        StepHandler handler = new StepHandler(new ThumbnailStep(config), config) { };

        assertThat(handler.handleRequest(thumbnailMessage(id, "early-2"), null).getBatchItemFailures()).isEmpty();

        assertThat(fx.store.getJson(fx.media, Keys.manifest(id), Manifest.class)).hasValue(ready);
        assertThat(fx.store.exists(fx.media, Keys.rendition(id, "thumbnail", "thumb-320.jpg"))).isTrue();
    }

    /** A decoder that fails after the first renditions were stored: they are deleted, and the item publishes nothing. */
    @Test
    void codecFailureAfterTheEarlyRenditions_deletesThem() throws Exception {
        Path photo = Corpus.dir().resolve("exif-orientation/Landscape_5.jpg");
        String id = processingItem(photo);
        Config config = Config.of(fx.stack.environment("ThumbnailFunction"));
        ThumbnailStep real = new ThumbnailStep(config);
        MediaStep failing = onEarly(real, (early, renditions) -> {
            early.publish(renditions);
            throw new CodecException("Cannot encode display.jpg of " + photo + ": expected the encoder to"
                    + " accept the frame, found EINVAL (a fault made by this test)");
        });

        assertThat(new StepHandler(failing, config) { }.handleRequest(thumbnailMessage(id, "early-3"), null)
                .getBatchItemFailures()).isEmpty();

        StepResult result = fx.store.getJson(fx.media, Keys.stepResult(id, "thumbnail"), StepResult.class).orElseThrow();
        assertThat(result.outputs()).isEmpty();
        assertThat(result.reasons()).extracting(r -> r.code().name()).containsExactly("DECODE_FAILED");
        for (String name : List.of("thumb-320.jpg", "thumb-square-160.jpg", "placeholder.jpg")) {
            assertThat(fx.store.exists(fx.media, Keys.rendition(id, "thumbnail", name))).as(name + " withdrawn").isFalse();
        }
    }

    /** The photo as validate leaves it: its original in the media bucket and a PROCESSING manifest; its media id. */
    private static String processingItem(Path photo) throws Exception {
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(photo)));
        fx.store.putFile(fx.media, Keys.original(id), photo, "image/jpeg");
        fx.store.putJson(fx.media, Keys.manifest(id), new Manifest(id, MediaStatus.PROCESSING, MediaFormat.JPEG,
                MediaCategory.IMAGE, Files.size(photo), new Manifest.Location(fx.media, Keys.original(id)),
                Map.of(), List.of(), List.of(), Map.of()));
        return id;
    }

    /** The real step, with {@code onEarly} called in place of the runner's sink when it hands its first renditions on. */
    private static MediaStep onEarly(ThumbnailStep real,
            java.util.function.BiConsumer<EarlyRenditions, List<com.mediaflow.shared.codec.Rendition>> onEarly) {
        return new MediaStep() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public Output process(StepMessage message, Path original) {
                throw new AssertionError("the runner calls the step with an early-renditions sink");
            }

            @Override
            public Output process(StepMessage message, Path original, EarlyRenditions early) {
                return real.process(message, original, renditions -> onEarly.accept(early, renditions));
            }
        };
    }

    /** The thumbnail step's queue message for the JPEG item {@code id}, as validate sends it, in an SQS event. */
    private static SQSEvent thumbnailMessage(String id, String messageId) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(messageId);
        m.setBody(Json.write(new StepMessage(id, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, fx.media,
                Keys.original(id))));
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        return event;
    }
}
