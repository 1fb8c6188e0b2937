package com.mediaflow.metadata;

import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.ImageProperties;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.PerceptualHash;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dimensions, duration, codecs and frame rate from FFmpeg's probe. For images also: bit depth,
 * colour space (ICC profile, else the pixel format), alpha and frame count
 * ({@link ImageProperties}); camera make and model and capture time from EXIF; and a 64-bit
 * perceptual hash of the upright picture ({@link PerceptualHash}). The coordinates of a GPS fix
 * are never stored, only that one was present.
 */
public final class MetadataStep implements MediaStep {
    public MetadataStep(Config config) {
        // nothing configurable yet; the constructor keeps the shape every step shares
    }

    @Override
    public String name() {
        return "metadata";
    }

    @Override
    public Output process(StepMessage message, Path original) {
        MediaCategory category = MediaCategory.fromId(message.category());
        Map<String, Object> meta = new TreeMap<>();
        meta.put("mimeType", message.type());
        if (category == MediaCategory.DOCUMENT) {
            return new Output(List.of(), meta);
        }
        var probe = MediaProbe.probe(original);
        boolean quarterTurn = probe.rotation() != null && (probe.rotation() == 90 || probe.rotation() == 270);
        if (probe.width() != null && probe.height() != null) {
            meta.put("width", quarterTurn ? probe.height() : probe.width());
            meta.put("height", quarterTurn ? probe.width() : probe.height());
        }
        if (category == MediaCategory.IMAGE) {
            putIfPresent(meta, "codec", probe.videoCodec());
        } else {
            putIfPresent(meta, "container", probe.format());
            putIfPresent(meta, "durationSeconds", probe.durationSeconds());
            putIfPresent(meta, "videoCodec", probe.videoCodec());
            putIfPresent(meta, "audioCodec", probe.audioCodec());
            putIfPresent(meta, "frameRate", probe.frameRate());
            putIfPresent(meta, "rotation", probe.rotation());
            putIfPresent(meta, "audioChannels", probe.audioChannels());
            putIfPresent(meta, "sampleRate", probe.sampleRate());
        }
        if (category == MediaCategory.IMAGE) {
            var exif = ExifReader.read(original);
            boolean turned = exif.orientation() >= 5 && exif.orientation() <= 8;
            if (turned && probe.width() != null && probe.height() != null) {
                meta.put("width", probe.height());
                meta.put("height", probe.width());
            }
            meta.put("orientation", exif.orientation());
            putIfPresent(meta, "cameraMake", exif.make());
            putIfPresent(meta, "cameraModel", exif.model());
            putIfPresent(meta, "captureTime", exif.captureTime());
            meta.put("gpsPresent", exif.gpsPresent());
            ImageProperties props = ImageProperties.describe(original, probe, exif);
            putIfPresent(meta, "bitDepth", props.bitDepth());
            meta.put("colorSpace", props.colorSpace());
            meta.put("hasAlpha", props.hasAlpha());
            putIfPresent(meta, "frameCount", props.frameCount());
            meta.put("perceptualHash", PerceptualHash.of(original, exif.orientation()));
        }
        return new Output(List.of(), meta);
    }

    private static void putIfPresent(Map<String, Object> meta, String key, Object value) {
        if (value != null) {
            meta.put(key, value);
        }
    }
}
