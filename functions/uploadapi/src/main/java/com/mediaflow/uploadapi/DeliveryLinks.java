package com.mediaflow.uploadapi;

import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.Output;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The delivery URLs of a READY item's renditions: {@code <DELIVERY_BASE_URL>/<key>} (CloudFront on
 * AWS, the local delivery server off it) and, for a picture, a sample on-demand render signed with
 * the render secret: the largest allowed square up to {@link #SAMPLE_MAX} that its display size
 * holds, cover, WebP. Without a base URL there are no links (the fields are left out). In private
 * delivery mode each URL is also a CloudFront signed URL ({@link CloudFrontSigner}).
 */
final class DeliveryLinks {
    /** Longest side of the sample render. */
    static final int SAMPLE_MAX = 512;
    static final DeliveryLinks NONE = new DeliveryLinks(DeliveryBase.none(), null, List.of());

    private final Supplier<Optional<String>> base;
    private final RenderUrls signer;
    private final List<Integer> sizes;
    private final CloudFrontSigner cloudFront;

    /**
     * @param base the base URL when known; a trailing slash is dropped
     * @param signer null: no sample render URL
     */
    DeliveryLinks(Supplier<Optional<String>> base, RenderUrls signer, List<Integer> sizes) {
        this(base, signer, sizes, null);
    }

    /** @param cloudFront private mode's URL signer; null in public mode */
    DeliveryLinks(Supplier<Optional<String>> base, RenderUrls signer, List<Integer> sizes, CloudFrontSigner cloudFront) {
        this.base = base;
        this.signer = signer;
        this.sizes = List.copyOf(sizes);
        this.cloudFront = cloudFront;
    }

    private String viewable(String url) {
        return cloudFront == null ? url : cloudFront.sign(url);
    }

    /** A fixed base URL (tests, and the local stack). */
    DeliveryLinks(String baseUrl, RenderUrls signer, List<Integer> sizes) {
        this(DeliveryBase.fixed(baseUrl), signer, sizes);
    }

    private String baseUrl() {
        return base.get().map(b -> b.replaceAll("/+$", "")).orElse(null);
    }

    Optional<String> url(String key) {
        String baseUrl = baseUrl();
        return baseUrl == null ? Optional.empty() : Optional.of(viewable(baseUrl + "/" + key));
    }

    /** A signed render of the item's display picture, or empty (no base URL, no signer, no display, too small). */
    Optional<String> sampleRender(Manifest manifest) {
        String baseUrl = baseUrl();
        if (baseUrl == null || signer == null) {
            return Optional.empty();
        }
        Optional<Output> display = manifest.outputs().stream()
                .filter(o -> "display".equals(o.kind()) && o.key().endsWith("/display.jpg") && o.width() != null)
                .findFirst();
        if (display.isEmpty()) {
            return Optional.empty();
        }
        int limit = Math.min(SAMPLE_MAX, Math.min(display.get().width(), display.get().height()));
        return sizes.stream().filter(s -> s <= limit).reduce((a, b) -> b)
                .map(side -> viewable(baseUrl + signer.path(manifest.mediaId(), side, side, "cover", "webp")));
    }
}
