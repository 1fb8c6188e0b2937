package com.mediaflow.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code mediaflow up --json ARGS} in a child JVM, as a script runs it: the test's classpath, the
 * launcher's JVM flags. The child's stderr goes to a log file; its first stdout line is the
 * {@code up --json} line, read when the stack is ready.
 */
final class ChildStack implements AutoCloseable {
    final Process process;
    final JsonNode line;
    final Path log;

    private ChildStack(Process process, JsonNode line, Path log) {
        this.process = process;
        this.line = line;
        this.log = log;
    }

    static ChildStack start(Path log, Duration timeout, String... upArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss2m", "-XX:+UseSerialGC",
                "-Dmediaflow.root=" + TestPaths.root(),
                "-Dmediaflow.corpus=" + System.getProperty("mediaflow.corpus", TestPaths.root().resolve("corpus").toString()),
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                        TestPaths.root().resolve("infra/target/javacpp-cache").toString()),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "up", "--json"));
        command.addAll(List.of(upArgs));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String text;
        try {
            text = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("mediaflow up printed no line within " + timeout.toSeconds() + " s; its log: " + tail(log));
        }
        if (text == null) {
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("mediaflow up exited (" + (p.isAlive() ? "still alive" : p.exitValue())
                    + ") before printing its line; its log: " + tail(log));
        }
        return new ChildStack(p, Json.MAPPER.readTree(text), log);
    }

    /** A client Config for the stack the line describes: endpoints, region, credentials. */
    Config clientConfig() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Config.AWS_REGION, line.get("region").asText());
        env.put(Config.AWS_ENDPOINT_URL_S3, line.at("/endpoints/s3").asText());
        env.put(Config.AWS_ENDPOINT_URL_SQS, line.at("/endpoints/sqs").asText());
        env.put("AWS_ACCESS_KEY_ID", line.at("/credentials/accessKeyId").asText());
        env.put("AWS_SECRET_ACCESS_KEY", line.at("/credentials/secretAccessKey").asText());
        return Config.of(env);
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM killer would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: the shutdown hook stops the stack cleanly
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A base port N such that N and N + 1 are free on the loopback interface now. */
    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                base = s.getLocalPort();
            }
            if (base < 65535 && free(base) && free(base + 1)) {
                return base;
            }
        }
        throw new IllegalStateException("found no two free neighbouring ports in 50 tries");
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

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
