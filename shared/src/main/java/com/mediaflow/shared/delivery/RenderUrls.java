package com.mediaflow.shared.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks on-demand render paths, {@code /r/{signature}/{mediaId}/{width}x{height}/{fit}.{ext}}:
 * the signature is the HMAC-SHA256, base64url without padding, of the path after it
 * ({@code /{mediaId}/{width}x{height}/{fit}.{ext}}), under the stack's render secret. The render
 * function checks it; the upload API (and any backend holding the secret) makes it.
 */
public final class RenderUrls {
    /** The path prefix CloudFront routes to the render function. */
    public static final String PREFIX = "/r/";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_SECRET_BYTES = 32;

    private final SecretKeySpec key;

    /** @param secret at least 32 bytes of UTF-8 (the generated secrets are 64 characters) */
    public RenderUrls(String secret) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the render secret has " + bytes.length + " bytes, expected at least "
                    + MIN_SECRET_BYTES);
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The path that is signed: {@code /{mediaId}/{width}x{height}/{fit}.{ext}}. */
    public static String signedPart(String mediaId, int width, int height, String fit, String extension) {
        return "/" + mediaId + "/" + width + "x" + height + "/" + fit + "." + extension;
    }

    /** The base64url (no padding) HMAC-SHA256 of {@code signedPart}. */
    public String sign(String signedPart) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(signedPart));
    }

    /** The whole render path: {@code /r/{signature}{signedPart}}. */
    public String path(String mediaId, int width, int height, String fit, String extension) {
        String part = signedPart(mediaId, width, height, fit, extension);
        return PREFIX + sign(part) + part;
    }

    /** Whether {@code signature} is this secret's signature of {@code signedPart}; constant time. */
    public boolean verify(String signature, String signedPart) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return signature.indexOf('=') < 0 && MessageDigest.isEqual(given, mac(signedPart));
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK: " + e, e);
        }
    }
}
