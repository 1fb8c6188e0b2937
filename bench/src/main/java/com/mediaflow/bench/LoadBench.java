package com.mediaflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.load.LoadMix;
import com.mediaflow.infra.load.LoadRun;
import com.mediaflow.infra.load.Report;
import com.mediaflow.infra.load.StackProcess;
import com.mediaflow.infra.packaging.LambdaPackager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench/run load}: 1,000 uploads through the SDK's S3 client into {@code mediaflow up --data
 * DIR --json} started through the launcher ({@code ./mediaflow}, with its JVM flags and class-data
 * archive) in a child JVM with its default workers, concurrently: 900 photo-like JPEGs
 * and PNGs of 0.3-2 MP, 50 identical 12 MP JPEGs released at the same moment, 40 hostile files,
 * 10 videos of 2-5 s at 360p. Reports uploads per second to all final, p50 and p99 from upload to
 * final, events per upload (after dedup by eventId, and raw), lost uploads and duplicate outputs.
 * Then the same again with 3 SIGKILLs of the stack's JVM at points drawn from a printed seed, each
 * followed by a restart on the same data folder and ports.
 *
 * <p>Usage: {@code bench/run load [--uploads N] [--seed N] [--no-kills | --kills-only] [--workers N] [--jit c1|tiered] [--jvm FLAG]... [--jfr FILE]
 * [--clients N] [--kills K]}. Exit 1 when an upload was lost, an upload's events were not exactly
 * one after dedup, or identical bytes were processed twice.
 */
public final class LoadBench {
    /** The content of the mix is always made from this seed, so the files are made once and kept. */
    static final long CONTENT_SEED = 1;

    private LoadBench() {
    }

    public static void main(String[] args) throws Exception {
        int uploads = 1000;
        Long seedArg = null;
        boolean noKills = false;
        boolean killsOnly = false;
        Integer workers = null;
        int clients = 8;
        int killCount = 3;
        List<String> jvmFlags = List.of(); // beyond the launcher's own
        String jfr = null;
        List<String> extraJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--uploads" -> uploads = Integer.parseInt(args[++i]);
                case "--seed" -> seedArg = Long.parseLong(args[++i]);
                case "--no-kills" -> noKills = true;
                case "--kills-only" -> killsOnly = true;
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--kills" -> killCount = Integer.parseInt(args[++i]);
                case "--jit" -> jvmFlags = switch (args[++i]) {
                    case "c1" -> List.of();
                    case "tiered" -> List.of("-XX:TieredStopAtLevel=4"); // over the launcher's 1: C1, then C2
                    default -> {
                        System.err.println("--jit is '" + args[i] + "', expected c1 (the launcher's) or tiered (C1 then C2)");
                        System.exit(2);
                        yield null;
                    }
                };
                case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath().toString();
                case "--jvm" -> extraJvm.add(args[++i]);
                default -> {
                    System.err.println("usage: bench/run load [--uploads N] [--seed N] [--no-kills | --kills-only] [--workers N]"
                            + " [--clients N] [--kills K] [--jit c1|tiered] [--jvm FLAG]... [--jfr FILE]; found '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        // --jvm's flags after --jit's, so that a later -XX flag wins (HotSpot takes the last of each)
        jvmFlags = new ArrayList<>(jvmFlags);
        jvmFlags.addAll(extraJvm);
        if (jfr != null) {
            // a CPU profile of the stack's JVM (JDK Flight Recorder, profile settings: 20 ms samples per thread)
            jvmFlags.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        if (uploads < 20) {
            System.err.println("--uploads is " + uploads + ", expected at least 20 (the mix needs some of each kind)");
            System.exit(2);
        }
        long seed = seedArg != null ? seedArg : new SplittableRandom().nextLong() & 0xFFFF_FFFFL;
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Double> killPoints = new ArrayList<>();
        while (killPoints.size() < killCount) {
            double p = 0.05 + 0.85 * rnd.nextDouble();
            if (killPoints.stream().allMatch(q -> Math.abs(q - p) >= 0.05)) {
                killPoints.add(p);
            }
        }
        killPoints.sort(Double::compare);
        double burstAt = 0.1 + 0.5 * rnd.nextDouble();

        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath();
        Path corpus = Path.of(System.getProperty("mediaflow.corpus", root.resolve("corpus").toString()));
        Path target = root.resolve("bench/target");
        LoadMix.Spec spec = LoadMix.Spec.bench(uploads);
        System.err.printf(Locale.ROOT, "bench: seed %d (--seed %d reproduces the kill points and the burst's moment)%n", seed, seed);
        System.err.printf("bench: making the mix (content seed %d; kept in %s)...%n", CONTENT_SEED, target.resolve("load-set"));
        long t = System.nanoTime();
        LoadMix mix = LoadMix.make(target.resolve("load-set"), spec, CONTENT_SEED, corpus,
                Runtime.getRuntime().availableProcessors());
        System.err.printf(Locale.ROOT, "bench: %d files, %.0f MB, ready in %.0f s%n", mix.items().size(), mix.bytes() / 1e6,
                (System.nanoTime() - t) / 1e9);

        // the launcher's corpus (the stack's JavaCPP cache is the launcher's too: infra/target/javacpp-cache)
        Map<String, String> environment = Map.of("MEDIAFLOW_CORPUS", corpus.toString());
        List<String> upArgs = new ArrayList<>();
        if (workers != null) {
            upArgs.addAll(List.of("--workers", String.valueOf(workers)));
        }
        System.out.printf(Locale.ROOT, "load: %d uploads, seed %d, %d clients, workers %s, %d cores, stack JVM %s%n", uploads, seed,
                clients, workers == null ? "default (2)" : workers, Runtime.getRuntime().availableProcessors(),
                "./mediaflow's" + (jvmFlags.isEmpty() ? "" : " + " + String.join(" ", jvmFlags)));
        boolean ok = true;
        if (!killsOnly) {
            Report r = pass("no kills", mix, target, root, jvmFlags, environment, upArgs,
                    new LoadRun.Options(clients, List.of(), burstAt, Duration.ofSeconds(180), System.err, "load"));
            ok &= verdict(r);
        }
        if (!noKills) {
            System.err.printf(Locale.ROOT, "bench: kill points %s (progress: (acknowledged + final) / (2 x uploads)), seed %d%n",
                    killPoints.stream().map(p -> String.format(Locale.ROOT, "%.2f", p)).toList(), seed);
            Report r = pass(killCount + " kills", mix, target, root, jvmFlags, environment, upArgs,
                    new LoadRun.Options(clients, killPoints, burstAt, Duration.ofSeconds(180), System.err, "load+kills"));
            ok &= verdict(r);
        }
        System.exit(ok ? 0 : 1);
    }

    private static Report pass(String name, LoadMix mix, Path target, Path root, List<String> jvmFlags, Map<String, String> environment,
                               List<String> upArgs,
                               LoadRun.Options options) throws Exception {
        Path data = target.resolve("load-data");
        LambdaPackager.deleteTree(data);
        Path log = target.resolve("load-" + name.replace(' ', '-') + ".log");
        Files.deleteIfExists(log);
        int port = StackProcess.freePortPair();
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--port", String.valueOf(port)));
        args.addAll(upArgs);
        AtomicReference<StackProcess> current = new AtomicReference<>();
        double[] killedCpu = {0};
        LoadRun.Stack stack = new LoadRun.Stack() {
            @Override
            public JsonNode start() throws Exception {
                current.set(StackProcess.startLauncher(root, log, Duration.ofSeconds(300), jvmFlags, environment, args));
                return current.get().line();
            }

            @Override
            public void kill() throws Exception {
                double cpu = current.get().cpuSeconds();
                killedCpu[0] += cpu;
                System.err.println("bench: the life the kill ends, " + threadCpu(current.get(), cpu));
                current.get().kill();
            }

            @Override
            public double cpuSeconds() {
                return killedCpu[0] + current.get().cpuSeconds();
            }
        };
        System.err.printf("bench: pass '%s': mediaflow up %s (log %s)%n", name, String.join(" ", args), log);
        Report r;
        try {
            r = LoadRun.run(mix, stack, options);
            System.err.println("bench: the stack's last life, " + threadCpu(current.get(), current.get().cpuSeconds()));
        } finally {
            if (current.get() != null) {
                current.get().close();
            }
        }
        System.out.println();
        r.print(System.out);
        System.out.flush();
        return r;
    }

    /** Where one life of the stack's JVM, {@code all} CPU-s so far, spent it: the thread groups of at least 2 %. */
    private static String threadCpu(StackProcess p, double all) {
        List<String> groups = new ArrayList<>();
        p.cpuByThread().forEach((name, s) -> {
            if (s >= 0.02 * all) {
                groups.add(String.format(Locale.ROOT, "%s %.1f", name, s));
            }
        });
        return String.format(Locale.ROOT, "%.1f CPU-s by thread: %s", all,
                groups.isEmpty() ? "(not readable from /proc)" : String.join(", ", groups));
    }

    private static boolean verdict(Report r) {
        boolean kept = r.problems().isEmpty();
        System.out.printf(Locale.ROOT, "  goal: 0 lost (%d), exactly 1 event per upload after dedup (%.3f), >= 10 uploads/s (%.2f): %s%n",
                r.lost().size(), r.eventsPerUpload(), r.uploadsPerSecond(),
                kept && r.uploadsPerSecond() >= 10 ? "met" : kept ? "guarantee kept, throughput below the goal" : "NOT MET");
        return kept;
    }
}
