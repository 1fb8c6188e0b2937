package com.mediaflow.shared.codec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The classic 64-bit DCT perceptual hash (pHash, as in the pHash library's
 * {@code ph_dct_imagehash}), of the upright picture, so near-duplicates can be found by Hamming
 * distance.
 *
 * <ol>
 *   <li>The upright picture (EXIF orientation or HEIF transforms applied, alpha composited onto
 *       white) is area-scaled to 32x32 BT.601 luma, ignoring its aspect ratio.
 *   <li>A 2-D DCT-II of that 32x32 block.
 *   <li>The 8x8 lowest frequencies after the DC row and column (coefficients 1..8 x 1..8, so the
 *       DC term and the mean brightness play no part) are compared with their median: above it
 *       is a 1 bit, row by row, most significant bit first.
 *   <li>Written as 16 lowercase hex digits.
 * </ol>
 *
 * <p>Resized, recompressed or slightly edited copies differ by a few bits (typically at most
 * 10); unrelated pictures by about 32.
 */
public final class PerceptualHash {

    static final int SIDE = 32;
    private static final int BLOCK = 8;
    private static final double[][] COS = cosines();

    private PerceptualHash() {
    }

    /**
     * The hash of an image file's upright picture (of an animation, the representative frame
     * its thumbnails show).
     *
     * @param exifOrientation EXIF Orientation 1-8 (0 or other values mean none); ignored for
     *     HEIF/AVIF, whose own transforms are applied
     * @return 16 lowercase hex digits
     * @throws com.mediaflow.shared.error.CodecException when the picture cannot be decoded
     */
    public static String of(Path image, int exifOrientation) {
        return toHex(hash(Thumbnailer.uprightLuma(image, exifOrientation, SIDE)));
    }

    /** The hash of 32x32 luma values, row by row. */
    static long hash(double[] luma) {
        if (luma.length != SIDE * SIDE) {
            throw new IllegalArgumentException("pHash input must be " + SIDE + "x" + SIDE
                    + " = " + SIDE * SIDE + " values, found " + luma.length);
        }
        // rows: t = C * X, then T = t * C^T; only the first BLOCK+1 rows/columns are needed
        int n = BLOCK + 1;
        double[][] rows = new double[n][SIDE];
        for (int u = 0; u < n; u++) {
            for (int x = 0; x < SIDE; x++) {
                double sum = 0;
                for (int y = 0; y < SIDE; y++) {
                    sum += COS[u][y] * luma[y * SIDE + x];
                }
                rows[u][x] = sum;
            }
        }
        double[] coeffs = new double[BLOCK * BLOCK];
        for (int u = 1; u < n; u++) {
            for (int v = 1; v < n; v++) {
                double sum = 0;
                for (int x = 0; x < SIDE; x++) {
                    sum += rows[u][x] * COS[v][x];
                }
                coeffs[(u - 1) * BLOCK + (v - 1)] = sum;
            }
        }
        double[] sorted = coeffs.clone();
        Arrays.sort(sorted);
        double median = (sorted[31] + sorted[32]) / 2;
        long bits = 0;
        for (double c : coeffs) {
            bits = bits << 1 | (c > median ? 1 : 0);
        }
        return bits;
    }

    static String toHex(long hash) {
        return String.format(Locale.ROOT, "%016x", hash);
    }

    /**
     * Bits that differ between two hashes: 0 for the same picture, small (<= 10) for near
     * duplicates, about 32 for unrelated pictures.
     *
     * @throws IllegalArgumentException when either is not 16 hex digits
     */
    public static int hammingDistance(String a, String b) {
        return Long.bitCount(parse(a) ^ parse(b));
    }

    private static long parse(String hex) {
        if (hex == null || hex.length() != 16) {
            throw new IllegalArgumentException("A perceptual hash is 16 hex digits, found "
                    + (hex == null ? "null" : "'" + hex + "' (" + hex.length() + " characters)"));
        }
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A perceptual hash is 16 hex digits, found '" + hex
                    + "'", e);
        }
    }

    /** Orthonormal DCT-II basis: COS[u][x] = c(u) cos((2x + 1) u pi / 2N). */
    private static double[][] cosines() {
        double[][] c = new double[SIDE][SIDE];
        for (int u = 0; u < SIDE; u++) {
            double scale = u == 0 ? Math.sqrt(1.0 / SIDE) : Math.sqrt(2.0 / SIDE);
            for (int x = 0; x < SIDE; x++) {
                c[u][x] = scale * Math.cos((2 * x + 1) * u * Math.PI / (2.0 * SIDE));
            }
        }
        return c;
    }
}
