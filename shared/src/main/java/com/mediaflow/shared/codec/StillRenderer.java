package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.Filters.closeAll;
import static com.mediaflow.shared.codec.Filters.cropGraph;
import static com.mediaflow.shared.codec.Filters.flattenGraph;
import static com.mediaflow.shared.codec.Filters.runFilter;
import static com.mediaflow.shared.codec.Filters.scaleGraph;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import com.mediaflow.shared.codec.Targets.Encoding;
import com.mediaflow.shared.codec.Targets.Shape;
import com.mediaflow.shared.codec.Targets.Target;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.metrics.StepMetrics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;

/**
 * Renders every target of a picture from one decoded packed frame: crop, Lanczos scale and the
 * orientation transform per rendition, each cut from the smallest larger output made before it where it can be,
 * the ICC conversion to sRGB at rendition size, and the encoders (mjpeg, libwebp, the placeholder
 * JPEG within its budget and its BlurHash). The JPEG and WebP encodes run beside the scaling
 * ({@link BackgroundEncodes}); the renditions come out in plan order either way. Two JPEG targets
 * of the very same pixels (a box larger than the picture gets the display image's) are encoded once,
 * and share the bytes.
 */
final class StillRenderer {
    /** Packed formats whose bytes start R, G, B: used as they are when no filter is needed. */
    private static final Set<Integer> RGB_ORDER = Set.of(AV_PIX_FMT_RGB0, AV_PIX_FMT_RGBA,
            AV_PIX_FMT_RGB24);
    private static final int MIN_PLACEHOLDER_SIDE = 8;
    private static final int PLACEHOLDER_QUALITY_STEP = 10;
    static final int BLURHASH_X = 4;
    static final int BLURHASH_Y = 3;
    private static final String WEBP_ENCODER = "libwebp";

    private final int jpegQuality;

    /** @param jpegQuality 1-100 on libjpeg's scale */
    StillRenderer(int jpegQuality) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100 (libjpeg scale), found " + jpegQuality);
        }
        this.jpegQuality = jpegQuality;
    }

    /**
     * The JPEG of a packed frame at libjpeg quality {@code quality}: libjpeg-turbo's encoder
     * ({@link TurboJpeg#encodeRgb24}) for RGB24, FFmpeg's mjpeg encoder (at the nearest qscale,
     * {@link FfmpegSupport#qscaleForQuality}) for other formats and wherever libmediaflowjpeg is
     * missing.
     */
    static byte[] jpeg(Frame px, int pxFormat, int quality, String file) {
        if (pxFormat == AV_PIX_FMT_RGB24) {
            byte[] jpeg = TurboJpeg.encodeRgb24(px, quality);
            if (jpeg != null) {
                return jpeg;
            }
        }
        return FfmpegSupport.encodeStill(px, pxFormat, AV_CODEC_ID_MJPEG, AV_PIX_FMT_YUVJ420P,
                FfmpegSupport.qscaleForQuality(quality), Path.of(file));
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
     *       transform so that transform only ever touches rendition-sized pixels. When the plan has
     *       {@link Targets#early} targets, the largest (the display images) come first, then
     *       those, cut from them, then the rest: the same order, and so the same bytes, whether or
     *       not anybody publishes early.
     *   <li>The placeholder's pixels also give the BlurHash.
     *   <li>The {@link PerceptualHash} of an opaque picture is taken from its smallest fitted
     *       output of at least 32x32 (upright): area-scaling a 320-px thumbnail to 32x32 costs
     *       nothing, where the decoded picture cost as much as its decode (about 5 ms for 1.3 MP,
     *       225 ms for 12 MP). None (the caller hashes the decoded picture) for transparent
     *       pictures, whose hash composites the scaled alpha onto white, and when no fitted
     *       output is that large.
     * </ol>
     *
     * @param stored full stored size {w, h} (the decoded frame may be smaller with lowres)
     * @param toSrgb converts each output's pixels from the embedded ICC profile to sRGB just
     *     before encoding (the chain of smaller outputs keeps the source's values); null for none
     */
    ImageRenditions render(String file, Frame decoded, boolean alpha, Transform upright,
            int[] stored, List<Target> targets, SrgbConverter toSrgb, EarlyRenditions early) {
        return render(file, decoded, alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB0, upright, stored,
                targets, toSrgb, false, early);
    }

    /**
     * As {@link #render(String, Frame, boolean, Transform, int[], List, SrgbConverter)}, for a
     * frame in {@code decodedFormat}: RGBA (transparent), an opaque packed format with a padding
     * byte (RGB0, or 0BGR as libjpeg-turbo's pixels come out of Leptonica), or planar GBRP (as
     * they come out of libmediaflowjpeg).
     *
     * @param perceptualHash whether to take the picture's hash from a rendition (images; video
     *     posters have none)
     * @param early told of the {@link Targets#early} renditions (the square and smallest
     *     thumbnails and the placeholder) as soon as they are encoded: they are scaled right after
     *     the largest targets, from the display image rather than through the chain of thumbnails,
     *     and encoded on this thread at once, while a larger rendition's encode runs only on an
     *     idle pool thread or waits until they are handed on; {@link EarlyRenditions#NONE} when
     *     nobody publishes early
     */
    ImageRenditions render(String file, Frame decoded, int decodedFormat,
            Transform upright, int[] stored, List<Target> targets, SrgbConverter toSrgb,
            boolean perceptualHash, EarlyRenditions early) {
        boolean alpha = decodedFormat == AV_PIX_FMT_RGBA;
        int uprightW = upright.swapsAxes() ? stored[1] : stored[0];
        int uprightH = upright.swapsAxes() ? stored[0] : stored[1];
        List<StillGraph> filters = new ArrayList<>();
        List<Frame> converted = new ArrayList<>();
        Rendition[] out = new Rendition[targets.size()];
        long[] renderNanos = new long[targets.size()];
        long[] encodeNanos = new long[targets.size()];
        Placeholder placeholder = null;
        BackgroundEncodes encodes = new BackgroundEncodes();
        try {
            Frame base = decoded;
            int baseFormat = decodedFormat;
            if (alpha) {
                base = runFilter(filters, flattenGraph(decoded.imageWidth, decoded.imageHeight),
                        decoded, baseFormat, file);
                baseFormat = AV_PIX_FMT_RGB24;
            }
            // the same order whether or not anybody publishes early, so the outputs are the same bytes either way
            // (shadow mode compares a copy run without a sink against the live one)
            Set<Integer> first = Targets.early(targets);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                order.add(i);
            }
            Comparator<Integer> byNeed = Comparator.comparingLong(
                    (Integer i) -> targets.get(i).need(uprightW, uprightH)).reversed();
            order.sort(byNeed);
            if (!first.isEmpty()) {
                // the largest targets (the display images), then the early ones cut from them, then the rest
                long largest = targets.get(order.get(0)).need(uprightW, uprightH);
                order.sort(Comparator.comparingInt((Integer i) -> targets.get(i).need(uprightW, uprightH) == largest ? 0
                        : first.contains(i) ? 1 : 2).thenComparing(byNeed));
            }
            // Publishing early: the scaling order stays (each target cut from the last, no extra pass
            // over the decoded picture), but only the early targets are encoded on this thread at
            // once; a larger one's encode goes to an idle pool thread or waits until they are handed on.
            Set<Integer> earlyLeft = early == EarlyRenditions.NONE ? new java.util.HashSet<>()
                    : new java.util.HashSet<>(first);
            List<Runnable> deferred = new ArrayList<>();

            List<Frame> fitted = new ArrayList<>(); // upright RGB24 fitted outputs so far
            // A picture smaller than a box gives that box's JPEG the very pixels of a larger target's
            // (a 1,000-px photo's thumb-1280 is its display JPEG, at the same quality): encoded once.
            Map<Frame, Integer> jpegOf = new IdentityHashMap<>();
            List<int[]> sameJpeg = new ArrayList<>(); // {target, the earlier target whose bytes it takes}
            Frame hashSource = null; // the same, of at least PerceptualHash.SIDE on both sides
            for (int i : order) {
                long renditionStarted = System.nanoTime();
                Target t = targets.get(i);
                int[] size = t.size(uprightW, uprightH);
                Frame result;
                int resultFormat;
                if (t.encoding() == Encoding.WEBP && alpha) {
                    result = fromSource(filters, t, decoded, AV_PIX_FMT_RGBA, upright, size,
                            "rgba", file);
                    resultFormat = AV_PIX_FMT_RGBA;
                } else if (smallestFitting(fitted, t, size) != null) {
                    result = fromUpright(filters, t, smallestFitting(fitted, t, size), size, file);
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
                Integer sameAs = t.encoding() == Encoding.JPEG && !first.contains(i) ? jpegOf.get(result) : null;
                if (t.encoding() == Encoding.JPEG) {
                    jpegOf.putIfAbsent(result, i);
                }
                Frame pixels = result;
                if (toSrgb != null && sameAs == null) { // a reused JPEG needs no pixels of its own
                    pixels = toSrgb.convert(result, resultFormat == AV_PIX_FMT_RGB24 ? 3 : 4);
                    converted.add(pixels);
                }
                Frame px = pixels;
                int pxFormat = resultFormat;
                int at = i;
                Runnable encode = switch (t.encoding()) {
                    case JPEG -> () -> {
                        long started = System.nanoTime();
                        out[at] = new Rendition(t.kind(), t.name(), "image/jpeg",
                                jpeg(px, pxFormat, jpegQuality, file),
                                size[0], size[1]);
                        encodeNanos[at] = System.nanoTime() - started;
                    };
                    case WEBP -> () -> {
                        long started = System.nanoTime();
                        out[at] = new Rendition(t.kind(), t.name(), "image/webp",
                                FfmpegSupport.encodeStill(px, pxFormat, WEBP_ENCODER,
                                        alpha ? AV_PIX_FMT_YUVA420P : AV_PIX_FMT_YUV420P,
                                        t.quality(), t.effort(), Path.of(file)),
                                size[0], size[1]);
                        encodeNanos[at] = System.nanoTime() - started;
                    };
                    default -> null;
                };
                switch (t.encoding()) {
                    case JPEG, WEBP -> {
                        if (sameAs != null) {
                            sameJpeg.add(new int[] {i, sameAs});
                        } else if (earlyLeft.isEmpty()) {
                            encodes.submit(encode);
                        } else if (earlyLeft.contains(i)) {
                            encode.run();
                        } else if (!encodes.trySubmit(encode)) {
                            deferred.add(encode);
                        }
                    }
                    case PLACEHOLDER -> {
                        placeholder = placeholder(filters, t, pixels, resultFormat, file);
                        out[i] = new Rendition(t.kind(), t.name(), "image/jpeg",
                                placeholder.jpeg(), placeholder.width(), placeholder.height());
                    }
                    default -> throw new IllegalStateException("encoding " + t.encoding());
                }
                if (t.shape() == Shape.FIT && resultFormat == AV_PIX_FMT_RGB24
                        && (t.encoding() != Encoding.WEBP || !alpha)) {
                    fitted.add(result);
                    if (perceptualHash && !alpha && result.imageWidth >= PerceptualHash.SIDE
                            && result.imageHeight >= PerceptualHash.SIDE
                            && (hashSource == null || result.imageWidth < hashSource.imageWidth)) {
                        hashSource = result;
                    }
                }
                renderNanos[i] = System.nanoTime() - renditionStarted;
                if (earlyLeft.remove(i) && earlyLeft.isEmpty()) {
                    List<Rendition> ready = new ArrayList<>();
                    for (int e : order) {
                        if (first.contains(e)) {
                            ready.add(out[e]);
                        }
                    }
                    early.publish(ready);
                    deferred.forEach(encodes::submit);
                    deferred.clear();
                }
            }
            // the hash while the last encodes run (it only reads its source, as they do)
            String hash = hashSource == null ? null
                    : Filters.hashOf(hashSource, AV_PIX_FMT_RGB24, Transform.NONE, file);
            encodes.awaitAll();
            for (int[] same : sameJpeg) {
                Target t = targets.get(same[0]);
                Rendition from = out[same[1]];
                out[same[0]] = new Rendition(t.kind(), t.name(), from.contentType(), from.bytes(), from.width(),
                        from.height());
            }
            for (int i : order) {
                StepMetrics.current().millis(StepMetrics.RENDITION_DURATION_PREFIX + targets.get(i).name(),
                        (renderNanos[i] + encodeNanos[i]) / 1_000_000);
            }
            return new ImageRenditions(List.of(out), placeholder, hash);
        } catch (FrameFilter.Exception e) {
            throw new CodecException("Cannot filter " + file + " (" + decoded.imageWidth + "x"
                    + decoded.imageHeight + "): expected FFmpeg's filter graph to run, found: "
                    + e.getMessage(), e);
        } finally {
            encodes.close(); // the encodes read these frames: wait for them before freeing
            converted.forEach(Frame::close);
            closeAll(filters);
        }
    }

    /** The smallest of the upright outputs that target {@code t} of {@code size} can be cut from; null for none. */
    private static Frame smallestFitting(List<Frame> fitted, Target t, int[] size) {
        Frame best = null;
        for (Frame f : fitted) {
            if (fits(t, f, size) && (best == null || (long) f.imageWidth * f.imageHeight
                    < (long) best.imageWidth * best.imageHeight)) {
                best = f;
            }
        }
        return best;
    }

    /** Whether target {@code t} of {@code size} can be cut and scaled from this upright output. */
    private static boolean fits(Target t, Frame upright, int[] size) {
        if (t.shape() == Shape.SQUARE) {
            return Math.min(upright.imageWidth, upright.imageHeight) >= size[0];
        }
        return upright.imageWidth >= size[0] && upright.imageHeight >= size[1];
    }

    /** Target from an earlier upright RGB24 output: centre crop for a square, then scale. */
    private static Frame fromUpright(List<StillGraph> filters, Target t, Frame upright,
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
    private static Frame fromSource(List<StillGraph> filters, Target t, Frame source,
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
    private Placeholder placeholder(List<StillGraph> filters, Target t, Frame frame,
            int format, String file) throws FrameFilter.Exception {
        String blurHash = BlurHash.encode(packedRgb(frame, format), frame.imageWidth,
                frame.imageHeight, BLURHASH_X, BLURHASH_Y);
        Frame current = frame;
        int currentFormat = format;
        byte[] smallest = null;
        while (true) {
            for (int quality = jpegQuality; quality > 0; quality -= PLACEHOLDER_QUALITY_STEP) {
                byte[] jpeg = jpeg(current, currentFormat, quality, file);
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
            int[] half = Targets.fitInside(current.imageWidth, current.imageHeight, longest / 2);
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
}
