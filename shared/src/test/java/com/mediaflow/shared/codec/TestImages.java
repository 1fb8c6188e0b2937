package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Test helpers: the corpus location, and decoding our JPEG renditions with an independent
 * decoder (ImageIO) into pixels that can be compared.
 */
final class TestImages {

    private TestImages() {
    }

    /** An 8-bit RGB picture decoded by ImageIO. */
    record Rgb(int width, int height, int[] argb) {

        int red(int x, int y) {
            return (argb[y * width + x] >> 16) & 0xff;
        }

        int green(int x, int y) {
            return (argb[y * width + x] >> 8) & 0xff;
        }

        int blue(int x, int y) {
            return argb[y * width + x] & 0xff;
        }

        double luma(int x, int y) {
            return 0.299 * red(x, y) + 0.587 * green(x, y) + 0.114 * blue(x, y);
        }

        double meanLuma() {
            double sum = 0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    sum += luma(x, y);
                }
            }
            return sum / ((double) width * height);
        }

        /** Mean luma of a rectangle given in fractions of the picture. */
        double meanLuma(double x0, double y0, double x1, double y1) {
            int ax = (int) (x0 * width);
            int ay = (int) (y0 * height);
            int bx = Math.max(ax + 1, (int) (x1 * width));
            int by = Math.max(ay + 1, (int) (y1 * height));
            double sum = 0;
            for (int y = ay; y < by; y++) {
                for (int x = ax; x < bx; x++) {
                    sum += luma(x, y);
                }
            }
            return sum / ((double) (bx - ax) * (by - ay));
        }

        Rgb rotated180() {
            int[] out = new int[argb.length];
            for (int i = 0; i < argb.length; i++) {
                out[argb.length - 1 - i] = argb[i];
            }
            return new Rgb(width, height, out);
        }

        Rgb mirrored() {
            int[] out = new int[argb.length];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[y * width + (width - 1 - x)] = argb[y * width + x];
                }
            }
            return new Rgb(width, height, out);
        }
    }

    static Rgb decode(byte[] encoded) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            assertThat(img).as("ImageIO can decode the %d bytes", encoded.length).isNotNull();
            int w = img.getWidth();
            int h = img.getHeight();
            return new Rgb(w, h, img.getRGB(0, 0, w, h, null, 0, w));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rgb decode(Path file) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Similarity in [0, 1] of two pictures of the same size: 1 - (mean absolute luma difference
     * / 255). Different sizes score 0.
     */
    static double similarity(Rgb a, Rgb b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            return 0;
        }
        double sum = 0;
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                sum += Math.abs(a.luma(x, y) - b.luma(x, y));
            }
        }
        return 1 - sum / (255.0 * a.width() * a.height());
    }
}
