package com.mediaflow.shared.codec;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.internal.isobmff.HeifItems;
import com.mediaflow.shared.internal.isobmff.HeifItems.Property;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.List;
import org.bytedeco.javacv.Frame;

/** HEIF's transformative properties on packed 4-byte pixels. */
final class HeifTransforms {
    private HeifTransforms() {
    }

    /** Applies clap, irot and imir in the given (ipma) order; returns {@code image} when none. */
    static Frame apply(Frame image, List<Property> properties, String file, long itemId) {
        boolean any = properties.stream().anyMatch(p -> p instanceof HeifItems.Clap
                || p instanceof HeifItems.Irot || p instanceof HeifItems.Imir);
        if (!any) {
            return image;
        }
        int w = image.imageWidth;
        int h = image.imageHeight;
        int[] px = pixels(image);
        for (Property p : properties) {
            if (p instanceof HeifItems.Clap clap) {
                int[] r = clapRect(clap, w, h, file, itemId);
                px = crop(px, w, r[0], r[1], r[2], r[3]);
                w = r[2];
                h = r[3];
            } else if (p instanceof HeifItems.Irot irot && irot.quarterTurns() != 0) {
                px = rotateAntiClockwise(px, w, h, irot.quarterTurns());
                if (irot.quarterTurns() % 2 == 1) {
                    int t = w;
                    w = h;
                    h = t;
                }
            } else if (p instanceof HeifItems.Imir imir) {
                px = mirror(px, w, h, imir.axis());
            }
        }
        Frame out = new Frame(w, h, Frame.DEPTH_UBYTE, 4);
        IntBuffer dst = ((ByteBuffer) out.image[0]).asIntBuffer();
        int stride = out.imageStride / 4;
        for (int y = 0; y < h; y++) {
            dst.put(y * stride, px, y * w, w);
        }
        return out;
    }

    static int[] pixels(Frame image) {
        int w = image.imageWidth;
        int h = image.imageHeight;
        IntBuffer src = ((ByteBuffer) image.image[0]).asIntBuffer();
        int stride = image.imageStride / 4;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            src.get(y * stride, px, y * w, w);
        }
        return px;
    }

    /** {x, y, w, h} of a clean aperture inside a {@code w x h} image (libheif's rounding). */
    static int[] clapRect(HeifItems.Clap c, int w, int h, String file, long itemId) {
        if (c.undefined()) {
            throw new CodecException("Cannot decode HEIF " + file + ": item " + itemId
                    + " has a 'clap' with a zero denominator");
        }
        int[] rect = c.rect(w, h);
        if (rect == null) {
            throw new CodecException("Cannot decode HEIF " + file + ": item " + itemId + "'s 'clap' ("
                    + (double) c.widthN() / c.widthD() + "x" + (double) c.heightN() / c.heightD()
                    + " at offset " + (double) c.horizOffN() / c.horizOffD() + ","
                    + (double) c.vertOffN() / c.vertOffD() + ") lies outside its " + w + "x" + h + " image");
        }
        return rect;
    }

    static int[] crop(int[] px, int w, int x, int y, int cw, int ch) {
        int[] out = new int[cw * ch];
        for (int r = 0; r < ch; r++) {
            System.arraycopy(px, (y + r) * w + x, out, r * cw, cw);
        }
        return out;
    }

    /** Rotates anti-clockwise by {@code quarterTurns * 90} degrees (irot's direction). */
    static int[] rotateAntiClockwise(int[] px, int w, int h, int quarterTurns) {
        int[] out = new int[px.length];
        switch (quarterTurns & 3) {
            case 1 -> { // (x, y) -> (y, w-1-x) in an h x w image
                for (int y = 0; y < h; y++) {
                    int row = y * w;
                    for (int x = 0; x < w; x++) {
                        out[(w - 1 - x) * h + y] = px[row + x];
                    }
                }
            }
            case 2 -> {
                for (int i = 0, n = px.length; i < n; i++) {
                    out[n - 1 - i] = px[i];
                }
            }
            case 3 -> { // (x, y) -> (h-1-y, x)
                for (int y = 0; y < h; y++) {
                    int row = y * w;
                    for (int x = 0; x < w; x++) {
                        out[x * h + (h - 1 - y)] = px[row + x];
                    }
                }
            }
            default -> System.arraycopy(px, 0, out, 0, px.length);
        }
        return out;
    }

    /** Axis 0: top and bottom exchanged; axis 1: left and right (ISO/IEC 23008-12:2022 6.5.12). */
    static int[] mirror(int[] px, int w, int h, int axis) {
        int[] out = new int[px.length];
        for (int y = 0; y < h; y++) {
            if (axis == 0) {
                System.arraycopy(px, y * w, out, (h - 1 - y) * w, w);
            } else {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    out[row + w - 1 - x] = px[row + x];
                }
            }
        }
        return out;
    }
}
