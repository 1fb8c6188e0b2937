package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import com.mediaflow.shared.error.CodecException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;

/**
 * The render function's codec work: a stored rendition decoded once into packed RGB24 pixels
 * ({@link Pixels}, plain heap bytes a cache can hold and count), and any size cut from them
 * (cover: centre crop to the box's aspect, then scale; contain: fitted inside the box) with the
 * same Lanczos scaler and encoders as the thumbnail step's renditions.
 */
public final class OnDemandRender {
    private static final String WEBP_ENCODER = "libwebp";

    private OnDemandRender() {
    }

    /** How the picture fills the requested box. */
    public enum Fit {
        /** the box exactly: the largest centred part of the picture with the box's aspect, scaled */
        COVER,
        /** the whole picture, fitted inside the box (one side may be shorter) */
        CONTAIN
    }

    /** The encodings a render can have. */
    public enum Format {
        WEBP("webp", "image/webp"),
        JPEG("jpg", "image/jpeg"),
        /** AV1 in HEIF: encoded by the render function (RenderAvif), from {@link #scale} */
        AVIF("avif", "image/avif");

        private final String extension;
        private final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        public String extension() {
            return extension;
        }

        public String contentType() {
            return contentType;
        }

        /** The format of a file extension ("webp", "jpg"), or empty. */
        public static Optional<Format> ofExtension(String ext) {
            for (Format f : values()) {
                if (f.extension.equals(ext)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** An upright picture as packed RGB24, rows without padding: {@code width * height * 3} bytes. */
    public record Pixels(int width, int height, byte[] rgb) {
        public Pixels {
            if (width <= 0 || height <= 0 || rgb.length != (long) width * height * 3) {
                throw new IllegalArgumentException("expected " + width + "x" + height + "x3 bytes, found " + rgb.length);
            }
        }
    }

    /**
     * Decodes a stored picture (a rendition: already upright and sRGB, so no EXIF transform and no
     * ICC conversion) through the thumbnail step's decoders; a transparent one is flattened on white.
     */
    public static Pixels decode(Path source) {
        String file = source.toString(); // FFmpeg's decoder opens it by this name
        for (StillDecoder d : StillDecoder.CHAIN) {
            Optional<StillDecoder.DecodedStill> decoded = d.decode(source, file, 0, (w, h) -> Math.max(w, h));
            if (decoded.isPresent()) {
                try (StillDecoder.DecodedStill still = decoded.get()) {
                    return packed(still, file);
                }
            }
        }
        throw new CodecException("Cannot decode " + file + ": expected a picture one of the decoders takes, found none took it");
    }

    private static Pixels packed(StillDecoder.DecodedStill still, String file) {
        List<StillGraph> filters = new ArrayList<>();
        Frame in = still.frame();
        try {
            int format = still.renderFormat();
            Frame rgb = format == AV_PIX_FMT_RGBA
                    ? Filters.runFilter(filters, Filters.flattenGraph(in.imageWidth, in.imageHeight), in, format, file)
                    : Filters.runFilter(filters, "format=rgb24", in, format, file);
            return copyOut(rgb);
        } catch (FrameFilter.Exception e) {
            throw new CodecException("Cannot convert " + file + " to RGB: expected FFmpeg's filter graph to run, found: "
                    + e.getMessage(), e);
        } finally {
            Filters.closeAll(filters);
        }
    }

    /** The size a render of a {@code width x height} picture in this box has. */
    public static int[] size(int width, int height, int boxW, int boxH, Fit fit) {
        if (fit == Fit.COVER) {
            return new int[] {boxW, boxH};
        }
        double s = Math.min((double) boxW / width, (double) boxH / height);
        return new int[] {Math.max(1, Math.min(boxW, (int) Math.round(width * s))),
            Math.max(1, Math.min(boxH, (int) Math.round(height * s)))};
    }

    /**
     * Renders the box from the pixels and encodes it as JPEG or WebP.
     *
     * @param quality libjpeg-scale quality for JPEG, libwebp quality for WebP (1-100)
     */
    public static byte[] render(Pixels source, int boxW, int boxH, Fit fit, Format format, int quality, String file) {
        if (format == Format.AVIF) {
            throw new IllegalArgumentException("AVIF is not encoded here: scale() the pixels and encode them with an AV1 encoder");
        }
        return scaled(source, boxW, boxH, fit, file, out -> switch (format) {
            case JPEG -> StillRenderer.jpeg(out, AV_PIX_FMT_RGB24, quality, file);
            case WEBP, AVIF -> FfmpegSupport.encodeStill(out, AV_PIX_FMT_RGB24, WEBP_ENCODER, AV_PIX_FMT_YUV420P, quality,
                    Path.of(file));
        });
    }

    /** The box rendered from the pixels, as pixels (for an encoder outside this class). */
    public static Pixels scale(Pixels source, int boxW, int boxH, Fit fit, String file) {
        return scaled(source, boxW, boxH, fit, file, OnDemandRender::copyOut);
    }

    private static <T> T scaled(Pixels source, int boxW, int boxH, Fit fit, String file, java.util.function.Function<Frame, T> use) {
        int[] size = size(source.width(), source.height(), boxW, boxH, fit);
        List<StillGraph> filters = new ArrayList<>();
        try (Frame in = copyIn(source)) {
            List<String> graph = new ArrayList<>();
            if (fit == Fit.COVER) {
                // the largest centred region with the box's aspect
                int cw = (int) Math.min(source.width(), Math.round((double) source.height() * boxW / boxH));
                int ch = (int) Math.min(source.height(), Math.round((double) source.width() * boxH / boxW));
                if (cw != source.width() || ch != source.height()) {
                    graph.add("crop=w=" + cw + ":h=" + ch + ":x=" + (source.width() - cw) / 2 + ":y="
                            + (source.height() - ch) / 2 + ":exact=1");
                }
            }
            graph.add(Filters.scaleGraph(size[0], size[1]));
            Frame out = Filters.runFilter(filters, String.join(",", graph), in, AV_PIX_FMT_RGB24, file);
            if (out.imageWidth != size[0] || out.imageHeight != size[1]) {
                throw new CodecException("Cannot render " + file + ": expected " + size[0] + "x" + size[1] + ", found "
                        + out.imageWidth + "x" + out.imageHeight);
            }
            return use.apply(out);
        } catch (FrameFilter.Exception e) {
            throw new CodecException("Cannot render " + file + " at " + boxW + "x" + boxH + ": expected FFmpeg's filter"
                    + " graph to run, found: " + e.getMessage(), e);
        } finally {
            Filters.closeAll(filters);
        }
    }

    private static Pixels copyOut(Frame rgb) {
        int w = rgb.imageWidth;
        int h = rgb.imageHeight;
        int stride = rgb.imageStride;
        ByteBuffer buf = ((ByteBuffer) rgb.image[0]).duplicate();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            buf.position(y * stride);
            buf.get(out, y * w * 3, w * 3);
        }
        return new Pixels(w, h, out);
    }

    /** The pixels as a packed RGB24 frame (rows padded as JavaCV pads them); the caller closes it. */
    public static Frame frame(Pixels p) {
        return copyIn(p);
    }

    private static Frame copyIn(Pixels p) {
        Frame f = new Frame(p.width(), p.height(), Frame.DEPTH_UBYTE, 3);
        ByteBuffer buf = (ByteBuffer) f.image[0];
        int stride = f.imageStride;
        for (int y = 0; y < p.height(); y++) {
            buf.position(y * stride);
            buf.put(p.rgb(), y * p.width() * 3, p.width() * 3);
        }
        buf.position(0);
        return f;
    }
}
