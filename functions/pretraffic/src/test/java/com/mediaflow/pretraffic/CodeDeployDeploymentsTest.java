package com.mediaflow.pretraffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.Json;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** The CodeDeploy adapter's requests as they go over the wire (SigV4-signed JSON 1.1), against canned CodeDeploy answers. */
class CodeDeployDeploymentsTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/x-amz-json-1.1");
    private static final String APPSPEC = "{\"version\":0.0,\"Resources\":[{\"fn\":{\"Type\":\"AWS::Lambda::Function\","
            + "\"Properties\":{\"Name\":\"f\",\"Alias\":\"live\",\"CurrentVersion\":\"1\",\"TargetVersion\":\"2\"}}}]}";

    private LocalEndpoint codeDeploy;
    private CodeDeployDeployments deployments;

    @BeforeEach
    void start() throws Exception {
        codeDeploy = new LocalEndpoint();
        deployments = new CodeDeployDeployments(UrlConnectionHttpClient.create(), codeDeploy.uri(), "eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    }

    @AfterEach
    void stop() {
        codeDeploy.close();
    }

    @Test
    void appSpec_sendsASignedGetDeployment_andReadsTheAppSpecContent() {
        codeDeploy.answer(200, JSON, Json.write(Map.of("deploymentInfo", Map.of("deploymentId", "d-1", "computePlatform", "Lambda",
                "revision", Map.of("revisionType", "AppSpecContent", "appSpecContent", Map.of("content", APPSPEC, "sha256", "x"))))));

        assertThat(deployments.appSpec("d-1")).isEqualTo(APPSPEC);

        assertThat(codeDeploy.requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/");
            assertThat(r.header("X-Amz-Target")).isEqualTo("CodeDeploy_20141006.GetDeployment");
            assertThat(r.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
            assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/eu-west-1/codedeploy/aws4_request").contains("SignedHeaders=").contains("x-amz-target");
            assertThat(r.header("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
            assertThat(tree(r.body())).isEqualTo(tree("{\"deploymentId\":\"d-1\"}"));
        });
    }

    @Test
    void appSpec_ofAStringRevision_isReadToo() {
        codeDeploy.answer(200, JSON, Json.write(Map.of("deploymentInfo", Map.of("revision",
                Map.of("revisionType", "String", "string", Map.of("content", APPSPEC))))));

        assertThat(deployments.appSpec("d-2")).isEqualTo(APPSPEC);
    }

    @Test
    void appSpec_ofARevisionWithoutContent_isAnAppSpecError() {
        codeDeploy.answer(200, JSON, Json.write(Map.of("deploymentInfo", Map.of("revision", Map.of("revisionType", "S3")))));

        assertThatThrownBy(() -> deployments.appSpec("d-3")).isInstanceOf(AppSpecException.class)
                .hasMessageContaining("deployment d-3: expected deploymentInfo.revision.appSpecContent.content")
                .hasMessageContaining("\"revisionType\":\"S3\"");
    }

    @Test
    void report_sendsPutLifecycleEventHookExecutionStatus_withTheApiStatus() {
        codeDeploy.answer(200, JSON, "{\"lifecycleEventHookExecutionId\":\"e-1\"}");

        deployments.report("d-1", "e-1", Deployments.Status.FAILED);

        assertThat(codeDeploy.requests).singleElement().satisfies(r -> {
            assertThat(r.header("X-Amz-Target")).isEqualTo("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus");
            assertThat(tree(r.body())).isEqualTo(tree("{\"deploymentId\":\"d-1\",\"lifecycleEventHookExecutionId\":\"e-1\","
                    + "\"status\":\"Failed\"}"));
        });
    }

    @Test
    void aRefusal_isTypedAndNotRetried() {
        codeDeploy.answer(400, JSON, "{\"__type\":\"com.amazonaws.codedeploy#DeploymentDoesNotExistException\","
                + "\"message\":\"The deployment d-9 could not be found\"}");

        assertThatThrownBy(() -> deployments.appSpec("d-9")).isInstanceOfSatisfying(CodeDeployException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errorType()).isEqualTo("DeploymentDoesNotExistException");
            assertThat(e).hasMessage("CodeDeploy GetDeployment: expected HTTP 200, found 400 DeploymentDoesNotExistException:"
                    + " The deployment d-9 could not be found");
        });
        assertThat(codeDeploy.requests).hasSize(1);
    }

    @Test
    void aThrottledOrFailedCall_isTriedAgain_upTo3Times() {
        codeDeploy.answer(400, JSON, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")
                .answer(503, JSON, "{\"message\":\"unavailable\"}")
                .answer(200, JSON, "{}");

        deployments.report("d-1", "e-1", Deployments.Status.SUCCEEDED);

        assertThat(codeDeploy.requests).hasSize(3).allSatisfy(r -> assertThat(tree(r.body()).get("status").asText()).isEqualTo("Succeeded"));

        codeDeploy.answer(500, JSON, "{}").answer(500, JSON, "{}").answer(500, JSON, "{}").answer(200, JSON, "{}");
        assertThatThrownBy(() -> deployments.report("d-1", "e-2", Deployments.Status.SUCCEEDED))
                .isInstanceOf(CodeDeployException.class).hasMessageContaining("found 500");
        assertThat(codeDeploy.requests).hasSize(6);
    }

    @Test
    void endpoint_isRegional_inThePartitionsDomain() {
        assertThat(CodeDeployDeployments.endpoint("eu-west-1")).isEqualTo(URI.create("https://codedeploy.eu-west-1.amazonaws.com"));
        assertThat(CodeDeployDeployments.endpoint("cn-north-1")).isEqualTo(URI.create("https://codedeploy.cn-north-1.amazonaws.com.cn"));
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
