package com.mediaflow.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Whether Mediaflow's HEIC thumbnails show the picture {@code heif-convert} (libheif) shows: same
 * upright size once fitted to the box, and a PSNR of at least {@value #MIN_PSNR} dB against
 * libheif's full picture scaled down. FFmpeg alone returns one 512x512 tile or a grey auxiliary
 * image of phone HEICs, which fails this; a HEIC speed figure only counts when the picture is right.
 */
final class HeicCheck {

    static final double MIN_PSNR = 25.0;

    private HeicCheck() {
    }

    /** Prints one line per file; true when every file matches. */
    static boolean report(List<Path> heics, Path mediaflowDir, Path heifConvertDir, int box) {
        boolean all = true;
        for (Path heic : heics) {
            String name = heic.getFileName().toString();
            String verdict;
            boolean ok = false;
            try {
                BufferedImage ours = read(mediaflowDir.resolve(name + ".jpg"));
                BufferedImage ref = read(heifConvertDir.resolve(name + ".jpg"));
                int[] want = fit(ref.getWidth(), ref.getHeight(), box);
                if (Math.abs(ours.getWidth() - want[0]) > 1 || Math.abs(ours.getHeight() - want[1]) > 1) {
                    verdict = String.format("mediaflow %dx%d, heif-convert %dx%d (expected %dx%d): WRONG SIZE",
                            ours.getWidth(), ours.getHeight(), ref.getWidth(), ref.getHeight(), want[0], want[1]);
                } else {
                    double psnr = psnr(ours, scale(ref, ours.getWidth(), ours.getHeight()));
                    ok = psnr >= MIN_PSNR;
                    verdict = String.format("mediaflow %dx%d, heif-convert %dx%d, PSNR %.1f dB: %s",
                            ours.getWidth(), ours.getHeight(), ref.getWidth(), ref.getHeight(), psnr,
                            ok ? "same picture" : "WRONG PICTURE (below " + MIN_PSNR + " dB)");
                }
            } catch (IOException | RuntimeException e) {
                verdict = "cannot compare: " + e.getMessage();
            }
            System.out.println("  HEIC output check " + name + ": " + verdict);
            all &= ok;
        }
        return all;
    }

    private static BufferedImage read(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new IOException(p.getFileName() + " was not written");
        }
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) {
            throw new IOException("ImageIO cannot read " + p.getFileName());
        }
        return img;
    }

    static int[] fit(int w, int h, int box) {
        int longest = Math.max(w, h);
        if (longest <= box) {
            return new int[] {w, h};
        }
        double s = (double) box / longest;
        return new int[] {w >= h ? box : (int) Math.round(w * s), h > w ? box : (int) Math.round(h * s)};
    }

    /** Halving steps with bilinear filtering (close to an area filter), then one bilinear step. */
    private static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage cur = src;
        while (cur.getWidth() / 2 >= w && cur.getHeight() / 2 >= h) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return draw(cur, w, h);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static double psnr(BufferedImage a, BufferedImage b) {
        double se = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = ((p >> shift) & 0xff) - ((q >> shift) & 0xff);
                    se += d * d;
                    n++;
                }
            }
        }
        double mse = se / n;
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
