package com.mediaflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code ./mediaflow process} against {@code ./mediaflow up} fed by an outside client, on the same
 * photos: files per second from the first PUT to the last input final, for each {@code --workers}.
 *
 * <ul>
 *   <li><b>process</b>: a child JVM runs {@code Main process --workers N DIR} (the CLI's own JVM
 *       flags); timed from its "stack up" line to its "done" line on stderr, so the stack's start is
 *       left out. That includes copying every output to {@code --out}, which only process does.</li>
 *   <li><b>up + client</b>: a child JVM runs {@code Main up --json --workers N}; this JVM is the
 *       outside client: it PUTs every photo, 8 at a time, with its own SDK clients, and reads the
 *       CompletionQueue until every upload has its event.</li>
 * </ul>
 *
 * <p>Besides the wall time, the stack JVM's CPU time over the same span: on a shared machine the
 * wall time moves with whatever else runs, the CPU time much less.
 *
 * <p>Usage: {@code bench/run process [--count N] [--workers 1,2,4] [--modes process,up]}.
 */
public final class ProcessThroughput {
    private static final Pattern STACK_UP = Pattern.compile("stack up in ([0-9.]+) s");
    private static final Pattern DONE = Pattern.compile("done in ([0-9.]+) s");
    private static final int CLIENT_THREADS = 8;

    private ProcessThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int count = 100;
        List<Integer> workers = List.of(1, 2, 4);
        List<String> modes = List.of("process", "up");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--workers" -> workers = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--modes" -> modes = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --count N, --workers 1,2,4, --modes process,up");
            }
        }
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("mediaflow-bench-process-");
        Path photos = Files.createDirectories(work.resolve("photos"));
        System.err.printf("bench: making %d JPEGs of 0.3 to 1.2 MP in %s...%n", count, photos);
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            // each a different size: none is a duplicate of another
            int w = 640 + (i * 640 / Math.max(1, count - 1)) / 2 * 2;
            int h = w * 3 / 4;
            bytes += Files.size(SyntheticMedia.jpeg(photos.resolve(String.format("photo-%03d.jpg", i)), w, h, 0));
        }
        System.out.printf("%d JPEGs, 0.3-1.2 MP, %.0f KB average; %d cores%n", count, bytes / 1024.0 / count,
                Runtime.getRuntime().availableProcessors());
        for (int n : workers) {
            if (modes.contains("process")) {
                Result r = process(root, photos, work.resolve("out-" + n), n, count);
                System.out.printf("process --workers %d:        %6.1f s, %5.2f files/s, first line after %5.1f s; stack CPU %6.1f s%n",
                        n, r.seconds, count / r.seconds, r.firstLine, r.cpuSeconds);
            }
            if (modes.contains("up")) {
                Result r = upWithClient(root, photos, n, count);
                System.out.printf("up --workers %d + client:    %6.1f s, %5.2f files/s, first event after %4.1f s; stack CPU %6.1f s%n",
                        n, r.seconds, count / r.seconds, r.firstLine, r.cpuSeconds);
            }
        }
    }

    /**
     * @param cpuSeconds CPU time (user + system) the stack's JVM used over the timed span: on a
     *     shared machine the wall time moves with other work, this much less
     */
    private record Result(double seconds, double firstLine, double cpuSeconds) {
    }

    private static double cpu(Process p) {
        return p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    private static ProcessBuilder cli(Path root, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss2m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dmediaflow.root=" + root, "-Dorg.bytedeco.javacpp.cachedir="
                        + System.getProperty("org.bytedeco.javacpp.cachedir", root.resolve("bench/target/javacpp-cache").toString()),
                "-Dorg.bytedeco.javacpp.logger=slf4j", "-cp",
                // -Dbench.cli.prepend=DIR puts other CLI classes first (e.g. a previous version's, to compare)
                System.getProperty("bench.cli.prepend", "").isEmpty() ? System.getProperty("java.class.path")
                        : System.getProperty("bench.cli.prepend") + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                "com.mediaflow.infra.cli.Main"));
        command.addAll(args);
        return new ProcessBuilder(command).directory(root.toFile());
    }

    private static Result process(Path root, Path photos, Path out, int workers, int count) throws Exception {
        System.err.printf("bench: process --workers %d...%n", workers);
        Process p = cli(root, List.of("process", "--workers", String.valueOf(workers), "--out", out.toString(),
                "--timeout", "900", photos.toString())).start();
        double[] stackUp = {Double.NaN};
        double[] done = {Double.NaN};
        long[] stackUpNanos = {0};
        double[] cpuAtStackUp = {Double.NaN};
        CompletableFuture<Void> err = CompletableFuture.runAsync(() -> readLines(p.getErrorStream(), line -> {
            Matcher m = STACK_UP.matcher(line);
            if (m.find()) {
                stackUp[0] = Double.parseDouble(m.group(1));
                stackUpNanos[0] = System.nanoTime();
                cpuAtStackUp[0] = cpu(p);
            }
            Matcher d = DONE.matcher(line);
            if (d.find()) {
                done[0] = Double.parseDouble(d.group(1));
            }
        }));
        List<Long> lineTimes = new ArrayList<>();
        double cpuAtLastLine = Double.NaN;
        int ready = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lineTimes.add(System.nanoTime());
                JsonNode node = Json.MAPPER.readTree(line);
                ready += "READY".equals(node.path("status").asText()) ? 1 : 0;
                if (lineTimes.size() == count) {
                    cpuAtLastLine = cpu(p);
                }
            }
        }
        int code = p.waitFor();
        err.get(30, TimeUnit.SECONDS);
        if (code != 0 || ready != count || lineTimes.size() != count) {
            throw new IllegalStateException("process exited " + code + " with " + lineTimes.size() + " lines, " + ready
                    + " READY; expected " + count + " READY");
        }
        return new Result(done[0] - stackUp[0], (lineTimes.get(0) - stackUpNanos[0]) / 1e9, cpuAtLastLine - cpuAtStackUp[0]);
    }

    private static Result upWithClient(Path root, Path photos, int workers, int count) throws Exception {
        System.err.printf("bench: up --workers %d + client...%n", workers);
        Process p = cli(root, List.of("up", "--json", "--workers", String.valueOf(workers))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = stdout.readLine();
            if (first == null) {
                throw new IllegalStateException("up exited " + p.waitFor() + " before its --json line");
            }
            JsonNode up = Json.MAPPER.readTree(first);
            Map<String, String> env = new HashMap<>();
            env.put(Config.AWS_REGION, up.at("/region").asText());
            env.put(Config.AWS_ENDPOINT_URL_S3, up.at("/endpoints/s3").asText());
            env.put(Config.AWS_ENDPOINT_URL_SQS, up.at("/endpoints/sqs").asText());
            env.put("AWS_ACCESS_KEY_ID", up.at("/credentials/accessKeyId").asText());
            env.put("AWS_SECRET_ACCESS_KEY", up.at("/credentials/secretAccessKey").asText());
            Config config = Config.of(env);
            String ingest = up.at("/buckets/IngestBucket").asText();
            String completions = up.at("/queues/CompletionQueue").asText();
            List<Path> files;
            try (var list = Files.list(photos)) {
                files = list.sorted().toList();
            }
            try (S3Client s3 = AwsClients.s3(config); SqsClient sqs = AwsClients.sqs(config)) {
                ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
                double cpu0 = cpu(p);
                long t0 = System.nanoTime();
                List<Future<?>> puts = new ArrayList<>();
                for (Path f : files) {
                    String key = "bench/" + f.getFileName();
                    puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"), RequestBody.fromFile(f))));
                }
                for (Future<?> put : puts) {
                    put.get();
                }
                pool.shutdown();
                Set<String> finished = new HashSet<>();
                double firstEvent = Double.NaN;
                long deadline = t0 + TimeUnit.MINUTES.toNanos(15);
                while (finished.size() < count) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + finished.size() + " of " + count + " uploads final after 15 min");
                    }
                    for (Message m : sqs.receiveMessage(b -> b.queueUrl(completions).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                        CompletionEvent e = Json.read(m.body(), CompletionEvent.class);
                        if (e.status() != com.mediaflow.shared.model.MediaStatus.READY) {
                            throw new IllegalStateException(e.key() + " ended " + e.status() + " " + e.reasons());
                        }
                        if (finished.add(e.key()) && finished.size() == 1) {
                            firstEvent = (System.nanoTime() - t0) / 1e9;
                        }
                        sqs.deleteMessage(b -> b.queueUrl(completions).receiptHandle(m.receiptHandle()));
                    }
                }
                return new Result((System.nanoTime() - t0) / 1e9, firstEvent, cpu(p) - cpu0);
            }
        } finally {
            p.destroy(); // SIGTERM: the stack stops cleanly
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void readLines(java.io.InputStream in, java.util.function.Consumer<String> each) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                each.accept(line);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
