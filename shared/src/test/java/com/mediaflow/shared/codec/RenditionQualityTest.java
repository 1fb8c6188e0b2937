package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import com.mediaflow.testkit.Corpus;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renditions against an independent reference: the source decoded by ImageIO and downscaled by
 * an exact area average in double precision ({@link ImageQuality#areaDownscale}). Luma SSIM
 * (8x8 windows) must reach {@link #MIN_SSIM} and luma PSNR {@link #MIN_PSNR_DB}; a naive
 * nearest-neighbour scaler of fine detail falls below both, so aliasing and ringing show.
 */
class RenditionQualityTest {

    /** Lowest SSIM a rendition may have against the area-average reference. */
    static final double MIN_SSIM = 0.90;
    /** Lowest PSNR (dB) a rendition may have against the area-average reference. */
    static final double MIN_PSNR_DB = 30.0;

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Landscape_0.jpg", "Landscape_1.jpg", "Portrait_0.jpg",
        "Portrait_1.jpg"})
    void renditions_corpusPhotos_matchTheAreaAverageReference(String name) {
        // given an upright corpus photo (EXIF orientation absent or 1)
        Path photo = Corpus.dir().resolve("exif-orientation").resolve(name);
        TestImages.Rgb source = ImageQuality.decodeSource(photo);

        // when: fitted thumbnails and the display JPEG from one decode, and a lone 320 box
        // (decoded with the JPEG decoder's lowres, then Lanczos)
        List<Rendition> renditions = new java.util.ArrayList<>(THUMBNAILER.imageRenditions(photo,
                1, new RenditionPlan(List.of(320, 640), 0, 1280, 80, 0)).renditions());
        renditions.addAll(THUMBNAILER.imageThumbnails(photo, 1, List.of(200)));

        // then
        for (Rendition r : renditions) {
            if (!r.name().endsWith(".jpg")) {
                continue; // ImageIO has no WebP reader
            }
            assertMatchesReference(name + " " + r.name(), source, decode(r.bytes()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"basn2c08.png", "basn0g08.png", "basn2c16.png", "basn3p08.png",
        "basi2c08.png", "basn6a08.png"})
    void thumbnail_pngSuite_matchesTheAreaAverageReference(String name) {
        Path png = Corpus.dir().resolve("pngsuite/png").resolve(name);

        TestImages.Rgb got = decode(THUMBNAILER.imageThumbnails(png, 1, List.of(16)).get(0)
                .bytes());

        assertMatchesReference(name, ImageQuality.decodeSource(png), got);
    }

    /**
     * A zone plate (concentric rings whose frequency rises from 0 at the centre to 0.35 cycles
     * a pixel in the corners) shrunk 4x: rings finer than the thumbnail's Nyquist limit (0.125
     * cycles a source pixel, reached at radius 256) must become flat grey, not moiré. An area
     * average leaks such rings itself, so the reference here is analytic: the zone plate with
     * its frequencies above 0.7x that limit faded out (cosine taper to zero at the limit),
     * sampled at the thumbnail's pixel centres. How a filter treats the band around the limit
     * (0.5x to 1.5x) is its own design choice, so that annulus is left out of the measures:
     * what is compared is rings that must stay and rings that must vanish.
     */
    @Test
    void thumbnail_zonePlate_passesWhileNearestNeighbourAliases() throws Exception {
        int n = 1024;
        int factor = 4;
        Path png = png("png-zoneplate-1024.png", n, n, (x, y) -> zonePlate(n, x, y, 0));
        TestImages.Rgb got = decode(THUMBNAILER.imageThumbnails(png, 1, List.of(n / factor))
                .get(0).bytes());
        int m = got.width();
        int[] ideal = new int[m * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < m; i++) {
                double sx = i * factor + (factor - 1) / 2.0;
                double sy = j * factor + (factor - 1) / 2.0;
                int v = (int) Math.round(zonePlate(n, sx, sy, 0.5 / factor));
                ideal[j * m + i] = 0xff000000 | v << 16 | v << 8 | v;
            }
        }
        double limit = 0.5 / factor;
        ImageQuality.Mask unambiguous = (i, j) -> {
            double dx = i * factor + (factor - 1) / 2.0 - n / 2.0;
            double dy = j * factor + (factor - 1) / 2.0 - n / 2.0;
            double f = Math.sqrt(dx * dx + dy * dy) / (2.0 * n);
            return f < 0.5 * limit || f > 1.5 * limit;
        };
        assertCatchesNaiveScaling(decode(png), got, new TestImages.Rgb(m, m, ideal),
                "zone plate", unambiguous);
    }

    /**
     * Zone plate level at (x, y): phase pi r^2 / 2n, so the local frequency is r / 2n cycles a
     * pixel. With {@code cutoff} > 0, rings above 0.7 cutoff fade out to none at the cutoff.
     */
    private static double zonePlate(int n, double x, double y, double cutoff) {
        double dx = x - n / 2.0;
        double dy = y - n / 2.0;
        double r2 = dx * dx + dy * dy;
        double gain = 1;
        if (cutoff > 0) {
            double f = Math.sqrt(r2) / (2.0 * n);
            double t = (f - 0.7 * cutoff) / (0.3 * cutoff);
            gain = t <= 0 ? 1 : t >= 1 ? 0 : Math.pow(Math.cos(t * Math.PI / 2), 2);
        }
        return 127.5 + 127.5 * gain * Math.cos(Math.PI * r2 / (2.0 * n));
    }

    /** One-pixel black and white stripes shrunk 4x: the right answer is flat mid grey. */
    @Test
    void thumbnail_onePixelStripes_passWhileNearestNeighbourAliases() throws Exception {
        Path png = png("png-stripes-1px-640x480.png", 640, 480, (x, y) -> x % 2 == 0 ? 0 : 255);
        TestImages.Rgb source = decode(png);
        TestImages.Rgb got = decode(THUMBNAILER.imageThumbnails(png, 1, List.of(160)).get(0)
                .bytes());
        assertCatchesNaiveScaling(source, got,
                ImageQuality.areaDownscale(source, got.width(), got.height()), "stripes",
                ImageQuality.Mask.ALL);
    }

    private static void assertCatchesNaiveScaling(TestImages.Rgb source, TestImages.Rgb got,
            TestImages.Rgb reference, String what, ImageQuality.Mask mask) {
        TestImages.Rgb naive = ImageQuality.nearestDownscale(source, got.width(), got.height());

        double ssim = ImageQuality.ssim(reference, got, mask);
        double naiveSsim = ImageQuality.ssim(reference, naive, mask);
        double psnr = ImageQuality.psnr(reference, got, mask);
        double naivePsnr = ImageQuality.psnr(reference, naive, mask);
        System.out.printf("quality %s: rendition SSIM %.4f PSNR %.1f dB; nearest SSIM %.4f "
                + "PSNR %.1f dB%n", what, ssim, psnr, naiveSsim, naivePsnr);

        assertThat(ssim).as("rendition SSIM").isGreaterThanOrEqualTo(MIN_SSIM);
        assertThat(psnr).as("rendition PSNR").isGreaterThanOrEqualTo(MIN_PSNR_DB);
        assertThat(naiveSsim).as("nearest-neighbour SSIM").isLessThan(MIN_SSIM);
        assertThat(naivePsnr).as("nearest-neighbour PSNR").isLessThan(MIN_PSNR_DB);
    }

    private static void assertMatchesReference(String what, TestImages.Rgb source,
            TestImages.Rgb got) {
        TestImages.Rgb reference = ImageQuality.areaDownscale(source, got.width(), got.height());
        double ssim = ImageQuality.ssim(reference, got);
        double psnr = ImageQuality.psnr(reference, got);
        System.out.printf("quality %s %dx%d: SSIM %.4f PSNR %.1f dB%n", what, got.width(),
                got.height(), ssim, psnr);
        assertThat(ssim).as("SSIM of %s", what).isGreaterThanOrEqualTo(MIN_SSIM);
        assertThat(psnr).as("PSNR of %s", what).isGreaterThanOrEqualTo(MIN_PSNR_DB);
    }

    /** A grey PNG of {@code w x h} whose level at (x, y) is {@code level}. */
    private Path png(String name, int w, int h, Level level) throws Exception {
        byte[] bytes;
        try (Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    byte v = (byte) Math.round(Math.max(0, Math.min(255, level.at(x, y))));
                    for (int c = 0; c < 3; c++) {
                        buf.put(y * frame.imageStride + x * 3 + c, v);
                    }
                }
            }
            bytes = FfmpegSupport.encodeStill(frame, AV_PIX_FMT_RGB24, AV_CODEC_ID_PNG,
                    AV_PIX_FMT_RGB24, 0, tmp.resolve(name));
        }
        return Files.write(tmp.resolve(name), bytes);
    }

    @FunctionalInterface
    private interface Level {
        double at(int x, int y);
    }
}
