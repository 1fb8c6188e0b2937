package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.error.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local scratch directories of long work (transcode): one per message, deleted after it. */
final class Scratch {
    private static final Logger LOG = LoggerFactory.getLogger(Scratch.class);

    private Scratch() {
    }

    /** A new directory in {@code workDir}, named after the step and the media id's first 12 digits. */
    static Path create(Path workDir, String step, String id) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, step + "-" + id.substring(0, 12) + "-");
        } catch (IOException e) {
            throw new StorageException("cannot make a scratch directory in " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the directory and all in it; a failure is logged, never thrown (the work is done). */
    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete scratch directory {}: {}", dir, e.toString());
        }
    }
}
