package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions' scratch folder: one per stack, removed when the stack closes (before, every test
 * class, demo and {@code up} left one under the system's temporary folder: over a thousand on a
 * developer's machine); with a data folder, {@code DIR/work}, emptied at start of what a killed
 * run left there.
 */
class ScratchFolderIT {
    @TempDir
    Path data;

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

    @Test
    void withADataFolder_whatAKilledRunLeftInItsScratchFolder_isGoneAtStart() throws Exception {
        Path leftover = Files.createDirectories(data.resolve("work/TranscodeFunction/0123abcd"))
                .resolve("original");
        Files.write(leftover, new byte[4096]);
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withFunctions(false).withDataDir(data))) {
            assertThat(stack.workDir()).isEqualTo(data.resolve("work")).isEmptyDirectory();
            assertThat(leftover).doesNotExist();
        }
        assertThat(data.resolve("work")).doesNotExist();
        assertThat(data.resolve("s3")).as("the data folder's objects stay").isDirectory();
    }
}
