package com.mediaflow.shared.codec;

import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * How good a decoded picture is as a poster or as the still of an animation, measured in pure
 * Java on a grid of at most about 64x64 sample points (cost bounded whatever the frame size).
 *
 * <p>Three measures of BT.601 luma (transparent pixels composited onto white):
 * <ul>
 *   <li>{@code meanLuma}: average, 0-255;
 *   <li>{@code spread}: the 5th-to-95th percentile range, 0-255 (robust to a logo or a few
 *       hot pixels, unlike min-max);
 *   <li>{@code detail}: mean absolute difference between neighbouring sample points,
 *       horizontally and vertically, a resolution-independent edge measure.
 * </ul>
 * A frame is {@link Verdict#BLACK} (mean below {@value #BLACK_LUMA}), {@link Verdict#FADE}
 * (mostly dark, or washed out near white, with little spread: a fade from or to black or
 * white), {@link Verdict#UNIFORM} (little spread or almost no detail: one flat colour, a title
 * card) or {@link Verdict#GOOD}. {@link #score()} ranks every good frame above every rejected
 * one; within each group more spread, more detail and a mid-grey exposure win, so the least bad
 * of only rejected frames is still chosen (a grey card beats black).
 *
 * @param meanLuma mean luma, 0-255
 * @param spread 5th-95th percentile range of luma, 0-255
 * @param detail mean absolute luma difference between neighbouring sample points
 * @param verdict why the frame is rejected, or GOOD
 */
record FrameScore(double meanLuma, double spread, double detail, Verdict verdict) {

    /** Mean luma below which a frame is black. */
    public static final double BLACK_LUMA = 16.0;
    /** A fade is darker than this (or brighter than {@link #WASHED_LUMA}) with less spread. */
    static final double FADE_DARK_LUMA = 48.0;
    static final double WASHED_LUMA = 224.0;
    static final double FADE_SPREAD = 64.0;
    /** Less spread than this, or less detail than {@link #UNIFORM_DETAIL}, is one flat colour. */
    static final double UNIFORM_SPREAD = 24.0;
    static final double UNIFORM_DETAIL = 1.0;
    /** Sample points along each axis, at most. */
    static final int GRID = 64;

    private static final double FULL_SPREAD = 128.0;
    private static final double FULL_DETAIL = 12.0;

    /** Why a frame is a poor poster, or GOOD. */
    public enum Verdict {
        GOOD,
        BLACK,
        FADE,
        UNIFORM
    }

    /**
     * Scores a packed 8-bit frame as JavaCV returns it from a grabber or filter: RGB24
     * ({@code channels} 3) or RGBA/RGB0 (4, the 4th byte taken as alpha). The channel count is
     * the caller's, from the pixel format: JavaCV derives {@code imageChannels} from the padded
     * stride, which is wrong for narrow frames.
     *
     * @throws IllegalArgumentException for other depths or channel counts
     */
    public static FrameScore of(Frame frame, int channels) {
        if (frame.imageDepth != Frame.DEPTH_UBYTE || (channels != 3 && channels != 4)) {
            throw new IllegalArgumentException("Expected a packed 8-bit frame of 3 or 4 "
                    + "channels, found depth " + frame.imageDepth + " with " + channels
                    + " channels");
        }
        return of((ByteBuffer) frame.image[0], frame.imageWidth, frame.imageHeight,
                frame.imageStride, channels);
    }

    /**
     * Scores packed 8-bit pixels: {@code channels} bytes a pixel (3: RGB; 4: RGB plus alpha,
     * composited onto white), rows {@code stride} bytes apart.
     */
    public static FrameScore of(ByteBuffer pixels, int width, int height, int stride,
            int channels) {
        if (width <= 0 || height <= 0 || stride < width * channels) {
            throw new IllegalArgumentException("Expected a positive size and a stride of at "
                    + "least width x channels, found " + width + "x" + height + ", stride "
                    + stride + ", " + channels + " channels");
        }
        int cols = Math.min(GRID, width);
        int rows = Math.min(GRID, height);
        double[] luma = new double[cols * rows];
        int[] histogram = new int[256];
        double sum = 0;
        for (int j = 0; j < rows; j++) {
            // sample the centre of each grid cell
            int y = (int) ((j + 0.5) * height / rows);
            for (int i = 0; i < cols; i++) {
                int x = (int) ((i + 0.5) * width / cols);
                int o = y * stride + x * channels;
                double l = 0.299 * (pixels.get(o) & 0xff) + 0.587 * (pixels.get(o + 1) & 0xff)
                        + 0.114 * (pixels.get(o + 2) & 0xff);
                if (channels == 4) {
                    double a = (pixels.get(o + 3) & 0xff) / 255.0;
                    l = a * l + (1 - a) * 255.0;
                }
                luma[j * cols + i] = l;
                histogram[(int) Math.min(255, Math.round(l))]++;
                sum += l;
            }
        }
        int n = luma.length;
        double mean = sum / n;
        double spread = percentile(histogram, n, 0.95) - percentile(histogram, n, 0.05);
        double diffs = 0;
        long pairs = 0;
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < cols; i++) {
                double l = luma[j * cols + i];
                if (i + 1 < cols) {
                    diffs += Math.abs(luma[j * cols + i + 1] - l);
                    pairs++;
                }
                if (j + 1 < rows) {
                    diffs += Math.abs(luma[(j + 1) * cols + i] - l);
                    pairs++;
                }
            }
        }
        double detail = pairs == 0 ? 0 : diffs / pairs;
        return new FrameScore(mean, spread, detail, verdict(mean, spread, detail));
    }

    private static Verdict verdict(double mean, double spread, double detail) {
        if (mean < BLACK_LUMA) {
            return Verdict.BLACK;
        }
        if ((mean < FADE_DARK_LUMA || mean > WASHED_LUMA) && spread < FADE_SPREAD) {
            return Verdict.FADE;
        }
        if (spread < UNIFORM_SPREAD || detail < UNIFORM_DETAIL) {
            return Verdict.UNIFORM;
        }
        return Verdict.GOOD;
    }

    /** Smallest luma level with at least {@code q} of the samples at or below it. */
    private static int percentile(int[] histogram, int n, double q) {
        long need = (long) Math.ceil(q * n);
        long seen = 0;
        for (int level = 0; level < histogram.length; level++) {
            seen += histogram[level];
            if (seen >= Math.max(1, need)) {
                return level;
            }
        }
        return histogram.length - 1;
    }

    /** Whether the frame is a good poster (not black, a fade or uniform). */
    public boolean good() {
        return verdict == Verdict.GOOD;
    }

    /**
     * Rank of the frame, higher is better: in [0, 1] for good frames, in [-1, 0] for rejected
     * ones. Spread weighs 0.45, detail 0.35 and closeness of the mean to mid grey 0.2.
     */
    public double score() {
        double quality = 0.45 * Math.min(spread, FULL_SPREAD) / FULL_SPREAD
                + 0.35 * Math.min(detail, FULL_DETAIL) / FULL_DETAIL
                + 0.2 * (1 - Math.abs(meanLuma - 128) / 128);
        return good() ? quality : quality - 1;
    }
}
