package com.mediaflow.infra.stack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mediaflow.infra.template.Template;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's HTTP API on 127.0.0.1, as API Gateway serves it: each request matched against
 * the {@code HttpApi} events of the functions (method and path, {@code {param}} segments), turned
 * into the payload format 2.0 event API Gateway builds ({@link APIGatewayV2HTTPEvent}) and given
 * to the function's real handler through a {@link FunctionHost}; its response written back.
 *
 * <p>The JWT authorizer's part: no token is needed locally, and the request context carries the
 * claims {@code {"sub": "local"}}. A request may name another caller in the header
 * {@value #CALLER_HEADER}, honoured only because this server listens on the loopback interface
 * alone: it lets a local script (and UploadApiIT) act as two users. On AWS the header is ignored
 * (the handler reads only the authorizer's claims).
 */
final class UploadApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadApiServer.class);
    /** Locally, the caller when the request names none. */
    static final String LOCAL_CALLER = "local";
    /** Locally only: the JWT {@code sub} to act as. */
    static final String CALLER_HEADER = "X-Mediaflow-Caller";
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** One route: {@code routeKey} as API Gateway names it ({@code "GET /uploads/{uploadId}"}). */
    record Route(String function, String method, String routeKey, Pattern path, List<String> params) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes;
    /** Each function's execution environment, built on its first request (again after a failed initialisation). */
    private final Map<String, FunctionHost> hosts = new LinkedHashMap<>();
    private final Function<String, FunctionHost> newHost;

    private UploadApiServer(HttpServer server, ExecutorService executor, List<Route> routes, Function<String, FunctionHost> newHost) {
        this.server = server;
        this.executor = executor;
        this.routes = routes;
        this.newHost = newHost;
    }

    /**
     * @param hosts one execution environment per function (invoked one request at a time, as Lambda does)
     * @param port 0 for a port the system picks
     */
    static UploadApiServer start(Template template, Function<String, FunctionHost> hosts, int port) throws IOException {
        List<Route> routes = routes(template);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "upload-api");
            t.setDaemon(true);
            return t;
        });
        // as on Lambda, a function initialises on its first request, and one whose initialisation fails
        // answers that request 500 (API Gateway's "Internal Server Error") and tries again on the next
        UploadApiServer api = new UploadApiServer(server, executor, routes, hosts);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    static List<Route> routes(Template template) {
        List<Route> out = new ArrayList<>();
        for (Template.FunctionDef f : template.functions()) {
            for (Template.HttpApiEvent e : template.httpApiEvents(f.logicalId())) {
                List<String> params = new ArrayList<>();
                Matcher m = Pattern.compile("\\{([A-Za-z0-9_]+)}").matcher(e.path());
                StringBuilder re = new StringBuilder();
                int last = 0;
                while (m.find()) {
                    re.append(Pattern.quote(e.path().substring(last, m.start()))).append("([^/]+)");
                    params.add(m.group(1));
                    last = m.end();
                }
                re.append(Pattern.quote(e.path().substring(last)));
                out.add(new Route(f.logicalId(), e.method(), e.method() + " " + e.path(), Pattern.compile(re.toString()), params));
            }
        }
        return out;
    }

    /** The console page (infra/src/main/resources/console/index.html), one file with its script: no build step. */
    private static void console(HttpExchange exchange) throws IOException {
        byte[] page;
        try (var in = UploadApiServer.class.getResourceAsStream("/console/index.html")) {
            if (in == null) {
                throw new IllegalStateException("console/index.html is missing from the class path");
            }
            page = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, page.length);
        exchange.getResponseBody().write(page);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (method.equals("GET") && (path.equals("/console") || path.equals("/console/"))) {
                console(exchange);
                return;
            }
            for (Route r : routes) {
                Matcher m = r.path().matcher(path);
                if (r.method().equals(method) && m.matches()) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (int i = 0; i < r.params().size(); i++) {
                        params.put(r.params().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                    }
                    respond(exchange, invoke(r, event(exchange, r, params)));
                    return;
                }
            }
            write(exchange, 404, Map.of("Content-Type", "application/json"), "{\"message\":\"Not Found\"}");
        } catch (RuntimeException e) {
            LOG.error("upload API: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString(), e);
            write(exchange, 500, Map.of("Content-Type", "application/json"), "{\"message\":\"Internal Server Error\"}");
        }
    }

    private APIGatewayV2HTTPResponse invoke(Route route, APIGatewayV2HTTPEvent event) {
        FunctionHost host;
        synchronized (hosts) {
            host = hosts.get(route.function());
            if (host == null) {
                host = newHost.apply(route.function());
                hosts.put(route.function(), host);
            }
        }
        synchronized (host) {
            Object answer = host.invoke(event);
            if (!(answer instanceof APIGatewayV2HTTPResponse response)) {
                throw new IllegalStateException(route.function() + " answered " + answer + ", expected an APIGatewayV2HTTPResponse");
            }
            return response;
        }
    }

    /** The event API Gateway's HTTP API sends (payload format 2.0), with the local caller as the JWT authorizer's claims. */
    static APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String caller = headers.getOrDefault(CALLER_HEADER.toLowerCase(Locale.ROOT), LOCAL_CALLER);
        if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            caller = LOCAL_CALLER; // never reached: the server listens on 127.0.0.1 only
        }
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                query.merge(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "", (a, b) -> a + "," + b);
            }
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        String type = headers.getOrDefault("content-type", "");
        boolean text = type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded");
        Instant now = Instant.now();
        String host = headers.getOrDefault("host", "127.0.0.1");
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(exchange.getRequestMethod())
                .withPath(exchange.getRequestURI().getRawPath()).withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", "")).build();
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                .withClaims(Map.of("sub", caller)).withScopes(List.of()).build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder().withAccountId(EmbeddedStack.ACCOUNT).withApiId("local")
                .withDomainName(host).withDomainPrefix("local").withHttp(http).withRequestId(UUID.randomUUID().toString())
                .withRouteKey(route.routeKey()).withStage("$default").withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build()).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(route.routeKey())
                .withRawPath(exchange.getRequestURI().getRawPath()).withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers).withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters).withRequestContext(context)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text).build();
    }

    private static void respond(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0] : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        write(exchange, response.getStatusCode(), headers, bytes);
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
