package com.mediaflow.uploadapi;

import com.mediaflow.shared.codec.OnDemandRender.Format;
import com.mediaflow.shared.codec.Rendition;
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
    /** The render function's code for a size it refuses. */
    static final String SIZE_NOT_ALLOWED = "SIZE_NOT_ALLOWED";
    static final String NOT_RENDERABLE = "NOT_RENDERABLE";
    static final String NOT_CONFIGURED = "NOT_CONFIGURED";
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

    /**
     * {@code GET /uploads/{id}/render}: the signed URL of one render of the item, checked by the render
     * function's rules so that what is signed renders: width and height each in {@code RENDER_SIZES} and
     * at most the display picture's (display.jpg, else a video's poster; renders never upscale), fit
     * cover or contain, format webp, jpg or avif. Refusals are {@link ApiError}s: 400
     * {@code SIZE_NOT_ALLOWED} or {@code BAD_REQUEST}, 409 {@code NOT_RENDERABLE} without a display
     * picture, 503 {@code NOT_CONFIGURED} without a base URL or a render secret.
     */
    String render(Manifest manifest, int width, int height, String fit, String format) {
        String baseUrl = baseUrl();
        if (baseUrl == null || signer == null) {
            throw new ApiError(503, NOT_CONFIGURED, "on-demand renders are not configured here, expected a delivery base URL"
                    + " (DELIVERY_BASE_URL or DELIVERY_BASE_URL_PARAMETER) and a render secret (RENDER_SECRET_ARN)");
        }
        if (!"cover".equals(fit) && !"contain".equals(fit)) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "fit '" + fit + "' is not supported, expected cover or contain");
        }
        if (format == null || Format.ofExtension(format).isEmpty()) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "format '" + format + "' is not supported, expected webp, jpg or avif");
        }
        for (int side : new int[] {width, height}) {
            if (!sizes.contains(side)) {
                throw new ApiError(400, SIZE_NOT_ALLOWED, (side == width ? "width " : "height ") + side
                        + " is not an allowed size, expected one of " + sizes + " (RENDER_SIZES)");
            }
        }
        Output source = manifest.outputs().stream().filter(o -> o.key().endsWith("/display.jpg")).findFirst()
                .or(() -> manifest.outputs().stream().filter(o -> Rendition.POSTER.equals(o.kind())).findFirst())
                .filter(o -> o.width() != null && o.height() != null)
                .orElseThrow(() -> new ApiError(409, NOT_RENDERABLE, "media " + manifest.mediaId() + " (" + manifest.category()
                        + ") has no display picture to render from, expected an image or a video with a poster"));
        if (width > source.width() || height > source.height()) {
            throw new ApiError(400, SIZE_NOT_ALLOWED, "size " + width + "x" + height + " is above the display size "
                    + source.width() + "x" + source.height() + ", expected at most that (renders never upscale)");
        }
        return viewable(baseUrl + signer.path(manifest.mediaId(), width, height, fit, format));
    }
}
