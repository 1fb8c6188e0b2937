package com.mediaflow.shared.codec.still;

import com.mediaflow.shared.validation.Reason;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a still image's headers say about its picture, read by {@link StillPropertiesReader}
 * without decoding a pixel. Fields that could not be read are null, and {@link #warnings()} says
 * why.
 *
 * @param codec the coding, named as FFmpeg names its decoders ("mjpeg", "png", "apng", "gif",
 *     "webp", "bmp", "tiff", "hevc", "av1"); null when unknown
 * @param width width as displayed: after EXIF orientation 5-8 (JPEG, PNG, WebP, TIFF, ...), or
 *     after {@code clap} and {@code irot} for HEIF/AVIF, whose own transforms are authoritative
 * @param height height as displayed, likewise
 * @param bitDepth bits per colour component as stored (8 for JPEG, 16 for 16-bit PNG, 10 for a
 *     10-bit HEIC)
 * @param colorSpace "sRGB", "Display P3", "Adobe RGB", "ProPhoto RGB", "Rec. 2020", "CMYK",
 *     "gray", or another ICC profile's own description; see {@link ColourSpaces}
 * @param hasAlpha whether the picture can be transparent (an alpha channel or auxiliary alpha
 *     image, or a palette or colour key with a transparent colour)
 * @param frameCount frames of an animation (GIF, WebP, APNG) as the structural parser counts
 *     them, 1 for every other still
 * @param warnings why a field is missing, as {@code WARNING} reasons; empty when all were read
 */
public record StillProperties(String codec, Integer width, Integer height, Integer bitDepth,
        String colorSpace, Boolean hasAlpha, Integer frameCount, List<Reason> warnings) {

    public StillProperties {
        warnings = List.copyOf(warnings);
        if (warnings.stream().anyMatch(Reason::rejects)) {
            throw new IllegalArgumentException("Still properties carry warnings only, found "
                    + warnings);
        }
    }

    /** The metadata keys of the known fields: codec, width, height, bitDepth, colorSpace, hasAlpha, frameCount. */
    public Map<String, Object> toMetadata() {
        Map<String, Object> meta = new TreeMap<>();
        putIfPresent(meta, "codec", codec);
        putIfPresent(meta, "width", width);
        putIfPresent(meta, "height", height);
        putIfPresent(meta, "bitDepth", bitDepth);
        putIfPresent(meta, "colorSpace", colorSpace);
        putIfPresent(meta, "hasAlpha", hasAlpha);
        putIfPresent(meta, "frameCount", frameCount);
        return meta;
    }

    private static void putIfPresent(Map<String, Object> meta, String key, Object value) {
        if (value != null) {
            meta.put(key, value);
        }
    }
}
