package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_0BGR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.validation.Limits;

/**
 * Makes the renditions of images and of video poster frames with FFmpeg (through JavaCV): fitted
 * and square JPEG thumbnails, a display image as JPEG and WebP, and a tiny placeholder (JPEG and
 * BlurHash), all from one decode.
 *
 * <p>Pipeline, one decode per call:
 * <ol>
 *   <li>Ordinary JPEGs (8-bit YCbCr or grey): libjpeg-turbo ({@link TurboJpeg}) decodes them
 *       to packed 0BGR at the largest DCT reduction (1/2, 1/4, 1/8, like libvips'
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
 * <p>Frames cross the JavaCV/FFmpeg boundary only in packed formats: JavaCV's filter push/pull
 * carry a single plane, so planar YUV through {@code FFmpegFrameFilter} is corrupted.
 *
 * <p>Thread-safe: instances hold only the quality; every call opens its own FFmpeg contexts.
 */
public final class Thumbnailer {

    private static final Logger LOG = LoggerFactory.getLogger(Thumbnailer.class);

    /** Mean luma (0-255, BT.601) below which a video frame counts as black. */
    static final double BLACK_LUMA = FrameScore.BLACK_LUMA;
    /** Frames of an animation decoded, at most, to choose its still from. */
    static final int ANIMATION_FRAMES = 8;
    /** FFmpeg input formats whose files can hold an animation FFmpeg decodes. */
    private static final Set<String> ANIMATED_FORMATS = Set.of("gif", "apng");
    /** Packed formats whose bytes start R, G, B: used as they are when no filter is needed. */
    private static final Set<Integer> RGB_ORDER = Set.of(AV_PIX_FMT_RGB0, AV_PIX_FMT_RGBA,
            AV_PIX_FMT_RGB24);
    /** Poster candidates spread over a video's duration. */
    static final int POSTER_CANDIDATES = 5;

    /** JPEG files above this size are left to FFmpeg, which streams them instead of holding them. */
    static final long TURBO_JPEG_MAX_BYTES = 64L * 1024 * 1024;

    /** Longest side of the placeholder JPEG (halved while it does not fit its budget). */
    static final int PLACEHOLDER_SIDE = 32;
    private static final int MIN_PLACEHOLDER_SIDE = 8;
    private static final int PLACEHOLDER_QUALITY_STEP = 10;
    static final int BLURHASH_X = 4;
    static final int BLURHASH_Y = 3;
    private static final String WEBP_ENCODER = "libwebp";

    private final int jpegQuality;
    private final int qscale;

    /**
     * @param jpegQuality 1-100 on libjpeg's scale (85 is a good default for thumbnails), mapped
     *     to the mjpeg encoder's fixed qscale so the quantisation roughly matches libjpeg's at
     *     that quality (see {@link FfmpegSupport#qscaleForQuality(int)})
     * @throws IllegalArgumentException outside 1-100
     */
    public Thumbnailer(int jpegQuality) {
        this.qscale = FfmpegSupport.qscaleForQuality(jpegQuality);
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
        return imageRenditions(source, exifOrientation, plan(boxSizes)).renditions();
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
        List<Target> targets = targets(null, plan);
        if (targets.isEmpty()) {
            return new ImageRenditions(List.of(), null);
        }
        String file = source.toAbsolutePath().toString();
        if (decodesAsHeif(source)) {
            return heifRenditions(source, file, targets, SrgbConverter.forFile(source));
        }
        SrgbConverter toSrgb = SrgbConverter.forFile(source);
        if (AnimatedWebp.isAnimated(source)) {
            try (Picked picked = animatedWebpStill(source, file)) {
                Frame still = picked.frame();
                Transform upright = Transform.ofExif(exifOrientation);
                return render(file, still, !AnimatedWebp.isOpaque(still), upright,
                        new int[] {still.imageWidth, still.imageHeight}, targets, toSrgb)
                        .withPerceptualHash(hashOf(still, AV_PIX_FMT_RGBA, upright, file));
            }
        }
        ImageRenditions fast = turboJpegRenditions(source, file, exifOrientation, targets, toSrgb);
        if (fast != null) {
            return fast;
        }
        int lowres;
        try (FFmpegFrameGrabber grabber = openGrabber(file, 0)) {
            start(grabber, file, "an image");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot make thumbnails of " + file
                        + ": expected an image, found no picture stream (format "
                        + grabber.getFormat() + ")");
            }
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            lowres = lowresFor(grabber.getVideoCodec(), w, h, largestNeed(targets, w, h));
            if (lowres == 0) {
                return decodeAndRender(grabber, file, exifOrientation, targets, toSrgb);
            }
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e);
        }
        // Much larger than every box and a decoder that can scale while decoding (JPEG's DCT
        // scaling): reopen with lowres, which skips most of the IDCT and all of the full-size
        // colour conversion and scaling.
        try (FFmpegFrameGrabber grabber = openGrabber(file, lowres)) {
            start(grabber, file, "an image");
            return decodeAndRender(grabber, file, exifOrientation, targets, toSrgb);
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e);
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
        if (decodesAsHeif(source)) {
            try (Frame upright = HeifDecoder.decodePrimary(source)) {
                return lumaSquare(upright, Transform.NONE, side, file);
            }
        }
        if (AnimatedWebp.isAnimated(source)) {
            try (Picked picked = animatedWebpStill(source, file)) {
                return lumaSquare(picked.frame(), Transform.ofExif(exifOrientation), side, file);
            }
        }
        int lowres;
        try (FFmpegFrameGrabber grabber = openGrabber(file, 0)) {
            start(grabber, file, "an image");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot sample " + file + ": expected an image, found no "
                        + "picture stream (format " + grabber.getFormat() + ")");
            }
            lowres = lowresFor(grabber.getVideoCodec(), grabber.getImageWidth(),
                    grabber.getImageHeight(), side);
            if (lowres == 0) {
                try (Picked picked = representative(grabber, file)) {
                    return lumaSquare(picked.frame(), Transform.ofExif(exifOrientation), side,
                            file);
                }
            }
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e);
        }
        try (FFmpegFrameGrabber grabber = openGrabber(file, lowres)) {
            start(grabber, file, "an image");
            try (Picked picked = representative(grabber, file)) {
                return lumaSquare(picked.frame(), Transform.ofExif(exifOrientation), side, file);
            }
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e);
        }
    }

    /**
     * The picture a still is made from: the only frame of a still image, or for an animation
     * (GIF, APNG) the best {@link FrameScore} among its first {@value #ANIMATION_FRAMES} frames,
     * so a blank or one-colour opening frame does not become the thumbnail. Frames of an
     * animation depend on the previous ones, so they are decoded in order; the bound keeps the
     * cost at a few frames' decode.
     *
     * @throws CodecException when not even one frame decodes
     */
    private static Picked representative(FFmpegFrameGrabber grabber, String file)
            throws FrameGrabber.Exception {
        Frame first = grabber.grabImage();
        if (first == null || first.image == null) {
            throw new CodecException("Cannot make thumbnails of " + file
                    + ": expected at least one decodable picture, found none");
        }
        if (!ANIMATED_FORMATS.contains(grabber.getFormat())) {
            return new Picked(first, false);
        }
        return bestOf(first, grabber::grabImage, file);
    }

    /**
     * The still of an animated WebP, which FFmpeg cannot decode as an animation: the best
     * {@link FrameScore} among its first {@value #ANIMATION_FRAMES} frames, decoded and
     * composited by {@link AnimatedWebp} (transparent where no frame painted).
     *
     * @throws CodecException when the structure or the first frame cannot be decoded
     */
    private static Picked animatedWebpStill(Path source, String file) {
        Limits limits = Limits.DEFAULTS;
        try (AnimatedWebp webp = AnimatedWebp.open(source, limits.maxFrames(),
                limits.maxPixels())) {
            return bestOf(webp.next().image(),
                    () -> webp.hasNext() ? webp.next().image() : null, file);
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e); // only FFmpeg's grabber throws it, not AnimatedWebp
        }
    }

    /** The next decoded frame (owned by its decoder), or null at the end. */
    @FunctionalInterface
    private interface NextFrame {
        Frame next() throws FrameGrabber.Exception;
    }

    /**
     * The best {@link FrameScore} among {@code first} and the frames after it, at most
     * {@value #ANIMATION_FRAMES} in all; a frame that fails to decode ends the search.
     */
    private static Picked bestOf(Frame first, NextFrame next, String file)
            throws FrameGrabber.Exception {
        Frame best = first.clone();
        FrameScore bestScore = FrameScore.of(best, 4);
        int index = 0;
        for (int i = 1; i < ANIMATION_FRAMES; i++) {
            Frame frame;
            try {
                frame = next.next();
            } catch (FrameGrabber.Exception | CodecException e) {
                LOG.warn("Cannot decode frame {} of {} ({}); choosing among the first {}", i,
                        file, e.getMessage(), i);
                break;
            }
            if (frame == null || frame.image == null) {
                break;
            }
            FrameScore score = FrameScore.of(frame, 4);
            if (score.score() > bestScore.score()) {
                best.close();
                best = frame.clone();
                bestScore = score;
                index = i;
            }
        }
        LOG.debug("Still of animation {}: frame {} ({})", file, index, bestScore);
        return new Picked(best, true);
    }

    /** A decoded frame, and whether it is a copy that must be closed (else the grabber's). */
    private record Picked(Frame frame, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                frame.close();
            }
        }
    }

    /**
     * The {@link PerceptualHash} of a decoded picture, the way {@link PerceptualHash#of} makes it:
     * the frame (packed, in {@code pixelFormat}) area-scaled to 32x32 luma, then made upright.
     */
    private static String hashOf(Frame decoded, int pixelFormat, Transform upright, String file) {
        return PerceptualHash.toHex(PerceptualHash.hash(
                lumaSquare(decoded, pixelFormat, upright, PerceptualHash.SIDE, file)));
    }

    /** Area-scales a packed RGBA frame to a square, makes it upright, returns luma on white. */
    private static double[] lumaSquare(Frame rgba, Transform upright, int side, String file) {
        return lumaSquare(rgba, AV_PIX_FMT_RGBA, upright, side, file);
    }

    /**
     * As {@link #lumaSquare(Frame, Transform, int, String)} for a packed frame in
     * {@code pixelFormat} (RGBA, or an opaque format with a padding byte: RGB0, 0BGR).
     */
    private static double[] lumaSquare(Frame rgba, int pixelFormat, Transform upright, int side,
            String file) {
        List<FFmpegFrameFilter> filters = new ArrayList<>();
        try {
            String graph = "scale=w=" + side + ":h=" + side + ":flags=area+accurate_rnd"
                    + (upright.filter() == null ? "" : "," + upright.filter()) + ",format=rgba";
            Frame small = runFilter(filters, graph, rgba, pixelFormat, file);
            ByteBuffer buf = (ByteBuffer) small.image[0];
            double[] luma = new double[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int o = y * small.imageStride + x * 4;
                    double a = (buf.get(o + 3) & 0xff) / 255.0;
                    double l = 0.299 * (buf.get(o) & 0xff) + 0.587 * (buf.get(o + 1) & 0xff)
                            + 0.114 * (buf.get(o + 2) & 0xff);
                    luma[y * side + x] = a * l + (1 - a) * 255.0;
                }
            }
            return luma;
        } catch (FrameFilter.Exception e) {
            throw new CodecException("Cannot scale " + file + " (" + rgba.imageWidth + "x"
                    + rgba.imageHeight + ") to " + side + "x" + side + ": expected FFmpeg's filter"
                    + " graph to run, found: " + e.getMessage(), e);
        } finally {
            closeAll(filters, file);
        }
    }

    /**
     * HEIC always, and AVIF when FFmpeg has a software AV1 decoder: FFmpeg's HEIF demuxer returns
     * one tile or an auxiliary picture of phone HEICs, so {@link HeifDecoder} assembles the
     * primary image itself.
     */
    static boolean decodesAsHeif(Path source) {
        return HeifDecoder.isHeif(source)
                && (!HeifDecoder.isAvif(source) || HeifDecoder.canDecodeAv1());
    }

    /**
     * Renditions of a HEIF primary image. Its {@code clap}/{@code irot}/{@code imir} are already
     * applied by the decoder and are authoritative: the EXIF orientation in a HEIC's Exif item
     * repeats them, so it is not applied again.
     */
    private ImageRenditions heifRenditions(Path source, String file, List<Target> targets,
            SrgbConverter toSrgb) {
        try (Frame upright = HeifDecoder.decodePrimary(source)) {
            return render(file, upright, false, Transform.NONE,
                    new int[] {upright.imageWidth, upright.imageHeight}, targets, toSrgb)
                    .withPerceptualHash(hashOf(upright, AV_PIX_FMT_RGBA, Transform.NONE, file));
        }
    }

    /**
     * Renditions of an ordinary JPEG (YCbCr or grey, 8-bit) decoded by libjpeg-turbo at the
     * largest DCT reduction that still covers the largest rendition ({@link TurboJpeg}); null
     * for any other file, or when libjpeg-turbo refuses or warns about the data, so that FFmpeg
     * decodes it instead.
     */
    private ImageRenditions turboJpegRenditions(Path source, String file, int exifOrientation,
            List<Target> targets, SrgbConverter toSrgb) {
        if (!TurboJpeg.available()) {
            return null;
        }
        try (BytePointer jpeg = TurboJpeg.read(source, TURBO_JPEG_MAX_BYTES)) {
            if (jpeg == null) {
                return null;
            }
            TurboJpeg.Header header = TurboJpeg.header(jpeg);
            if (header == null) {
                return null;
            }
            int w = header.width();
            int h = header.height();
            int reduction = TurboJpeg.reductionFor(w, h, largestNeed(targets, w, h));
            try (TurboJpeg.Decoded decoded = TurboJpeg.decode(jpeg, reduction,
                    header.components())) {
                if (decoded == null) {
                    LOG.debug("libjpeg-turbo refused {}; decoding it with FFmpeg", file);
                    return null;
                }
                LOG.debug("{}: {}x{} decoded at 1/{} by libjpeg-turbo", file, w, h, reduction);
                Transform upright = Transform.ofExif(exifOrientation);
                return render(file, decoded.frame(), AV_PIX_FMT_0BGR, upright,
                        new int[] {w, h}, targets, toSrgb)
                        .withPerceptualHash(hashOf(decoded.frame(), AV_PIX_FMT_0BGR, upright,
                                file));
            }
        }
    }

    private ImageRenditions decodeAndRender(FFmpegFrameGrabber grabber, String file,
            int exifOrientation, List<Target> targets, SrgbConverter toSrgb)
            throws FrameGrabber.Exception {
        try (Picked picked = representative(grabber, file)) {
            Frame decoded = picked.frame();
            boolean alpha = FfmpegSupport.hasAlpha(nativePixelFormat(grabber));
            Transform upright = Transform.ofExif(exifOrientation);
            return render(file, decoded, alpha, upright, storedSize(grabber, decoded), targets,
                    toSrgb).withPerceptualHash(hashOf(decoded, AV_PIX_FMT_RGBA, upright, file));
        }
    }

    private static CodecException decodeFailure(String file, FrameGrabber.Exception e) {
        return new CodecException("Cannot make thumbnails of " + file
                + ": expected an image FFmpeg can decode, found: " + e.getMessage(), e);
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
        return videoRenditions(source, maxPosterSide, plan(boxSizes)).renditions();
    }

    /**
     * The poster frame of a video (chosen as in {@link #videoPoster}) and every rendition of the
     * plan made from it, from one decode of that frame.
     *
     * @param maxPosterSide longest side of the poster; smaller videos keep their size
     * @return {@code poster.jpg} first, then the plan's renditions, and the placeholder
     */
    public ImageRenditions videoRenditions(Path source, int maxPosterSide, RenditionPlan plan) {
        if (maxPosterSide <= 0) {
            throw new IllegalArgumentException("Poster size must be positive, found "
                    + maxPosterSide);
        }
        List<Target> targets = targets(maxPosterSide, plan);
        String file = source.toAbsolutePath().toString();
        try (FFmpegFrameGrabber grabber = openGrabber(file, 0)) {
            start(grabber, file, "a video");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot make a poster of " + file
                        + ": expected a video stream, found none (format " + grabber.getFormat()
                        + ", audio " + grabber.hasAudio() + ")");
            }
            Transform upright = Transform.ofRotation(
                    MediaProbe.clockwiseRotation(grabber.getDisplayRotation()));
            boolean alpha = FfmpegSupport.hasAlpha(nativePixelFormat(grabber));
            try (Frame best = bestPosterFrame(grabber, file)) {
                return render(file, best, alpha, upright, storedSize(grabber, best), targets,
                        null);
            }
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot make a poster of " + file
                    + ": expected a video FFmpeg can decode, found: " + e.getMessage(), e);
        }
    }

    // --- orientation ------------------------------------------------------------------------

    /**
     * FFmpeg filters that make an image stored with this EXIF orientation upright; null for 1
     * (and for 0 or out-of-range values, which mean "no transform").
     */
    static String orientationFilter(int exifOrientation) {
        return Transform.ofExif(exifOrientation).filter();
    }

    /** Filters that rotate a picture clockwise by 0/90/180/270 degrees (ffmpeg's autorotate). */
    static String rotationFilter(int clockwiseDegrees) {
        return Transform.ofRotation(clockwiseDegrees).filter();
    }

    /** A pixel transform as FFmpeg filters (null = identity) and whether it swaps the axes. */
    record Transform(String filter, boolean swapsAxes) {

        static final Transform NONE = new Transform(null, false);

        static Transform ofExif(int orientation) {
            return switch (orientation) {
                case 2 -> new Transform("hflip", false);                // mirrored horizontally
                case 3 -> new Transform("hflip,vflip", false);          // rotated 180
                case 4 -> new Transform("vflip", false);                // mirrored vertically
                case 5 -> new Transform("transpose=cclock_flip", true); // 0: matrix transpose
                case 6 -> new Transform("transpose=clock", true);       // 1: rotate 90 CW
                case 7 -> new Transform("transpose=clock_flip", true);  // 3: anti-transpose
                case 8 -> new Transform("transpose=cclock", true);      // 2: rotate 90 CCW
                default -> NONE;
            };
        }

        static Transform ofRotation(int clockwiseDegrees) {
            return switch (clockwiseDegrees) {
                case 90 -> new Transform("transpose=clock", true);
                case 180 -> new Transform("hflip,vflip", false);
                case 270 -> new Transform("transpose=cclock", true);
                default -> NONE;
            };
        }
    }

    /** Size of a {@code w x h} picture scaled to fit inside a square box, never enlarged. */
    static int[] fitInside(int w, int h, int box) {
        int longest = Math.max(w, h);
        if (longest <= box) {
            return new int[] {w, h};
        }
        double s = (double) box / longest;
        int tw = w >= h ? box : Math.max(1, (int) Math.round(w * s));
        int th = h > w ? box : Math.max(1, (int) Math.round(h * s));
        return new int[] {tw, th};
    }

    /**
     * The decoder's {@code lowres} (decode at 1/2^n size) to use: the largest n the decoder
     * supports (JPEG: 3) that still leaves 1.5 times the largest box, else 0. Like libvips'
     * shrink-on-load: the DCT does the coarse reduction, Lanczos the final one.
     */
    static int lowresFor(int codecId, int width, int height, int largestBox) {
        AVCodec decoder = avcodec_find_decoder(codecId);
        int max = decoder == null ? 0 : decoder.max_lowres();
        int longest = Math.max(width, height);
        int n = 0;
        while (n < max && (longest >> (n + 1)) * 2L >= 3L * largestBox) {
            n++;
        }
        return n;
    }

    // --- pipeline ---------------------------------------------------------------------------

    /** How a target is cut from the upright picture. */
    private enum Shape {
        /** the whole picture, longest side fitted inside the box */
        FIT,
        /** the largest centred square, scaled to the box */
        SQUARE
    }

    /** How a target is encoded. */
    private enum Encoding {
        JPEG,
        /** libwebp, alpha kept */
        WEBP,
        /** JPEG whose quality steps down until it fits the budget; also gives the BlurHash */
        PLACEHOLDER
    }

    /**
     * @param quality libwebp quality for WEBP; unused otherwise (JPEGs use the instance's)
     * @param maxBytes size budget for PLACEHOLDER; unused otherwise
     */
    private record Target(String kind, String name, int box, Shape shape, Encoding encoding,
            int quality, int maxBytes) {

        Target(String kind, String name, int box, Shape shape) {
            this(kind, name, box, shape, Encoding.JPEG, 0, 0);
        }

        /** Size of this target for an upright picture of {@code w x h}; never upscaled. */
        int[] size(int w, int h) {
            if (shape == Shape.SQUARE) {
                int side = Math.min(box, Math.min(w, h));
                return new int[] {side, side};
            }
            return fitInside(w, h, box);
        }

        /**
         * Longest side the whole picture must have for this target to be scaled (not enlarged)
         * from it: the box for a fitted target, more for a square cropped from a long picture.
         */
        long need(int w, int h) {
            int[] size = size(w, h);
            if (shape == Shape.SQUARE) {
                return (long) Math.ceil((double) size[0] * Math.max(w, h) / Math.min(w, h));
            }
            return Math.max(size[0], size[1]);
        }
    }

    /** Longest side of picture the targets need at most (for the decoder's lowres). */
    private static int largestNeed(List<Target> targets, int w, int h) {
        long need = 0;
        for (Target t : targets) {
            need = Math.max(need, w > 0 && h > 0 ? t.need(w, h) : t.box());
        }
        return (int) Math.min(Integer.MAX_VALUE, need);
    }

    /** @throws IllegalArgumentException naming the list when a box is not positive */
    private static RenditionPlan plan(List<Integer> boxSizes) {
        return RenditionPlan.thumbnailsOnly(boxSizes);
    }

    /** The plan's targets in rendition order, after the poster when there is one. */
    private static List<Target> targets(Integer posterSide, RenditionPlan plan) {
        List<Target> targets = new ArrayList<>();
        if (posterSide != null) {
            targets.add(new Target(Rendition.POSTER, "poster.jpg", posterSide, Shape.FIT));
        }
        if (plan.squareSize() > 0) {
            targets.add(new Target(Rendition.THUMBNAIL, "thumb-square-" + plan.squareSize()
                    + ".jpg", plan.squareSize(), Shape.SQUARE));
        }
        for (int box : plan.thumbnailBoxes()) {
            targets.add(new Target(Rendition.THUMBNAIL, "thumb-" + box + ".jpg", box, Shape.FIT));
        }
        if (plan.displayMaxSide() > 0) {
            targets.add(new Target(Rendition.DISPLAY, "display.jpg", plan.displayMaxSide(),
                    Shape.FIT));
            targets.add(new Target(Rendition.DISPLAY, "display.webp", plan.displayMaxSide(),
                    Shape.FIT, Encoding.WEBP, plan.webpQuality(), 0));
        }
        if (plan.placeholderMaxBytes() > 0) {
            targets.add(new Target(Rendition.PLACEHOLDER, "placeholder.jpg", PLACEHOLDER_SIDE,
                    Shape.FIT, Encoding.PLACEHOLDER, 0, plan.placeholderMaxBytes()));
        }
        return targets;
    }

    private static FFmpegFrameGrabber openGrabber(String file, int lowres) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file);
        grabber.setPixelFormat(AV_PIX_FMT_RGBA);
        // Untrusted files: never follow references (HLS, concat, ...) to other protocols, and do
        // not let image2 treat a '%' in the file name as a sequence pattern.
        grabber.setOption("protocol_whitelist", "file");
        grabber.setOption("pattern_type", "none");
        if (lowres > 0) {
            grabber.setVideoOption("lowres", Integer.toString(lowres));
        }
        return grabber;
    }

    private static void start(FFmpegFrameGrabber grabber, String file, String expected) {
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot open " + file + ": expected " + expected
                    + " FFmpeg can demux, found: " + e.getMessage(), e);
        }
    }

    private static AVCodecParameters videoParameters(FFmpegFrameGrabber grabber) {
        AVFormatContext fc = grabber.getFormatContext();
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            AVCodecParameters par = fc.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
                return par;
            }
        }
        return null;
    }

    /** The decoder's own pixel format of the first video stream, or AV_PIX_FMT_NONE. */
    private static int nativePixelFormat(FFmpegFrameGrabber grabber) {
        AVCodecParameters par = videoParameters(grabber);
        return par == null ? AV_PIX_FMT_NONE : par.format();
    }

    /** Full stored size (before lowres) from the stream, else the decoded frame's size. */
    private static int[] storedSize(FFmpegFrameGrabber grabber, Frame decoded) {
        AVCodecParameters par = videoParameters(grabber);
        if (par != null && par.width() >= decoded.imageWidth
                && par.height() >= decoded.imageHeight) {
            return new int[] {par.width(), par.height()};
        }
        return new int[] {decoded.imageWidth, decoded.imageHeight};
    }

    /**
     * {@value #POSTER_CANDIDATES} instants spread evenly over the duration, the first at 10%
     * (openings are often black or a fade), each in the middle of its fifth; just the start
     * when the duration is unknown.
     */
    static long[] posterCandidates(long durationUs) {
        if (durationUs <= 0) {
            return new long[] {0};
        }
        long[] ts = new long[POSTER_CANDIDATES];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = (long) (durationUs * (i + 0.5) / POSTER_CANDIDATES);
        }
        return ts;
    }

    /**
     * The candidate frame with the best {@link FrameScore} (a copy the caller closes). When no
     * candidate decodes (a video shorter than its declared duration, a broken index), the first
     * frame from the start.
     *
     * @throws CodecException when not a single frame decodes
     */
    private static Frame bestPosterFrame(FFmpegFrameGrabber grabber, String file) {
        Frame best = null;
        FrameScore bestScore = null;
        for (long ts : posterCandidates(grabber.getLengthInTime())) {
            Frame frame = grabAt(grabber, ts, file);
            if (frame == null) {
                continue;
            }
            FrameScore score = FrameScore.of(frame, 4);
            LOG.debug("Poster candidate at {} us of {}: {}", ts, file, score);
            if (bestScore == null || score.score() > bestScore.score()) {
                if (best != null) {
                    best.close();
                }
                best = frame.clone();
                bestScore = score;
            }
        }
        if (best == null) {
            Frame first = grabAt(grabber, 0, file);
            if (first == null) {
                throw new CodecException("Cannot make a poster of " + file
                        + ": expected at least one decodable video frame, found none");
            }
            return first.clone();
        }
        return best;
    }

    /** Seeks (frame-accurately) and decodes; null when nothing decodes there. */
    private static Frame grabAt(FFmpegFrameGrabber grabber, long ts, String file) {
        try {
            if (ts > 0 || grabber.getTimestamp() > 0) {
                grabber.setTimestamp(ts);
            }
            Frame frame = grabber.grabImage();
            return frame == null || frame.image == null ? null : frame;
        } catch (FrameGrabber.Exception e) {
            LOG.warn("Cannot decode a frame at {} us of {}: {}", ts, file, e.getMessage());
            return null;
        }
    }

    /**
     * Renders every target from one decoded packed-RGBA frame.
     *
     * <ol>
     *   <li>Transparent sources are flattened onto white once, at decoded size (flattening after
     *       scaling would let the colour of invisible pixels bleed into the edges). Every JPEG is
     *       made from that flattened picture; only the WebP is made from the decoded RGBA, so it
     *       keeps the alpha channel.
     *   <li>Targets go from the one that needs the largest picture to the one that needs the
     *       smallest. Each is scaled from the smallest earlier fitted output that is still at
     *       least as large (already upright; a square is cropped from its centre), else from the
     *       decoded frame, in which case cropping and scaling happen before the orientation
     *       transform so that transform only ever touches rendition-sized pixels.
     *   <li>The placeholder's pixels also give the BlurHash.
     * </ol>
     *
     * @param stored full stored size {w, h} (the decoded frame may be smaller with lowres)
     * @param toSrgb converts each output's pixels from the embedded ICC profile to sRGB just
     *     before encoding (the chain of smaller outputs keeps the source's values); null for none
     */
    private ImageRenditions render(String file, Frame decoded, boolean alpha, Transform upright,
            int[] stored, List<Target> targets, SrgbConverter toSrgb) {
        return render(file, decoded, alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB0, upright, stored,
                targets, toSrgb);
    }

    /**
     * As {@link #render(String, Frame, boolean, Transform, int[], List, SrgbConverter)}, for a
     * frame in {@code decodedFormat}: RGBA (transparent), or an opaque packed format with a
     * padding byte (RGB0, or 0BGR as libjpeg-turbo's pixels come out of Leptonica).
     */
    private ImageRenditions render(String file, Frame decoded, int decodedFormat,
            Transform upright, int[] stored, List<Target> targets, SrgbConverter toSrgb) {
        boolean alpha = decodedFormat == AV_PIX_FMT_RGBA;
        int uprightW = upright.swapsAxes() ? stored[1] : stored[0];
        int uprightH = upright.swapsAxes() ? stored[0] : stored[1];
        List<FFmpegFrameFilter> filters = new ArrayList<>();
        List<Frame> converted = new ArrayList<>();
        Rendition[] out = new Rendition[targets.size()];
        Placeholder placeholder = null;
        try {
            Frame base = decoded;
            int baseFormat = decodedFormat;
            if (alpha) {
                base = runFilter(filters, flattenGraph(decoded.imageWidth, decoded.imageHeight),
                        decoded, baseFormat, file);
                baseFormat = AV_PIX_FMT_RGB24;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingLong(
                    (Integer i) -> targets.get(i).need(uprightW, uprightH)).reversed());

            Frame previous = null; // smallest upright RGB24 fitted output so far
            for (int i : order) {
                Target t = targets.get(i);
                int[] size = t.size(uprightW, uprightH);
                Frame result;
                int resultFormat;
                if (t.encoding() == Encoding.WEBP && alpha) {
                    result = fromSource(filters, t, decoded, AV_PIX_FMT_RGBA, upright, size,
                            "rgba", file);
                    resultFormat = AV_PIX_FMT_RGBA;
                } else if (previous != null && fits(t, previous, size)) {
                    result = fromUpright(filters, t, previous, size, file);
                    resultFormat = AV_PIX_FMT_RGB24;
                } else {
                    result = fromSource(filters, t, base, baseFormat, upright, size, "rgb24",
                            file);
                    resultFormat = result == base ? baseFormat : AV_PIX_FMT_RGB24;
                }
                if (!sameSize(result, size)) {
                    throw new CodecException("Cannot render " + t.name() + " of " + file
                            + ": expected " + size[0] + "x" + size[1] + ", found "
                            + result.imageWidth + "x" + result.imageHeight);
                }
                Frame pixels = result;
                if (toSrgb != null) {
                    pixels = toSrgb.convert(result, resultFormat == AV_PIX_FMT_RGB24 ? 3 : 4);
                    converted.add(pixels);
                }
                switch (t.encoding()) {
                    case JPEG -> out[i] = new Rendition(t.kind(), t.name(), "image/jpeg",
                            FfmpegSupport.encodeStill(pixels, resultFormat, AV_CODEC_ID_MJPEG,
                                    AV_PIX_FMT_YUVJ420P, qscale, Path.of(file)),
                            size[0], size[1]);
                    case WEBP -> out[i] = new Rendition(t.kind(), t.name(), "image/webp",
                            FfmpegSupport.encodeStill(pixels, resultFormat, WEBP_ENCODER,
                                    alpha ? AV_PIX_FMT_YUVA420P : AV_PIX_FMT_YUV420P,
                                    t.quality(), Path.of(file)),
                            size[0], size[1]);
                    case PLACEHOLDER -> {
                        placeholder = placeholder(filters, t, pixels, resultFormat, file);
                        out[i] = new Rendition(t.kind(), t.name(), "image/jpeg",
                                placeholder.jpeg(), placeholder.width(), placeholder.height());
                    }
                    default -> throw new IllegalStateException("encoding " + t.encoding());
                }
                if (t.shape() == Shape.FIT && resultFormat == AV_PIX_FMT_RGB24
                        && (t.encoding() != Encoding.WEBP || !alpha)) {
                    previous = result;
                }
            }
            return new ImageRenditions(List.of(out), placeholder);
        } catch (FrameFilter.Exception e) {
            throw new CodecException("Cannot filter " + file + " (" + decoded.imageWidth + "x"
                    + decoded.imageHeight + "): expected FFmpeg's filter graph to run, found: "
                    + e.getMessage(), e);
        } finally {
            converted.forEach(Frame::close);
            closeAll(filters, file);
        }
    }

    /** Whether target {@code t} of {@code size} can be cut and scaled from this upright output. */
    private static boolean fits(Target t, Frame upright, int[] size) {
        if (t.shape() == Shape.SQUARE) {
            return Math.min(upright.imageWidth, upright.imageHeight) >= size[0];
        }
        return upright.imageWidth >= size[0] && upright.imageHeight >= size[1];
    }

    /** Target from an earlier upright RGB24 output: centre crop for a square, then scale. */
    private static Frame fromUpright(List<FFmpegFrameFilter> filters, Target t, Frame upright,
            int[] size, String file) throws FrameFilter.Exception {
        List<String> graph = new ArrayList<>();
        int w = upright.imageWidth;
        int h = upright.imageHeight;
        if (t.shape() == Shape.SQUARE && w != h) {
            int side = Math.min(w, h);
            graph.add(cropGraph(w, h, side));
            w = side;
            h = side;
        }
        if (w != size[0] || h != size[1]) {
            graph.add(scaleGraph(size[0], size[1]));
        }
        if (graph.isEmpty()) {
            return upright;
        }
        graph.add("format=rgb24");
        return runFilter(filters, String.join(",", graph), upright, AV_PIX_FMT_RGB24, file);
    }

    /**
     * Target from the decoded (or flattened) picture in its stored orientation: centre crop for
     * a square, scale, then the orientation transform, ending in {@code outFormat}. Returns
     * {@code source} itself when nothing is to be done and its bytes are in R, G, B order (what
     * the ICC conversion and the BlurHash read).
     */
    private static Frame fromSource(List<FFmpegFrameFilter> filters, Target t, Frame source,
            int sourceFormat, Transform upright, int[] size, String outFormat, String file)
            throws FrameFilter.Exception {
        int sw = upright.swapsAxes() ? size[1] : size[0];
        int sh = upright.swapsAxes() ? size[0] : size[1];
        int w = source.imageWidth;
        int h = source.imageHeight;
        List<String> graph = new ArrayList<>();
        if (t.shape() == Shape.SQUARE && w != h) {
            int side = Math.min(w, h);
            graph.add(cropGraph(w, h, side));
            w = side;
            h = side;
        }
        if (w != sw || h != sh) {
            graph.add(scaleGraph(sw, sh, outFormat));
        }
        if (upright.filter() != null) {
            graph.add(upright.filter());
        }
        if (graph.isEmpty() && RGB_ORDER.contains(sourceFormat)) {
            return source;
        }
        graph.add("format=" + outFormat);
        return runFilter(filters, String.join(",", graph), source, sourceFormat, file);
    }

    /**
     * The placeholder JPEG, at the plan's longest side, quality stepped down from the instance's
     * until it fits the budget, and halved in size when even the lowest quality does not; its
     * pixels, flattened onto white, give the BlurHash.
     */
    private Placeholder placeholder(List<FFmpegFrameFilter> filters, Target t, Frame frame,
            int format, String file) throws FrameFilter.Exception {
        String blurHash = BlurHash.encode(packedRgb(frame, format), frame.imageWidth,
                frame.imageHeight, BLURHASH_X, BLURHASH_Y);
        Frame current = frame;
        int currentFormat = format;
        byte[] smallest = null;
        while (true) {
            for (int quality = jpegQuality; quality > 0; quality -= PLACEHOLDER_QUALITY_STEP) {
                byte[] jpeg = FfmpegSupport.encodeStill(current, currentFormat,
                        AV_CODEC_ID_MJPEG, AV_PIX_FMT_YUVJ420P,
                        FfmpegSupport.qscaleForQuality(quality), Path.of(file));
                if (jpeg.length <= t.maxBytes()) {
                    return new Placeholder(blurHash, jpeg, current.imageWidth,
                            current.imageHeight);
                }
                smallest = jpeg;
            }
            int longest = Math.max(current.imageWidth, current.imageHeight);
            if (longest <= MIN_PLACEHOLDER_SIDE) {
                throw new CodecException("Cannot make a placeholder of " + file
                        + ": expected a JPEG of at most " + t.maxBytes() + " bytes, found "
                        + smallest.length + " bytes at " + current.imageWidth + "x"
                        + current.imageHeight + " and the lowest quality");
            }
            int[] half = fitInside(current.imageWidth, current.imageHeight, longest / 2);
            current = runFilter(filters, scaleGraph(half[0], half[1]), current, currentFormat,
                    file);
            currentFormat = AV_PIX_FMT_RGB24;
        }
    }

    /** Packed {@code 0xRRGGBB} pixels of an RGB24, RGB0 or RGBA frame (alpha ignored). */
    static int[] packedRgb(Frame frame, int pixelFormat) {
        int bytesPerPixel = pixelFormat == AV_PIX_FMT_RGB24 ? 3 : 4;
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * frame.imageStride;
            for (int x = 0; x < w; x++) {
                int o = row + x * bytesPerPixel;
                rgb[y * w + x] = (buf.get(o) & 0xff) << 16 | (buf.get(o + 1) & 0xff) << 8
                        | (buf.get(o + 2) & 0xff);
            }
        }
        return rgb;
    }

    private static boolean sameSize(Frame f, int[] size) {
        return f.imageWidth == size[0] && f.imageHeight == size[1];
    }

    private static String flattenGraph(int w, int h) {
        return "color=c=white:s=" + w + "x" + h + ",format=rgb24[mf_bg];"
                + "[mf_bg][in]overlay=format=auto:shortest=1,format=rgb24";
    }

    private static String scaleGraph(int w, int h) {
        return scaleGraph(w, h, "rgb24");
    }

    /**
     * Lanczos (3 lobes) with libzimg's {@code zscale}, on planar RGB: about twice as fast as
     * swscale's Lanczos on packed RGB, one thread.
     */
    private static String scaleGraph(int w, int h, String format) {
        String planar = format.equals("rgba") ? "gbrap" : "gbrp";
        return "format=" + planar + ",zscale=w=" + w + ":h=" + h + ":filter=lanczos:threads=1"
                + ",format=" + format;
    }

    /** The largest centred square of a {@code w x h} picture. */
    private static String cropGraph(int w, int h, int side) {
        return "crop=w=" + side + ":h=" + side + ":x=" + (w - side) / 2 + ":y=" + (h - side) / 2
                + ":exact=1";
    }

    /**
     * Pushes one packed frame through a new filter and returns its single output frame, which
     * stays valid until the filter (added to {@code filters}) is closed.
     */
    private static Frame runFilter(List<FFmpegFrameFilter> filters, String graph, Frame in,
            int pixelFormat, String file) throws FrameFilter.Exception {
        FFmpegFrameFilter filter = new FFmpegFrameFilter(graph, in.imageWidth, in.imageHeight);
        filters.add(filter);
        filter.setPixelFormat(pixelFormat);
        filter.start();
        filter.push(in, pixelFormat);
        Frame out = filter.pull();
        if (out == null) {
            filter.push(null); // end of stream flushes filters that wait for more input
            out = filter.pull();
        }
        if (out == null || out.image == null) {
            throw new CodecException("Cannot filter " + file + " with '" + graph
                    + "': expected one output picture, found none");
        }
        return out;
    }

    private static void closeAll(List<FFmpegFrameFilter> filters, String file) {
        for (FFmpegFrameFilter f : filters) {
            try {
                f.close();
            } catch (FrameFilter.Exception e) {
                LOG.warn("Cannot release an FFmpeg filter graph used for {}: {}", file,
                        e.getMessage());
            }
        }
    }
}
