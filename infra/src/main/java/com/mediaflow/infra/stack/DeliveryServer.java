package com.mediaflow.infra.stack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * CloudFront's part on 127.0.0.1, with the same paths as the {@code DeliveryDistribution}:
 * {@code GET /media/...} answers a rendition from the media bucket, only under the prefixes the
 * bucket policy lets CloudFront read ({@link #READABLE}; anything else is 403, as S3 answers OAC),
 * with the object's Content-Type and Cache-Control; {@code GET /r/...} goes to the render
 * function's real handler through a {@link FunctionHost}, as its Function URL would receive it
 * (payload format 2.0, routeKey {@code $default}). No edge cache: every request reaches the origin.
 */
final class DeliveryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryServer.class);
    /** The keys CloudFront may read: MediaBucketPolicy's DeliveryReadsRenditions statement. */
    static final Pattern READABLE = Pattern.compile("media/[0-9a-f]{64}/(thumbnail|transcode|render)/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private final HttpServer server;
    private final ExecutorService executor;
    private final S3Client s3;
    private final String mediaBucket;
    private final Supplier<FunctionHost> renderHost;
    private FunctionHost host;

    private DeliveryServer(HttpServer server, ExecutorService executor, S3Client s3, String mediaBucket,
            Supplier<FunctionHost> renderHost) {
        this.server = server;
        this.executor = executor;
        this.s3 = s3;
        this.mediaBucket = mediaBucket;
        this.renderHost = renderHost;
    }

    /**
     * Binds the port now (so the functions' environments can name the URL) and serves once
     * {@link #start} is called.
     *
     * @param renderHost the render function's execution environment, made at its first request
     */
    static DeliveryServer bind(int port, S3Client s3, String mediaBucket, Supplier<FunctionHost> renderHost) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "delivery");
            t.setDaemon(true);
            return t;
        });
        DeliveryServer d = new DeliveryServer(server, executor, s3, mediaBucket, renderHost);
        server.createContext("/", d::handle);
        server.setExecutor(executor);
        return d;
    }

    void start() {
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                write(exchange, 405, Map.of("Content-Type", "text/plain", "Allow", "GET, HEAD"), "GET or HEAD only");
            } else if (path.startsWith("/r/")) {
                render(exchange, method, path);
            } else if (path.startsWith("/media/")) {
                rendition(exchange, path.substring(1));
            } else {
                write(exchange, 404, Map.of("Content-Type", "text/plain"), "expected /media/<id>/<step>/<name> or /r/...");
            }
        } catch (RuntimeException e) {
            LOG.error("delivery: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString(), e);
            write(exchange, 502, Map.of("Content-Type", "text/plain"), "origin failed: " + e.getMessage());
        }
    }

    private void rendition(HttpExchange exchange, String key) throws IOException {
        if (!READABLE.matcher(key).matches() || key.contains("..")) {
            write(exchange, 403, Map.of("Content-Type", "text/plain"), "AccessDenied: CloudFront may read"
                    + " media/<id>/{thumbnail,transcode,render}/... only");
            return;
        }
        ResponseBytes<GetObjectResponse> object;
        try {
            object = s3.getObjectAsBytes(b -> b.bucket(mediaBucket).key(key));
        } catch (NoSuchKeyException e) {
            write(exchange, 404, Map.of("Content-Type", "text/plain"), "NoSuchKey: " + key);
            return;
        } catch (S3Exception e) {
            write(exchange, e.statusCode() == 404 ? 404 : 502, Map.of("Content-Type", "text/plain"), e.getMessage());
            return;
        }
        GetObjectResponse meta = object.response();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", meta.contentType() == null ? "application/octet-stream" : meta.contentType());
        if (meta.cacheControl() != null) {
            headers.put("Cache-Control", meta.cacheControl());
        }
        if (meta.eTag() != null) {
            headers.put("ETag", meta.eTag());
        }
        write(exchange, 200, headers, exchange.getRequestMethod().equals("HEAD") ? new byte[0] : object.asByteArray());
    }

    private void render(HttpExchange exchange, String method, String path) throws IOException {
        APIGatewayV2HTTPResponse response;
        synchronized (this) {
            if (host == null) {
                host = renderHost.get();
            }
            Object answer = host.invoke(event(exchange, method, path));
            if (!(answer instanceof APIGatewayV2HTTPResponse r)) {
                throw new IllegalStateException("the render function answered " + answer + ", expected an APIGatewayV2HTTPResponse");
            }
            response = r;
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0] : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        write(exchange, response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(),
                method.equals("HEAD") ? new byte[0] : bytes);
    }

    /** The event a Function URL sends (payload format 2.0, the same shape as an HTTP API's, routeKey $default). */
    static APIGatewayV2HTTPEvent event(HttpExchange exchange, String method, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Instant now = Instant.now();
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                .withProtocol(exchange.getProtocol()).withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", "")).build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder().withAccountId(EmbeddedStack.ACCOUNT).withApiId("local")
                .withDomainName(headers.getOrDefault("host", "127.0.0.1")).withDomainPrefix("local").withHttp(http)
                .withRequestId(UUID.randomUUID().toString()).withRouteKey("$default").withStage("$default")
                .withTimeEpoch(now.toEpochMilli()).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withRawQueryString(rawQuery == null ? "" : rawQuery).withHeaders(headers).withRequestContext(context)
                .withIsBase64Encoded(false).build();
    }

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        write(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
