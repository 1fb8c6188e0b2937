package com.mediaflow.pretraffic;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@link Versions} over Lambda's {@code Invoke}: synchronous ({@code RequestResponse}), with the
 * target version as the qualifier, so the alias (still on the current version) is never used. A
 * function error (the handler or its init threw) is an answer, not an exception: it comes back as
 * {@code FunctionError} with Lambda's error document. An invocation that Lambda refuses (no such
 * version, throttled, not allowed) throws, and the hook reports Failed.
 */
public final class LambdaVersions implements Versions {
    private final LambdaClient lambda;

    public LambdaVersions(LambdaClient lambda) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
    }

    @Override
    public Invocation invoke(String functionName, String version, String payload) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(functionName).qualifier(version)
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .payload(SdkBytes.fromString(payload, StandardCharsets.UTF_8)));
        String body = response.payload() == null ? null : response.payload().asUtf8String();
        String error = response.functionError();
        return new Invocation(error == null || error.isBlank() ? null : error, body);
    }
}
