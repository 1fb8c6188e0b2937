package com.mediaflow.shared.codec;

import java.util.List;

/**
 * Everything made from one decoded picture.
 *
 * @param renditions in plan order: poster (videos), square, fitted thumbnails, display JPEG and
 *     WebP, placeholder JPEG
 * @param placeholder the inline placeholder, or null when the plan asked for none
 * @param perceptualHash the {@link PerceptualHash} of the upright picture, from the same decode
 *     (its smallest fitted rendition of at least 32x32, else the decoded picture; 16 hex
 *     digits); null for video posters, and when nothing was decoded
 */
public record ImageRenditions(List<Rendition> renditions, Placeholder placeholder,
        String perceptualHash) {

    public ImageRenditions {
        renditions = List.copyOf(renditions);
    }

    /** Renditions without a perceptual hash (video posters, empty plans). */
    public ImageRenditions(List<Rendition> renditions, Placeholder placeholder) {
        this(renditions, placeholder, null);
    }

    /** These renditions with the picture's perceptual hash. */
    ImageRenditions withPerceptualHash(String hash) {
        return new ImageRenditions(renditions, placeholder, hash);
    }
}
