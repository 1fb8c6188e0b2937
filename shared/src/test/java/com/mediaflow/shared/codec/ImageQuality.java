package com.mediaflow.shared.codec;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Test-side image quality: SSIM and PSNR on BT.601 luma, and an exact area-average downscale in
 * double precision that serves as the independent reference for renditions.
 *
 * <p>SSIM follows Wang et al. (2004) with the usual constants ({@code K1 = 0.01},
 * {@code K2 = 0.03}, L = 255) over 8x8 windows every 4 pixels, averaged (pictures smaller than
 * a window use one window of their size).
 */
final class ImageQuality {

    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final int WINDOW = 8;
    private static final int STEP = 4;

    private ImageQuality() {
    }

    /** Pixels a measure looks at. */
    @FunctionalInterface
    interface Mask {
        Mask ALL = (x, y) -> true;

        boolean includes(int x, int y);
    }

    /** Mean SSIM of the luma of two pictures of the same size, in [-1, 1] (1: identical). */
    static double ssim(TestImages.Rgb a, TestImages.Rgb b) {
        return ssim(a, b, Mask.ALL);
    }

    /** Mean SSIM over the windows whose centre pixel the mask includes. */
    static double ssim(TestImages.Rgb a, TestImages.Rgb b, Mask mask) {
        return ssim(luma(a), luma(b, a), a.width(), a.height(), mask);
    }

    static double ssim(double[] x, double[] y, int w, int h, Mask mask) {
        int win = Math.min(WINDOW, Math.min(w, h));
        double sum = 0;
        int n = 0;
        for (int wy = 0; wy + win <= h; wy += STEP) {
            for (int wx = 0; wx + win <= w; wx += STEP) {
                if (!mask.includes(wx + win / 2, wy + win / 2)) {
                    continue;
                }
                double mx = 0;
                double my = 0;
                for (int j = wy; j < wy + win; j++) {
                    for (int i = wx; i < wx + win; i++) {
                        mx += x[j * w + i];
                        my += y[j * w + i];
                    }
                }
                int count = win * win;
                mx /= count;
                my /= count;
                double vx = 0;
                double vy = 0;
                double cov = 0;
                for (int j = wy; j < wy + win; j++) {
                    for (int i = wx; i < wx + win; i++) {
                        double dx = x[j * w + i] - mx;
                        double dy = y[j * w + i] - my;
                        vx += dx * dx;
                        vy += dy * dy;
                        cov += dx * dy;
                    }
                }
                vx /= count - 1;
                vy /= count - 1;
                cov /= count - 1;
                sum += (2 * mx * my + C1) * (2 * cov + C2)
                        / ((mx * mx + my * my + C1) * (vx + vy + C2));
                n++;
            }
        }
        return sum / n;
    }

    /** PSNR of the luma in dB (infinite for identical pictures). */
    static double psnr(TestImages.Rgb a, TestImages.Rgb b) {
        return psnr(a, b, Mask.ALL);
    }

    /** PSNR of the luma of the pixels the mask includes. */
    static double psnr(TestImages.Rgb a, TestImages.Rgb b, Mask mask) {
        double[] x = luma(a);
        double[] y = luma(b, a);
        double mse = 0;
        long n = 0;
        for (int i = 0; i < x.length; i++) {
            if (mask.includes(i % a.width(), i / a.width())) {
                mse += (x[i] - y[i]) * (x[i] - y[i]);
                n++;
            }
        }
        mse /= n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    static double[] luma(TestImages.Rgb img) {
        double[] l = new double[img.width() * img.height()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                l[y * img.width() + x] = img.luma(x, y);
            }
        }
        return l;
    }

    /** Luma of {@code b}, checked to be the size of {@code a}. */
    private static double[] luma(TestImages.Rgb b, TestImages.Rgb a) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("Expected pictures of the same size, found "
                    + a.width() + "x" + a.height() + " and " + b.width() + "x" + b.height());
        }
        return luma(b);
    }

    /**
     * Exact area-average ("box") downscale to {@code w x h}, per channel in double precision:
     * every output pixel is the mean of the source area it covers, partial pixels weighted by
     * their covered fraction. Transparent pixels are composited onto white first.
     */
    static TestImages.Rgb areaDownscale(TestImages.Rgb src, int w, int h) {
        int sw = src.width();
        int sh = src.height();
        double[][] channels = new double[3][sw * sh];
        for (int i = 0; i < sw * sh; i++) {
            int p = src.argb()[i];
            double a = (p >>> 24) / 255.0;
            for (int c = 0; c < 3; c++) {
                double v = (p >> (16 - 8 * c)) & 0xff;
                channels[c][i] = a * v + (1 - a) * 255;
            }
        }
        int[] out = new int[w * h];
        double[][] rows = new double[3][];
        for (int c = 0; c < 3; c++) {
            double[] horizontal = new double[w * sh];
            for (int y = 0; y < sh; y++) {
                resample(channels[c], y * sw, 1, sw, horizontal, y * w, 1, w);
            }
            double[] both = new double[w * h];
            for (int x = 0; x < w; x++) {
                resample(horizontal, x, w, sh, both, x, w, h);
            }
            rows[c] = both;
        }
        for (int i = 0; i < w * h; i++) {
            int rgb = 0xff000000;
            for (int c = 0; c < 3; c++) {
                int v = (int) Math.round(Math.max(0, Math.min(255, rows[c][i])));
                rgb |= v << (16 - 8 * c);
            }
            out[i] = rgb;
        }
        return new TestImages.Rgb(w, h, out);
    }

    /** One line of {@code n} samples to {@code m} by exact area coverage. */
    private static void resample(double[] in, int inOff, int inStep, int n, double[] out,
            int outOff, int outStep, int m) {
        double scale = (double) n / m;
        for (int o = 0; o < m; o++) {
            double from = o * scale;
            double to = (o + 1) * scale;
            double sum = 0;
            for (int i = (int) Math.floor(from); i < Math.min(n, (int) Math.ceil(to)); i++) {
                double cover = Math.min(to, i + 1) - Math.max(from, i);
                sum += cover * in[inOff + i * inStep];
            }
            out[outOff + o * outStep] = sum / scale;
        }
    }

    /**
     * A source picture decoded by ImageIO with its stored values. Unlike
     * {@link BufferedImage#getRGB}, grey images are not pushed through Java's linear-light grey
     * colour space (which brightens them): the stored level is taken as the sRGB level, as
     * every other decoder and FFmpeg do. 16-bit samples keep their high byte.
     */
    static TestImages.Rgb decodeSource(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return new TestImages.Rgb(w, h, img.getRGB(0, 0, w, h, null, 0, w));
        }
        Raster raster = img.getRaster();
        int shift = raster.getSampleModel().getSampleSize(0) - 8;
        boolean alpha = raster.getNumBands() > 1;
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = raster.getSample(x, y, 0) >> Math.max(0, shift);
                int a = alpha ? raster.getSample(x, y, 1) >> Math.max(0, shift) : 255;
                argb[y * w + x] = a << 24 | v << 16 | v << 8 | v;
            }
        }
        return new TestImages.Rgb(w, h, argb);
    }

    /** Nearest-neighbour decimation: the naive scaler that aliases fine detail. */
    static TestImages.Rgb nearestDownscale(TestImages.Rgb src, int w, int h) {
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int sy = (int) ((y + 0.5) * src.height() / h);
            for (int x = 0; x < w; x++) {
                int sx = (int) ((x + 0.5) * src.width() / w);
                out[y * w + x] = src.argb()[sy * src.width() + sx];
            }
        }
        return new TestImages.Rgb(w, h, out);
    }
}
