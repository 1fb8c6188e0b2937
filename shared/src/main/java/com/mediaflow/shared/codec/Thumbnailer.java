package com.mediaflow.shared.codec;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.metrics.StepMetrics;

/**
 * Makes the renditions of images and of video poster frames with FFmpeg (through JavaCV): fitted
 * and square JPEG thumbnails, a display image as JPEG and WebP, and a tiny placeholder (JPEG and
 * BlurHash), all from one decode.
 *
 * <p>Pipeline, one decode per call:
 * <ol>
 *   <li>Ordinary JPEGs (8-bit YCbCr or grey): libjpeg-turbo ({@link TurboJpeg}) decodes them
 *       to planar GBRP (the planes FFmpeg's scalers work on) at the largest DCT reduction (1/2, 1/4, 1/8, like libvips'
 *       shrink-on-load) whose picture still covers the largest rendition. Everything else
 *       (CMYK, 12-bit, damaged JPEGs, other formats): packed RGBA with
 *       {@code FFmpegFrameGrabber}, JPEGs much larger than every rendition with the mjpeg
 *       decoder's {@code lowres}, keeping at least 1.5x the largest need.
 *   <li>Transparent sources only: flatten onto white ({@code color} + {@code overlay}) at decoded
 *       size, for the JPEGs. Opaque sources declare their RGBA buffer as RGB0 and skip this. The
 *       WebP of a transparent source is made from the RGBA picture and keeps its alpha.
 *   <li>Per rendition, largest first: centre {@code crop} for the square, {@code zscale} with
 *       Lanczos (never upscaling), then the EXIF orientation or display-matrix rotation
 *       ({@code transpose}, {@code hflip}, {@code vflip}), so the transform touches only
 *       rendition-sized pixels. Smaller renditions are cut from the previous, larger output.
 *   <li>Images with an embedded non-sRGB ICC profile (Display P3, Adobe RGB, ...): each
 *       output's pixels are converted to sRGB by {@link SrgbConverter}, at rendition size.
 *   <li>Encode in memory: mjpeg (yuvj420p, full range, fixed qscale) or libwebp (yuv420p, or
 *       yuva420p with alpha). Both write only the picture: no EXIF, XMP or ICC segment of the
 *       source survives, so no rendition carries GPS coordinates.
 * </ol>
 *
 * <p>Frames cross the JavaCV/FFmpeg boundary only in packed formats: JavaCV's frames, and the
 * single-threaded filter graphs ({@link StillGraph}) that take and give them, carry a single plane.
 *
 * <p>Thread-safe: instances hold only the quality; every call opens its own FFmpeg contexts.
 *
 * <p>The parts: a {@link StillDecoder} per kind of still ({@link StillDecoder#CHAIN}), the
 * {@link VideoPoster} for videos, and one {@link StillRenderer} for every rendition.
 */
public final class Thumbnailer {

    /** Mean luma (0-255, BT.601) below which a video frame counts as black. */
    static final double BLACK_LUMA = FrameScore.BLACK_LUMA;
    /** Frames of an animation decoded, at most, to choose its still from. */
    static final int ANIMATION_FRAMES = FfmpegStills.ANIMATION_FRAMES;
    /** Longest side of the placeholder JPEG (halved while it does not fit its budget). */
    static final int PLACEHOLDER_SIDE = 32;

    private final int jpegQuality;
    private final StillRenderer renderer;

    /**
     * @param jpegQuality 1-100 on libjpeg's scale (85 is a good default for thumbnails): libjpeg-turbo
     *     encodes the JPEGs at it ({@link TurboJpeg#encodeRgb24}); where libmediaflowjpeg is missing,
     *     FFmpeg's mjpeg encoder at the nearest fixed qscale ({@link FfmpegSupport#qscaleForQuality(int)})
     * @throws IllegalArgumentException outside 1-100
     */
    public Thumbnailer(int jpegQuality) {
        this.renderer = new StillRenderer(jpegQuality);
        this.jpegQuality = jpegQuality;
        FfmpegSupport.init();
    }

    public int jpegQuality() {
        return jpegQuality;
    }

    /**
     * Thumbnails of a still image (a representative frame of an animation), one per box, decoded once.
     *
     * @param exifOrientation EXIF Orientation 1-8; 0 or anything else means none
     * @param boxSizes longest side of each thumbnail in pixels; smaller images keep their size
     * @return one "thumbnail" rendition per box, named {@code thumb-<box>.jpg}, in box order
     * @throws CodecException when FFmpeg cannot open, decode, filter or encode the file
     */
    public List<Rendition> imageThumbnails(Path source, int exifOrientation,
            List<Integer> boxSizes) {
        return imageRenditions(source, exifOrientation, RenditionPlan.thumbnailsOnly(boxSizes)).renditions();
    }

    /**
     * Every rendition of a still image (a representative frame of an animation, see
     * {@link FrameScore}) from one decode: the square
     * thumbnail, the fitted thumbnails, the display JPEG and WebP, and the placeholder.
     *
     * @param exifOrientation EXIF Orientation 1-8; 0 or anything else means none. Ignored for
     *     HEIF/HEIC (and AVIF decoded by {@link HeifDecoder}), whose own transforms are applied
     * @return renditions in the order of {@link ImageRenditions#renditions()}, the placeholder
     *     (null when the plan asks for none), and the {@link PerceptualHash} of the upright
     *     picture, taken from the same decode (null when the plan asks for nothing, so nothing
     *     is decoded)
     * @throws CodecException when FFmpeg cannot open, decode, filter or encode the file
     */
    public ImageRenditions imageRenditions(Path source, int exifOrientation, RenditionPlan plan) {
        return imageRenditions(source, exifOrientation, plan, EarlyRenditions.NONE);
    }

    /**
     * As {@link #imageRenditions(Path, int, RenditionPlan)}, with the square and smallest
     * thumbnails and the placeholder made first, from the decoded picture, and handed to
     * {@code early} before the larger renditions are started.
     */
    public ImageRenditions imageRenditions(Path source, int exifOrientation, RenditionPlan plan,
            EarlyRenditions early) {
        List<Targets.Target> targets = Targets.of(null, plan);
        if (targets.isEmpty()) {
            return new ImageRenditions(List.of(), null);
        }
        String file = source.toAbsolutePath().toString();
        SrgbConverter toSrgb = SrgbConverter.forFile(source);
        long decodeStarted = System.nanoTime();
        for (StillDecoder decoder : StillDecoder.CHAIN) {
            Optional<StillDecoder.DecodedStill> decoded = decoder.decode(source, file, exifOrientation,
                    (w, h) -> Targets.largestNeed(targets, w, h));
            if (decoded.isPresent()) {
                StepMetrics.current().millis(StepMetrics.DECODE_DURATION, (System.nanoTime() - decodeStarted) / 1_000_000);
                try (StillDecoder.DecodedStill still = decoded.get()) {
                    ImageRenditions made = renderer.render(file, still.frame(), still.renderFormat(), still.upright(),
                            still.stored(), targets, toSrgb, true, early);
                    return made.perceptualHash() != null ? made : made.withPerceptualHash(
                            Filters.hashOf(still.frame(), still.pixelFormat(), still.upright(), file));
                }
            }
        }
        throw new IllegalStateException("the last StillDecoder takes every file, yet none took " + file);
    }

    /**
     * Every rendition of the plan from a picture already in memory, opaque, upright and sRGB (a
     * document's rendered page, {@link com.mediaflow.shared.codec.document.PdfPreview}): the same
     * {@link StillRenderer} as a photo's, from packed RGB24, with no decode and no perceptual hash.
     *
     * @param what names the picture in error messages, e.g. "page 1 of /tmp/x.pdf"
     * @throws CodecException when FFmpeg cannot filter or encode it
     */
    public ImageRenditions pictureRenditions(BufferedImage picture, String what, RenditionPlan plan) {
        List<Targets.Target> targets = Targets.of(null, plan);
        if (targets.isEmpty()) {
            return new ImageRenditions(List.of(), null);
        }
        int w = picture.getWidth();
        int h = picture.getHeight();
        try (Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            ByteBuffer pixels = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            int[] row = new int[w];
            int[] all = picture.getType() == BufferedImage.TYPE_INT_RGB
                    ? ((DataBufferInt) picture.getRaster().getDataBuffer()).getData() : null;
            for (int y = 0; y < h; y++) {
                int[] src = row;
                int offset = 0;
                if (all != null) {
                    src = all;
                    offset = y * w;
                } else {
                    picture.getRGB(0, y, w, 1, row, 0, w);
                }
                int at = y * stride;
                for (int x = 0; x < w; x++) {
                    int rgb = src[offset + x];
                    pixels.put(at++, (byte) (rgb >> 16));
                    pixels.put(at++, (byte) (rgb >> 8));
                    pixels.put(at++, (byte) rgb);
                }
            }
            return renderer.render(what, frame, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24, Transform.NONE,
                    new int[] {w, h}, targets, null, false, EarlyRenditions.NONE);
        }
    }

    /**
     * The upright picture (the representative frame of an animation) squeezed to
     * {@code side x side} pixels of BT.601 luma (0-255), transparent pixels composited onto
     * white, row by row: the input of a perceptual hash. Decoded along the thumbnail path: HEIC/AVIF through {@link HeifDecoder}
     * (its transforms applied, EXIF ignored), other formats with FFmpeg, large JPEGs with the
     * decoder's {@code lowres}; scaled with the area filter, then the orientation transform.
     *
     * @param exifOrientation EXIF Orientation 1-8; 0 or anything else means none
     * @throws CodecException when FFmpeg cannot open, decode or filter the file
     */
    static double[] uprightLuma(Path source, int exifOrientation, int side) {
        FfmpegSupport.init();
        String file = source.toAbsolutePath().toString();
        if (HeifStillDecoder.decodesAsHeif(source)) {
            try (Frame upright = HeifDecoder.decodePrimary(source)) {
                return Filters.lumaSquare(upright, Transform.NONE, side, file);
            }
        }
        if (AnimatedWebp.isAnimated(source)) {
            try (FfmpegStills.Picked picked = FfmpegStills.animatedWebpStill(source, file)) {
                return Filters.lumaSquare(picked.frame(), Transform.ofExif(exifOrientation), side, file);
            }
        }
        int lowres;
        try (FFmpegFrameGrabber grabber = FfmpegStills.openGrabber(file, 0)) {
            FfmpegStills.start(grabber, file, "an image");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot sample " + file + ": expected an image, found no "
                        + "picture stream (format " + grabber.getFormat() + ")");
            }
            lowres = FfmpegStills.lowresFor(grabber.getVideoCodec(), grabber.getImageWidth(),
                    grabber.getImageHeight(), side);
            if (lowres == 0) {
                try (FfmpegStills.Picked picked = FfmpegStills.representative(grabber, file)) {
                    return Filters.lumaSquare(picked.frame(), Transform.ofExif(exifOrientation), side,
                            file);
                }
            }
        } catch (FrameGrabber.Exception e) {
            throw FfmpegStills.decodeFailure(file, e);
        }
        try (FFmpegFrameGrabber grabber = FfmpegStills.openGrabber(file, lowres)) {
            FfmpegStills.start(grabber, file, "an image");
            try (FfmpegStills.Picked picked = FfmpegStills.representative(grabber, file)) {
                return Filters.lumaSquare(picked.frame(), Transform.ofExif(exifOrientation), side, file);
            }
        } catch (FrameGrabber.Exception e) {
            throw FfmpegStills.decodeFailure(file, e);
        }
    }

    /**
     * A poster frame of a video, upright according to its display matrix, plus thumbnails of it.
     * Five candidate frames spread over the duration (10%, 30%, 50%, 70%, 90%) are decoded and
     * the one with the best {@link FrameScore} wins: black, fade and uniform frames lose to any
     * other, and the least bad is taken when all are (an all-black video still has a poster).
     *
     * @param maxPosterSide longest side of the poster; smaller videos keep their size
     * @return the "poster" rendition ({@code poster.jpg}) followed by one "thumbnail" per box
     */
    public List<Rendition> videoPoster(Path source, int maxPosterSide, List<Integer> boxSizes) {
        return videoRenditions(source, maxPosterSide, RenditionPlan.thumbnailsOnly(boxSizes)).renditions();
    }

    /**
     * The poster frame of a video (chosen as in {@link #videoPoster}) and every rendition of the
     * plan made from it, from one decode of that frame.
     *
     * @param maxPosterSide longest side of the poster; smaller videos keep their size
     * @return {@code poster.jpg} first, then the plan's renditions, and the placeholder
     */
    public ImageRenditions videoRenditions(Path source, int maxPosterSide, RenditionPlan plan) {
        return videoRenditions(source, maxPosterSide, plan, EarlyRenditions.NONE);
    }

    /**
     * As {@link #videoRenditions(Path, int, RenditionPlan)}, with the square and smallest
     * thumbnails and the placeholder handed to {@code early} before the poster and the larger
     * renditions are made.
     */
    public ImageRenditions videoRenditions(Path source, int maxPosterSide, RenditionPlan plan,
            EarlyRenditions early) {
        if (maxPosterSide <= 0) {
            throw new IllegalArgumentException("Poster size must be positive, found "
                    + maxPosterSide);
        }
        List<Targets.Target> targets = Targets.of(maxPosterSide, plan);
        String file = source.toAbsolutePath().toString();
        try (FFmpegFrameGrabber grabber = FfmpegStills.openGrabber(file, 0)) {
            FfmpegStills.start(grabber, file, "a video");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot make a poster of " + file
                        + ": expected a video stream, found none (format " + grabber.getFormat()
                        + ", audio " + grabber.hasAudio() + ")");
            }
            Transform upright = Transform.ofRotation(
                    MediaProbe.clockwiseRotation(grabber.getDisplayRotation()));
            boolean alpha = FfmpegSupport.hasAlpha(FfmpegStills.nativePixelFormat(grabber));
            try (Frame best = VideoPoster.bestPosterFrame(grabber, file)) {
                return renderer.render(file, best, alpha, upright, FfmpegStills.storedSize(grabber, best), targets,
                        null, early);
            }
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot make a poster of " + file
                    + ": expected a video FFmpeg can decode, found: " + e.getMessage(), e);
        }
    }
}
