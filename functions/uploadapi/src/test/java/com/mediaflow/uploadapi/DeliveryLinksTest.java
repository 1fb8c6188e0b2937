package com.mediaflow.uploadapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryLinksTest {
    private static final String ID = "c".repeat(64);
    private static final RenderUrls SIGNER = new RenderUrls("delivery-links-test-secret-32-bytes-long");

    private static Manifest with(Output... outputs) {
        return new Manifest(ID, MediaStatus.READY, com.mediaflow.shared.format.MediaFormat.PNG, com.mediaflow.shared.format.MediaCategory.IMAGE, 1, new Manifest.Location("m", "media/" + ID + "/original"),
                Map.of(), List.of(), List.of(outputs), Map.of());
    }

    @Test
    void theSample_isTheLargestAllowedSquareTheDisplayHolds_upTo512() {
        DeliveryLinks links = new DeliveryLinks("http://127.0.0.1:9003", SIGNER, List.of(64, 128, 256, 320, 512, 640));

        assertThat(links.sampleRender(with(new Output("display", "media/" + ID + "/thumbnail/display.jpg", "image/jpeg", 300, 200, 1L))))
                .hasValue("http://127.0.0.1:9003" + SIGNER.path(ID, 128, 128, "cover", "webp"));
        assertThat(links.sampleRender(with(new Output("display", "media/" + ID + "/thumbnail/display.jpg", "image/jpeg", 2048, 1365, 1L))))
                .hasValue("http://127.0.0.1:9003" + SIGNER.path(ID, 512, 512, "cover", "webp"));
        assertThat(links.sampleRender(with(new Output("display", "media/" + ID + "/thumbnail/display.jpg", "image/jpeg", 40, 30, 1L))))
                .as("smaller than every allowed size").isEmpty();
        assertThat(links.sampleRender(with(new Output("audio", "media/" + ID + "/transcode/audio.m4a", "audio/mp4", null, null, 1L))))
                .as("no display picture").isEmpty();
        assertThat(links.url("media/" + ID + "/thumbnail/display.jpg")).hasValue("http://127.0.0.1:9003/media/" + ID + "/thumbnail/display.jpg");
    }

    @Test
    void withoutABaseUrl_orASigner_thereAreNoLinks() {
        Manifest m = with(new Output("display", "media/" + ID + "/thumbnail/display.jpg", "image/jpeg", 800, 600, 1L));
        assertThat(DeliveryLinks.NONE.url("k")).isEmpty();
        assertThat(DeliveryLinks.NONE.sampleRender(m)).isEmpty();
        assertThat(new DeliveryLinks("https://d.example", null, List.of(256)).sampleRender(m)).isEmpty();
        assertThat(new DeliveryLinks("https://d.example/", null, List.of(256)).url("k")).hasValue("https://d.example/k");
    }

    @Test
    void render_fromAVideosPoster_isSigned_andAnItemWithoutAPicture_is409() {
        DeliveryLinks links = new DeliveryLinks("http://127.0.0.1:9003", SIGNER, List.of(64, 128, 256));

        assertThat(links.render(with(new Output("poster", "media/" + ID + "/thumbnail/poster.jpg", "image/jpeg", 640, 360, 1L)),
                128, 64, "cover", "avif")).isEqualTo("http://127.0.0.1:9003" + SIGNER.path(ID, 128, 64, "cover", "avif"));
        assertThatThrownBy(() -> links.render(with(new Output("audio", "media/" + ID + "/transcode/audio.m4a", "audio/mp4", null,
                null, 1L)), 64, 64, "cover", "webp")).isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo(DeliveryLinks.NOT_RENDERABLE);
                });
        assertThatThrownBy(() -> links.render(with(new Output("poster", "media/" + ID + "/thumbnail/poster.jpg", "image/jpeg",
                640, 100, 1L)), 128, 128, "cover", "webp")).hasMessageContaining("above the display size 640x100");
    }
}
