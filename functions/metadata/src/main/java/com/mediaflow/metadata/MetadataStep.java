package com.mediaflow.metadata;

import com.mediaflow.shared.codec.ExifInfo;
import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.document.PackageInfo;
import com.mediaflow.shared.codec.document.TextInfo;
import com.mediaflow.shared.codec.document.PdfInfo;
import com.mediaflow.shared.codec.document.PdfLimits;
import com.mediaflow.shared.codec.still.StillProperties;
import com.mediaflow.shared.codec.still.StillPropertiesReader;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.validation.Limits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an item is, without decoding it.
 *
 * <p>Images: size as displayed, codec, bit depth, colour space (ICC profile, else the colour
 * model), alpha and frame count from our own parsers ({@link StillPropertiesReader}: the
 * structural parsers, and the HEIF item reader whose {@code clap}/{@code irot} are authoritative),
 * never from FFmpeg; EXIF orientation, camera make and model and capture time from EXIF
 * ({@link ExifReader}). A property that cannot be read is left out with a
 * {@code PROPERTIES_INCOMPLETE} warning: a still is never refused here. The coordinates of a GPS
 * fix are never stored, only that one was present. The perceptual hash comes from the thumbnail
 * step, which decodes the picture anyway.
 *
 * <p>Videos and audio: dimensions (after rotation), duration, codecs, frame rate, channels and
 * sample rate from FFmpeg's probe ({@link MediaProbe}).
 *
 * <p>Office, ODF and EPUB packages: page, slide or sheet count, title and author
 * ({@link PackageInfo}), read again through the bounded ZIP reader; text: encoding, line count and
 * excerpt ({@link TextInfo}). As for stills, what cannot be read is a {@code PROPERTIES_INCOMPLETE}
 * warning.
 *
 * <p>PDFs: page count, title, author, encryption, the first page's size in points and whether the
 * first pages have text, from PDFBox ({@link PdfInfo}), within the PDF limits; a limit passed or an
 * unreadable part is a warning, never a refusal.
 */
public final class MetadataStep implements MediaStep {
    private final Limits limits;
    private final PdfLimits pdfLimits;

    public MetadataStep(Config config) {
        this.limits = config.limits();
        this.pdfLimits = config.pdfLimits();
    }

    @Override
    public String name() {
        return "metadata";
    }

    @Override
    public Output process(StepMessage message, Path original) {
        MediaCategory category = message.category();
        Map<String, Object> meta = new TreeMap<>();
        meta.put("mimeType", message.type().mimeType());
        return switch (category) {
            case DOCUMENT -> document(message.type(), original, meta);
            case IMAGE -> still(original, meta);
            default -> probed(original, meta);
        };
    }

    /** PDFs: {@link PdfInfo}; packages: {@link PackageInfo}; text: {@link TextInfo}. */
    private Output document(MediaFormat format, Path original, Map<String, Object> meta) {
        if (format == MediaFormat.PDF) {
            PdfInfo info = PdfInfo.read(original, original.toAbsolutePath().getParent(), pdfLimits);
            meta.putAll(info.toMetadata());
            return new Output(List.of(), meta, info.warnings());
        }
        if (format == MediaFormat.TEXT) {
            meta.putAll(TextInfo.read(original));
            return new Output(List.of(), meta);
        }
        if (format.isPackage()) {
            PackageInfo.Result info = PackageInfo.read(original, format, limits);
            meta.putAll(info.metadata());
            return new Output(List.of(), meta, info.warnings());
        }
        return new Output(List.of(), meta);
    }

    private Output still(Path original, Map<String, Object> meta) {
        ExifInfo exif = ExifReader.read(original);
        StillProperties props = StillPropertiesReader.read(original, exif, limits);
        meta.putAll(props.toMetadata());
        meta.put("orientation", exif.orientation());
        putIfPresent(meta, "cameraMake", exif.make());
        putIfPresent(meta, "cameraModel", exif.model());
        putIfPresent(meta, "captureTime", exif.captureTime());
        meta.put("gpsPresent", exif.gpsPresent());
        return new Output(List.of(), meta, props.warnings());
    }

    private static Output probed(Path original, Map<String, Object> meta) {
        var probe = MediaProbe.probe(original);
        putIfPresent(meta, "width", probe.displayWidth());
        putIfPresent(meta, "height", probe.displayHeight());
        putIfPresent(meta, "container", probe.format());
        putIfPresent(meta, "durationSeconds", probe.durationSeconds());
        putIfPresent(meta, "videoCodec", probe.videoCodec());
        putIfPresent(meta, "audioCodec", probe.audioCodec());
        putIfPresent(meta, "frameRate", probe.frameRate());
        putIfPresent(meta, "rotation", probe.rotation());
        putIfPresent(meta, "audioChannels", probe.audioChannels());
        putIfPresent(meta, "sampleRate", probe.sampleRate());
        return new Output(List.of(), meta);
    }

    private static void putIfPresent(Map<String, Object> meta, String key, Object value) {
        if (value != null) {
            meta.put(key, value);
        }
    }
}
