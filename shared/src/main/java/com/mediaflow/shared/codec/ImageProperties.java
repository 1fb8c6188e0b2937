package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.Parsers;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bit depth, colour space, transparency and frame count of an image, from what FFmpeg's probe,
 * metadata-extractor and our structural parsers already know; nothing is decoded here.
 *
 * @param bitDepth bits per colour component (8 for JPEG, 16 for 16-bit PNG); null when unknown
 * @param colorSpace "sRGB", "Display P3", "Adobe RGB", "ProPhoto RGB", "Rec. 2020", "CMYK",
 *     "gray", or another ICC profile's own description; see {@link #colorSpace}
 * @param hasAlpha true when the pixel format has an alpha channel, or is a palette that marks
 *     colours transparent (PNG {@code tRNS}, GIF transparent colour)
 * @param frameCount frames of an animation (GIF, WebP, APNG) as our structural parser counts
 *     them (bounded by {@link Limits#maxFrames()}), else FFmpeg's count; 1 for stills; null when
 *     unknown
 */
public record ImageProperties(Integer bitDepth, String colorSpace, boolean hasAlpha,
        Integer frameCount) {

    private static final Logger LOG = LoggerFactory.getLogger(ImageProperties.class);
    private static final int MAX_PROFILE_NAME = 64;

    public static ImageProperties describe(Path file, ProbeResult probe, ExifInfo exif) {
        FfmpegSupport.init();
        int pixFmt = probe.pixelFormat() == null ? -1 : av_get_pix_fmt(probe.pixelFormat());
        boolean alpha = FfmpegSupport.hasAlphaChannel(pixFmt)
                || (FfmpegSupport.isPalette(pixFmt) && exif.transparentPalette());
        return new ImageProperties(probe.bitDepth(), colorSpace(probe.pixelFormat(), exif), alpha,
                frameCount(file, probe));
    }

    /**
     * The colour space, from the ICC profile when there is one: well-known profile descriptions
     * are named ("sRGB IEC61966-2.1" is "sRGB", Apple's "Display P3" is "Display P3"), other
     * RGB profiles keep their own description (at most 64 characters), CMYK and grey profiles
     * are "CMYK" and "gray". Without a profile: 4-component JPEGs are "CMYK", grey pixel formats
     * ("gray*", "ya*", "monow", "monob") are "gray", and everything else is "sRGB", the colour
     * space that untagged images are assumed to be in on the web (and by our renditions).
     */
    static String colorSpace(String pixelFormat, ExifInfo exif) {
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
        if (exif.jpegComponents() != null && exif.jpegComponents() == 4) {
            return "CMYK";
        }
        if (pixelFormat != null && (pixelFormat.startsWith("gray") || pixelFormat.startsWith("ya")
                || pixelFormat.startsWith("mono"))) {
            return "gray";
        }
        return "sRGB";
    }

    /** GIF, WebP and PNG (APNG): the structural parser's count; otherwise FFmpeg's. */
    private static Integer frameCount(Path file, ProbeResult probe) {
        try (FileByteSource source = new FileByteSource(file)) {
            byte[] head = new byte[(int) Math.min(Detector.HEAD_BYTES, source.size())];
            int n = source.read(0, head, 0, head.length);
            MediaFormat format = Detector.detect(head, Math.max(0, n));
            if (format == MediaFormat.GIF || format == MediaFormat.WEBP
                    || format == MediaFormat.PNG) {
                var parser = Parsers.forFormat(format);
                if (parser.isPresent()) {
                    StructureReport report = parser.get()
                            .parse(Cursor.over(source, format.name()), Limits.DEFAULTS);
                    if (report.frames() != null && report.frames() > 0
                            && report.frames() <= Integer.MAX_VALUE) {
                        return report.frames().intValue();
                    }
                }
            }
        } catch (IOException | MediaRejectedException | StorageException e) {
            LOG.warn("Cannot count the frames of {} structurally ({}); using FFmpeg's count {}",
                    file, e.getMessage(), probe.frameCount());
        }
        return probe.frameCount();
    }
}
