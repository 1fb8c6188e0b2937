package com.mediaflow.shared.codec;

/**
 * The few EXIF facts the pipeline uses.
 *
 * @param orientation EXIF Orientation 1-8; 1 when absent or invalid
 * @param make camera make, trimmed, or null
 * @param model camera model, trimmed, or null
 * @param captureTime DateTimeOriginal (else DateTime) as an ISO-8601 local date-time such as
 *     "2024-05-01T13:45:10", or null when absent or unparseable
 * @param gpsPresent true when the file carries GPS coordinates
 */
public record ExifInfo(int orientation, String make, String model, String captureTime,
        boolean gpsPresent) {

    /** No metadata: upright, nothing known. */
    public static final ExifInfo NONE = new ExifInfo(1, null, null, null, false);
}
