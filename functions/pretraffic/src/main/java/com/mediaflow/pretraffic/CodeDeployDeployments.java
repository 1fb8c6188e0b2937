package com.mediaflow.pretraffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * {@link Deployments} over CodeDeploy's JSON API (protocol awsJson1_1, target prefix
 * {@code CodeDeploy_20141006}), signed with the SDK's SigV4 signer and sent with the SDK's HTTP
 * client. The SDK's own {@code codedeploy} module is not served by the Maven mirror at the root
 * pom's SDK version; these are the only two operations the hook needs, and their shapes are small.
 *
 * <p>The AppSpec of a Lambda deployment is in the revision's {@code appSpecContent.content}; the
 * older {@code string.content} is read when that is absent. A throttled call, a server error or
 * no answer is tried again (3 attempts in all); anything else throws {@link CodeDeployException}
 * with CodeDeploy's error type and message.
 */
public final class CodeDeployDeployments implements Deployments {
    static final String TARGET_PREFIX = "CodeDeploy_20141006.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String SIGNING_NAME = "codedeploy";
    static final int ATTEMPTS = 3;

    private final SdkHttpClient http;
    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public CodeDeployDeployments(SdkHttpClient http, URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** CodeDeploy's regional endpoint: {@code https://codedeploy.<region>.<partition's domain>}. */
    public static URI endpoint(String region) {
        RegionMetadata metadata = Region.of(region).metadata();
        String domain = metadata == null ? "amazonaws.com" : metadata.domain();
        return URI.create("https://codedeploy." + region + "." + domain);
    }

    @Override
    public String appSpec(String deploymentId) {
        JsonNode answer = call("GetDeployment", Map.of("deploymentId", deploymentId));
        JsonNode revision = answer.path("deploymentInfo").path("revision");
        for (String field : new String[] {"appSpecContent", "string"}) {
            JsonNode content = revision.path(field).path("content");
            if (content.isTextual() && !content.asText().isBlank()) {
                return content.asText();
            }
        }
        throw new AppSpecException("deployment " + deploymentId + ": expected deploymentInfo.revision.appSpecContent.content"
                + " (or .string.content), found revision " + AppSpec.abbreviate(revision.toString()));
    }

    @Override
    public void report(String deploymentId, String lifecycleEventHookExecutionId, Status status) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("deploymentId", deploymentId);
        body.put("lifecycleEventHookExecutionId", lifecycleEventHookExecutionId);
        body.put("status", status.apiValue());
        call("PutLifecycleEventHookExecutionStatus", body);
    }

    private JsonNode call(String operation, Map<String, String> request) {
        byte[] body = Json.write(request).getBytes(StandardCharsets.UTF_8);
        CodeDeployException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return once(operation, body);
            } catch (CodeDeployException e) {
                last = e;
                if (!e.retryable() || attempt == ATTEMPTS) {
                    throw e;
                }
                sleep(200L << attempt);
            }
        }
        throw Objects.requireNonNull(last);
    }

    private JsonNode once(String operation, byte[] body) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        int status;
        String text;
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            status = response.httpResponse().statusCode();
            try (InputStream in = response.responseBody().orElse(null)) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new CodeDeployException("CodeDeploy " + operation + " at " + endpoint + ": no answer (" + e + ")", 0, null, e);
        }
        JsonNode json;
        try {
            json = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new CodeDeployException("CodeDeploy " + operation + ": expected a JSON answer, found HTTP " + status + " "
                    + AppSpec.abbreviate(text), status, null, e);
        }
        if (status / 100 != 2) {
            String type = json.path("__type").asText(null);
            if (type != null && type.contains("#")) {
                type = type.substring(type.indexOf('#') + 1);
            }
            String message = json.path("message").asText(json.path("Message").asText(AppSpec.abbreviate(text)));
            throw new CodeDeployException("CodeDeploy " + operation + ": expected HTTP 200, found " + status + " " + type + ": "
                    + message, status, type, null);
        }
        return json;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between CodeDeploy attempts", e);
        }
    }
}
