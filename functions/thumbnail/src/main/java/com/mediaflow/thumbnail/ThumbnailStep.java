package com.mediaflow.thumbnail;

import com.mediaflow.shared.codec.EarlyRenditions;
import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.ImageRenditions;
import com.mediaflow.shared.codec.RenditionPlan;
import com.mediaflow.shared.codec.Thumbnailer;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The renditions of an image (EXIF orientation applied) or of a video's poster frame, from one
 * decode: square and fitted thumbnails, the display JPEG and WebP, and the placeholder, whose
 * BlurHash and tiny JPEG also go into the manifest's metadata as {@code placeholder}. For images,
 * the same decode also gives the 64-bit perceptual hash of the upright picture
 * ({@link com.mediaflow.shared.codec.PerceptualHash}), as {@code perceptualHash}. Renditions
 * are re-encoded pictures only: no EXIF, XMP or GPS reaches them.
 *
 * <p>HEIC/HEIF (and AVIF) are decoded by {@link com.mediaflow.shared.codec.HeifDecoder}, not by
 * FFmpeg's HEIF demuxer: the primary item's grid is reassembled and its {@code clap}, {@code irot}
 * and {@code imir} applied. Those transforms are authoritative, so {@link Thumbnailer} ignores the
 * EXIF orientation passed for such files (a HEIC's Exif item repeats them).
 */
public final class ThumbnailStep implements MediaStep {
    private final Thumbnailer thumbnailer;
    private final RenditionPlan plan;
    private final int posterMaxSide;

    public ThumbnailStep(Config config) {
        this.thumbnailer = new Thumbnailer(config.jpegQuality());
        this.plan = new RenditionPlan(config.thumbnailSizes(), config.squareThumbnailSize(),
                config.displayMaxSide(), config.webpQuality(), config.placeholderMaxBytes(),
                config.webpEffort());
        this.posterMaxSide = config.posterMaxSide();
    }

    @Override
    public String name() {
        return "thumbnail";
    }

    @Override
    public Output process(StepMessage message, Path original) {
        return process(message, original, EarlyRenditions.NONE);
    }

    /** The square and smallest thumbnails and the placeholder go to {@code early} first. */
    @Override
    public Output process(StepMessage message, Path original, EarlyRenditions early) {
        MediaCategory category = message.category();
        ImageRenditions made = switch (category) {
            case IMAGE -> thumbnailer.imageRenditions(original,
                    ExifReader.read(original).orientation(), plan, early);
            case VIDEO -> thumbnailer.videoRenditions(original, posterMaxSide, plan, early);
            default -> new ImageRenditions(List.of(), null);
        };
        Map<String, Object> metadata = new TreeMap<>();
        if (made.placeholder() != null) {
            metadata.put("placeholder", made.placeholder().toMetadata());
        }
        if (made.perceptualHash() != null) {
            metadata.put("perceptualHash", made.perceptualHash());
        }
        return new Output(made.renditions(), metadata);
    }
}
