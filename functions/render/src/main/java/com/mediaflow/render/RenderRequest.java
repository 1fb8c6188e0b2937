package com.mediaflow.render;

import com.mediaflow.shared.codec.OnDemandRender.Fit;
import com.mediaflow.shared.codec.OnDemandRender.Format;
import com.mediaflow.shared.delivery.RenderUrls;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One render path, {@code /r/{signature}/{mediaId}/{width}x{height}/{fit}.{ext}}, checked in this
 * order: its shape (else 404: not a render path), its signature over the part after it (403), then
 * its fields (400): a media id of 64 lowercase hex digits, fit cover or contain, ext webp or jpg,
 * width and height each in the allowed list.
 */
record RenderRequest(String mediaId, int width, int height, Fit fit, Format format) {
    private static final Pattern SHAPE = Pattern.compile("/r/([^/]+)(/[^/]+/[^/]+/[^/]+)");
    private static final Pattern FIELDS = Pattern.compile("/([^/]+)/([^/]+)x([^/]+)/([^/.]+)\\.([^/.]+)");
    private static final Pattern MEDIA_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,4}");

    static RenderRequest parse(String rawPath, RenderUrls signer, List<Integer> allowedSizes) {
        Matcher shape = SHAPE.matcher(rawPath == null ? "" : rawPath);
        if (!shape.matches()) {
            throw new RenderError(404, RenderError.NOT_FOUND, "path " + rawPath
                    + " is not a render path, expected /r/{signature}/{mediaId}/{width}x{height}/{fit}.{webp|jpg|avif}");
        }
        String signed = shape.group(2);
        if (!signer.verify(shape.group(1), signed)) {
            throw new RenderError(403, RenderError.BAD_SIGNATURE, "signature " + shape.group(1)
                    + " does not match " + signed + ", expected the base64url HMAC-SHA256 of that path under the render secret");
        }
        Matcher f = FIELDS.matcher(signed);
        if (!f.matches()) {
            throw new RenderError(400, RenderError.BAD_REQUEST, "path " + signed
                    + " is malformed, expected /{mediaId}/{width}x{height}/{fit}.{webp|jpg|avif}");
        }
        String mediaId = f.group(1);
        if (!MEDIA_ID.matcher(mediaId).matches()) {
            throw new RenderError(400, RenderError.BAD_REQUEST, "media id '" + mediaId
                    + "' is malformed, expected 64 lowercase hex digits (the SHA-256 of the original)");
        }
        int width = size("width", f.group(2), allowedSizes);
        int height = size("height", f.group(3), allowedSizes);
        Fit fit = switch (f.group(4)) {
            case "cover" -> Fit.COVER;
            case "contain" -> Fit.CONTAIN;
            default -> throw new RenderError(400, RenderError.BAD_REQUEST, "fit '" + f.group(4)
                    + "' is not supported, expected cover or contain");
        };
        Format format = Format.ofExtension(f.group(5)).orElseThrow(() -> new RenderError(400, RenderError.BAD_REQUEST,
                "format '" + f.group(5) + "' is not supported, expected webp, jpg or avif"));
        return new RenderRequest(mediaId, width, height, fit, format);
    }

    private static int size(String what, String text, List<Integer> allowed) {
        if (!NUMBER.matcher(text).matches()) {
            throw new RenderError(400, RenderError.BAD_REQUEST, what + " '" + text + "' is not a whole number of pixels,"
                    + " expected one of " + allowed);
        }
        int n = Integer.parseInt(text);
        if (!allowed.contains(n)) {
            throw new RenderError(400, RenderError.SIZE_NOT_ALLOWED, what + " " + n + " is not an allowed size, expected one of "
                    + allowed + " (RENDER_SIZES)");
        }
        return n;
    }

    String fitName() {
        return fit.name().toLowerCase(Locale.ROOT);
    }

    /** The stored render's key: {@code media/<id>/render/<w>x<h>-<fit>.<ext>}. */
    String key() {
        return "media/" + mediaId + "/render/" + width + "x" + height + "-" + fitName() + "." + format.extension();
    }

    /** The signed part of the path, which names the render in the cache. */
    String signedPart() {
        return RenderUrls.signedPart(mediaId, width, height, fitName(), format.extension());
    }
}
