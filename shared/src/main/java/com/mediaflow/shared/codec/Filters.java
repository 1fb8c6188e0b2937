package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import com.mediaflow.shared.error.CodecException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;

/**
 * FFmpeg filter graphs run on one packed frame (JavaCV's push/pull carry a single plane, so frames
 * cross in packed formats only), the graphs the renditions use, and the luma square a perceptual
 * hash is made from.
 */
final class Filters {
    private Filters() {
    }

    /**
     * The {@link PerceptualHash} of a decoded picture, the way {@link PerceptualHash#of} makes it:
     * the frame (packed, in {@code pixelFormat}) area-scaled to 32x32 luma, then made upright.
     */
    static String hashOf(Frame decoded, int pixelFormat, Transform upright, String file) {
        return PerceptualHash.toHex(PerceptualHash.hash(
                lumaSquare(decoded, pixelFormat, upright, PerceptualHash.SIDE, file)));
    }

    /** Area-scales a packed RGBA frame to a square, makes it upright, returns luma on white. */
    static double[] lumaSquare(Frame rgba, Transform upright, int side, String file) {
        return lumaSquare(rgba, AV_PIX_FMT_RGBA, upright, side, file);
    }

    /**
     * As {@link #lumaSquare(Frame, Transform, int, String)} for a frame in {@code pixelFormat}
     * (packed RGBA, an opaque packed format with a padding byte: RGB0, 0BGR; or planar GBRP).
     */
    static double[] lumaSquare(Frame rgba, int pixelFormat, Transform upright, int side,
            String file) {
        List<StillGraph> filters = new ArrayList<>();
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
            closeAll(filters);
        }
    }

    static String flattenGraph(int w, int h) {
        return "color=c=white:s=" + w + "x" + h + ",format=rgb24[mf_bg];"
                + "[mf_bg][in]overlay=format=auto:shortest=1,format=rgb24";
    }

    static String scaleGraph(int w, int h) {
        return scaleGraph(w, h, "rgb24");
    }

    /**
     * Lanczos (3 lobes) with libzimg's {@code zscale}, on planar RGB: about twice as fast as
     * swscale's Lanczos on packed RGB, one thread.
     */
    static String scaleGraph(int w, int h, String format) {
        String planar = format.equals("rgba") ? "gbrap" : "gbrp";
        return "format=" + planar + ",zscale=w=" + w + ":h=" + h + ":filter=lanczos:threads=1"
                + ",format=" + format;
    }

    /** The largest centred square of a {@code w x h} picture. */
    static String cropGraph(int w, int h, int side) {
        return "crop=w=" + side + ":h=" + side + ":x=" + (w - side) / 2 + ":y=" + (h - side) / 2
                + ":exact=1";
    }

    /**
     * Runs one packed frame through a new single-threaded graph ({@link StillGraph}, added to
     * {@code graphs}) and returns its single output frame, which stays valid until that graph is
     * closed. A {@link StillGraph#PADDED} {@code in} is read in place: keep its pixels until the graph is closed.
     */
    static Frame runFilter(List<StillGraph> graphs, String graph, Frame in,
            int pixelFormat, String file) throws FrameFilter.Exception {
        StillGraph g = new StillGraph(graph);
        graphs.add(g);
        Frame out = g.run(in, pixelFormat);
        if (out == null || out.image == null) {
            throw new CodecException("Cannot filter " + file + " with '" + graph
                    + "': expected one output picture, found none");
        }
        return out;
    }

    static void closeAll(List<StillGraph> graphs) {
        graphs.forEach(StillGraph::close);
    }
}
