package com.mediaflow.shared.codec;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The inline placeholder of a picture, small enough for the manifest: a BlurHash string and a
 * tiny JPEG (the same bytes as the {@code placeholder.jpg} rendition).
 *
 * @param blurHash 4x3 components
 * @param jpeg at most the plan's {@code placeholderMaxBytes} (not copied: treat as read-only)
 * @param width pixel width of the JPEG
 * @param height pixel height of the JPEG
 */
public record Placeholder(String blurHash, byte[] jpeg, int width, int height) {

    public Placeholder {
        Objects.requireNonNull(blurHash, "blurHash");
        Objects.requireNonNull(jpeg, "jpeg");
    }

    /** As the manifest stores it: {@code {blurhash, jpeg: <base64>, width, height}}. */
    public Map<String, Object> toMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blurhash", blurHash);
        m.put("jpeg", Base64.getEncoder().encodeToString(jpeg));
        m.put("width", width);
        m.put("height", height);
        return m;
    }

    @Override
    public String toString() {
        return "Placeholder[" + blurHash + ", " + width + "x" + height + ", " + jpeg.length
                + " bytes]";
    }
}
