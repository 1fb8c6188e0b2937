package com.mediaflow.uploadapi;

import com.mediaflow.shared.error.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * CloudFront signed URLs with a canned policy, for private delivery mode: the policy
 * {@code {"Statement":[{"Resource":"<url>","Condition":{"DateLessThan":{"AWS:EpochTime":<expires>}}}]}}
 * signed with RSA-SHA1 by the key pair's private key, its signature base64 with CloudFront's URL-safe
 * characters ({@code + = /} as {@code - _ ~}), and the query {@code Expires}, {@code Signature},
 * {@code Key-Pair-Id} (the CloudFront public key's id) appended.
 */
final class CloudFrontSigner {
    private final PrivateKey key;
    private final String keyPairId;
    private final Duration expiry;
    private final Clock clock;

    CloudFrontSigner(PrivateKey key, String keyPairId, Duration expiry, Clock clock) {
        this.key = key;
        this.keyPairId = keyPairId;
        this.expiry = expiry;
        this.clock = clock;
    }

    /** A PKCS#8 PEM RSA private key ({@code -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey} writes it). */
    static PrivateKey privateKey(String pem) {
        if (pem == null || !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new ConfigException("the delivery private key is not a PKCS#8 PEM, expected '-----BEGIN PRIVATE KEY-----'"
                    + " (convert a PKCS#1 key with: openssl pkcs8 -topk8 -nocrypt -in key.pem)");
        }
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("the delivery private key cannot be read, expected an RSA key: " + e.getMessage(), e);
        }
    }

    static String cannedPolicy(String url, long expires) {
        return "{\"Statement\":[{\"Resource\":\"" + url + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + expires + "}}}]}";
    }

    /** {@code url} signed until now + expiry; {@code url} has no query of its own (delivery URLs have none). */
    String sign(String url) {
        long expires = clock.instant().plus(expiry).getEpochSecond();
        try {
            Signature rsa = Signature.getInstance("SHA1withRSA");
            rsa.initSign(key);
            rsa.update(cannedPolicy(url, expires).getBytes(StandardCharsets.UTF_8));
            String signature = Base64.getEncoder().encodeToString(rsa.sign()).replace('+', '-').replace('=', '_').replace('/', '~');
            return url + "?Expires=" + expires + "&Signature=" + signature + "&Key-Pair-Id=" + keyPairId;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA1withRSA is part of every JDK: " + e, e);
        }
    }
}
