package com.mediaflow.bench;

import com.mediaflow.infra.packaging.LambdaPackager;
import com.mediaflow.infra.packaging.LambdaPackager.LambdaPackage;
import com.mediaflow.infra.packaging.Probes;
import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.infra.stack.SqsEvents;
import com.mediaflow.infra.template.Template.FunctionDef;
import com.mediaflow.shared.model.Json;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Cold start of every function, as Lambda has it: a fresh JVM on the function's exact package
 * class path (built as {@code sam build} builds it, for this machine's x86_64), with the
 * template's {@code JAVA_TOOL_OPTIONS}, handling one real event from an embedded stack that was
 * started beforehand (its own start is not counted). For each function: JVM start to handler ready
 * (the init phase) and JVM start to first response, median of the runs.
 *
 * <p>The events are real: each run uploads a distinct 1600x1200 JPEG and a distinct 2 s voice note
 * to the ingest bucket. Validate's event is the S3 notifications the stack queued; validate's run
 * then queues the step messages that thumbnail, metadata and transcode get; their runs queue the
 * messages finalize gets.
 *
 * <p>Usage: {@code bench/run coldstart [--runs N] [--source-root DIR] [--work DIR [--no-build]]
 * [--only ID,...] [--jvm "OPTIONS"] [--photo 12mp]}. {@code --source-root} builds the packages from another
 * checkout (e.g. an older commit in a git worktree) for a baseline, with the stack, events and
 * timing of this one. {@code --work} keeps the packages in DIR, and {@code --no-build} reuses them
 * from an earlier run; {@code --only} times some functions (the others still run, to make their
 * events); {@code --jvm} adds JVM options to the template's, to try one out. {@code --photo 12mp}
 * uploads 4000x3000 photo-like JPEGs (the set {@code bench/run latency} and {@code images} use)
 * instead of the 1600x1200 ones: each step's work on the 12 MP path. Each function's peak RSS
 * (its JVM's {@code VmHWM}, start and event included) is reported beside its {@code MemorySize}.
 */
public final class ColdStart {
    private static final List<String> ORDER = List.of("ValidateFunction", "ThumbnailFunction", "MetadataFunction",
            "TranscodeFunction", "FinalizeFunction");

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath().normalize();
        Path sourceRoot = root;
        Path work = null;
        boolean build = true;
        List<String> only = ORDER;
        String extraJvm = "";
        boolean twelveMp = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--source-root" -> sourceRoot = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--no-build" -> build = false;
                case "--only" -> only = List.of(args[++i].split(","));
                case "--jvm" -> extraJvm = args[++i];
                case "--photo" -> {
                    String photo = args[++i];
                    if (!photo.equals("12mp") && !photo.equals("2mp")) {
                        throw new IllegalArgumentException("--photo takes 12mp or 2mp, found " + photo);
                    }
                    twelveMp = photo.equals("12mp");
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --runs N, --source-root DIR, --work DIR, --no-build, --only IDS, --jvm OPTIONS"
                        + " or --photo 12mp|2mp");
            }
        }
        for (String id : only) {
            if (!ORDER.contains(id)) {
                throw new IllegalArgumentException("--only names " + id + "; expected logical ids from " + ORDER);
            }
        }
        if (work == null) {
            work = Files.createTempDirectory("mediaflow-coldstart-");
        }
        LambdaPackager packager = new LambdaPackager(sourceRoot, work, work.resolve("logs"), List.of("-o"));
        if (build) {
            System.err.println("bench: building each function's package (x86_64) from " + sourceRoot + " into " + work + " ...");
            packager.installParentAndShared();
        }
        Path probes = Probes.writeTo(work.resolve("probes"));

        Map<String, List<long[]>> timings = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Object> memorySizes = new LinkedHashMap<>();
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(root.resolve("template.yaml"))
                .withFunctions(false))) {
            Map<String, LambdaPackage> packages = new LinkedHashMap<>();
            for (String id : ORDER) {
                FunctionDef f = stack.functions().get(id);
                LambdaPackage pkg = build ? packager.build(f, "x86_64")
                        : new LambdaPackage(id, "x86_64", work.resolve("zip").resolve(id + "-x86_64.zip"),
                                work.resolve("pkg").resolve(id + "-x86_64"));
                packages.put(id, pkg);
                sizes.put(id, du(pkg.dir()));
                memorySizes.put(id, f.memoryMb());
                timings.put(id, new ArrayList<>());
            }
            String ingest = stack.bucket("IngestBucket");
            for (int run = 0; run < runs; run++) {
                Path jpeg = twelveMp ? twelveMpPhoto(root, work, run)
                        : SyntheticMedia.jpeg(work.resolve("photo-" + run + ".jpg"), 1600 - 2 * run, 1200, 0);
                Path wav = SyntheticMedia.voiceNoteWav(work.resolve("voice-" + run + ".wav"), 48_000, 2.0 + run * 0.01, 0.5);
                stack.s3().putObject(b -> b.bucket(ingest).key("coldstart/" + jpeg.getFileName()).contentType("image/jpeg"),
                        RequestBody.fromFile(jpeg));
                stack.s3().putObject(b -> b.bucket(ingest).key("coldstart/" + wav.getFileName()).contentType("audio/wav"),
                        RequestBody.fromFile(wav));
                for (String id : ORDER) {
                    FunctionDef f = stack.functions().get(id);
                    EmbeddedStack.QueueRef queue = stack.eventSourceQueue(id);
                    // as many records as the template's BatchSize allows; validate both uploads in one
                    // event although its BatchSize is 1 (sized for 4 GiB uploads), so that the audio
                    // reaches transcode and the timings compare with the earlier ones (two records)
                    int records = Math.max(f.events().get(0).batchSize(), "ValidateFunction".equals(id) ? 2 : 1);
                    List<Message> messages = receive(stack, queue.url(), id, records);
                    Path event = work.resolve(id + "-" + run + ".json");
                    Files.writeString(event, Json.MAPPER.writeValueAsString(
                            SqsEvents.fromMessages(messages, queue.arn(), EmbeddedStack.REGION)));
                    long[] t = invoke(packages.get(id), f, stack.environment(id), probes, event,
                            work.resolve("cache-" + id + "-" + run), extraJvm);
                    if (!only.contains(id)) {
                        continue;
                    }
                    timings.get(id).add(t);
                    System.err.printf(Locale.ROOT, "bench: run %d %-17s ready %5d ms, first response %5d ms, peak RSS %s%n",
                            run + 1, id, t[0] / 1000, t[1] / 1000, PeakRss.mb(t[2]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nCold start, x86_64 packages from %s, %s photos, median of %d (JVM start to ...)%n",
                sourceRoot, twelveMp ? "4000x3000" : "1600x1200", runs);
        System.out.printf(Locale.ROOT, "%-18s %10s %16s %14s %14s %12s%n", "function", "ready", "first response", "package",
                "peak RSS", "MemorySize");
        for (String id : only) {
            System.out.printf(Locale.ROOT, "%-18s %7d ms %13d ms %11.1f MB %11s %9s MB%n", id, median(timings.get(id), 0) / 1000,
                    median(timings.get(id), 1) / 1000, sizes.get(id) / 1048576.0, PeakRss.mb(median(timings.get(id), 2)),
                    memorySizes.get(id));
        }
    }

    /** Starts the probe JVM on the package; returns {JVM start to ready, JVM start to response} in µs and its peak RSS in kB. */
    private static long[] invoke(LambdaPackage pkg, FunctionDef f, Map<String, String> environment, Path probes, Path event,
            Path cache, String extraJvm) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", probes + File.pathSeparator + pkg.classpath(),
                "com.mediaflow.infra.probe.ColdStartProbe", f.handlerClass(), f.handlerMethod(), event.toString(), f.logicalId());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().putAll(environment);
        pb.environment().remove("LD_LIBRARY_PATH");
        // glibc's malloc settings as the template gives them (the stack hands them to no function: its JVM has its own)
        pb.environment().putAll(f.mallocSettings());
        // the template's JVM options, with JavaCPP's cache in a fresh folder so that nothing is reused
        String options = String.valueOf(f.environment().getOrDefault("JAVA_TOOL_OPTIONS", ""))
                .replaceAll("-Dorg\\.bytedeco\\.javacpp\\.cachedir=\\S+", "").trim();
        pb.environment().put("JAVA_TOOL_OPTIONS", options + " -Dorg.bytedeco.javacpp.cachedir=" + cache + " " + extraJvm);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(event.resolveSibling("probe-stderr.log").toFile()));
        long start = micros();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(f.logicalId() + ": the cold-start probe failed (exit "
                    + (p.isAlive() ? "none" : p.exitValue()) + "); stdout:\n" + out + "\nstderr in "
                    + event.resolveSibling("probe-stderr.log"));
        }
        long ready = -1;
        long response = -1;
        long peakRss = -1;
        for (String line : out.lines().toList()) {
            if (line.startsWith("PEAKRSS ")) {
                peakRss = Long.parseLong(line.substring(8).trim());
            } else if (line.startsWith("READY ")) {
                ready = Long.parseLong(line.substring(6).trim());
            } else if (line.startsWith("RESPONSE ")) {
                String[] parts = line.split(" ", 3);
                response = Long.parseLong(parts[1]);
                if (!parts[2].contains("\"batchItemFailures\":[]")) {
                    throw new IllegalStateException(f.logicalId() + " reported failed records: " + parts[2]
                            + "; its output:\n" + out);
                }
            }
        }
        if (ready < 0 || response < 0) {
            throw new IllegalStateException(f.logicalId() + ": expected READY and RESPONSE lines, found:\n" + out);
        }
        return new long[] {ready - start, response - start, peakRss};
    }

    /** One of the 12 MP photo-like JPEGs of bench/target/image-set, made distinct by a JPEG comment. */
    private static Path twelveMpPhoto(Path root, Path work, int run) throws Exception {
        byte[] base = PipelineLatency.basePhotos(root.resolve("bench/target/image-set")).get(run % PipelineLatency.BASE_PHOTOS);
        Path out = work.resolve("photo-12mp-" + run + ".jpg");
        Files.write(out, PipelineLatency.PhotoVariants.withComment(base, "coldstart " + run + " " + System.nanoTime()));
        return out;
    }

    /** Up to {@code atMost} messages: waits for the first, then takes what else is already there. */
    private static List<Message> receive(EmbeddedStack stack, String url, String functionId, int atMost) {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && out.size() < atMost) {
            List<Message> got = stack.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(atMost - out.size())
                    .waitTimeSeconds(out.isEmpty() ? 1 : 0).visibilityTimeout(600)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (got.isEmpty() && !out.isEmpty()) {
                break;
            }
            out.addAll(got);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no message arrived for " + functionId + " on " + url + " within 30 s");
        }
        return out;
    }

    private static long median(List<long[]> values, int index) {
        List<Long> v = new ArrayList<>(values.stream().map(a -> a[index]).toList());
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    private static long du(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
