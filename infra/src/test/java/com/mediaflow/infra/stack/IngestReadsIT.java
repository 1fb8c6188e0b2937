package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.stack.CallRecorder.Call;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.testkit.Corpus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Validate reads a photo from the ingest bucket once: the hashing pass keeps an object of up to
 * 8 MiB and the structural pass reads it from memory, not with ranged GETs ({@link RangedReadsIT}
 * has those, for a large video). Nor does it read back the manifest it claimed the item with.
 */
class IngestReadsIT {

    @Test
    void aPhoto_isReadFromTheIngestBucketOnce_byOneWholeGet() throws Exception {
        CallRecorder.start();
        List<Call> calls;
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withSweepInterval(Duration.ZERO)))) {
            String etag = fx.upload(Corpus.file("exif-orientation/Landscape_6.jpg"), "reads/photo.jpg", "image/jpeg");

            assertThat(fx.awaitFinalReceipt("reads/photo.jpg", etag, Duration.ofSeconds(90)).status()).isEqualTo(MediaStatus.READY);
            calls = CallRecorder.stop();
        } finally {
            CallRecorder.stop();
        }

        assertThat(calls).filteredOn(c -> c.function().equals("ValidateFunction") && c.operation().equals("GetObject")
                && "reads/photo.jpg".equals(c.key())).as("validate's GETs of the upload").singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(200));
        // the claimer's fan-out leaves the completion to finalize, which lists the upload: validate
        // creates the manifest (its claim) and never reads it back
        assertThat(calls).filteredOn(c -> c.function().equals("ValidateFunction") && c.key() != null
                && c.key().endsWith("/manifest.json")).as("validate's calls on the manifest")
                .extracting(Call::operation).containsExactly("PutObject");
    }
}
