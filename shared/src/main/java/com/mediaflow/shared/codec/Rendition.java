package com.mediaflow.shared.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * One derived picture, ready to store.
 *
 * @param kind "thumbnail", "poster", "display" or "placeholder"
 * @param name file name, e.g. "thumb-320.jpg", "thumb-square-160.jpg", "display.webp" or
 *     "poster.jpg"
 * @param contentType MIME type of {@code bytes}, e.g. "image/jpeg"
 * @param bytes the encoded file (not copied: treat as read-only)
 * @param width real pixel width of the encoded picture
 * @param height real pixel height of the encoded picture
 */
public record Rendition(String kind, String name, String contentType, byte[] bytes, int width,
        int height) {

    public static final String THUMBNAIL = "thumbnail";
    public static final String POSTER = "poster";
    public static final String DISPLAY = "display";
    public static final String PLACEHOLDER = "placeholder";

    public Rendition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(bytes, "bytes");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Rendition " + name
                    + " must have positive dimensions, found " + width + "x" + height);
        }
    }

    /** Value equality, comparing the bytes' contents (a record would compare array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Rendition r && width == r.width && height == r.height
                && kind.equals(r.kind) && name.equals(r.name)
                && contentType.equals(r.contentType) && Arrays.equals(bytes, r.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, contentType, width, height) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Rendition[" + kind + " " + name + " " + contentType + " " + width + "x" + height
                + ", " + bytes.length + " bytes]";
    }
}
