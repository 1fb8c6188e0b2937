package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.EmfDocuments;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code bench/run latency} reads, on the embedded stack: the functions' stage timings in
 * their EMF lines, and the store's write times to the millisecond.
 */
class StageTimingsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static StackFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /**
     * The timings bench/run latency reads: each step's queue wait (SQS's clock), validate's copy,
     * the media steps' download, work and PUTs, the thumbnail step's decode and each rendition; and
     * the store's write times to the millisecond ({@link WriteLog}), the manifest's after the upload's event.
     */
    @Test
    void photo_emitsTheStageTimings_andTheStoreLogsItsWriteTimes() throws IOException {
        Path photo = Corpus.dir().resolve("exif-orientation/Landscape_3.jpg");
        fx.upload(photo, "metrics/stages.jpg", "image/jpeg");
        Receipt receipt = fx.awaitReceipt("metrics/stages.jpg", WAIT);
        Manifest ready = fx.awaitTerminal(receipt.mediaId(), WAIT);
        fx.awaitQuiet(WAIT);
        assertThat(ready.status()).isEqualTo(MediaStatus.READY);

        List<EmfDocuments.Document> docs = fx.stack.metrics().lines().stream().map(EmfDocuments::parse).toList();
        for (String step : List.of("validate", "thumbnail", "metadata", "finalize")) {
            assertThat(values(docs, step, "QueueWait")).as(step + "'s queue wait").isNotEmpty()
                    .allSatisfy(ms -> assertThat(ms).isBetween(0.0, (double) WAIT.toMillis()));
        }
        assertThat(values(docs, "validate", "CopyDuration")).as("validate copied the accepted upload").isNotEmpty();
        assertThat(values(docs, "thumbnail", "DecodeDuration")).as("one decode per photo").isNotEmpty();
        for (String step : List.of("thumbnail", "metadata")) {
            for (String metric : List.of("DownloadDuration", "ProcessDuration", "StoreDuration")) {
                assertThat(values(docs, step, metric)).as(step + " " + metric).isNotEmpty();
            }
        }
        List<String> renditions = ready.outputs().stream().filter(o -> o.key().contains("/thumbnail/"))
                .map(o -> o.key().substring(o.key().lastIndexOf('/') + 1)).toList();
        assertThat(renditions).isNotEmpty().allSatisfy(name -> assertThat(values(docs, "thumbnail", "RenditionDuration." + name))
                .as("the time of " + name).isNotEmpty());

        String media = fx.stack.bucket("MediaBucket");
        long uploadedAt = Instant.parse(receipt.uploadedAt()).toEpochMilli();
        WriteLog.Write manifest = fx.stack.writes().find(media, Keys.manifest(ready.mediaId()), null).orElseThrow();
        assertThat(manifest.epochMillis()).as("the READY manifest written after the upload's event")
                .isGreaterThanOrEqualTo(uploadedAt);
        assertThat(fx.stack.writes().find(fx.stack.bucket("IngestBucket"), "metrics/stages.jpg", receipt.etag()))
                .as("the upload itself, by its ETag").hasValueSatisfying(w -> assertThat(w.epochMillis()).isLessThanOrEqualTo(uploadedAt));
    }

    private static List<Double> values(List<EmfDocuments.Document> docs, String step, String metric) {
        return docs.stream().filter(d -> step.equals(d.dimensions().get("Step")) && d.metrics().containsKey(metric))
                .flatMap(d -> d.metrics().get(metric).values().stream()).toList();
    }

}
