package com.mediaflow.shared.codec;

import com.mediaflow.shared.codec.AnimatedWebpChunks.SubFrame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.javacv.Frame;

/**
 * The canvas of an animated WebP, composited as the WebP container specification says: frames are
 * painted at their offset, alpha-blended (non-premultiplied, as libwebp's {@code WebPAnimDecoder})
 * unless they say "do not blend", and a rectangle is cleared to transparent for "dispose to
 * background". Packed RGBA, {@code width x height}.
 */
final class AnimatedWebpCanvas {
    private final int width;
    private final int height;
    private final byte[] canvas;

    AnimatedWebpCanvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.canvas = new byte[width * height * 4];
    }

    /**
     * Paints a frame's RGBA at its offset: copied when it does not blend, else alpha-blended
     * over the canvas with libwebp's non-premultiplied formula ({@code BlendPixelNonPremult}).
     */
    void paint(SubFrame f, byte[] src) {
        for (int row = 0; row < f.h(); row++) {
            int s = row * f.w() * 4;
            int d = ((f.y() + row) * width + f.x()) * 4;
            if (!f.blend()) {
                System.arraycopy(src, s, canvas, d, f.w() * 4);
                continue;
            }
            for (int col = 0; col < f.w(); col++, s += 4, d += 4) {
                int srcA = src[s + 3] & 0xff;
                if (srcA == 255) {
                    canvas[d] = src[s];
                    canvas[d + 1] = src[s + 1];
                    canvas[d + 2] = src[s + 2];
                    canvas[d + 3] = (byte) 255;
                } else if (srcA != 0) {
                    int dstA = canvas[d + 3] & 0xff;
                    int dstFactorA = (dstA * (256 - srcA)) >> 8;
                    int blendA = srcA + dstFactorA;
                    long scale = (1L << 24) / blendA;
                    for (int c = 0; c < 3; c++) {
                        long v = (src[s + c] & 0xff) * (long) srcA
                                + (canvas[d + c] & 0xff) * (long) dstFactorA;
                        canvas[d + c] = (byte) ((v * scale) >> 24);
                    }
                    canvas[d + 3] = (byte) blendA;
                }
            }
        }
    }

    /** Makes a rectangle {x, y, w, h} of the canvas transparent (dispose to background). */
    void clear(int[] rect) {
        for (int row = 0; row < rect[3]; row++) {
            int d = ((rect[1] + row) * width + rect[0]) * 4;
            Arrays.fill(canvas, d, d + rect[2] * 4, (byte) 0);
        }
    }

    /** Copies the canvas into a packed RGBA frame of its size. */
    void copyTo(Frame picture) {
        ByteBuffer out = (ByteBuffer) picture.image[0];
        for (int row = 0; row < height; row++) { // JavaCV pads rows to 8 bytes: odd widths
            out.position(row * picture.imageStride);
            out.put(canvas, row * width * 4, width * 4);
        }
        out.position(0);
    }
}
