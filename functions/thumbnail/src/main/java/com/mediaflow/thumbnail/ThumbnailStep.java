package com.mediaflow.thumbnail;

import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.codec.Thumbnailer;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Thumbnails for images (EXIF orientation applied) and a poster frame plus thumbnails for video. */
public final class ThumbnailStep implements MediaStep {
    private final Thumbnailer thumbnailer;
    private final List<Integer> sizes;
    private final int posterMaxSide;

    public ThumbnailStep(Config config) {
        this.thumbnailer = new Thumbnailer(config.jpegQuality());
        this.sizes = config.thumbnailSizes();
        this.posterMaxSide = config.posterMaxSide();
    }

    @Override
    public String name() {
        return "thumbnail";
    }

    @Override
    public Output process(StepMessage message, Path original) {
        MediaCategory category = MediaCategory.fromId(message.category());
        List<Rendition> renditions = switch (category) {
            case IMAGE -> thumbnailer.imageThumbnails(original, ExifReader.read(original).orientation(), sizes);
            case VIDEO -> thumbnailer.videoPoster(original, posterMaxSide, sizes);
            default -> List.of();
        };
        return new Output(renditions, Map.of());
    }
}
