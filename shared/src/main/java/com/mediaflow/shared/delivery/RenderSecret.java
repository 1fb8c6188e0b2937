package com.mediaflow.shared.delivery;

import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.Setting;
import com.mediaflow.shared.error.ConfigException;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The secret that signs render paths, read once at init: off AWS from {@code RENDER_SECRET} (the
 * local stack generates one per data folder), on AWS from the Secrets Manager secret
 * {@code RENDER_SECRET_ARN} (the template generates it). The caller needs the secretsmanager
 * artifact on its class path (optional in shared).
 */
public final class RenderSecret {
    private RenderSecret() {
    }

    /** The signer, or empty when neither variable is set. */
    public static Optional<RenderUrls> signer(Config config) {
        Optional<String> local = config.optional(Setting.RENDER_SECRET.name());
        if (local.isPresent()) {
            return Optional.of(new RenderUrls(local.get()));
        }
        Optional<String> arn = config.optional(Setting.RENDER_SECRET_ARN.name());
        return arn.map(a -> new RenderUrls(read(config, a)));
    }

    /** A Secrets Manager secret's text, read once (a client built for it and closed). */
    public static String read(Config config, String arn) {
        try (SecretsManagerClient client = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.region())).credentialsProvider(AwsClients.credentials(config)).build()) {
            String value = client.getSecretValue(r -> r.secretId(arn)).secretString();
            if (value == null) {
                throw new ConfigException("secret " + arn + " has no SecretString, expected text");
            }
            return value;
        }
    }

    /** As {@link #signer(Config)}, required. */
    public static RenderUrls require(Config config) {
        return signer(config).orElseThrow(() -> new ConfigException("neither " + Setting.RENDER_SECRET_ARN + " nor "
                + Setting.RENDER_SECRET + " is set; expected RENDER_SECRET_ARN in the function's Environment in template.yaml"));
    }
}
