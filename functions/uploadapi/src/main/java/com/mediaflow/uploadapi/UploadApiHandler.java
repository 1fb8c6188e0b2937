package com.mediaflow.uploadapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.pipeline.MediaDeletion;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.Setting;
import com.mediaflow.shared.delivery.RenderSecret;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.delivery.RenderSizes;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.lambda.Priming;
import com.mediaflow.shared.model.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The upload API behind an API Gateway HTTP API (payload format 2.0): {@code POST /uploads},
 * {@code GET /uploads/{uploadId}}, {@code GET /uploads/{uploadId}/render}, {@code DELETE /uploads/{uploadId}} and
 * {@code POST /uploads/{uploadId}/complete} (a multipart upload's), routed by the event's {@code routeKey}; the work is
 * in {@link Uploads} and {@link Deletes}. Errors answer {@code {"code", "message"}}; a storage failure is a 503.
 */
public class UploadApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(UploadApiHandler.class);
    static final String CREATE = "POST /uploads";
    static final String STATUS = "GET /uploads/{uploadId}";
    static final String RENDER = "GET /uploads/{uploadId}/render";
    static final String DELETE = "DELETE /uploads/{uploadId}";
    static final String COMPLETE = "POST /uploads/{uploadId}/complete";

    private final Uploads uploads;
    private final Deletes deletes;
    /** SnapStart's hooks; held here because org.crac may hold registered resources weakly. */
    private final Priming priming;

    /** What Lambda calls: configuration and clients built once; SnapStart primes a request's checks and signing. */
    public UploadApiHandler() {
        this(Config.fromEnvironment());
        priming.register();
    }

    /** For the embedded stack, which gives each function its own template environment. */
    public UploadApiHandler(Config config) {
        this(AwsClients.s3(config), config, RenderSecret.signer(config).orElse(null), ssm(config));
    }

    /** @param signer the render secret's, read once; null without one @param ssm null when no parameter is named */
    private UploadApiHandler(S3Client s3, Config config, RenderUrls signer, SsmClient ssm) {
        this(new Uploads(new ObjectStore(s3), config.ingestBucket(), config.mediaBucket(), config.region(),
                postUrl(config), config.maxUploadBytes(), config.uploadUrlExpiry(),
                AwsClients.credentials(config)::resolveCredentials, Clock.systemUTC(), links(config, signer, ssm),
                new MultipartUploads(s3, AwsClients.presigner(config), config.multipartThresholdBytes(), config.multipartPartBytes())),
                new Deletes(new ObjectStore(s3), config.mediaBucket(), new MediaDeletion(new ObjectStore(s3),
                        new Queue(AwsClients.sqs(config)), config.mediaBucket(), config.quarantineBucket(),
                        config.completionQueueUrl(), cdn(config, signer, ssm), Clock.systemUTC())));
    }

    /**
     * DELIVERY_DISTRIBUTION_ID_PARAMETER set: CloudFront invalidations on that distribution (its id read
     * at the first deletion of an item, like the delivery domain); unset (off AWS): none, logged.
     */
    static MediaDeletion.Cdn cdn(Config config, RenderUrls signer, SsmClient ssm) {
        Optional<String> parameter = config.optional(Setting.DELIVERY_DISTRIBUTION_ID_PARAMETER.name());
        if (parameter.isEmpty()) {
            return CloudFrontInvalidation.logOnly(com.mediaflow.shared.delivery.RenderRevalidation.invalidationDelay(config));
        }
        CloudFrontClient cloudFront = CloudFrontClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.AWS_GLOBAL).credentialsProvider(AwsClients.credentials(config)).build();
        return new CloudFrontInvalidation(cloudFront, DeliveryBase.fromParameter(ssm, parameter.get(), Clock.systemUTC()),
                signer, Clock.systemUTC(), com.mediaflow.shared.delivery.RenderRevalidation.invalidationDelay(config));
    }

    /** One SSM client, built at init, for the parameters named (the delivery domain, the distribution's id); null for none. */
    private static SsmClient ssm(Config config) {
        if (config.optional(Setting.DELIVERY_BASE_URL_PARAMETER.name()).isEmpty()
                && config.optional(Setting.DELIVERY_DISTRIBUTION_ID_PARAMETER.name()).isEmpty()) {
            return null;
        }
        return SsmClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(config.region()))
                .credentialsProvider(AwsClients.credentials(config)).build();
    }

    /**
     * DELIVERY_BASE_URL (off AWS) or DELIVERY_BASE_URL_PARAMETER (read later, with the SSM client built
     * at init), and the render secret's signer when set; none without either.
     */
    static DeliveryLinks links(Config config, RenderUrls signer, SsmClient ssm) {
        Optional<String> fixed = config.optional(Setting.DELIVERY_BASE_URL.name());
        Optional<String> parameter = config.optional(Setting.DELIVERY_BASE_URL_PARAMETER.name());
        if (fixed.isEmpty() && parameter.isEmpty()) {
            return DeliveryLinks.NONE;
        }
        DeliveryBase base = fixed.map(DeliveryBase::fixed).orElseGet(() -> DeliveryBase.fromParameter(ssm,
                parameter.get(), Clock.systemUTC()));
        return new DeliveryLinks(base, signer, RenderSizes.of(config), cloudFront(config));
    }

    /**
     * Private delivery mode: DELIVERY_KEY_PAIR_ID and the PEM private key in the secret
     * DELIVERY_PRIVATE_KEY_SECRET_ARN, read once here; null (public mode) when either is unset.
     */
    static CloudFrontSigner cloudFront(Config config) {
        Optional<String> keyPairId = config.optional(Setting.DELIVERY_KEY_PAIR_ID.name());
        Optional<String> secret = config.optional(Setting.DELIVERY_PRIVATE_KEY_SECRET_ARN.name());
        if (keyPairId.isEmpty() || secret.isEmpty()) {
            return null;
        }
        String pem = RenderSecret.read(config, secret.get());
        String text = config.optional(Setting.DELIVERY_URL_EXPIRY_SECONDS.name())
                .orElse(Setting.DELIVERY_URL_EXPIRY_SECONDS.defaultValue());
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 60 || seconds > 604_800) {
            throw new com.mediaflow.shared.error.ConfigException(Setting.DELIVERY_URL_EXPIRY_SECONDS + " is '" + text
                    + "', expected a whole number of seconds from 60 to 604800");
        }
        return new CloudFrontSigner(CloudFrontSigner.privateKey(pem), keyPairId.get(), java.time.Duration.ofSeconds(seconds),
                Clock.systemUTC());
    }

    UploadApiHandler(Uploads uploads, Deletes deletes) {
        this.uploads = uploads;
        this.deletes = deletes;
        this.priming = new Priming("UploadApiFunction", UploadApiHandler::prime);
    }

    Priming priming() {
        return priming;
    }

    /**
     * Where clients post: off AWS the S3 endpoint, path-style ({@code <endpoint>/<bucket>}); on AWS
     * the bucket's virtual-hosted regional endpoint.
     */
    static String postUrl(Config config) {
        return config.s3Endpoint().map(uri -> uri.toString().replaceAll("/+$", "") + "/" + config.ingestBucket())
                .orElse("https://" + config.ingestBucket() + ".s3." + config.region() + ".amazonaws.com/");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (context != null) {
            MDC.put("function_name", String.valueOf(context.getFunctionName()));
            MDC.put("function_request_id", String.valueOf(context.getAwsRequestId()));
        }
        String route = event == null ? null : event.getRouteKey();
        try {
            Caller caller = Caller.of(event);
            return switch (String.valueOf(route)) {
                case CREATE -> json(201, uploads.create(caller, body(event)));
                case STATUS -> {
                    String id = uploadId(event);
                    yield uploads.status(caller, id).map(s -> json(200, s)).orElseThrow(() -> notFound(id));
                }
                case RENDER -> json(200, uploads.render(caller, uploadId(event), event.getQueryStringParameters()));
                case DELETE -> {
                    String id = uploadId(event);
                    if (!deletes.delete(caller, id)) {
                        throw notFound(id);
                    }
                    yield APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of("Cache-Control", "no-store"))
                            .build();
                }
                case COMPLETE -> {
                    String id = uploadId(event);
                    yield uploads.complete(caller, id, body(event)).map(s -> json(200, s)).orElseThrow(() -> notFound(id));
                }
                default -> throw new ApiError(404, ApiError.NOT_FOUND, "no route " + route + ", expected " + CREATE + ", "
                        + STATUS + ", " + RENDER + ", " + DELETE + " or " + COMPLETE);
            };
        } catch (ApiError e) {
            LOG.info("{} answered {} {}: {}", route, e.status(), e.code(), e.getMessage());
            return json(e.status(), Map.of("code", e.code(), "message", e.getMessage()));
        } catch (MediaflowException e) {
            LOG.error("{} failed: {}", route, e.getMessage(), e);
            return json(503, Map.of("code", "UNAVAILABLE", "message", "storage failed, try again"));
        } finally {
            MDC.remove("function_name");
            MDC.remove("function_request_id");
        }
    }

    private static String uploadId(APIGatewayV2HTTPEvent event) {
        return event.getPathParameters() == null ? null : event.getPathParameters().get("uploadId");
    }

    private static ApiError notFound(String id) {
        return new ApiError(404, ApiError.NOT_FOUND, "no upload " + id + " of this caller");
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        return body != null && event.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    private static APIGatewayV2HTTPResponse json(int status, Object body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"))
                .withBody(Json.write(body)).build();
    }

    /** The checks and the signing of one request, on fixed example credentials: no network. */
    private static String prime() {
        UploadRequest request = UploadRequest.parse("{\"filename\":\"prime.jpg\",\"contentType\":\"image/jpeg\",\"size\":1024}", 2048);
        PostPolicy.Signed signed = PostPolicy.presign(AwsBasicCredentials.create("AKIDPRIMING", "priming"), "us-east-1",
                Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMinutes(15), "https://bucket.s3.amazonaws.com/", "bucket",
                "uploads/prime/" + request.fileName(), request.contentType(), request.size());
        // and a large upload's part URL: the SDK's presigner loaded and run
        String part;
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMING", "priming"))).build()) {
            part = new MultipartUploads(null, presigner, 1, MultipartUploads.MIN_PART_BYTES).presign("bucket",
                    "uploads/prime/" + request.fileName(), "prime", 1024, MultipartUploads.MIN_PART_BYTES, Duration.ofMinutes(15))
                    .get(0).url().toString();
        }
        return "signed a policy of " + signed.policyJson().length() + " characters, " + Json.write(signed.fields()).length()
                + " characters of fields, a part URL of " + part.length() + " characters";
    }
}
