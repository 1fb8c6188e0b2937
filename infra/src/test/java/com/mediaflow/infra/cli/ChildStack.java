package com.mediaflow.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.load.StackProcess;
import com.mediaflow.shared.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code mediaflow up --json ARGS} in a child JVM ({@link StackProcess}) with the test's classpath
 * and the project's system properties (mediaflow.root, mediaflow.corpus, the JavaCPP cache). The
 * child's stderr goes to a log file; its first stdout line is the {@code up --json} line.
 */
final class ChildStack implements AutoCloseable {
    final StackProcess stack;
    final JsonNode line;
    final Path log;

    private ChildStack(StackProcess stack) {
        this.stack = stack;
        this.line = stack.line();
        this.log = stack.log();
    }

    static ChildStack start(Path log, Duration timeout, String... upArgs) throws Exception {
        return start(log, timeout, Map.of(), upArgs);
    }

    /** @param environment variables for the child over this JVM's, such as {@code MEDIAFLOW_SWEEP_SECONDS} */
    static ChildStack start(Path log, Duration timeout, Map<String, String> environment, String... upArgs) throws Exception {
        try {
            return new ChildStack(StackProcess.start(log, timeout, properties(), environment, List.of(upArgs)));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The system properties a child stack gets, as the launcher sets them. */
    static Map<String, String> properties() {
        return Map.of(
                "mediaflow.root", TestPaths.root().toString(),
                "mediaflow.corpus", System.getProperty("mediaflow.corpus", TestPaths.root().resolve("corpus").toString()),
                "org.bytedeco.javacpp.cachedir", System.getProperty("org.bytedeco.javacpp.cachedir",
                        TestPaths.root().resolve("infra/target/javacpp-cache").toString()));
    }

    long pid() {
        return stack.pid();
    }

    /** A client Config for the stack the line describes: endpoints, region, credentials. */
    Config clientConfig() {
        return StackProcess.clientConfig(line);
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM killer would. */
    void kill() throws InterruptedException {
        stack.kill();
    }

    @Override
    public void close() throws InterruptedException {
        stack.close();
    }

    /** A base port N such that N and N + 1 are free on the loopback interface now. */
    static int freePortPair() throws IOException {
        return StackProcess.freePortPair();
    }

    static String tail(Path log) {
        return StackProcess.tail(log);
    }
}
