package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.EmfDocuments;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step metrics the functions write (CloudWatch EMF) on the embedded stack, read from the
 * stack's metric sink (where Lambda would send them to CloudWatch Logs): a real phone photo and an
 * APK named .jpg go through the pipeline; every line is a valid EMF document, and they count the
 * items of each step, the bytes, the quarantine with its reason code, and finalize's
 * upload-to-READY latency of the photo.
 */
class MetricsIT {
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
    void photoAndHostileFile_emitItemsBytesQuarantineByReasonAndLatency() throws IOException {
        // given
        Path photo = Corpus.dir().resolve("exif-orientation/Portrait_6.jpg");
        Path apk = tmp.resolve("holiday.jpg");
        try (OutputStream os = Files.newOutputStream(apk); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("AndroidManifest.xml"));
            zip.write("<manifest package=\"x\"/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }

        // when
        fx.upload(photo, "metrics/photo.jpg", "image/jpeg");
        fx.upload(apk, "metrics/holiday.jpg", "image/jpeg");
        Receipt photoReceipt = fx.awaitReceipt("metrics/photo.jpg", WAIT);
        Manifest ready = fx.awaitTerminal(photoReceipt.mediaId(), WAIT);
        Receipt hostile = fx.awaitReceipt("metrics/holiday.jpg", WAIT);
        fx.awaitQuiet(WAIT);

        // then
        assertThat(ready.status()).isEqualTo(MediaStatus.READY);
        assertThat(hostile.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(photoReceipt.uploadedAt()).as("the receipt carries the S3 event's time").isNotNull();
        List<String> lines = fx.stack.metrics().lines();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(EmfDocuments.problems(l)).as(l).isEmpty());
        List<EmfDocuments.Document> docs = lines.stream().map(EmfDocuments::parse).toList();
        assertThat(docs).allSatisfy(d -> {
            assertThat(d.namespace()).isEqualTo("Mediaflow");
            assertThat(d.dimensions()).containsEntry("Stage", "dev").containsKey("Step");
        });

        assertThat(sum(docs, "validate", "ItemsProcessed")).isEqualTo(2);
        assertThat(sum(docs, "validate", "ItemsFailed")).isZero();
        for (String step : List.of("thumbnail", "metadata", "finalize")) {
            assertThat(sum(docs, step, "ItemsProcessed")).as(step).isGreaterThanOrEqualTo(1);
        }
        assertThat(sum(docs, "validate", "BytesIn")).as("validate hashed both uploads")
                .isEqualTo(Files.size(photo) + Files.size(apk));
        assertThat(sum(docs, "validate", "BytesOut")).as("the photo stored, the APK quarantined")
                .isEqualTo(Files.size(photo) + Files.size(apk));
        assertThat(sum(docs, "thumbnail", "BytesIn")).as("thumbnail downloaded the original").isEqualTo(Files.size(photo));
        long renditions = ready.outputs().stream().filter(o -> o.key().contains("/thumbnail/"))
                .mapToLong(o -> o.bytes() == null ? 0 : o.bytes()).sum();
        assertThat(sum(docs, "thumbnail", "BytesOut")).as("the thumbnail step's renditions").isEqualTo(renditions).isPositive();
        assertThat(sum(docs, "metadata", "ItemDuration")).isPositive();

        List<EmfDocuments.Document> quarantines = docs.stream().filter(d -> d.metrics().containsKey("Quarantines")).toList();
        assertThat(quarantines).singleElement().satisfies(d -> {
            assertThat(d.dimensions()).containsEntry("Step", "validate").containsEntry("ReasonCode", "ARCHIVE_DISGUISED");
            assertThat(d.metrics().get("Quarantines")).isEqualTo(new EmfDocuments.Value("Count", List.of(1.0)));
        });

        List<Double> latencies = docs.stream().filter(d -> d.metrics().containsKey("UploadToReadyLatency"))
                .peek(d -> assertThat(d.dimensions()).containsEntry("Step", "finalize"))
                .flatMap(d -> d.metrics().get("UploadToReadyLatency").values().stream()).toList();
        assertThat(latencies).as("one READY upload, its latency measured once, by finalize").singleElement()
                .satisfies(ms -> assertThat(ms).isPositive().isLessThan(WAIT.toMillis()));
        assertThat(docs.stream().filter(d -> d.metrics().containsKey("UploadToReadyLatency")).findFirst().orElseThrow()
                .metrics().get("UploadToReadyLatency").unit()).isEqualTo("Milliseconds");
    }

    private static double sum(List<EmfDocuments.Document> docs, String step, String metric) {
        return docs.stream().filter(d -> step.equals(d.dimensions().get("Step")) && d.metrics().containsKey(metric))
                .mapToDouble(d -> d.metrics().get(metric).sum()).sum();
    }
}
