package com.mediaflow.shared.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RenderUrlsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-local-test-secret";
    private static final String ID = "a".repeat(64);
    private final RenderUrls urls = new RenderUrls(SECRET);

    @Test
    void signature_isTheBase64UrlHmacSha256OfThePathAfterIt() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String part = "/" + ID + "/320x240/cover.webp";
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(part.getBytes(StandardCharsets.UTF_8)));

        assertThat(urls.path(ID, 320, 240, "cover", "webp")).isEqualTo("/r/" + expected + part);
        assertThat(expected).doesNotContain("=", "+", "/");
        assertThat(urls.verify(expected, part)).isTrue();
    }

    @Test
    void aTamperedPath_aWrongKey_orAPaddedSignature_doNotVerify() {
        String part = RenderUrls.signedPart(ID, 320, 240, "cover", "webp");
        String sig = urls.sign(part);

        assertThat(urls.verify(sig, RenderUrls.signedPart(ID, 640, 240, "cover", "webp"))).as("another size").isFalse();
        assertThat(urls.verify(sig, RenderUrls.signedPart(ID, 320, 240, "contain", "webp"))).as("another fit").isFalse();
        assertThat(urls.verify(sig, "/../" + ID + "/320x240/cover.webp")).as("a traversal").isFalse();
        assertThat(new RenderUrls(SECRET + "x").verify(sig, part)).as("another secret").isFalse();
        assertThat(urls.verify(sig + "=", part)).as("padded").isFalse();
        assertThat(urls.verify("not*base64", part)).isFalse();
        assertThat(urls.verify("", part)).isFalse();
    }

    @Test
    void aShortSecret_isRefused() {
        assertThatThrownBy(() -> new RenderUrls("short")).hasMessageContaining("has 5 bytes, expected at least 32");
        assertThatThrownBy(() -> new RenderUrls(null)).hasMessageContaining("expected at least 32");
    }
}
