package com.mediaflow.thumbnail;

import com.mediaflow.shared.codec.EarlyRenditions;
import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.ImageRenditions;
import com.mediaflow.shared.codec.RenditionPlan;
import com.mediaflow.shared.codec.Thumbnailer;
import com.mediaflow.shared.codec.document.EmbeddedPreview;
import com.mediaflow.shared.codec.document.PdfPreview;
import com.mediaflow.shared.codec.document.PdfLimits;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.validation.Reason;
import java.io.IOException;
import java.nio.file.Files;
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
 *
 * <p>Office, ODF and EPUB documents: the preview image the package carries ({@link EmbeddedPreview})
 * is validated as an uploaded image would be, then made into the same renditions; metadata
 * {@code preview} says {@code embedded}, or {@code none} when there is none or it failed (a
 * {@code DOCUMENT_PREVIEW_INVALID} warning, never a quarantine of the document).
 *
 * <p>PDFs: the first page is rendered with PDFBox ({@link PdfPreview}) and goes through the same
 * image path; {@code preview} says {@code rendered}, or {@code none} with the warning that says why.
 */
public final class ThumbnailStep implements MediaStep {
    private final Thumbnailer thumbnailer;
    private final RenditionPlan plan;
    private final int posterMaxSide;
    private final EmbeddedPreview embedded;
    private final PdfLimits pdfLimits;
    /** The longer side of a PDF's rendered first page: the largest picture the plan makes. */
    private final int previewSide;

    public ThumbnailStep(Config config) {
        this.thumbnailer = new Thumbnailer(config.jpegQuality());
        this.plan = new RenditionPlan(config.thumbnailSizes(), config.squareThumbnailSize(),
                config.displayMaxSide(), config.webpQuality(), config.placeholderMaxBytes(),
                config.webpEffort());
        this.posterMaxSide = config.posterMaxSide();
        this.embedded = new EmbeddedPreview(config.limits().documents().zip(), config.limits());
        this.pdfLimits = config.pdfLimits();
        this.previewSide = Math.max(plan.displayMaxSide(), Math.max(plan.squareSize(),
                plan.thumbnailBoxes().stream().mapToInt(Integer::intValue).max().orElse(0)));
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
        if (category == MediaCategory.DOCUMENT) {
            return document(message.type(), original);
        }
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

    /** A package's embedded preview through the image path; {@code preview: none} for anything else. */
    private Output document(MediaFormat format, Path original) {
        if (format == MediaFormat.PDF) {
            return documentPreview(format, original);
        }
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("preview", "none");
        if (!format.isPackage()) {
            return new Output(List.of(), metadata);
        }
        EmbeddedPreview.Result found = embedded.extract(original, format, original.toAbsolutePath().getParent());
        if (found.image() == null) {
            return new Output(List.of(), metadata, found.warnings());
        }
        try {
            // not published early: a decode failure here is a warning, not a quarantine, so nothing
            // stored early would be withdrawn (StepRunner withdraws only on a CodecException it sees)
            ImageRenditions made = thumbnailer.imageRenditions(found.image(), ExifReader.read(found.image()).orientation(), plan);
            metadata.put("preview", "embedded");
            if (made.placeholder() != null) {
                metadata.put("placeholder", made.placeholder().toMetadata());
            }
            return new Output(made.renditions(), metadata);
        } catch (CodecException e) {
            return new Output(List.of(), metadata, List.of(Reason.warning(ReasonCode.DOCUMENT_PREVIEW_INVALID, "preview: '"
                    + found.part() + "' (" + found.format().mimeType() + ") passed validation but could not be decoded: "
                    + e.getMessage() + "; the document has no preview")));
        } finally {
            try {
                Files.deleteIfExists(found.image());
            } catch (IOException ignored) {
                // a scratch file in the step's folder, cleared after the message
            }
        }
    }

    /**
     * A PDF's first page, rendered by {@link PdfPreview} at the largest size the plan needs, then
     * through the image path from its pixels ({@link Thumbnailer#pictureRenditions}): the
     * renditions and placeholder of a photo.
     * {@code preview} says {@code rendered} or {@code none} (a limit passed, a password, or a
     * document type without a rendered preview), with the warning that says why.
     */
    private Output documentPreview(MediaFormat type, Path original) {
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("preview", "none");
        if (type != MediaFormat.PDF) {
            return new Output(List.of(), metadata);
        }
        PdfPreview.Rendered page = PdfPreview.firstPage(original, previewSide, original.toAbsolutePath().getParent(),
                pdfLimits);
        if (page.image() == null) {
            return new Output(List.of(), metadata, page.warnings());
        }
        ImageRenditions made = thumbnailer.pictureRenditions(page.image(), "page 1 of " + original, plan);
        metadata.put("preview", "rendered");
        if (made.placeholder() != null) {
            metadata.put("placeholder", made.placeholder().toMetadata());
        }
        return new Output(made.renditions(), metadata, page.warnings());
    }
}
