package com.mediaflow.shared.aws;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 for a local S3 endpoint on plain HTTP (the embedded stack, LocalStack), signed as the
 * SDK signs for S3 over HTTPS: the headers are signed, the body is not ({@code UNSIGNED-PAYLOAD},
 * or {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} with the CRC32 checksum in a trailer).
 *
 * <p>Why: over {@code http://} the SDK always signs the payload, each 128 KiB chunk with its own
 * SHA-256 signature, and the local S3 checks each one again. On AWS the functions talk HTTPS, so
 * neither happens there; locally, not doing it cut the stack's CPU per upload by about 8 % under
 * {@code bench/run load} (SHA-256 without the JIT's intrinsic, the stack running C1 only; see
 * bench/README.md). The request is otherwise the
 * one AWS gets, and it is still authenticated: the signature covers the method, path, query,
 * headers and the {@code x-amz-content-sha256} value, and the protocol is not part of it.
 *
 * <p>Used only with an endpoint override ({@link AwsClients}); a request on port 80 or 443 is
 * signed as it stands, since its Host header would change with the protocol.
 */
final class LocalEndpointSigning implements AwsV4AuthScheme {
    private final AwsV4HttpSigner signer = new AsIfHttps(AwsV4HttpSigner.create());

    @Override
    public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return providers.identityProvider(AwsCredentialsIdentity.class);
    }

    @Override
    public AwsV4HttpSigner signer() {
        return signer;
    }

    /** Signs a plain-HTTP request as though it went over HTTPS, then gives it back its protocol. */
    static final class AsIfHttps implements AwsV4HttpSigner {
        private final AwsV4HttpSigner delegate;

        AsIfHttps(AwsV4HttpSigner delegate) {
            this.delegate = delegate;
        }

        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            if (!applies(http)) {
                return delegate.sign(request);
            }
            SignedRequest signed = delegate.sign(request.copy(b -> b.request(http.toBuilder().protocol("https").build())));
            return signed.copy(b -> b.request(signed.request().toBuilder().protocol(http.protocol()).build()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            // the functions' clients are synchronous; an async client keeps the SDK's own signing
            return delegate.signAsync(request);
        }

        static boolean applies(SdkHttpRequest http) {
            return "http".equals(http.protocol()) && http.port() != 80 && http.port() != 443;
        }
    }
}
