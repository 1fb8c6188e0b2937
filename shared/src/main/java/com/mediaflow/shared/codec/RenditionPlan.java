package com.mediaflow.shared.codec;

import java.util.List;

/**
 * What to make of one picture (an image, or a video's poster frame), all from one decode.
 *
 * @param thumbnailBoxes fitted thumbnails: longest side of each, in pixels ({@code thumb-<n>.jpg})
 * @param squareSize side of the centre-cropped square thumbnail ({@code thumb-square-<n>.jpg});
 *     0 for none
 * @param displayMaxSide longest side of the display image ({@code display.jpg} and
 *     {@code display.webp}); 0 for none
 * @param webpQuality libwebp quality of {@code display.webp}, 1-100
 * @param webpEffort libwebp method of {@code display.webp}, 0 (fastest) to 6 (smallest)
 * @param placeholderMaxBytes largest size of {@code placeholder.jpg}; 0 for no placeholder (and no
 *     BlurHash)
 */
public record RenditionPlan(List<Integer> thumbnailBoxes, int squareSize, int displayMaxSide,
        int webpQuality, int placeholderMaxBytes, int webpEffort) {

    /**
     * libwebp method used unless a plan says otherwise. Measured on the load bench's photos
     * (0.3-2 MP, display WebP at quality 80): method 2 makes all of a photo's renditions in 104 ms
     * against 158 ms at libwebp's default 4 (the WebP alone costs about half as much), for WebPs
     * about 6 % larger; 3 is no faster than 4, 1 and 0 save little more and cost 17-24 % in size.
     */
    public static final int DEFAULT_WEBP_EFFORT = 2;

    /** Below this, FFmpeg's JPEG headers alone (quantisation and Huffman tables) would not fit. */
    public static final int MIN_PLACEHOLDER_BYTES = 512;

    public RenditionPlan {
        for (Integer box : thumbnailBoxes) {
            if (box == null || box <= 0) {
                throw new IllegalArgumentException("Thumbnail boxes must be positive, found "
                        + thumbnailBoxes);
            }
        }
        thumbnailBoxes = List.copyOf(thumbnailBoxes);
        if (squareSize < 0 || displayMaxSide < 0) {
            throw new IllegalArgumentException("Square size and display size must be positive "
                    + "(or 0 for none), found " + squareSize + " and " + displayMaxSide);
        }
        if (webpQuality < 1 || webpQuality > 100) {
            throw new IllegalArgumentException("WebP quality must be 1-100, found "
                    + webpQuality);
        }
        if (webpEffort < 0 || webpEffort > 6) {
            throw new IllegalArgumentException("WebP effort must be 0-6, found " + webpEffort);
        }
        if (placeholderMaxBytes != 0 && placeholderMaxBytes < MIN_PLACEHOLDER_BYTES) {
            throw new IllegalArgumentException("Placeholder budget must be 0 (none) or at least "
                    + MIN_PLACEHOLDER_BYTES + " bytes, found " + placeholderMaxBytes);
        }
    }

    /** A plan with the {@link #DEFAULT_WEBP_EFFORT}. */
    public RenditionPlan(List<Integer> thumbnailBoxes, int squareSize, int displayMaxSide,
            int webpQuality, int placeholderMaxBytes) {
        this(thumbnailBoxes, squareSize, displayMaxSide, webpQuality, placeholderMaxBytes,
                DEFAULT_WEBP_EFFORT);
    }

    /** Fitted thumbnails only: no square, display image or placeholder. */
    public static RenditionPlan thumbnailsOnly(List<Integer> boxes) {
        return new RenditionPlan(boxes, 0, 0, 80, 0);
    }
}
