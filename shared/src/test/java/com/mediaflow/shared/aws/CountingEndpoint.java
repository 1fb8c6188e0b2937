package com.mediaflow.shared.aws;

import com.mediaflow.shared.config.Config;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP endpoint standing in for S3 and SQS that answers every request 404 and remembers
 * it: a test points a function's clients here to see whether, and what, it called.
 */
public final class CountingEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public CountingEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far, as "METHOD /path?query". */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** A function's configuration with S3 and SQS at this endpoint, plus {@code more}. */
    public Config config(Map<String, String> more) {
        var env = new java.util.HashMap<>(more);
        env.put(Config.AWS_ENDPOINT_URL, url());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        return Config.of(env);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
