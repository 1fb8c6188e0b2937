package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static com.mediaflow.shared.codec.TestImages.similarity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import com.mediaflow.testkit.SyntheticMedia;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import com.mediaflow.testkit.Corpus;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rendition of the plan (square, fitted, display JPEG and WebP, placeholder) on real media. */
class ThumbnailerRenditionsTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);
    private static final RenditionPlan PLAN =
            new RenditionPlan(List.of(320, 640, 1280), 160, 2048, 80, 1024);

    @TempDir
    Path tmp;

    @Test
    void renditions_landscapeJpeg_everySizeFitsAndNothingIsUpscaled() {
        // given
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-1600x1200.jpg"), 1600, 1200, 0);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 1, PLAN);

        // then
        assertThat(sizes(made.renditions())).containsExactly(
                Map.entry("thumb-square-160.jpg", "160x160"),
                Map.entry("thumb-320.jpg", "320x240"),
                Map.entry("thumb-640.jpg", "640x480"),
                Map.entry("thumb-1280.jpg", "1280x960"),
                Map.entry("display.jpg", "1600x1200"),
                Map.entry("display.webp", "1600x1200"),
                Map.entry("placeholder.jpg", "32x24"));
        assertThat(made.renditions()).extracting(Rendition::kind).containsExactly("thumbnail",
                "thumbnail", "thumbnail", "thumbnail", "display", "display", "placeholder");
        assertRealSizes(made.renditions());
    }

    @Test
    void renditions_photoSmallerThanABox_thatBoxsJpegIsTheDisplayJpeg_encodedOnce() {
        // given a photo smaller than the 1280 box, so thumb-1280 and display.jpg are the same pixels
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-1000x750.jpg"), 1000, 750, 0);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 1, PLAN);

        // then: one encode, its bytes under both names; the smaller thumbnails have their own
        Map<String, Rendition> byName = new LinkedHashMap<>();
        made.renditions().forEach(r -> byName.put(r.name(), r));
        assertThat(sizes(made.renditions())).containsEntry("thumb-1280.jpg", "1000x750").containsEntry("display.jpg",
                "1000x750");
        assertThat(byName.get("thumb-1280.jpg").bytes()).isSameAs(byName.get("display.jpg").bytes());
        assertThat(byName.get("thumb-1280.jpg").kind()).isEqualTo("thumbnail");
        assertThat(byName.get("thumb-640.jpg").bytes()).isNotSameAs(byName.get("display.jpg").bytes());
        assertRealSizes(made.renditions());
    }

    @Test
    void earlyRenditions_realPhoto_squareSmallestAndPlaceholderHandedOnOnce_sameAsInTheResult() {
        // given a corpus photo with an EXIF rotation, and a sink that records what it is handed
        Path photo = Corpus.dir().resolve("exif-orientation/Landscape_6.jpg");
        List<List<Rendition>> handed = new java.util.ArrayList<>();

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(photo, 6, PLAN, handed::add);
        ImageRenditions plain = THUMBNAILER.imageRenditions(photo, 6, PLAN);

        // then: handed on once, before the rest, and each is the very rendition of the result
        assertThat(handed).hasSize(1);
        assertThat(handed.get(0)).extracting(Rendition::name).containsExactly("thumb-320.jpg",
                "thumb-square-160.jpg", "placeholder.jpg");
        for (Rendition r : handed.get(0)) {
            assertThat(made.renditions()).as(r.name()).contains(r);
        }
        // the very same bytes as without an early sink (shadow mode compares a copy run without one)
        assertThat(sizes(made.renditions())).isEqualTo(sizes(plain.renditions()));
        for (int i = 0; i < made.renditions().size(); i++) {
            assertThat(made.renditions().get(i).bytes()).as(made.renditions().get(i).name())
                    .isEqualTo(plain.renditions().get(i).bytes());
        }
        assertThat(made.placeholder().blurHash()).isNotBlank().isEqualTo(plain.placeholder().blurHash());
        assertThat(made.perceptualHash()).isNotNull().isEqualTo(plain.perceptualHash());
        assertRealSizes(made.renditions());
    }

    @Test
    void earlyRenditions_video_handedOnBeforeThePoster() {
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-640x480-1s.mp4"), 640, 480, 1.0, 10, false, 0);
        List<List<Rendition>> handed = new java.util.ArrayList<>();

        ImageRenditions made = THUMBNAILER.videoRenditions(mp4, 1280, PLAN, handed::add);

        assertThat(handed).hasSize(1);
        assertThat(handed.get(0)).extracting(Rendition::name).containsExactly("thumb-320.jpg",
                "thumb-square-160.jpg", "placeholder.jpg");
        assertThat(made.renditions().get(0).name()).isEqualTo("poster.jpg");
        assertRealSizes(made.renditions());
    }

    @Test
    void displayWebp_effortIsLibwebpsMethod_lowerIsLargerForTheSamePicture() {
        // given one photo-like picture and two plans that differ only in the WebP's effort
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-effort-800x600.jpg"), 800, 600, 0);
        RenditionPlan fastest = new RenditionPlan(List.of(), 0, 2048, 80, 0, 0);
        RenditionPlan smallest = new RenditionPlan(List.of(), 0, 2048, 80, 0, 6);

        // when
        Rendition fast = named(THUMBNAILER.imageRenditions(jpeg, 1, fastest), "display.webp");
        Rendition small = named(THUMBNAILER.imageRenditions(jpeg, 1, smallest), "display.webp");

        // then the encoder was told: method 0 spends fewer bits on search and writes more bytes
        assertThat(fast.bytes().length).as("method 0 vs 6").isGreaterThan(small.bytes().length);
        assertRealSizes(List.of(fast, small));
        assertThat(PLAN.webpEffort()).isEqualTo(RenditionPlan.DEFAULT_WEBP_EFFORT);
    }

    @Test
    void renditions_portraitByExifOrientation_areUpright() {
        // given a landscape-stored picture tagged "rotate 90 clockwise"
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-exif-orientation6-1200x900.jpg"), 1200,
                900, 6);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 6, PLAN);

        // then
        assertThat(sizes(made.renditions())).containsExactly(
                Map.entry("thumb-square-160.jpg", "160x160"),
                Map.entry("thumb-320.jpg", "240x320"),
                Map.entry("thumb-640.jpg", "480x640"),
                Map.entry("thumb-1280.jpg", "900x1200"),
                Map.entry("display.jpg", "900x1200"),
                Map.entry("display.webp", "900x1200"),
                Map.entry("placeholder.jpg", "24x32"));
        assertRealSizes(made.renditions());
        // the white marker, stored top-left, is top-right once upright (as in the thumbnails)
        TestImages.Rgb display = decode(named(made, "display.jpg").bytes());
        assertThat(display.meanLuma(0.70, 0.09, 0.90, 0.22)).as("marker, top-right")
                .isGreaterThan(200);
    }

    @Test
    void renditions_smallSource_keepItsSizeAndSquareIsItsShortSide() {
        // given
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-100x60.jpg"), 100, 60, 0);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 1, PLAN);

        // then
        assertThat(sizes(made.renditions())).containsExactly(
                Map.entry("thumb-square-160.jpg", "60x60"),
                Map.entry("thumb-320.jpg", "100x60"),
                Map.entry("thumb-640.jpg", "100x60"),
                Map.entry("thumb-1280.jpg", "100x60"),
                Map.entry("display.jpg", "100x60"),
                Map.entry("display.webp", "100x60"),
                Map.entry("placeholder.jpg", "32x19"));
        assertRealSizes(made.renditions());
    }

    @Test
    void renditions_twelveMegapixelJpeg_displayIsCappedAt2048() {
        // given a 12-megapixel photo-sized JPEG
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-4000x3000.jpg"), 4000, 3000, 0);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 1, PLAN);

        // then
        assertThat(sizes(made.renditions())).containsExactly(
                Map.entry("thumb-square-160.jpg", "160x160"),
                Map.entry("thumb-320.jpg", "320x240"),
                Map.entry("thumb-640.jpg", "640x480"),
                Map.entry("thumb-1280.jpg", "1280x960"),
                Map.entry("display.jpg", "2048x1536"),
                Map.entry("display.webp", "2048x1536"),
                Map.entry("placeholder.jpg", "32x24"));
        assertRealSizes(made.renditions());
    }

    @Test
    void squareThumbnail_isTheCentredSquareOfThePicture() {
        // given
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-960x480.jpg"), 960, 480, 0);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 1, PLAN);

        // then it looks like the display image's middle 480x480, scaled to 160
        TestImages.Rgb display = decode(named(made, "display.jpg").bytes());
        TestImages.Rgb expected = scaled(crop(display, 240, 0, 480, 480), 160, 160);
        TestImages.Rgb square = decode(named(made, "thumb-square-160.jpg").bytes());
        assertThat(similarity(expected, square)).isGreaterThan(0.97);
        TestImages.Rgb leftSquare = scaled(crop(display, 0, 0, 480, 480), 160, 160);
        assertThat(similarity(leftSquare, square)).as("the left square is another picture")
                .isLessThan(similarity(expected, square) - 0.03);
    }

    @Test
    void displayWebp_keepsAlpha_whileDisplayJpegIsFlattenedOntoWhite() throws Exception {
        // given a PNG whose left column is fully transparent and right column opaque
        Path png = SyntheticMedia.pngWithAlpha(tmp.resolve("png-rgba-alpha-ramp-200x100.png"),
                200, 100);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(png, 1, PLAN);

        // then the WebP still has the ramp
        Rendition webp = named(made, "display.webp");
        assertThat(webp.contentType()).isEqualTo("image/webp");
        int[][] alpha = webpAlpha(webp.bytes());
        assertThat(alpha.length).isEqualTo(100);
        assertThat(alpha[0].length).isEqualTo(200);
        assertThat(alpha[50][0]).as("alpha at the transparent edge").isLessThan(16);
        assertThat(alpha[50][199]).as("alpha at the opaque edge").isGreaterThan(240);
        assertThat(alpha[50][100]).as("alpha halfway").isBetween(96, 160);
        // and the JPEG shows white where the source was transparent
        TestImages.Rgb jpeg = decode(named(made, "display.jpg").bytes());
        assertThat(List.of(jpeg.red(0, 50), jpeg.green(0, 50), jpeg.blue(0, 50)))
                .as("RGB at the transparent edge").allSatisfy(c -> assertThat(c).isGreaterThan(240));
    }

    @Test
    void placeholder_fitsItsBudget_decodes_andMatchesTheManifestEntry() {
        // given
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-800x600.jpg"), 800, 600, 0);

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 1, PLAN);

        // then
        Placeholder p = made.placeholder();
        assertThat(p).isNotNull();
        assertThat(p.jpeg().length).isLessThanOrEqualTo(1024);
        TestImages.Rgb got = decode(p.jpeg());
        assertThat(new int[] {got.width(), got.height()}).containsExactly(32, 24);
        assertThat(named(made, "placeholder.jpg").bytes()).isEqualTo(p.jpeg());
        Map<String, Object> meta = p.toMetadata();
        assertThat(meta).containsOnlyKeys("blurhash", "jpeg", "width", "height")
                .containsEntry("width", 32).containsEntry("height", 24)
                .containsEntry("blurhash", p.blurHash());
        assertThat(Base64.getDecoder().decode((String) meta.get("jpeg"))).isEqualTo(p.jpeg());
        // the BlurHash: 4x3 components, whose DC is the picture's average colour
        assertThat(p.blurHash()).hasSize(BlurHash.length(4, 3)).startsWith("L");
        int[] average = BlurHash.averageColor(p.blurHash());
        int[] expected = linearAverage(got);
        for (int c = 0; c < 3; c++) {
            assertThat(average[c]).as("channel %d", c).isCloseTo(expected[c],
                    org.assertj.core.api.Assertions.within(8));
        }
    }

    @Test
    void placeholder_tightBudget_qualityStepsDownUntilItFits() {
        // given a busy picture and the smallest budget the configuration allows
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-640x480.jpg"), 640, 480, 0);
        RenditionPlan tight = new RenditionPlan(List.of(), 0, 0, 80,
                RenditionPlan.MIN_PLACEHOLDER_BYTES);

        // when
        ImageRenditions made = new Thumbnailer(100).imageRenditions(jpeg, 1, tight);

        // then
        assertThat(made.renditions()).extracting(Rendition::name)
                .containsExactly("placeholder.jpg");
        assertThat(made.placeholder().jpeg().length)
                .isLessThanOrEqualTo(RenditionPlan.MIN_PLACEHOLDER_BYTES);
        TestImages.Rgb got = decode(made.placeholder().jpeg());
        assertThat(new int[] {got.width(), got.height()}).containsExactly(
                made.placeholder().width(), made.placeholder().height());
    }

    @Test
    void videoRenditions_posterThenEveryRenditionOfThePosterFrame() {
        // given
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-320x240-1s.mp4"), 320, 240, 1.0, 10,
                false, 0);

        // when
        ImageRenditions made = THUMBNAILER.videoRenditions(mp4, 1280, PLAN);

        // then
        assertThat(sizes(made.renditions())).containsExactly(
                Map.entry("poster.jpg", "320x240"),
                Map.entry("thumb-square-160.jpg", "160x160"),
                Map.entry("thumb-320.jpg", "320x240"),
                Map.entry("thumb-640.jpg", "320x240"),
                Map.entry("thumb-1280.jpg", "320x240"),
                Map.entry("display.jpg", "320x240"),
                Map.entry("display.webp", "320x240"),
                Map.entry("placeholder.jpg", "32x24"));
        assertThat(made.renditions().get(0).kind()).isEqualTo("poster");
        assertThat(made.placeholder()).isNotNull();
        assertRealSizes(made.renditions());
        assertThat(decode(named(made, "display.jpg").bytes()).meanLuma())
                .isGreaterThan(Thumbnailer.BLACK_LUMA);
    }

    // --- helpers ------------------------------------------------------------------------------

    static Map<String, String> sizes(List<Rendition> renditions) {
        Map<String, String> sizes = new LinkedHashMap<>();
        for (Rendition r : renditions) {
            sizes.put(r.name(), r.width() + "x" + r.height());
        }
        return sizes;
    }

    static Rendition named(ImageRenditions made, String name) {
        return made.renditions().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + made.renditions()));
    }

    /** The stated size is the real one: JPEGs decoded by ImageIO, WebP by FFmpeg. */
    static void assertRealSizes(List<Rendition> renditions) {
        for (Rendition r : renditions) {
            int[] real;
            if (r.contentType().equals("image/webp")) {
                int[][] alpha = webpAlpha(r.bytes());
                real = new int[] {alpha[0].length, alpha.length};
            } else {
                assertThat(r.contentType()).isEqualTo("image/jpeg");
                TestImages.Rgb got = decode(r.bytes());
                real = new int[] {got.width(), got.height()};
            }
            assertThat(real).as(r.name()).containsExactly(r.width(), r.height());
        }
    }

    /** Decodes a WebP with FFmpeg to RGBA and returns its alpha channel, [y][x]. */
    static int[][] webpAlpha(byte[] webp) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(
                new java.io.ByteArrayInputStream(webp))) {
            grabber.setFormat("webp_pipe");
            grabber.setPixelFormat(AV_PIX_FMT_RGBA);
            grabber.start();
            Frame f = grabber.grabImage();
            assertThat(f).as("FFmpeg decodes the WebP").isNotNull();
            ByteBuffer buf = (ByteBuffer) f.image[0];
            int[][] alpha = new int[f.imageHeight][f.imageWidth];
            for (int y = 0; y < f.imageHeight; y++) {
                for (int x = 0; x < f.imageWidth; x++) {
                    alpha[y][x] = buf.get(y * f.imageStride + x * 4 + 3) & 0xff;
                }
            }
            grabber.stop();
            return alpha;
        } catch (Exception e) {
            throw new AssertionError("Cannot decode the WebP with FFmpeg: " + e.getMessage(), e);
        }
    }

    private static TestImages.Rgb crop(TestImages.Rgb img, int x0, int y0, int w, int h) {
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.argb(), (y0 + y) * img.width() + x0, out, y * w, w);
        }
        return new TestImages.Rgb(w, h, out);
    }

    private static TestImages.Rgb scaled(TestImages.Rgb img, int w, int h) {
        BufferedImage src = new BufferedImage(img.width(), img.height(),
                BufferedImage.TYPE_INT_RGB);
        src.setRGB(0, 0, img.width(), img.height(), img.argb(), 0, img.width());
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0,
                null);
        g.dispose();
        return new TestImages.Rgb(w, h, dst.getRGB(0, 0, w, h, null, 0, w));
    }

    /** Mean colour in linear light, back in sRGB: what a BlurHash's DC encodes. */
    private static int[] linearAverage(TestImages.Rgb img) {
        double[] sum = new double[3];
        int n = img.width() * img.height();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                sum[0] += toLinear(img.red(x, y));
                sum[1] += toLinear(img.green(x, y));
                sum[2] += toLinear(img.blue(x, y));
            }
        }
        return new int[] {BlurHash.linearToSrgb(sum[0] / n), BlurHash.linearToSrgb(sum[1] / n),
            BlurHash.linearToSrgb(sum[2] / n)};
    }

    private static double toLinear(int v) {
        double c = v / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
