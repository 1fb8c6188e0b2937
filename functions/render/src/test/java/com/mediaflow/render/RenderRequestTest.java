package com.mediaflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mediaflow.shared.codec.OnDemandRender.Fit;
import com.mediaflow.shared.codec.OnDemandRender.Format;
import com.mediaflow.shared.delivery.RenderUrls;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderRequestTest {
    static final String SECRET = "render-test-secret-of-at-least-32-bytes!";
    static final String ID = "0123456789abcdef".repeat(4);
    private static final List<Integer> SIZES = List.of(64, 128, 256, 320, 512, 640, 1024);
    private final RenderUrls urls = new RenderUrls(SECRET);

    private RenderError refused(String path) {
        return catchThrowableOfType(RenderError.class, () -> RenderRequest.parse(path, urls, SIZES));
    }

    /** A path signed as a client would sign it, whatever its fields. */
    private String signed(String part) {
        return "/r/" + urls.sign(part) + part;
    }

    @Test
    void aSignedPath_givesItsFields_andItsStoredKey() {
        RenderRequest r = RenderRequest.parse(urls.path(ID, 320, 256, "cover", "webp"), urls, SIZES);

        assertThat(r).isEqualTo(new RenderRequest(ID, 320, 256, Fit.COVER, Format.WEBP));
        assertThat(r.key()).isEqualTo("media/" + ID + "/render/320x256-cover.webp");
        assertThat(RenderRequest.parse(urls.path(ID, 64, 1024, "contain", "jpg"), urls, SIZES).format()).isEqualTo(Format.JPEG);
    }

    @Test
    void aBadSignature_is403() {
        String good = urls.path(ID, 320, 256, "cover", "webp");
        String tampered = good.replace("/320x256/", "/640x256/");

        assertThat(refused(tampered)).satisfies(e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo(RenderError.BAD_SIGNATURE);
            assertThat(e.getMessage()).contains("does not match /" + ID + "/640x256/cover.webp");
        });
        assertThat(refused(new RenderUrls(SECRET + "?").path(ID, 320, 256, "cover", "webp")).status()).as("another key").isEqualTo(403);
    }

    @Test
    void notARenderPath_is404() {
        assertThat(refused("/r/sig/" + ID + "/320x256").status()).isEqualTo(404);
        assertThat(refused("/media/" + ID + "/thumbnail/x.jpg").status()).isEqualTo(404);
        assertThat(refused(null).status()).isEqualTo(404);
    }

    @Test
    void eachMalformedField_isA400_sayingWhatWasExpected() {
        assertThat(refused(signed("/" + ID + "/320x256/stretch.webp"))).satisfies(e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("fit 'stretch' is not supported, expected cover or contain");
        });
        assertThat(refused(signed("/" + ID + "/320x256/cover.gif")).getMessage())
                .isEqualTo("format 'gif' is not supported, expected webp, jpg or avif");
        assertThat(refused(signed("/" + ID + "/300x256/cover.webp"))).satisfies(e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(RenderError.SIZE_NOT_ALLOWED);
            assertThat(e.getMessage()).startsWith("width 300 is not an allowed size, expected one of [64, 128");
        });
        assertThat(refused(signed("/" + ID + "/320x2048/cover.webp")).getMessage()).startsWith("height 2048 is not an allowed size");
        assertThat(refused(signed("/" + ID + "/0320x256/cover.webp")).getMessage())
                .startsWith("width '0320' is not a whole number of pixels");
        assertThat(refused(signed("/" + ID.toUpperCase() + "/320x256/cover.webp")).getMessage())
                .contains("expected 64 lowercase hex digits");
    }

    @Test
    void aTraversal_evenSigned_isRefused() {
        assertThat(refused(signed("/../320x256/cover.webp"))).satisfies(e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("media id '..' is malformed");
        });
        assertThat(refused(signed("/" + ID + "/..x256/cover.webp")).status()).isEqualTo(400);
        assertThat(refused("/r/" + urls.sign("/" + ID + "/320x256/cover.webp") + "/" + ID + "/../320x256/cover.webp").status())
                .as("a path with more segments than the shape").isEqualTo(404);
    }
}
