package com.mediaflow.shared.codec;

/**
 * The BlurHash encoder (https://blurha.sh, Wolt's reference implementations in C, TypeScript,
 * Swift and Kotlin), for the inline placeholder in the manifest.
 *
 * <p>The picture is projected onto {@code nx * ny} cosine basis functions in linear light. The
 * hash is base 83: one character for the component counts, one for the quantised maximum AC
 * amplitude, four for the DC component (the average colour, in sRGB) and two per AC component,
 * so its length is {@code 1 + 1 + 4 + 2 * (nx * ny - 1) = 4 + 2 * nx * ny} (28 for 4x3).
 *
 * <p>Pure Java, no state: thread-safe.
 */
final class BlurHash {

    private static final String ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /** sRGB byte value to linear light, precomputed. */
    private static final double[] SRGB_TO_LINEAR = new double[256];

    static {
        for (int i = 0; i < 256; i++) {
            double v = i / 255.0;
            SRGB_TO_LINEAR[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
    }

    private BlurHash() {
    }

    /** Length of a hash with this many components: {@code 4 + 2 * nx * ny}. */
    public static int length(int componentsX, int componentsY) {
        return 6 + 2 * (componentsX * componentsY - 1);
    }

    /**
     * Encodes a picture.
     *
     * @param rgb packed {@code 0xRRGGBB} pixels, row by row, {@code width * height} of them
     * @param componentsX horizontal components, 1-9
     * @param componentsY vertical components, 1-9
     * @throws IllegalArgumentException for other component counts or a pixel array of the wrong size
     */
    public static String encode(int[] rgb, int width, int height, int componentsX,
            int componentsY) {
        if (componentsX < 1 || componentsX > 9 || componentsY < 1 || componentsY > 9) {
            throw new IllegalArgumentException("BlurHash components must be 1-9 each, found "
                    + componentsX + "x" + componentsY);
        }
        if (width <= 0 || height <= 0 || rgb.length != (long) width * height) {
            throw new IllegalArgumentException("Expected " + width + "x" + height + " = "
                    + ((long) width * height) + " pixels (positive dimensions), found "
                    + rgb.length);
        }
        double[][] factors = new double[componentsX * componentsY][];
        for (int j = 0; j < componentsY; j++) {
            for (int i = 0; i < componentsX; i++) {
                factors[j * componentsX + i] = multiplyBasis(rgb, width, height, i, j);
            }
        }
        StringBuilder hash = new StringBuilder(length(componentsX, componentsY));
        encode83((componentsX - 1) + (componentsY - 1) * 9, 1, hash);
        double maximumValue;
        if (factors.length > 1) {
            double actualMax = 0;
            for (int k = 1; k < factors.length; k++) {
                for (double c : factors[k]) {
                    actualMax = Math.max(actualMax, Math.abs(c));
                }
            }
            int quantisedMax = (int) Math.max(0, Math.min(82, Math.floor(actualMax * 166 - 0.5)));
            maximumValue = (quantisedMax + 1) / 166.0;
            encode83(quantisedMax, 1, hash);
        } else {
            maximumValue = 1;
            encode83(0, 1, hash);
        }
        encode83(encodeDc(factors[0]), 4, hash);
        for (int k = 1; k < factors.length; k++) {
            encode83(encodeAc(factors[k], maximumValue), 2, hash);
        }
        return hash.toString();
    }

    /**
     * The average colour a hash stands for (its DC component), as {r, g, b} 0-255.
     *
     * @throws IllegalArgumentException when the hash is too short or not base 83
     */
    public static int[] averageColor(String hash) {
        if (hash == null || hash.length() < 6) {
            throw new IllegalArgumentException("Expected a BlurHash of at least 6 characters, "
                    + "found " + (hash == null ? "null" : "'" + hash + "'"));
        }
        int dc = decode83(hash, 2, 6);
        return new int[] {(dc >> 16) & 0xff, (dc >> 8) & 0xff, dc & 0xff};
    }

    private static double[] multiplyBasis(int[] rgb, int width, int height, int i, int j) {
        double r = 0;
        double g = 0;
        double b = 0;
        double[] cosX = new double[width];
        for (int x = 0; x < width; x++) {
            cosX[x] = Math.cos(Math.PI * i * x / width);
        }
        for (int y = 0; y < height; y++) {
            double cosY = Math.cos(Math.PI * j * y / height);
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double basis = cosX[x] * cosY;
                int p = rgb[row + x];
                r += basis * SRGB_TO_LINEAR[(p >> 16) & 0xff];
                g += basis * SRGB_TO_LINEAR[(p >> 8) & 0xff];
                b += basis * SRGB_TO_LINEAR[p & 0xff];
            }
        }
        double normalisation = i == 0 && j == 0 ? 1 : 2;
        double scale = normalisation / ((double) width * height);
        return new double[] {r * scale, g * scale, b * scale};
    }

    private static int encodeDc(double[] c) {
        return (linearToSrgb(c[0]) << 16) + (linearToSrgb(c[1]) << 8) + linearToSrgb(c[2]);
    }

    private static int encodeAc(double[] c, double maximumValue) {
        int r = quantiseAc(c[0] / maximumValue);
        int g = quantiseAc(c[1] / maximumValue);
        int b = quantiseAc(c[2] / maximumValue);
        return r * 19 * 19 + g * 19 + b;
    }

    private static int quantiseAc(double v) {
        double signPow = Math.copySign(Math.sqrt(Math.abs(v)), v);
        return (int) Math.max(0, Math.min(18, Math.floor(signPow * 9 + 9.5)));
    }

    /** As the reference: clamp to [0, 1], gamma-encode, then truncate {@code x * 255 + 0.5}. */
    static int linearToSrgb(double value) {
        double v = Math.max(0, Math.min(1, value));
        if (v <= 0.0031308) {
            return (int) (v * 12.92 * 255 + 0.5);
        }
        return (int) ((1.055 * Math.pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    private static void encode83(int value, int length, StringBuilder out) {
        int divisor = 1;
        for (int i = 1; i < length; i++) {
            divisor *= 83;
        }
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt((value / divisor) % 83));
            divisor /= 83;
        }
    }

    private static int decode83(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = ALPHABET.indexOf(s.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("BlurHash '" + s + "' has '" + s.charAt(i)
                        + "' at " + i + ", expected a base-83 character");
            }
            value = value * 83 + digit;
        }
        return value;
    }
}
