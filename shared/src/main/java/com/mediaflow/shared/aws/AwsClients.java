package com.mediaflow.shared.aws;

import com.mediaflow.shared.config.Config;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients once per function, with the light url-connection HTTP client and an
 * explicit region. Off AWS ({@code AWS_ENDPOINT_URL} set) they talk path-style to that endpoint,
 * with the credentials from the same environment, and S3 request bodies go unsigned as they do
 * over HTTPS on AWS ({@link LocalEndpointSigning}).
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static S3Client s3(Config config) {
        var builder = S3Client.builder()
                .httpClient(http())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config));
        config.s3Endpoint().ifPresent(uri -> builder.endpointOverride(uri)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                // bodies unsigned, as over HTTPS on AWS: see LocalEndpointSigning
                .putAuthScheme(new LocalEndpointSigning()));
        return builder.build();
    }

    public static SqsClient sqs(Config config) {
        var builder = SqsClient.builder()
                .httpClient(http())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config));
        config.sqsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static S3Presigner presigner(Config config) {
        var builder = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config));
        config.s3Endpoint().ifPresent(uri -> builder.endpointOverride(uri)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    /**
     * The credentials the clients sign with: off AWS the environment's static keys, on AWS the
     * default chain (Lambda's role, with its session token). The upload API signs its POST policies with them.
     */
    public static AwsCredentialsProvider credentials(Config config) {
        var key = config.optional("AWS_ACCESS_KEY_ID");
        var secret = config.optional("AWS_SECRET_ACCESS_KEY");
        if (config.local() && key.isPresent() && secret.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
