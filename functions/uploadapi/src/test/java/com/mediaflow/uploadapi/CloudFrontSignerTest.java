package com.mediaflow.uploadapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.ConfigException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloudFrontSignerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(KeyPair kp) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    @Test
    void aSignedUrl_carriesExpiresSignatureKeyPairId_andTheSignatureVerifiesOverTheCannedPolicy() throws Exception {
        KeyPair kp = rsa();
        CloudFrontSigner signer = new CloudFrontSigner(CloudFrontSigner.privateKey(pem(kp)), "K2JCJMDEHXQW5F", Duration.ofHours(1), CLOCK);
        String url = "https://d111111abcdef8.cloudfront.net/media/" + "a".repeat(64) + "/thumbnail/thumb-320.jpg";

        String signed = signer.sign(url);

        assertThat(signed).startsWith(url + "?Expires=");
        Map<String, String> q = query(signed);
        assertThat(q).containsOnlyKeys("Expires", "Signature", "Key-Pair-Id");
        assertThat(q.get("Expires")).isEqualTo(String.valueOf(Instant.parse("2026-12-03T11:00:00Z").getEpochSecond()));
        assertThat(q.get("Key-Pair-Id")).isEqualTo("K2JCJMDEHXQW5F");
        assertThat(q.get("Signature")).doesNotContain("+", "=", "/");
        byte[] signature = Base64.getDecoder().decode(q.get("Signature").replace('-', '+').replace('_', '=').replace('~', '/'));
        Signature verify = Signature.getInstance("SHA1withRSA");
        verify.initVerify(kp.getPublic());
        verify.update(("{\"Statement\":[{\"Resource\":\"" + url + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
                + q.get("Expires") + "}}}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(verify.verify(signature)).isTrue();

        Signature other = Signature.getInstance("SHA1withRSA");
        other.initVerify(rsa().getPublic());
        other.update(CloudFrontSigner.cannedPolicy(url, Long.parseLong(q.get("Expires"))).getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(signature)).as("another key pair").isFalse();
    }

    @Test
    void aKeyThatIsNotPkcs8Pem_isRefused_sayingHowToConvertIt() {
        assertThatThrownBy(() -> CloudFrontSigner.privateKey("-----BEGIN RSA PRIVATE KEY-----\nMII...\n-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> CloudFrontSigner.privateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected an RSA key");
    }

    @Test
    void inPrivateMode_theRenditionUrl_andTheSampleRender_areBothSigned() throws Exception {
        CloudFrontSigner signer = new CloudFrontSigner(CloudFrontSigner.privateKey(pem(rsa())), "KID", Duration.ofHours(1), CLOCK);
        var renders = new com.mediaflow.shared.delivery.RenderUrls("private-mode-test-secret-of-32-bytes-xx");
        DeliveryLinks links = new DeliveryLinks(() -> Optional.of("https://d.example"), renders, List.of(256), signer);
        String id = "d".repeat(64);

        assertThat(links.url("media/" + id + "/thumbnail/x.jpg")).get().asString()
                .startsWith("https://d.example/media/" + id + "/thumbnail/x.jpg?Expires=").contains("&Key-Pair-Id=KID");
        var manifest = new com.mediaflow.shared.model.Manifest(id, com.mediaflow.shared.model.MediaStatus.READY, com.mediaflow.shared.format.MediaFormat.JPEG, com.mediaflow.shared.format.MediaCategory.IMAGE, 1,
                new com.mediaflow.shared.model.Manifest.Location("m", "k"), Map.of(), List.of(),
                List.of(new com.mediaflow.shared.model.Output("display", "media/" + id + "/thumbnail/display.jpg", "image/jpeg", 800, 600,
                        1L)), Map.of());
        assertThat(links.sampleRender(manifest)).get().asString()
                .startsWith("https://d.example" + renders.path(id, 256, 256, "cover", "webp") + "?Expires=");
    }
}
