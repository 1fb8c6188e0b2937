package com.mediaflow.shared.codec.still;

import com.mediaflow.shared.codec.ExifInfo;
import com.mediaflow.shared.validation.PixelLayout.ColourModel;
import java.util.Locale;

/** Names the colour space of a still from its ICC profile, else from its colour model. */
final class ColourSpaces {
    private static final int MAX_PROFILE_NAME = 64;

    private ColourSpaces() {
    }

    /**
     * The colour space, from the ICC profile when there is one: well-known profile descriptions
     * are named ("sRGB IEC61966-2.1" is "sRGB", Apple's "Display P3" is "Display P3"), other
     * RGB profiles keep their own description (at most 64 characters), CMYK and grey profiles
     * are "CMYK" and "gray". Without a profile: CMYK pictures (4-component JPEGs, separated TIFFs)
     * are "CMYK", grey ones "gray", and everything else "sRGB", the colour space that untagged
     * images are assumed to be in on the web (and by our renditions).
     *
     * @param model the colour model the headers declare; null when unknown (then "sRGB", unless
     *     the profile says otherwise)
     */
    static String name(ColourModel model, ExifInfo exif) {
        String desc = exif.iccDescription();
        String space = exif.iccColorSpace() == null ? ""
                : exif.iccColorSpace().trim().toUpperCase(Locale.ROOT);
        if (space.equals("CMYK")) {
            return "CMYK";
        }
        if (space.equals("GRAY")) {
            return "gray";
        }
        if (desc != null) {
            String d = desc.toLowerCase(Locale.ROOT);
            if (d.contains("display p3") || d.contains("p3 d65")) {
                return "Display P3";
            }
            if (d.contains("srgb")) {
                return "sRGB";
            }
            if (d.contains("adobe rgb") || d.contains("adobergb")) {
                return "Adobe RGB";
            }
            if (d.contains("prophoto")) {
                return "ProPhoto RGB";
            }
            if (d.contains("2020")) {
                return "Rec. 2020";
            }
            return desc.length() > MAX_PROFILE_NAME ? desc.substring(0, MAX_PROFILE_NAME) : desc;
        }
        if (model == ColourModel.CMYK
                || (exif.jpegComponents() != null && exif.jpegComponents() == 4)) {
            return "CMYK";
        }
        if (model == ColourModel.GRAY) {
            return "gray";
        }
        return "sRGB";
    }
}
