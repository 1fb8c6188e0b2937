package com.mediaflow.bench;


import com.mediaflow.shared.aws.Hashing;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.FileByteSource;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Validation throughput beside its anchor, SHA-256 alone over the same bytes in the same run:
 * (1) large JPEGs and MP4s in MB/s, hash + structural pass against hash alone (goal: at most
 * 1.25x the time of hashing alone); (2) small files per second through what {@code ./mediaflow
 * validate} does, in one JVM (goal: at least 200 a second).
 *
 * <p>Usage: {@code bench/run validate}
 */
public final class ValidationThroughput {
    private ValidationThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("mediaflow-bench-validate-");
        System.err.println("bench: making 8 12-megapixel JPEGs and 2 large MP4s in " + work);
        List<Path> large = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            large.add(SyntheticMedia.jpeg(work.resolve("photo-" + i + ".jpg"), 4000 - 2 * i, 3000, 0));
        }
        large.add(SyntheticMedia.noiseMp4(work.resolve("noise-a.mp4"), 640, 480, 90, 1));
        large.add(SyntheticMedia.noiseMp4(work.resolve("noise-b.mp4"), 640, 480, 90, 2));
        long bytes = 0;
        for (Path p : large) {
            bytes += Files.size(p);
        }
        StructureValidator validator = new StructureValidator(Limits.DEFAULTS);
        // warm up both paths
        for (int r = 0; r < 2; r++) {
            hashAll(large);
            validateAll(validator, large);
        }
        double hashBest = Double.MAX_VALUE;
        double validateBest = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            hashAll(large);
            hashBest = Math.min(hashBest, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            validateAll(validator, large);
            validateBest = Math.min(validateBest, (System.nanoTime() - t0) / 1e9);
        }
        double mb = bytes / 1e6;
        System.out.printf("large files: %d files, %.0f MB%n", large.size(), mb);
        System.out.printf("  SHA-256 alone (anchor):        %7.0f MB/s%n", mb / hashBest);
        System.out.printf("  hash + structural validation:  %7.0f MB/s%n", mb / validateBest);
        System.out.printf("  validation+hash / hash alone:  %.2fx the time (goal <= 1.25x)%n", validateBest / hashBest);

        List<Path> small = new ArrayList<>();
        Path corpus = Path.of(System.getProperty("mediaflow.corpus",
                Path.of(System.getProperty("mediaflow.root", ".")).resolve("corpus").toString()));
        for (String dir : List.of("pngsuite/png", "exif-orientation", "heic")) {
            try (Stream<Path> s = Files.list(corpus.resolve(dir))) {
                s.filter(Files::isRegularFile).sorted().forEach(small::add);
            }
        }
        for (int r = 0; r < 3; r++) {
            validateAll(validator, small);
        }
        int rounds = 10;
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            validateAll(validator, small);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("small files: %d corpus files x %d rounds: %.0f files/s (goal >= 200/s)%n", small.size(), rounds,
                small.size() * rounds / secs);
    }

    private static void hashAll(List<Path> files) throws Exception {
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                Hashing.hash(in, Detector.HEAD_BYTES);
            }
        }
    }

    /** What the validate function and ./mediaflow validate do per object: one hashing pass, one structural pass. */
    private static void validateAll(StructureValidator validator, List<Path> files) throws Exception {
        for (Path f : files) {
            Hashing.Pass pass;
            try (InputStream in = Files.newInputStream(f)) {
                pass = Hashing.hash(in, Detector.HEAD_BYTES);
            }
            MediaFormat detected = Detector.detect(pass.head(), pass.headLength());
            try (FileByteSource source = new FileByteSource(f)) {
                validator.validate(source, detected, null, f.getFileName().toString());
            }
        }
    }

}
