package com.mediaflow.infra.stack;

import com.mediaflow.infra.packaging.LambdaPackager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The functions' scratch folder of one stack, and what killed stacks left of theirs.
 *
 * <p>With a data folder it is {@code DIR/work}, emptied at start: no invocation survives a restart.
 * Without one it is a new {@code mediaflow-work-*} folder under the system's temporary folder,
 * removed when the stack closes; a stack killed with SIGKILL cannot remove it, so each such folder
 * names its owner in an {@value #OWNER} file (process id and start time), and a stack that starts
 * removes the folders whose owner is gone. A folder without that file (made by an older build, or
 * being made right now) is left alone, as is one whose owner still runs.
 */
final class ScratchFolders {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchFolders.class);
    static final String PREFIX = "mediaflow-work-";
    static final String OWNER = ".owner";
    /** A process's start time read twice can differ by the clock tick it is counted in. */
    private static final long START_TOLERANCE_MS = 1_000;

    private ScratchFolders() {
    }

    /** The scratch folder of a stack with {@code dataDir}, or (null) of one without a data folder. */
    static Path create(Path dataDir) throws IOException {
        if (dataDir != null) {
            Path dir = dataDir.resolve("work");
            LambdaPackager.deleteTree(dir);
            return Files.createDirectories(dir);
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp);
        Path dir = Files.createTempDirectory(tmp, PREFIX);
        Files.writeString(dir.resolve(OWNER), owner(ProcessHandle.current()).orElse(""), StandardCharsets.US_ASCII);
        return dir;
    }

    /** Removes the {@code mediaflow-work-*} folders in {@code tmp} whose owner process is gone; returns them. */
    static List<Path> removeOrphans(Path tmp) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path folder : folders) {
                if (ownerGone(folder)) {
                    try {
                        LambdaPackager.deleteTree(folder);
                        removed.add(folder);
                    } catch (IOException | UncheckedIOException e) {
                        // another stack starting now may be removing it too
                        LOG.debug("Cannot remove the scratch folder {} of a stopped stack: {}", folder, e.toString());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot look for the scratch folders of stopped stacks in {}: {}", tmp, e.toString());
        }
        if (!removed.isEmpty()) {
            LOG.info("removed {} scratch folder(s) of stacks that were killed: {}", removed.size(), removed);
        }
        return removed;
    }

    /** {@code "<pid> <start, epoch ms>"}, or empty where the platform does not tell a process's start. */
    static Optional<String> owner(ProcessHandle process) {
        return process.info().startInstant().map(start -> process.pid() + " " + start.toEpochMilli());
    }

    /**
     * Whether the folder's {@value #OWNER} file names a process that no longer runs: no process has
     * its id, or the one that has it started at another time (the id was reused). False for a folder
     * without a readable owner.
     */
    private static boolean ownerGone(Path folder) {
        String[] owner;
        try {
            owner = Files.readString(folder.resolve(OWNER), StandardCharsets.US_ASCII).trim().split(" ");
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("Cannot read the owner of {}: {}", folder, e.toString());
            return false;
        }
        if (owner.length != 2) {
            return false;
        }
        long pid;
        long started;
        try {
            pid = Long.parseLong(owner[0]);
            started = Long.parseLong(owner[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        Optional<Instant> start = process.get().info().startInstant();
        return start.isPresent() && Math.abs(start.get().toEpochMilli() - started) > START_TOLERANCE_MS;
    }
}
