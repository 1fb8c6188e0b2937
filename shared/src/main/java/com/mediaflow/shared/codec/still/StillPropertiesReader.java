package com.mediaflow.shared.codec.still;

import com.mediaflow.shared.codec.ExifInfo;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.Parsers;
import com.mediaflow.shared.validation.PixelLayout;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The properties of a still image (size as displayed, bit depth, colour space, alpha, frame
 * count) from its headers alone: our structural parsers ({@link Parsers}, whose
 * {@link StructureReport} carries the {@link PixelLayout}) for JPEG, PNG, GIF, WebP, BMP and
 * TIFF, our HEIF item reader for HEIC and AVIF ({@link HeifStill}), and the ICC profile and EXIF
 * orientation that metadata-extractor read ({@link ExifInfo}). No pixel is decoded and FFmpeg is
 * not used.
 *
 * <p>Never throws for content: a still the thumbnail step can decode must not be refused here.
 * What cannot be read stays null and is explained by a {@link ReasonCode#PROPERTIES_INCOMPLETE}
 * warning.
 */
public final class StillPropertiesReader {

    private StillPropertiesReader() {
    }

    /**
     * @param exif what {@link com.mediaflow.shared.codec.ExifReader} read of the same file
     * @param limits the limits validation applied (so a file it accepted parses again)
     * @throws StorageException only when the file itself cannot be opened
     */
    public static StillProperties read(Path file, ExifInfo exif, Limits limits) {
        List<Reason> warnings = new ArrayList<>();
        try (FileByteSource source = new FileByteSource(file)) {
            MediaFormat format = detect(source);
            if (format == MediaFormat.HEIC || format == MediaFormat.AVIF) {
                return heif(file, exif, warnings);
            }
            return parsed(source, format, exif, limits, warnings);
        } catch (IOException e) {
            throw new StorageException("Cannot read the still " + file + " to describe it: "
                    + e.getMessage(), e);
        }
    }

    private static MediaFormat detect(FileByteSource source) throws IOException {
        byte[] head = new byte[(int) Math.min(Detector.HEAD_BYTES, source.size())];
        int n = source.read(0, head, 0, head.length);
        return Detector.detect(head, Math.max(0, n));
    }

    private static StillProperties heif(Path file, ExifInfo exif, List<Reason> warnings) {
        HeifStill.Facts facts;
        try {
            facts = HeifStill.read(file);
        } catch (CodecException e) {
            warnings.add(incomplete("size, bit depth and alpha unknown: " + e.getMessage()));
            return new StillProperties(null, null, null, null, ColourSpaces.name(null, exif), null,
                    1, warnings);
        }
        for (String problem : facts.problems()) {
            warnings.add(incomplete(problem));
        }
        return new StillProperties(facts.codec(), facts.width(), facts.height(), facts.bitDepth(),
                ColourSpaces.name(facts.colour(), exif), facts.alpha(), 1, warnings);
    }

    private static StillProperties parsed(FileByteSource source, MediaFormat format,
            ExifInfo exif, Limits limits, List<Reason> warnings) {
        Optional<FormatParser> parser = format.category() == MediaCategory.IMAGE
                ? Parsers.forFormat(format) : Optional.empty();
        if (parser.isEmpty()) {
            warnings.add(incomplete("the content is " + format + ", expected a still image format"
                    + " (JPEG, PNG, GIF, WebP, BMP, TIFF, HEIC, AVIF)"));
            return new StillProperties(null, null, null, null, ColourSpaces.name(null, exif), null,
                    null, warnings);
        }
        StructureReport report;
        try {
            report = parser.get().parse(Cursor.over(source, format.name()), limits);
        } catch (MediaRejectedException | StorageException e) {
            warnings.add(incomplete("size, bit depth, alpha and frames unknown: " + format
                    + " headers unreadable: " + e.getMessage()));
            return new StillProperties(codec(format, null), null, null, null,
                    ColourSpaces.name(null, exif), null, null, warnings);
        }
        Integer width = report.width();
        Integer height = report.height();
        if (width == null || height == null) {
            warnings.add(incomplete(format + " headers give no picture size"));
        } else if (exif.orientation() >= 5 && exif.orientation() <= 8) {
            width = report.height(); // EXIF orientations 5-8 turn the picture a quarter
            height = report.width();
        }
        PixelLayout pixels = report.pixels();
        if (pixels == null) {
            warnings.add(incomplete(format + " headers do not say the bit depth, colour model"
                    + " and alpha"));
        }
        return new StillProperties(codec(format, report.frames()), width, height,
                pixels == null ? null : pixels.bitDepth(),
                ColourSpaces.name(pixels == null ? null : pixels.colour(), exif),
                pixels == null ? null : pixels.alpha(), frameCount(format, report), warnings);
    }

    /** Animations (GIF, WebP, APNG) as counted; every other still is one frame. */
    private static Integer frameCount(MediaFormat format, StructureReport report) {
        boolean animatable = format == MediaFormat.GIF || format == MediaFormat.WEBP
                || format == MediaFormat.PNG;
        if (!animatable) {
            return 1;
        }
        Long frames = report.frames();
        return frames == null || frames <= 0 || frames > Integer.MAX_VALUE ? null
                : Integer.valueOf(frames.intValue());
    }

    /** FFmpeg's decoder name for the format, as the metadata step reported it before. */
    private static String codec(MediaFormat format, Long frames) {
        return switch (format) {
            case JPEG -> "mjpeg";
            case PNG -> frames != null && frames > 1 ? "apng" : "png";
            case GIF -> "gif";
            case WEBP -> "webp";
            case BMP -> "bmp";
            case TIFF -> "tiff";
            default -> null;
        };
    }

    private static Reason incomplete(String what) {
        return Reason.warning(ReasonCode.PROPERTIES_INCOMPLETE, "metadata: " + what);
    }
}
