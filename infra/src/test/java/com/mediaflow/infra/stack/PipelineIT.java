package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.lambda.S3Notification;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.Severity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** The whole pipeline on the embedded stack, driven only through the S3 and SQS APIs. */
class PipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static StackFixture fx;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void renditions_areStoredCacheableForAYear_theOriginalAndTheManifestAreNot() throws IOException {
        Path photo = SyntheticMedia.jpeg(tmp.resolve("cacheable.jpg"), 336, 224, 0);
        fx.upload(photo, "cache/photo.jpg", "image/jpeg");
        Receipt receipt = fx.awaitReceipt("cache/photo.jpg", WAIT);
        Manifest m = fx.awaitTerminal(receipt.mediaId(), WAIT);

        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        assertThat(m.outputs()).isNotEmpty().allSatisfy(o -> assertThat(cacheControl(o.key())).as(o.key())
                .isEqualTo("public, max-age=31536000, immutable"));
        assertThat(cacheControl(Keys.original(m.mediaId()))).as("the original: not delivered").isNull();
        assertThat(cacheControl(Keys.manifest(m.mediaId()))).as("the manifest: rewritten as the item moves").isNull();
    }

    private static String cacheControl(String key) {
        return fx.stack.s3().headObject(b -> b.bucket(fx.media).key(key)).cacheControl();
    }

    @Test
    void exifOrientationCorpus_everyJpegEndsReadyWithUprightThumbnail() throws IOException {
        List<Path> jpegs;
        try (Stream<Path> s = Files.list(Corpus.dir().resolve("exif-orientation"))) {
            jpegs = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        assertThat(jpegs).hasSize(18);
        Map<String, Path> keys = new LinkedHashMap<>();
        for (Path jpeg : jpegs) {
            String key = "corpus/orientation/" + jpeg.getFileName();
            fx.upload(jpeg, key, "image/jpeg");
            keys.put(key, jpeg);
        }
        for (var e : keys.entrySet()) {
            Receipt receipt = fx.awaitReceipt(e.getKey(), WAIT);
            assertThat(receipt.status()).as(e.getKey()).isNotEqualTo(MediaStatus.QUARANTINED);
            Manifest m = fx.awaitTerminal(receipt.mediaId(), WAIT);
            assertThat(m.status()).as(e.getKey() + " " + m.reasons()).isEqualTo(MediaStatus.READY);
            List<Output> thumbs = m.outputs().stream().filter(o -> o.kind().equals("thumbnail")).toList();
            assertThat(thumbs).as(e.getKey()).isNotEmpty();
            boolean portrait = e.getValue().getFileName().toString().startsWith("Portrait");
            for (Output t : thumbs) {
                assertThat(fx.store.exists(fx.media, t.key())).isTrue();
                if (t.key().contains("/thumb-square-")) {
                    assertThat(t.width()).as(e.getKey() + " square thumbnail").isEqualTo(t.height());
                    continue;
                }
                assertThat(t.height() > t.width()).as(e.getKey() + " thumbnail " + t.width() + "x" + t.height() + " is upright")
                        .isEqualTo(portrait);
            }
            assertThat(m.metadata()).containsEntry("mimeType", "image/jpeg");
            // *_0.jpg carry EXIF orientation 0: READY, upright, and the codec's complaint is in the manifest
            if (e.getValue().getFileName().toString().endsWith("_0.jpg")) {
                assertThat(m.reasons()).as(e.getKey()).contains(Reason.warning(ReasonCode.METADATA_DAMAGED,
                        "thumbnail: EXIF orientation is 0, expected 1-8; taken as 1 (upright)"));
                assertThat(m.reasons()).as(e.getKey()).allSatisfy(r -> assertThat(r.severity()).isEqualTo(Severity.WARNING));
            } else {
                assertThat(m.reasons()).as(e.getKey()).isEmpty();
            }
        }
    }

    @Test
    void duplicateUpload_isDeduplicated_withItsOwnReceipt() throws IOException {
        // a picture no other test here uploads: tests run in any order
        Path photo = SyntheticMedia.jpeg(tmp.resolve("dup.jpg"), 352, 232, 0);
        fx.upload(photo, "dedup/first.jpg", "image/jpeg");
        Receipt first = fx.awaitReceipt("dedup/first.jpg", WAIT);
        fx.awaitTerminal(first.mediaId(), WAIT);
        fx.awaitQuiet(WAIT);
        Map<String, String> before = fx.snapshot(fx.media, Keys.mediaPrefix(first.mediaId()));

        String etag = fx.upload(photo, "dedup/second name.jpg", "image/jpeg");
        Receipt second = fx.awaitFinalReceipt("dedup/second name.jpg", etag, WAIT);
        fx.awaitQuiet(WAIT);

        assertThat(second.mediaId()).isEqualTo(first.mediaId());
        assertThat(second.duplicate()).isTrue();
        assertThat(second.status()).as("a duplicate of a READY item is READY at once").isEqualTo(MediaStatus.READY);
        assertThat(first.duplicate()).isFalse();
        assertThat(withoutUploadRecords(fx.snapshot(fx.media, Keys.mediaPrefix(first.mediaId()))))
                .as("nothing of the item was written again").isEqualTo(withoutUploadRecords(before));
        assertThat(fx.awaitCompletions(e -> e.key().equals("dedup/second name.jpg"), 1, WAIT))
                .singleElement().satisfies(e -> assertThat(e.eventId()).isEqualTo(second.eventId()));
    }

    /** An item's objects without the records of its uploads (attached uploads and sent events), which each upload adds. */
    private static Map<String, String> withoutUploadRecords(Map<String, String> snapshot) {
        Map<String, String> out = new java.util.TreeMap<>(snapshot);
        out.keySet().removeIf(k -> k.contains("/uploads/") || k.contains("/events/"));
        return out;
    }

    @Test
    void duplicateBytes_misdeclared_getTheirOwnVerdict() throws IOException {
        Path photo = SyntheticMedia.jpeg(tmp.resolve("honest.jpg"), 320, 240, 0);
        fx.upload(photo, "perupload/honest.jpg", "image/jpeg");
        Receipt honest = fx.awaitReceipt("perupload/honest.jpg", WAIT);
        fx.awaitTerminal(honest.mediaId(), WAIT);

        fx.upload(photo, "perupload/statement.pdf", "application/pdf");
        Receipt liar = fx.awaitReceipt("perupload/statement.pdf", WAIT);

        assertThat(liar.mediaId()).isEqualTo(honest.mediaId());
        assertThat(liar.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(liar.reasons()).extracting(r -> r.code()).contains(ReasonCode.TYPE_MISMATCH);
        assertThat(fx.store.getJson(fx.media, Keys.manifest(honest.mediaId()), Manifest.class).orElseThrow().status())
                .as("the item itself stays READY for its honest upload").isEqualTo(MediaStatus.READY);
    }

    @Test
    void apkNamedJpg_isQuarantined_withReasonAndBytesKept() throws IOException {
        Path apk = tmp.resolve("apk-named.jpg");
        try (OutputStream os = Files.newOutputStream(apk); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("AndroidManifest.xml"));
            zip.write("<manifest package=\"x\"/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        fx.upload(apk, "hostile/apk-named.jpg", "image/jpeg");

        Receipt r = fx.awaitReceipt("hostile/apk-named.jpg", WAIT);
        Manifest m = fx.awaitTerminal(r.mediaId(), WAIT);

        assertThat(r.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(r.reasons()).extracting(x -> x.code()).containsExactly(ReasonCode.ARCHIVE_DISGUISED);
        assertThat(r.reasons().get(0).message()).contains("expected media").contains("APK");
        assertThat(m.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(m.original().bucket()).isEqualTo(fx.quarantine);
        assertThat(fx.store.exists(fx.quarantine, Keys.quarantinedOriginal(r.mediaId()))).isTrue();
        assertThat(fx.store.exists(fx.quarantine, Keys.quarantineReasons(r.mediaId()))).isTrue();
        // the outbox records the event as sent just after the receipt turns QUARANTINED: wait for it, then list
        StackFixture.await(() -> fx.store.exists(fx.media, Keys.sent(r.mediaId(), r.uploadId(), MediaStatus.QUARANTINED))
                ? java.util.Optional.of(true) : java.util.Optional.empty(), WAIT, "the sent record of the QUARANTINED event");
        assertThat(fx.keys(fx.media, Keys.mediaPrefix(r.mediaId())))
                .as("nothing but the manifest and the upload's records are stored for quarantined bytes")
                .containsExactlyInAnyOrder(Keys.manifest(r.mediaId()), Keys.upload(r.mediaId(), r.uploadId()),
                        Keys.sent(r.mediaId(), r.uploadId(), MediaStatus.QUARANTINED));
    }

    @Test
    void elfNamedPng_isQuarantinedAsExecutable() throws IOException {
        Path elf = tmp.resolve("elf.png");
        byte[] bytes = new byte[4096];
        System.arraycopy(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1}, 0, bytes, 0, 7);
        Files.write(elf, bytes);
        fx.upload(elf, "hostile/elf.png", "image/png");

        Receipt r = fx.awaitReceipt("hostile/elf.png", WAIT);

        assertThat(r.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(r.reasons()).extracting(x -> x.code()).containsExactly(ReasonCode.EXECUTABLE);
    }

    @Test
    void messagesDeliveredTwice_leaveExactlyOneSetOfOutputs() throws IOException {
        Path clip = SyntheticMedia.mp4(tmp.resolve("twice.mp4"), 320, 240, 1.0, 15, true, 0);
        String etag = fx.upload(clip, "twice/clip.mp4", "video/mp4");
        Receipt r = fx.awaitReceipt("twice/clip.mp4", WAIT);
        Manifest ready = fx.awaitTerminal(r.mediaId(), WAIT);
        fx.awaitQuiet(WAIT);
        Map<String, String> before = fx.snapshot(fx.media, Keys.mediaPrefix(r.mediaId()));
        assertThat(ready.status()).isEqualTo(MediaStatus.READY);
        assertThat(ready.outputs()).extracting(Output::kind).contains("poster", "thumbnail");

        // the same S3 event (same sequencer) and the same step messages, delivered again
        String s3Event = new S3EventFactory(EmbeddedStack.REGION, "test").objectCreated("ObjectCreated:Put", "again",
                fx.ingest, "twice/clip.mp4", Files.size(clip), etag, r.sequencer());
        assertThat(S3Notification.parse(s3Event, fx.ingest)).hasSize(1);
        fx.stack.sqs().sendMessage(b -> b.queueUrl(fx.stack.queueUrl("IngestQueue")).messageBody(s3Event));
        for (String step : List.of("thumbnail", "metadata")) {
            String queue = step.equals("thumbnail") ? "ThumbnailQueue" : "MetadataQueue";
            String body = Json.write(new StepMessage(r.mediaId(), step, MediaFormat.MP4, MediaCategory.VIDEO, fx.media, Keys.original(r.mediaId())));
            fx.stack.sqs().sendMessage(b -> b.queueUrl(fx.stack.queueUrl(queue)).messageBody(body));
            fx.stack.sqs().sendMessage(b -> b.queueUrl(fx.stack.queueUrl(queue)).messageBody(body));
        }
        fx.awaitQuiet(WAIT);

        Map<String, String> after = fx.snapshot(fx.media, Keys.mediaPrefix(r.mediaId()));
        assertThat(after.keySet()).as("the same objects, no more").isEqualTo(before.keySet());
        assertThat(fx.store.getJson(fx.media, Keys.manifest(r.mediaId()), Manifest.class).orElseThrow())
                .as("the manifest is unchanged").isEqualTo(ready);
    }

    @Test
    void multipartUpload_triggersProcessing() throws IOException {
        Path wav = wav(tmp.resolve("long.wav"), 8_000_000);
        String key = "multipart/voice note.wav";
        var create = fx.stack.s3().createMultipartUpload(b -> b.bucket(fx.ingest).key(key).contentType("audio/wav"));
        byte[] all = Files.readAllBytes(wav);
        int partSize = 5 * 1024 * 1024;
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0, n = 1; i < all.length; i += partSize, n++) {
            int len = Math.min(partSize, all.length - i);
            byte[] chunk = java.util.Arrays.copyOfRange(all, i, i + len);
            int partNumber = n;
            var up = fx.stack.s3().uploadPart(b -> b.bucket(fx.ingest).key(key).uploadId(create.uploadId()).partNumber(partNumber),
                    RequestBody.fromBytes(chunk));
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(up.eTag()).build());
        }
        fx.stack.s3().completeMultipartUpload(b -> b.bucket(fx.ingest).key(key).uploadId(create.uploadId())
                .multipartUpload(m -> m.parts(parts)));

        Receipt r = fx.awaitReceipt(key, WAIT);
        Manifest m = fx.awaitTerminal(r.mediaId(), WAIT);

        assertThat(r.size()).isEqualTo(all.length);
        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        assertThat(m.category()).isEqualTo(MediaCategory.AUDIO);
        assertThat(m.steps()).containsOnlyKeys("metadata", "transcode");
        assertThat(((Number) m.metadata().get("durationSeconds")).doubleValue()).isBetween(49.0, 51.0);
    }

    /** A 440 Hz tone as 16-bit mono PCM at 80 kHz: 160 kB a second, so 8 MB is 50 s. */
    static Path wav(Path target, int dataBytes) throws IOException {
        int rate = 80_000;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (int i = 0; i < dataBytes / 2; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        Files.write(target, b.array());
        return target;
    }
}
