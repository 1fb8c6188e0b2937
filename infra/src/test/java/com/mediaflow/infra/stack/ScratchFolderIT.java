package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.packaging.LambdaPackager;
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
 * run left there; without one, what killed stacks left under the temporary folder is removed by the
 * next stack that starts, once their process is gone.
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

    @Test
    void withoutADataFolder_theScratchFoldersOfKilledStacks_areRemovedAtStart() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String self = ScratchFolders.owner(ProcessHandle.current()).orElseThrow();
        long started = Long.parseLong(self.split(" ")[1]);
        // above Linux's largest process id (2^22): no process has it
        Path deadOwner = orphan(tmp, "4194305 " + started);
        Path idReused = orphan(tmp, ProcessHandle.current().pid() + " " + (started - 3_600_000));
        Path liveOwner = orphan(tmp, self);
        Path noOwner = Files.createTempDirectory(tmp, ScratchFolders.PREFIX);
        try {
            try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                    .withFunctions(false))) {
                assertThat(deadOwner).as("a folder whose process is gone").doesNotExist();
                assertThat(idReused).as("a folder whose process id now belongs to a later process").doesNotExist();
                assertThat(liveOwner).as("a folder whose process still runs").isDirectory();
                assertThat(noOwner).as("a folder that names no owner").isDirectory();
                assertThat(stack.workDir().resolve(ScratchFolders.OWNER)).content().isEqualTo(self);
            }
        } finally {
            LambdaPackager.deleteTree(liveOwner);
            LambdaPackager.deleteTree(noOwner);
        }
    }

    private static Path orphan(Path tmp, String owner) throws java.io.IOException {
        Path dir = Files.createTempDirectory(tmp, ScratchFolders.PREFIX);
        Files.createDirectories(dir.resolve("ThumbnailFunction"));
        Files.write(dir.resolve("ThumbnailFunction/original"), new byte[4096]);
        Files.writeString(dir.resolve(ScratchFolders.OWNER), owner);
        return dir;
    }
}
