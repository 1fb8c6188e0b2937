package com.mediaflow.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public test media, {@code corpus/} at the project root (see {@code corpus/README.md}). The
 * parent pom passes its folder to Surefire and Failsafe as the system property
 * {@value #PROPERTY}; a test that needs it fails, never skips, when it is missing.
 */
public final class Corpus {
    /** The system property naming the corpus folder. */
    public static final String PROPERTY = "mediaflow.corpus";

    private Corpus() {
    }

    /** The corpus folder, absolute. */
    public static Path dir() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            throw new MissingException("system property " + PROPERTY + " is not set: expected the repository's "
                    + "corpus/ folder, which the parent pom passes to the tests; run them through Maven");
        }
        Path dir = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new MissingException("the corpus is missing: " + PROPERTY + " = " + p
                    + ", expected a folder (the repository's corpus/ at the project root), found "
                    + (Files.exists(dir) ? "a file" : "nothing"));
        }
        return dir;
    }

    /** A file of the corpus, e.g. {@code file("exif-orientation/Portrait_6.jpg")}; it must exist. */
    public static Path file(String relative) {
        Path file = dir().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new MissingException("corpus file " + relative + " is missing: expected a file at " + file
                    + ", found " + (Files.exists(file) ? "a folder" : "nothing"));
        }
        return file;
    }

    /** The corpus is not where {@value #PROPERTY} says (or the property is not set). */
    public static final class MissingException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingException(String message) {
            super(message);
        }
    }
}
