package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mediaflow.shared.error.CodecException;

/**
 * Makes JPEG thumbnails of images and posters of videos with FFmpeg (through JavaCV).
 *
 * <p>Pipeline, one decode per call:
 * <ol>
 *   <li>Decode to packed RGBA with {@code FFmpegFrameGrabber}. JPEGs much larger than every box
 *       are decoded with the mjpeg decoder's {@code lowres} (1/2, 1/4 or 1/8 size in the DCT
 *       domain, like libvips' shrink-on-load), keeping at least 1.5x the largest box.
 *   <li>Transparent sources only: flatten onto white ({@code color} + {@code overlay}) at decoded
 *       size. Opaque sources declare their RGBA buffer as RGB0 and skip this.
 *   <li>Per box, largest first: {@code scale} with Lanczos to fit inside the box (never
 *       upscaling), then the EXIF orientation or display-matrix rotation ({@code transpose},
 *       {@code hflip}, {@code vflip}), so the transform touches only thumbnail-sized pixels.
 *       Smaller boxes are scaled from the previous, larger output.
 *   <li>Encode with the mjpeg encoder (yuvj420p, full range, fixed qscale) in memory.
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
    static final double BLACK_LUMA = 16.0;

    private static final String SCALE_FLAGS = "lanczos+accurate_rnd";
    private static final long MAX_POSTER_OFFSET_US = 1_000_000L;

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
     * Thumbnails of a still image (first frame of an animation), one per box, decoded once.
     *
     * @param exifOrientation EXIF Orientation 1-8; 0 or anything else means none
     * @param boxSizes longest side of each thumbnail in pixels; smaller images keep their size
     * @return one "thumbnail" rendition per box, named {@code thumb-<box>.jpg}, in box order
     * @throws CodecException when FFmpeg cannot open, decode, filter or encode the file
     */
    public List<Rendition> imageThumbnails(Path source, int exifOrientation,
            List<Integer> boxSizes) {
        List<Target> targets = thumbnailTargets(boxSizes);
        if (targets.isEmpty()) {
            return List.of();
        }
        String file = source.toAbsolutePath().toString();
        int largestBox = targets.stream().mapToInt(Target::box).max().orElse(0);
        int lowres;
        try (FFmpegFrameGrabber grabber = openGrabber(file, 0)) {
            start(grabber, file, "an image");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot make thumbnails of " + file
                        + ": expected an image, found no picture stream (format "
                        + grabber.getFormat() + ")");
            }
            lowres = lowresFor(grabber.getVideoCodec(), grabber.getImageWidth(),
                    grabber.getImageHeight(), largestBox);
            if (lowres == 0) {
                return decodeAndRender(grabber, file, exifOrientation, targets);
            }
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e);
        }
        // Much larger than every box and a decoder that can scale while decoding (JPEG's DCT
        // scaling): reopen with lowres, which skips most of the IDCT and all of the full-size
        // colour conversion and scaling.
        try (FFmpegFrameGrabber grabber = openGrabber(file, lowres)) {
            start(grabber, file, "an image");
            return decodeAndRender(grabber, file, exifOrientation, targets);
        } catch (FrameGrabber.Exception e) {
            throw decodeFailure(file, e);
        }
    }

    private List<Rendition> decodeAndRender(FFmpegFrameGrabber grabber, String file,
            int exifOrientation, List<Target> targets) throws FrameGrabber.Exception {
        Frame decoded = grabber.grabImage();
        if (decoded == null || decoded.image == null) {
            throw new CodecException("Cannot make thumbnails of " + file
                    + ": expected at least one decodable picture, found none");
        }
        boolean alpha = FfmpegSupport.hasAlpha(nativePixelFormat(grabber));
        return render(file, decoded, alpha, Transform.ofExif(exifOrientation),
                storedSize(grabber, decoded), targets);
    }

    private static CodecException decodeFailure(String file, FrameGrabber.Exception e) {
        return new CodecException("Cannot make thumbnails of " + file
                + ": expected an image FFmpeg can decode, found: " + e.getMessage(), e);
    }

    /**
     * A poster frame of a video, upright according to its display matrix, plus thumbnails of it.
     * The frame is taken at 10% of the duration but at most 1 s in; when that frame is black
     * (mean luma at most 16) up to two later candidates (25% and 50%) are tried, keeping the
     * brightest.
     *
     * @param maxPosterSide longest side of the poster; smaller videos keep their size
     * @return the "poster" rendition ({@code poster.jpg}) followed by one "thumbnail" per box
     */
    public List<Rendition> videoPoster(Path source, int maxPosterSide, List<Integer> boxSizes) {
        if (maxPosterSide <= 0) {
            throw new IllegalArgumentException("Poster size must be positive, found "
                    + maxPosterSide);
        }
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(Rendition.POSTER, "poster.jpg", maxPosterSide));
        targets.addAll(thumbnailTargets(boxSizes));
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
            Frame best = null;
            double bestLuma = -1;
            try {
                for (long ts : posterCandidates(grabber.getLengthInTime())) {
                    Frame frame = grabAt(grabber, ts, file);
                    if (frame == null) {
                        continue;
                    }
                    double luma = meanLuma(frame);
                    if (luma > BLACK_LUMA) {
                        return render(file, frame, alpha, upright, storedSize(grabber, frame),
                                targets);
                    }
                    LOG.debug("Frame at {} us of {} is dark (mean luma {}), trying later", ts,
                            file, luma);
                    if (luma > bestLuma) {
                        if (best != null) {
                            best.close();
                        }
                        best = frame.clone();
                        bestLuma = luma;
                    }
                }
                if (best == null) {
                    throw new CodecException("Cannot make a poster of " + file
                            + ": expected at least one decodable video frame, found none");
                }
                return render(file, best, alpha, upright, storedSize(grabber, best), targets);
            } finally {
                if (best != null) {
                    best.close();
                }
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

    private record Target(String kind, String name, int box) {
    }

    private static List<Target> thumbnailTargets(List<Integer> boxSizes) {
        List<Target> targets = new ArrayList<>(boxSizes.size());
        for (Integer box : boxSizes) {
            if (box == null || box <= 0) {
                throw new IllegalArgumentException("Thumbnail boxes must be positive, found "
                        + boxSizes);
            }
            targets.add(new Target(Rendition.THUMBNAIL, "thumb-" + box + ".jpg", box));
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

    private static long[] posterCandidates(long durationUs) {
        if (durationUs <= 0) {
            return new long[] {0};
        }
        long first = Math.min(durationUs / 10, MAX_POSTER_OFFSET_US);
        long second = Math.max(first, durationUs / 4);
        long third = Math.max(second, durationUs / 2);
        return new long[] {first, second, third};
    }

    /** Seeks (frame-accurately) and decodes; null when nothing decodes there. */
    private static Frame grabAt(FFmpegFrameGrabber grabber, long ts, String file) {
        try {
            if (ts > 0) {
                grabber.setTimestamp(ts);
            }
            Frame frame = grabber.grabImage();
            return frame == null || frame.image == null ? null : frame;
        } catch (FrameGrabber.Exception e) {
            LOG.warn("Cannot decode a frame at {} us of {}: {}", ts, file, e.getMessage());
            return null;
        }
    }

    /** Mean BT.601 luma of a packed RGBA frame, sampled on a grid of about 64x64 points. */
    static double meanLuma(Frame frame) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int stride = frame.imageStride;
        int stepX = Math.max(1, w / 64);
        int stepY = Math.max(1, h / 64);
        double sum = 0;
        long n = 0;
        for (int y = 0; y < h; y += stepY) {
            for (int x = 0; x < w; x += stepX) {
                int o = y * stride + x * 4;
                sum += 0.299 * (buf.get(o) & 0xff) + 0.587 * (buf.get(o + 1) & 0xff)
                        + 0.114 * (buf.get(o + 2) & 0xff);
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Renders every target from one decoded packed-RGBA frame.
     *
     * <ol>
     *   <li>Transparent sources are flattened onto white once, at decoded size (flattening after
     *       scaling would let the colour of invisible pixels bleed into the edges).
     *   <li>Targets go largest first. Each is scaled from the smallest earlier output that is
     *       still at least as large (already upright), else from the decoded frame, in which
     *       case scaling happens before the orientation transform so that transform only ever
     *       touches thumbnail-sized pixels.
     * </ol>
     *
     * @param stored full stored size {w, h} (the decoded frame may be smaller with lowres)
     */
    private List<Rendition> render(String file, Frame decoded, boolean alpha, Transform upright,
            int[] stored, List<Target> targets) {
        int uprightW = upright.swapsAxes() ? stored[1] : stored[0];
        int uprightH = upright.swapsAxes() ? stored[0] : stored[1];
        List<FFmpegFrameFilter> filters = new ArrayList<>();
        Rendition[] out = new Rendition[targets.size()];
        try {
            Frame base = decoded;
            int baseFormat = alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB0;
            if (alpha) {
                base = runFilter(filters, flattenGraph(decoded.imageWidth, decoded.imageHeight),
                        decoded, baseFormat, file);
                baseFormat = AV_PIX_FMT_RGB24;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt((Integer i) -> targets.get(i).box()).reversed());

            Frame previous = null; // smallest upright RGB24 output so far
            for (int i : order) {
                Target t = targets.get(i);
                int[] size = fitInside(uprightW, uprightH, t.box());
                Frame result;
                int resultFormat;
                if (previous != null && previous.imageWidth >= size[0]
                        && previous.imageHeight >= size[1]) {
                    result = sameSize(previous, size) ? previous
                            : runFilter(filters, scaleGraph(size[0], size[1]), previous,
                                    AV_PIX_FMT_RGB24, file);
                    resultFormat = AV_PIX_FMT_RGB24;
                } else {
                    int sw = upright.swapsAxes() ? size[1] : size[0];
                    int sh = upright.swapsAxes() ? size[0] : size[1];
                    List<String> graph = new ArrayList<>();
                    if (base.imageWidth != sw || base.imageHeight != sh) {
                        graph.add(scaleGraph(sw, sh));
                    }
                    if (upright.filter() != null) {
                        graph.add(upright.filter());
                    }
                    if (graph.isEmpty()) {
                        result = base;
                        resultFormat = baseFormat;
                    } else {
                        graph.add("format=rgb24");
                        result = runFilter(filters, String.join(",", graph), base, baseFormat,
                                file);
                        resultFormat = AV_PIX_FMT_RGB24;
                    }
                }
                if (!sameSize(result, size)) {
                    throw new CodecException("Cannot render " + t.name() + " of " + file
                            + ": expected " + size[0] + "x" + size[1] + ", found "
                            + result.imageWidth + "x" + result.imageHeight);
                }
                byte[] jpeg = FfmpegSupport.encodeStill(result, resultFormat, AV_CODEC_ID_MJPEG,
                        AV_PIX_FMT_YUVJ420P, qscale, Path.of(file));
                out[i] = new Rendition(t.kind(), t.name(), "image/jpeg", jpeg, size[0], size[1]);
                if (resultFormat == AV_PIX_FMT_RGB24) {
                    previous = result;
                }
            }
            return List.of(out);
        } catch (FrameFilter.Exception e) {
            throw new CodecException("Cannot filter " + file + " (" + decoded.imageWidth + "x"
                    + decoded.imageHeight + "): expected FFmpeg's filter graph to run, found: "
                    + e.getMessage(), e);
        } finally {
            closeAll(filters, file);
        }
    }

    private static boolean sameSize(Frame f, int[] size) {
        return f.imageWidth == size[0] && f.imageHeight == size[1];
    }

    private static String flattenGraph(int w, int h) {
        return "color=c=white:s=" + w + "x" + h + ",format=rgb24[mf_bg];"
                + "[mf_bg][in]overlay=format=auto:shortest=1,format=rgb24";
    }

    private static String scaleGraph(int w, int h) {
        return "scale=w=" + w + ":h=" + h + ":flags=" + SCALE_FLAGS + ",format=rgb24";
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
