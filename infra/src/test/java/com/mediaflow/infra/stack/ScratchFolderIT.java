package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.model.Receipt;
import com.mediaflow.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The functions' scratch folder: one per stack, under the system's temporary folder, and removed
 * when the stack closes (before, every test class, demo and {@code up} left one behind: over a
 * thousand on a developer's machine).
 */
class ScratchFolderIT {

    @Test
    void aPhotoProcessedThenTheStackClosed_leavesNoScratchFolder() throws Exception {
        Path scratch;
        try (StackFixture f = StackFixture.start(true)) {
            scratch = f.stack.workDir();
            assertThat(scratch).isDirectory();
            String etag = f.upload(Corpus.file("exif-orientation/Landscape_6.jpg"), "scratch/photo.jpg", "image/jpeg");
            Receipt receipt = f.awaitFinalReceipt("scratch/photo.jpg", etag, Duration.ofSeconds(60));
            assertThat(receipt.status()).hasToString("READY");
            try (var inside = Files.list(scratch)) {
                assertThat(inside.map(p -> p.getFileName().toString()))
                        .as("the folders the functions worked in").contains("ThumbnailFunction");
            }
        }
        assertThat(scratch).doesNotExist();
    }
}
