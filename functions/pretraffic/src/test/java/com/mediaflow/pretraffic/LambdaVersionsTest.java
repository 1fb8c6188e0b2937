package com.mediaflow.pretraffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The Lambda adapter through the SDK's LambdaClient, against canned Lambda answers: the request it sends, the answer it reads. */
class LambdaVersionsTest {
    private LocalEndpoint lambda;
    private LambdaVersions versions;

    @BeforeEach
    void start() throws Exception {
        lambda = new LocalEndpoint();
        versions = new LambdaVersions(LambdaClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(lambda.uri()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build());
    }

    @AfterEach
    void stop() {
        lambda.close();
    }

    @Test
    void invoke_callsTheVersion_synchronously_withThePayload() {
        lambda.answer(200, Map.of("Content-Type", "application/json", "X-Amz-Executed-Version", "7"), "{\"batchItemFailures\":[]}");

        Versions.Invocation answer = versions.invoke("stack-FinalizeFunction-X", "7", "{\"Records\":[]}");

        assertThat(answer).isEqualTo(Versions.Invocation.ok("{\"batchItemFailures\":[]}"));
        assertThat(lambda.requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/2015-03-31/functions/stack-FinalizeFunction-X/invocations?Qualifier=7");
            assertThat(r.header("X-Amz-Invocation-Type")).isEqualTo("RequestResponse");
            assertThat(r.header("Authorization")).contains("/eu-west-1/lambda/aws4_request");
            assertThat(r.body()).isEqualTo("{\"Records\":[]}");
        });
    }

    @Test
    void invoke_aFunctionError_isAnAnswer_withLambdasErrorDocument() {
        String error = "{\"errorMessage\":\"environment variable MEDIA_BUCKET is not set\",\"errorType\":\"ConfigException\"}";
        lambda.answer(200, Map.of("Content-Type", "application/json", "X-Amz-Function-Error", "Unhandled"), error);

        assertThat(versions.invoke("f", "3", "{}")).isEqualTo(new Versions.Invocation("Unhandled", error));
    }

    @Test
    void invoke_aVersionLambdaDoesNotHave_throws() {
        lambda.answer(404, Map.of("Content-Type", "application/json", "X-Amzn-ErrorType", "ResourceNotFoundException"),
                "{\"Type\":\"User\",\"Message\":\"Function not found: arn:aws:lambda:eu-west-1:1:function:f:9\"}");

        assertThatThrownBy(() -> versions.invoke("f", "9", "{}")).isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found");
    }
}
