package com.mediaflow.shared.codec;

import java.util.List;

/**
 * Everything made from one decoded picture.
 *
 * @param renditions in plan order: poster (videos), square, fitted thumbnails, display JPEG and
 *     WebP, placeholder JPEG
 * @param placeholder the inline placeholder, or null when the plan asked for none
 */
public record ImageRenditions(List<Rendition> renditions, Placeholder placeholder) {

    public ImageRenditions {
        renditions = List.copyOf(renditions);
    }
}
