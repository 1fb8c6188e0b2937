package com.mediaflow.shared.validation;

/**
 * How an image stores its pixels, as its headers declare them: what a still's metadata needs,
 * read without decoding anything.
 *
 * @param bitDepth bits per colour component as stored: PNG's IHDR bit depth (8 for palette
 *     images, whose entries are 8-bit), JPEG's frame precision, 8 for GIF and WebP, TIFF's
 *     BitsPerSample, BMP's 8 per channel (5 for 16-bit bitmaps); always above 0
 * @param colour what the components describe
 * @param alpha whether the picture can be transparent: an alpha channel, or a palette or colour
 *     key that marks a colour transparent (PNG {@code tRNS}, GIF's transparent colour)
 */
public record PixelLayout(int bitDepth, ColourModel colour, boolean alpha) {

    public PixelLayout {
        if (bitDepth <= 0 || colour == null) {
            throw new IllegalArgumentException("A pixel layout has a bit depth above 0 and a colour"
                    + " model, found " + bitDepth + " and " + colour);
        }
    }

    /** What an image's colour components are. */
    public enum ColourModel {
        /** one grey component (with or without alpha) */
        GRAY,
        /** colour: RGB, YCbCr, or a palette of RGB entries */
        RGB,
        /** four ink components: CMYK or YCCK */
        CMYK
    }
}
