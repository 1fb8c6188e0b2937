package com.mediaflow.shared.codec;

import java.util.List;

/**
 * Where {@link Thumbnailer} hands the renditions a recipient sees first (the square and smallest
 * thumbnails and the placeholder) as soon as they are encoded, while the larger ones are still to
 * be made: a step stores them at once, so the first thumbnail does not wait for the display
 * images. They are also in the call's full result.
 */
@FunctionalInterface
public interface EarlyRenditions {
    /** Nobody publishes early: the renditions are made largest first, each from the last. */
    EarlyRenditions NONE = renditions -> { };

    /** Called at most once per picture, on the rendering thread; must not keep it long. */
    void publish(List<Rendition> renditions);
}
