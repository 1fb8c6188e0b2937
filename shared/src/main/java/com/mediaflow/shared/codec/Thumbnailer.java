package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Pipeline: decode once to packed RGBA; one full-size filter graph flattens transparency onto
 * white ({@code color} + {@code overlay}) and applies the EXIF orientation or display-matrix
 * rotation ({@code transpose}/{@code hflip}/{@code vflip}); then, per box, {@code scale} with
 * Lanczos to fit inside the box (never upscaling) and an mjpeg encode (yuvj420p, full range).
 * Opaque sources skip the flattening: their RGBA buffer is declared as RGB0, the alpha byte
 * ignored.
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
     * @param jpegQuality 1-100 on libjpeg's scale (85 is a good default for thumbnails); mapped
     *     to the mjpeg encoder's fixed qscale so the quantisation tables match libjpeg's
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
        String file = source.toAbsolutePath().toString();
        int largestBox = targets.stream().mapToInt(Target::box).max().orElse(0);
        int lowres = 0;
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
        try (FFmpegFrameGrabber grabber = openGrabber(file)) {
            start(grabber, file, "a video");
            if (!grabber.hasVideo()) {
                throw new CodecException("Cannot make a poster of " + file
                        + ": expected a video stream, found none (format " + grabber.getFormat()
                        + ", audio " + grabber.hasAudio() + ")");
            }
            int rotation = MediaProbe.clockwiseRotation(grabber.getDisplayRotation());
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
                        return render(file, frame, alpha, rotationFilter(rotation), targets);
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
                return render(file, best, alpha, rotationFilter(rotation), targets);
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
        return switch (exifOrientation) {
            case 2 -> "hflip";                 // mirrored horizontally
            case 3 -> "hflip,vflip";           // rotated 180
            case 4 -> "vflip";                 // mirrored vertically
            case 5 -> "transpose=cclock_flip"; // transpose=0: the matrix transpose
            case 6 -> "transpose=clock";       // transpose=1: stored 90 CCW, rotate 90 CW
            case 7 -> "transpose=clock_flip";  // transpose=3: the anti-transpose
            case 8 -> "transpose=cclock";      // transpose=2: stored 90 CW, rotate 90 CCW
            default -> null;
        };
    }

    /** Filters that rotate a picture clockwise by 0/90/180/270 degrees (ffmpeg's autorotate). */
    static String rotationFilter(int clockwiseDegrees) {
        return switch (clockwiseDegrees) {
            case 90 -> "transpose=clock";
            case 180 -> "hflip,vflip";
            case 270 -> "transpose=cclock";
            default -> null;
        };
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

    private static FFmpegFrameGrabber openGrabber(String file) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file);
        grabber.setPixelFormat(AV_PIX_FMT_RGBA);
        // Untrusted files: never follow references (HLS, concat, ...) to other protocols, and do
        // not let image2 treat a '%' in the file name as a sequence pattern.
        grabber.setOption("protocol_whitelist", "file");
        grabber.setOption("pattern_type", "none");
        return grabber;
    }

    private static void start(FFmpegFrameGrabber grabber, String file, String expected)
            throws FrameGrabber.Exception {
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot open " + file + ": expected " + expected
                    + " FFmpeg can demux, found: " + e.getMessage(), e);
        }
    }

    /** The decoder's own pixel format of the first video stream, or AV_PIX_FMT_NONE. */
    private static int nativePixelFormat(FFmpegFrameGrabber grabber) {
        AVFormatContext fc = grabber.getFormatContext();
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            AVCodecParameters par = fc.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
                return par.format();
            }
        }
        return AV_PIX_FMT_NONE;
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
            } else if (grabber.getTimestamp() > 0) {
                grabber.setTimestamp(0);
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
     * Runs the full-size preparation graph (flatten, orient) once, then scales and encodes for
     * every target. {@code decoded} is packed RGBA.
     */
    private List<Rendition> render(String file, Frame decoded, boolean alpha, String orient,
            List<Target> targets) {
        int w = decoded.imageWidth;
        int h = decoded.imageHeight;
        String prepare = preparationGraph(w, h, alpha, orient);
        int inputFormat = alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB0;
        try (FFmpegFrameFilter prep = prepare == null ? null
                : new FFmpegFrameFilter(prepare, w, h)) {
            Frame base = decoded;
            int baseFormat = inputFormat;
            if (prep != null) {
                base = filterOnce(prep, decoded, inputFormat, file);
                baseFormat = AV_PIX_FMT_RGB24;
            }
            List<Rendition> out = new ArrayList<>(targets.size());
            for (Target t : targets) {
                int[] size = fitInside(base.imageWidth, base.imageHeight, t.box());
                byte[] jpeg;
                if (size[0] == base.imageWidth && size[1] == base.imageHeight) {
                    jpeg = encodeJpeg(base, baseFormat, file);
                } else {
                    String graph = "scale=w=" + size[0] + ":h=" + size[1] + ":flags="
                            + SCALE_FLAGS + ",format=rgb24";
                    try (FFmpegFrameFilter scale = new FFmpegFrameFilter(graph, base.imageWidth,
                            base.imageHeight)) {
                        Frame small = filterOnce(scale, base, baseFormat, file);
                        if (small.imageWidth != size[0] || small.imageHeight != size[1]) {
                            throw new CodecException("Cannot scale " + file + " for " + t.name()
                                    + ": expected " + size[0] + "x" + size[1] + ", found "
                                    + small.imageWidth + "x" + small.imageHeight);
                        }
                        jpeg = encodeJpeg(small, AV_PIX_FMT_RGB24, file);
                    }
                }
                out.add(new Rendition(t.kind(), t.name(), "image/jpeg", jpeg, size[0], size[1]));
            }
            return out;
        } catch (FrameFilter.Exception e) {
            throw new CodecException("Cannot filter " + file + " (" + w + "x" + h
                    + "): expected FFmpeg's filter graph to run, found: " + e.getMessage(), e);
        }
    }

    private static String preparationGraph(int w, int h, boolean alpha, String orient) {
        List<String> parts = new ArrayList<>();
        if (alpha) {
            parts.add("color=c=white:s=" + w + "x" + h + ",format=rgb24[mf_bg];"
                    + "[mf_bg][in]overlay=format=auto:shortest=1");
        }
        if (orient != null) {
            parts.add(orient);
        }
        if (parts.isEmpty()) {
            return null;
        }
        parts.add("format=rgb24");
        return String.join(",", parts);
    }

    /** Pushes one packed frame through a fresh filter and returns its single output frame. */
    private static Frame filterOnce(FFmpegFrameFilter filter, Frame in, int pixelFormat,
            String file) throws FrameFilter.Exception {
        filter.setPixelFormat(pixelFormat);
        filter.start();
        filter.push(in, pixelFormat);
        Frame out = filter.pull();
        if (out == null) {
            filter.push(null); // end of stream flushes filters that wait for more input
            out = filter.pull();
        }
        if (out == null || out.image == null) {
            throw new CodecException("Cannot filter " + file + " with '" + filter.getFilters()
                    + "': expected one output picture, found none");
        }
        return out;
    }

    private byte[] encodeJpeg(Frame frame, int pixelFormat, String file) {
        return FfmpegSupport.encodeStill(frame, pixelFormat, AV_CODEC_ID_MJPEG, AV_PIX_FMT_YUVJ420P,
                qscale, Path.of(file));
    }
}
