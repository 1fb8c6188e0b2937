package com.mediaflow.render;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.codec.OnDemandRender;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.Setting;
import com.mediaflow.shared.delivery.RenderSecret;
import com.mediaflow.shared.delivery.RenderSizes;
import com.mediaflow.shared.error.ConfigException;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.lambda.Priming;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The render function behind its Function URL (payload format 2.0, as CloudFront's Origin Access
 * Control signs it): {@code GET /r/{signature}/{mediaId}/{width}x{height}/{fit}.{webp|jpg|avif}}; the
 * work is in {@link Renders}. A render answers its bytes (base64) with the immutable
 * Cache-Control; a refusal answers {@code {"code", "message"}} with {@code no-store}; S3 failing is
 * a 503.
 */
public class RenderHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(RenderHandler.class);
    /** Where the answer came from: memory, stored or rendered (tests and curl read it; CloudFront passes it on). */
    static final String SOURCE_HEADER = "X-Render-Source";

    private final Renders renders;
    private final StepMetrics metrics;
    private final Priming priming;

    /** What Lambda calls: configuration, clients and the secret read once; SnapStart primes a render. */
    public RenderHandler() {
        this(Config.fromEnvironment());
        priming.register();
    }

    /** For the embedded stack, which gives each function its own template environment. */
    public RenderHandler(Config config) {
        this(new Renders(new ObjectStore(AwsClients.s3(config)), config.mediaBucket(), RenderSecret.require(config),
                RenderSizes.of(config), config.jpegQuality(), config.webpQuality(), config.workDir().resolve("render"),
                cacheBytes(config), com.mediaflow.shared.delivery.RenderRevalidation.window(config)), new StepMetrics(config.stage(), "render"));
    }

    RenderHandler(Renders renders, StepMetrics metrics) {
        this.renders = renders;
        this.metrics = metrics;
        this.priming = new Priming("RenderFunction", RenderHandler::prime);
    }

    Renders renders() {
        return renders;
    }

    Priming priming() {
        return priming;
    }

    /** {@code RENDER_CACHE_BYTES}: 0 to 8 GiB. */
    static long cacheBytes(Config config) {
        String text = config.optional(Setting.RENDER_CACHE_BYTES.name()).orElse(Setting.RENDER_CACHE_BYTES.defaultValue());
        try {
            long n = Long.parseLong(text);
            if (n < 0 || n > (8L << 30)) {
                throw new NumberFormatException("out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(Setting.RENDER_CACHE_BYTES + " is '" + text + "', expected a whole number of bytes from 0 to "
                    + (8L << 30), e);
        }
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (context != null) {
            MDC.put("function_name", String.valueOf(context.getFunctionName()));
            MDC.put("function_request_id", String.valueOf(context.getAwsRequestId()));
        }
        String path = event == null ? null : event.getRawPath();
        String method = event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                ? "GET" : event.getRequestContext().getHttp().getMethod();
        try (StepMetrics.Invocation invocation = metrics.begin()) {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                throw new RenderError(405, "METHOD_NOT_ALLOWED", "method " + method + " on " + path + ", expected GET or HEAD");
            }
            Renders.Answer a = renders.serve(path);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("Content-Type", a.contentType(), "Cache-Control", ObjectStore.IMMUTABLE,
                            SOURCE_HEADER, a.source().name().toLowerCase(java.util.Locale.ROOT)))
                    .withBody(a.base64()).withIsBase64Encoded(true).build();
        } catch (RenderError e) {
            LOG.info("{} answered {} {}: {}", path, e.status(), e.code(), e.getMessage());
            return json(e.status(), Map.of("code", e.code(), "message", e.getMessage()));
        } catch (MediaflowException e) {
            LOG.error("{} failed: {}", path, e.getMessage(), e);
            return json(503, Map.of("code", "UNAVAILABLE", "message", "storage failed, try again"));
        } finally {
            MDC.remove("function_name");
            MDC.remove("function_request_id");
        }
    }

    private static APIGatewayV2HTTPResponse json(int status, Object body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"))
                .withBody(Json.write(body)).build();
    }

    /** One small render to each format, on synthetic pixels: the natives and the encoders in the snapshot, no network. */
    private static String prime() {
        OnDemandRender.Pixels p = new OnDemandRender.Pixels(64, 48, new byte[64 * 48 * 3]);
        int total = 0;
        for (OnDemandRender.Format f : List.of(OnDemandRender.Format.JPEG, OnDemandRender.Format.WEBP)) {
            total += OnDemandRender.render(p, 32, 32, OnDemandRender.Fit.COVER, f, 80, "priming").length;
        }
        total += RenderAvif.encode(OnDemandRender.scale(p, 32, 32, OnDemandRender.Fit.COVER, "priming"),
                Path.of(System.getProperty("java.io.tmpdir")), "priming").length;
        return "rendered " + total + " bytes";
    }
}
