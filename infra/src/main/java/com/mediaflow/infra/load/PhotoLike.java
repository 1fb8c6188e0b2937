package com.mediaflow.infra.load;

import com.mediaflow.testkit.SyntheticMedia;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Photo-like JPEGs (and PNGs) for the benchmarks and the load test: what a camera's picture costs
 * a decoder, without shipping photos. {@link com.mediaflow.testkit.SyntheticMedia#jpeg} is a flat test pattern
 * plus strong per-pixel noise (about 3 MB at 12 MP); a camera JPEG of the same size at quality 90
 * is 1.5-2 MB, because most of its bits go to texture and edges, not to white noise.
 *
 * <p>Picture, from a seed (deterministic): a sky-to-ground gradient with slow colour drift;
 * antialiased shapes (discs, rounded boxes, polygons) with gradient fills, like objects; value-noise
 * texture at four scales (about 6 to 400 px), strong in "foliage" regions and faint in "sky"
 * ones, as a low-frequency mask decides; and mild sensor noise (luma, a little chroma). Encoded
 * with the JDK's JPEG writer (libjpeg's tables and scaling) at quality 90, 4:2:0, baseline; or
 * as an 8-bit RGB PNG with the JDK's PNG writer.
 */
public final class PhotoLike {

    static final float QUALITY = 0.90f;

    /** Sensor noise amplitude (triangular, +-); tuned so 12 MP lands at about 1.8 MB. */
    static final int SENSOR_NOISE = 6;
    /** Texture amplitude in fully textured regions, in 8-bit levels. */
    static final double TEXTURE = 40;

    private PhotoLike() {
    }

    /** A photo-like JPEG of {@code w x h} at quality 90; the same seed gives the same bytes. */
    public static Path jpeg(Path out, int w, int h, long seed) throws IOException {
        encode(image(w, h, seed), out);
        return out;
    }

    /** The same picture as {@link #jpeg}, as an 8-bit RGB PNG. */
    public static Path png(Path out, int w, int h, long seed) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        if (!ImageIO.write(image(w, h, seed), "png", out.toFile())) {
            throw new IOException("the JDK has no PNG writer; expected one in every JDK (writing " + out + ")");
        }
        return out;
    }

    static BufferedImage image(int w, int h, long seed) {
        if (w < 1 || h < 1 || w > 8900 || h > 8900) {
            throw new IllegalArgumentException("a photo-like image is 1 to 8900 pixels a side, found " + w + "x" + h);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        SplittableRandom rnd = new SplittableRandom(seed);
        paintShapes(img, rnd);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        ValueNoise mask = new ValueNoise(rnd.nextLong(), 700);
        ValueNoise[] octaves = {
            new ValueNoise(rnd.nextLong(), 400), new ValueNoise(rnd.nextLong(), 97),
            new ValueNoise(rnd.nextLong(), 23), new ValueNoise(rnd.nextLong(), 6)};
        double[] weights = {0.35, 0.3, 0.2, 0.15};
        ValueNoise tint = new ValueNoise(rnd.nextLong(), 180);
        int noiseSeed = (int) rnd.nextLong();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int p = px[i];
                // texture strength: mostly 0 (smooth) or 1 (textured), soft in between
                double m = smooth(Math.max(0, Math.min(1, (mask.at(x, y) - 0.3) * 3.0)));
                double t = 0;
                for (int o = 0; o < octaves.length; o++) {
                    t += weights[o] * (octaves[o].at(x, y) - 0.5);
                }
                double tx = t * 2 * TEXTURE * (0.12 + 0.88 * m);
                double c = (tint.at(x, y) - 0.5) * 16 * m;
                int n = hashNoise(x, y, noiseSeed);
                int nc = hashNoise(x + 7919, y + 104729, noiseSeed) / 3;
                int r = ((p >> 16) & 0xff) + (int) Math.round(tx + c) + n + nc;
                int g = ((p >> 8) & 0xff) + (int) Math.round(tx) + n;
                int b = (p & 0xff) + (int) Math.round(tx - c) + n - nc;
                px[i] = (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
            }
        }
        return img;
    }

    private static void paintShapes(BufferedImage img, SplittableRandom rnd) {
        int w = img.getWidth();
        int h = img.getHeight();
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int horizon = (int) (h * (0.35 + 0.3 * rnd.nextDouble()));
            g.setPaint(new GradientPaint(0, 0, hsb(rnd, 0.55f, 0.62f, 0.35f, 0.95f), 0, horizon,
                    hsb(rnd, 0.52f, 0.6f, 0.15f, 0.98f)));
            g.fillRect(0, 0, w, horizon);
            g.setPaint(new GradientPaint(0, horizon, hsb(rnd, 0.15f, 0.35f, 0.45f, 0.6f), w / 3f,
                    h, hsb(rnd, 0.05f, 0.3f, 0.5f, 0.35f)));
            g.fillRect(0, horizon, w, h - horizon);
            int shapes = 35 + rnd.nextInt(20);
            for (int s = 0; s < shapes; s++) {
                double cx = rnd.nextDouble() * w;
                double cy = horizon * 0.5 + rnd.nextDouble() * (h - horizon * 0.5);
                double sw = w * (0.02 + 0.2 * rnd.nextDouble() * rnd.nextDouble());
                double sh = sw * (0.4 + 1.6 * rnd.nextDouble());
                float hue = (float) rnd.nextDouble();
                g.setPaint(new GradientPaint((float) (cx - sw / 2), (float) (cy - sh / 2),
                        hsb(hue, 0.2f + 0.6f * (float) rnd.nextDouble(), 0.3f + 0.6f * (float) rnd.nextDouble()),
                        (float) (cx + sw / 2), (float) (cy + sh / 2),
                        hsb(hue + 0.05f, 0.2f + 0.6f * (float) rnd.nextDouble(), 0.1f + 0.5f * (float) rnd.nextDouble())));
                switch (rnd.nextInt(3)) {
                    case 0 -> g.fill(new Ellipse2D.Double(cx - sw / 2, cy - sh / 2, sw, sh));
                    case 1 -> g.fill(new RoundRectangle2D.Double(cx - sw / 2, cy - sh / 2, sw, sh,
                            sw * 0.2, sw * 0.2));
                    default -> {
                        Path2D.Double poly = new Path2D.Double();
                        int corners = 3 + rnd.nextInt(5);
                        for (int k = 0; k < corners; k++) {
                            double a = 2 * Math.PI * k / corners + rnd.nextDouble() * 0.6;
                            double rad = 0.5 + 0.5 * rnd.nextDouble();
                            double px = cx + Math.cos(a) * sw * rad;
                            double py = cy + Math.sin(a) * sh * rad;
                            if (k == 0) {
                                poly.moveTo(px, py);
                            } else {
                                poly.lineTo(px, py);
                            }
                        }
                        poly.closePath();
                        g.fill(poly);
                    }
                }
            }
        } finally {
            g.dispose();
        }
    }

    private static Color hsb(SplittableRandom rnd, float hue, float hueSpread, float sat,
            float bri) {
        return hsb(hue + hueSpread * ((float) rnd.nextDouble() - 0.5f) * 0.2f, sat, bri);
    }

    private static Color hsb(float hue, float sat, float bri) {
        return Color.getHSBColor(hue, Math.min(1, sat), Math.min(1, bri));
    }

    private static void encode(BufferedImage img, Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream os = Files.newOutputStream(out);
                ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    /** Triangular noise in [-SENSOR_NOISE, SENSOR_NOISE] from an integer hash. */
    private static int hashNoise(int x, int y, int seed) {
        int v = x * 374_761_393 + y * 668_265_263 + seed * 1_274_126_177;
        v = (v ^ (v >>> 13)) * 1_103_515_245;
        v ^= v >>> 16;
        int a = v & 0xff;
        int b = (v >>> 8) & 0xff;
        return ((a + b) * (2 * SENSOR_NOISE + 1)) / 512 - SENSOR_NOISE;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Smooth value noise in [0, 1) on a lattice of {@code cell} pixels. */
    private static final class ValueNoise {
        private final int cell;
        private final int cols;
        private final float[] lattice;

        ValueNoise(long seed, int cell) {
            this.cell = cell;
            SplittableRandom r = new SplittableRandom(seed);
            this.cols = 9000 / cell + 3;
            int rows = 9000 / cell + 3;
            this.lattice = new float[cols * rows];
            for (int i = 0; i < lattice.length; i++) {
                lattice[i] = (float) r.nextDouble();
            }
        }

        double at(int x, int y) {
            int gx = x / cell;
            int gy = y / cell;
            double fx = smooth((x - gx * cell) / (double) cell);
            double fy = smooth((y - gy * cell) / (double) cell);
            int i = gy * cols + gx;
            double top = lattice[i] + (lattice[i + 1] - lattice[i]) * fx;
            double bottom = lattice[i + cols] + (lattice[i + cols + 1] - lattice[i + cols]) * fx;
            return top + (bottom - top) * fy;
        }
    }
}
