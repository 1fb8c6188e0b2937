package com.mediaflow.shared.codec;

import com.mediaflow.shared.error.ReasonCode;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.gif.GifControlDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads orientation, camera, capture and colour-profile facts from image metadata with
 * metadata-extractor (EXIF, ICC, PNG and GIF headers; nothing is hand-parsed).
 *
 * <p>Metadata is optional: this never throws for broken, missing or unreadable metadata. It
 * logs a warning and falls back to {@link ExifInfo#NONE} (or keeps what could be read). For
 * images only; the caller decides not to call it for video files.
 */
public final class ExifReader {

    private static final Logger LOG = LoggerFactory.getLogger(ExifReader.class);

    /** EXIF date-times are "yyyy:MM:dd HH:mm:ss" (ISO 8601 with colons in the date). */
    private static final DateTimeFormatter EXIF_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu:MM:dd HH:mm:ss");
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private ExifReader() {
    }

    public static ExifInfo read(Path file) {
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(file.toFile());
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            LOG.warn("No usable metadata in {}: expected readable image metadata, found {}: {}",
                    file, e.getClass().getSimpleName(), e.getMessage());
            return ExifInfo.NONE;
        }
        try {
            for (Directory dir : metadata.getDirectories()) {
                if (dir.hasErrors()) {
                    LOG.warn("Broken {} metadata in {} (kept what was readable): {}",
                            dir.getName(), file, dir.getErrors());
                    CodecWarnings.warn(ReasonCode.METADATA_DAMAGED, "broken " + dir.getName()
                            + " metadata, kept what was readable: " + dir.getErrors());
                }
            }
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            int orientation = orientation(ifd0, file);
            String make = text(ifd0, ExifDirectoryBase.TAG_MAKE);
            String model = text(ifd0, ExifDirectoryBase.TAG_MODEL);
            String captureTime = captureTime(metadata, ifd0, file);
            boolean gps = gpsPresent(metadata);
            IccDirectory icc = metadata.getFirstDirectoryOfType(IccDirectory.class);
            // the 'desc' tag is a textDescriptionType (or mluc) structure: let the library decode it
            String iccDescription = icc == null ? null
                    : clean(icc.getDescription(IccDirectory.TAG_TAG_desc));
            String iccColorSpace = text(icc, IccDirectory.TAG_COLOR_SPACE);
            JpegDirectory jpeg = metadata.getFirstDirectoryOfType(JpegDirectory.class);
            Integer components = jpeg == null ? null
                    : jpeg.getInteger(JpegDirectory.TAG_NUMBER_OF_COMPONENTS);
            return new ExifInfo(orientation, make, model, captureTime, gps, iccDescription,
                    iccColorSpace, components, transparentPalette(metadata));
        } catch (RuntimeException e) {
            LOG.warn("Cannot interpret the metadata of {}: {}: {}", file,
                    e.getClass().getSimpleName(), e.getMessage());
            CodecWarnings.warn(ReasonCode.METADATA_DAMAGED, "expected interpretable image metadata, found "
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "; none of it used");
            return ExifInfo.NONE;
        }
    }

    private static int orientation(ExifIFD0Directory ifd0, Path file) {
        Integer value = ifd0 == null ? null : ifd0.getInteger(ExifDirectoryBase.TAG_ORIENTATION);
        if (value == null) {
            return 1;
        }
        if (value < 1 || value > 8) {
            LOG.warn("EXIF orientation of {} is {}, expected 1-8; using 1 (upright)", file, value);
            CodecWarnings.warn(ReasonCode.METADATA_DAMAGED, "EXIF orientation is " + value
                    + ", expected 1-8; taken as 1 (upright)");
            return 1;
        }
        return value;
    }

    private static String text(Directory dir, int tag) {
        if (dir == null) {
            return null;
        }
        return clean(dir.getString(tag));
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        s = s.replace("\u0000", "").trim();
        return s.isEmpty() ? null : s;
    }

    /** DateTimeOriginal from the Exif sub-IFD, else IFD0's DateTime; ISO-8601 or null. */
    private static String captureTime(Metadata metadata, ExifIFD0Directory ifd0, Path file) {
        List<String> candidates = new ArrayList<>();
        for (ExifSubIFDDirectory sub : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
            candidates.add(text(sub, ExifDirectoryBase.TAG_DATETIME_ORIGINAL));
        }
        candidates.add(text(ifd0, ExifDirectoryBase.TAG_DATETIME));
        for (String raw : candidates) {
            if (raw == null) {
                continue;
            }
            String s = raw.length() > 19 ? raw.substring(0, 19) : raw;
            try {
                return LocalDateTime.parse(s, EXIF_DATE_TIME).format(ISO_SECONDS);
            } catch (DateTimeParseException e) {
                LOG.warn("EXIF date-time '{}' in {} is not yyyy:MM:dd HH:mm:ss; ignored", raw,
                        file);
                CodecWarnings.warn(ReasonCode.METADATA_DAMAGED, "EXIF date-time '" + raw
                        + "', expected yyyy:MM:dd HH:mm:ss; ignored");
            }
        }
        return null;
    }

    /** PNG palette with a {@code tRNS} chunk, or a GIF frame with a transparent colour. */
    private static boolean transparentPalette(Metadata metadata) {
        for (PngDirectory png : metadata.getDirectoriesOfType(PngDirectory.class)) {
            if (Boolean.TRUE.equals(png.getBooleanObject(PngDirectory.TAG_PALETTE_HAS_TRANSPARENCY))) {
                return true;
            }
        }
        for (GifControlDirectory gif : metadata.getDirectoriesOfType(GifControlDirectory.class)) {
            if (gif.isTransparent()) {
                return true;
            }
        }
        return false;
    }

    private static boolean gpsPresent(Metadata metadata) {
        for (GpsDirectory gps : metadata.getDirectoriesOfType(GpsDirectory.class)) {
            GeoLocation location = gps.getGeoLocation();
            if (location != null && !location.isZero()) {
                return true;
            }
        }
        return false;
    }
}
