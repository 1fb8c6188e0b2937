package com.mediaflow.infra.cli;

import com.mediaflow.infra.packaging.LambdaPackager;
import com.mediaflow.infra.stack.EmbeddedStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mediaflow warm-up}: the demo's sample media through a stack on a throw-away data folder,
 * quietly. The launcher runs it once per build with {@code -XX:ArchiveClassesAtExit}, so that the
 * JVM writes the classes this loaded (ElasticMQ with its H2 store, S3Proxy on a file store, the SDK,
 * every function's handler) into a class-data archive (AppCDS), which later starts map instead of
 * loading and verifying each class again: a restart of {@code up} after a crash takes about half the
 * time (bench/README.md, "bench/run load").
 *
 * <p>Exit 0 when every sample ended READY or QUARANTINED, as in the demo; 1 otherwise.
 */
final class WarmUp {
    static final String HELP = """
            usage: mediaflow warm-up
            Puts the demo's sample media through a stack on a temporary data folder and prints one line. The
            launcher runs it after each build to record the class-data archive that later starts load their
            classes from (infra/target/mediaflow-*.jsa; MEDIAFLOW_CDS=off starts without one). No options.
            """;

    private final Main main;

    WarmUp(Main main) {
        this.main = main;
    }

    int run(List<String> args) throws Exception {
        if (!args.isEmpty()) {
            throw new Main.UsageException("warm-up", "warm-up takes no arguments, found " + args);
        }
        long t0 = System.nanoTime();
        Path tmp = Files.createTempDirectory("mediaflow-warm-up");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<String> statuses;
        int samples;
        try {
            List<Path> files = Demo.samples(Files.createDirectories(tmp.resolve("inputs")), quiet);
            samples = files.size();
            // process's own path, its lines and progress unheard
            statuses = new Main(quiet, quiet, main.root()).processFiles(files, tmp.resolve("out"), Duration.ofMinutes(5),
                    Main.shortWaits(EmbeddedStack.Options.defaults(main.template()).withWorkers(2)).withDataDir(tmp.resolve("data")));
        } finally {
            LambdaPackager.deleteTree(tmp);
        }
        long ok = statuses.stream().filter(s -> s.equals("READY") || s.equals("QUARANTINED")).count();
        main.err().printf("mediaflow warm-up: %d of %d sample(s) READY or QUARANTINED in %.1f s: %s%n", ok,
                samples, (System.nanoTime() - t0) / 1e9, statuses);
        return ok == samples ? 0 : 1;
    }
}
