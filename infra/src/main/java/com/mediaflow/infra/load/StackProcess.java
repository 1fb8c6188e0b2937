package com.mediaflow.infra.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.cli.Main;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code mediaflow up --json ARGS} in a child JVM, as a script runs it: this JVM's classpath, the
 * launcher's JVM flags ({@code -Xss2m -XX:+UseSerialGC
 * -XX:TieredStopAtLevel=1}). The child's stderr is appended to a log
 * file; its first stdout line is the {@code up --json} line, read when the stack is ready. Killed
 * with SIGKILL ({@link #kill}) it gets no shutdown hook, as a crash or the OOM killer would leave it.
 */
public final class StackProcess implements AutoCloseable {
    private final Process process;
    private final JsonNode line;
    private final Path log;

    /** The launcher's JVM flags ({@code ./mediaflow}): serial GC, C1 only. */
    private static final List<String> LAUNCHER_JVM_FLAGS = List.of("-Xss2m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private StackProcess(Process process, JsonNode line, Path log) {
        this.process = process;
        this.line = line;
        this.log = log;
    }

    /**
     * Starts {@code up --json upArgs} in a child JVM on this process's class path, with the launcher's
     * JVM flags, and waits for its line.
     *
     * @param systemProperties passed on as {@code -Dname=value} (mediaflow.root, mediaflow.corpus,
     *     the JavaCPP cache folder)
     * @param environment variables for the child over this process's, such as {@code MEDIAFLOW_SWEEP_SECONDS}
     * @throws IllegalStateException when the child prints no line within the timeout, or exits first
     */
    public static StackProcess start(Path log, Duration timeout, Map<String, String> systemProperties,
                                     Map<String, String> environment, List<String> upArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAUNCHER_JVM_FLAGS);
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "up", "--json"));
        command.addAll(upArgs);
        return start(command, log, timeout, environment);
    }

    /**
     * {@code ROOT/mediaflow up --json upArgs} through the launcher, exactly as a user starts it: its
     * JVM flags, its class path of jars and its class-data archive (recorded first when missing or
     * recorded for other jars, which takes about 20 s more). The launcher execs the JVM, so {@link #pid()}
     * and {@link #kill()} are the JVM's. {@code extraJvmFlags} go to {@code MEDIAFLOW_JAVA_OPTS}, after
     * the launcher's own (so a later -XX flag wins); {@code environment} adds to this process's.
     */
    public static StackProcess startLauncher(Path root, Path log, Duration timeout, List<String> extraJvmFlags,
                                             Map<String, String> environment, List<String> upArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("mediaflow").toString(), "up", "--json"));
        command.addAll(upArgs);
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (!extraJvmFlags.isEmpty()) {
            env.put("MEDIAFLOW_JAVA_OPTS", String.join(" ", extraJvmFlags));
        }
        return start(command, log, timeout, env);
    }

    private static StackProcess start(List<String> command, Path log, Duration timeout, Map<String, String> environment)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        Process p = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String text;
        try {
            text = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("mediaflow up printed no line within " + timeout.toSeconds() + " s; its log: "
                    + tail(log));
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the line of mediaflow up failed", e.getCause());
        }
        if (text == null) {
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("mediaflow up exited (" + (p.isAlive() ? "still alive" : "exit " + p.exitValue())
                    + ") before printing its line; its log: " + tail(log));
        }
        return new StackProcess(p, Json.MAPPER.readTree(text), log);
    }

    /** The {@code up --json} line. */
    public JsonNode line() {
        return line;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** A client Config for the stack the line describes: endpoints, region, credentials. */
    public static Config clientConfig(JsonNode line) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Config.AWS_REGION, line.get("region").asText());
        env.put(Config.AWS_ENDPOINT_URL_S3, line.at("/endpoints/s3").asText());
        env.put(Config.AWS_ENDPOINT_URL_SQS, line.at("/endpoints/sqs").asText());
        env.put("AWS_ACCESS_KEY_ID", line.at("/credentials/accessKeyId").asText());
        env.put("AWS_SECRET_ACCESS_KEY", line.at("/credentials/secretAccessKey").asText());
        return Config.of(env);
    }

    /**
     * CPU time the child has used so far (user + system), from {@code /proc/<pid>/stat}; NaN where
     * there is no such file (not Linux) or the process is gone.
     */
    public double cpuSeconds() {
        try {
            return cpuOf(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of the child's live threads by name: {@link #cpuByThread(long)}. */
    public Map<String, Double> cpuByThread() {
        return cpuByThread(process.pid());
    }

    /**
     * CPU seconds (user + system) of a process's live threads so far, from {@code /proc/<pid>/task},
     * grouped by thread name without its trailing number ({@code S3Proxy-Jetty-12} and
     * {@code S3Proxy-Jetty-13} are {@code S3Proxy-Jetty}; Linux keeps 15 characters of a name, so
     * {@code ThumbnailFunction-Work-0} is {@code ThumbnailFunctio}), largest first; empty where there
     * is no such process. Threads that already ended are not counted.
     */
    public static Map<String, Double> cpuByThread(long pid) {
        Map<String, Double> byName = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = threadGroup(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                    byName.merge(name, cpuOf(stat), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Double::sum, LinkedHashMap::new));
    }

    /** User + system CPU seconds of a {@code /proc/.../stat} line, a process's or a thread's. */
    private static double cpuOf(String stat) {
        // fields after the command name, which is in parentheses and may hold spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks / 100.0; // USER_HZ, 100 on Linux
    }

    /** A thread's name without its trailing number and the {@code -} or {@code #} before it. */
    static String threadGroup(String name) {
        return name.replaceAll("[-#]?\\d+$", "");
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM killer would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, so the shutdown hook stops the stack cleanly; SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A base port N such that N and the ports after it that {@code up --port N} takes (one per
     * {@link com.mediaflow.infra.stack.EmbeddedStack#LISTENERS}: S3, SQS, the upload API) are free on the loopback interface now.
     */
    public static int freePortPair() throws IOException {
        int n = com.mediaflow.infra.stack.EmbeddedStack.LISTENERS.size();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                base = s.getLocalPort();
            }
            boolean all = base <= 65535 - (n - 1);
            for (int i = 0; all && i < n; i++) {
                all = free(base + i);
            }
            if (all) {
                return base;
            }
        }
        throw new IllegalStateException("found no " + n + " free neighbouring ports in 50 tries");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last 30 lines of a child's log, for an error message. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
