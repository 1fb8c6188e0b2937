package com.mediaflow.shared.codec;

/**
 * The few metadata facts the pipeline uses: EXIF orientation, camera and capture time, and the
 * colour facts of the ICC profile and the image header.
 *
 * @param orientation EXIF Orientation 1-8; 1 when absent or invalid
 * @param make camera make, trimmed, or null
 * @param model camera model, trimmed, or null
 * @param captureTime DateTimeOriginal (else DateTime) as an ISO-8601 local date-time such as
 *     "2024-05-01T13:45:10", or null when absent or unparseable
 * @param gpsPresent true when the file carries GPS coordinates
 * @param iccDescription the embedded ICC profile's description ({@code desc} tag), trimmed, e.g.
 *     "Display P3" or "sRGB IEC61966-2.1"; null without a profile
 * @param iccColorSpace the ICC profile header's data colour space, e.g. "RGB", "GRAY", "CMYK";
 *     null without a profile
 * @param jpegComponents colour components of a JPEG frame (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK);
 *     null for other formats
 * @param transparentPalette true when a palette image marks colours transparent (PNG
 *     {@code tRNS} with a palette, GIF transparent colour flag)
 */
public record ExifInfo(int orientation, String make, String model, String captureTime,
        boolean gpsPresent, String iccDescription, String iccColorSpace, Integer jpegComponents,
        boolean transparentPalette) {

    /** No metadata: upright, nothing known. */
    public static final ExifInfo NONE = new ExifInfo(1, null, null, null, false);

    /** EXIF facts only, no colour facts. */
    public ExifInfo(int orientation, String make, String model, String captureTime,
            boolean gpsPresent) {
        this(orientation, make, model, captureTime, gpsPresent, null, null, null, false);
    }
}
