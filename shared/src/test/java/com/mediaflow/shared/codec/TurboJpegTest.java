package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static com.mediaflow.shared.codec.TestImages.similarity;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.validation.internal.parsers.ImageFixtures;
import com.mediaflow.testkit.SyntheticMedia;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The libjpeg-turbo fast path of the thumbnails: DCT-scaled decodes match ImageIO's full decode
 * shrunk by an area average, the reduction never leaves fewer pixels than a rendition needs, and
 * the JPEGs it leaves to FFmpeg (CMYK, damaged) still get their thumbnails there.
 */
class TurboJpegTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);

    @TempDir
    Path tmp;

    @Test
    void natives_loadBesideJavaCppOfTheFfmpegPreset() {
        assertThat(TurboJpeg.available()).as("Leptonica's natives load beside the FFmpeg preset's JavaCPP")
                .isTrue();
    }

    @ParameterizedTest(name = "{0}x{1} needing {2} px -> 1/{3}")
    @CsvSource({
        "4000, 3000, 512, 4", // 1000 covers 512, 500 does not
        "4000, 3000, 500, 8",
        "4001, 3000, 501, 8", // libjpeg rounds up: ceil(4001 / 8) = 501
        "4000, 3000, 501, 4",
        "3000, 4000, 1000, 4",
        "4000, 3000, 1001, 2",
        "4000, 3000, 2001, 1",
        "320, 240, 1280, 1"})
    void reductionFor_isTheLargestThatStillCoversTheNeed(int w, int h, long need, int expected) {
        assertThat(TurboJpeg.reductionFor(w, h, need)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "1/{0}")
    @CsvSource({"1", "2", "4", "8"})
    void decode_reducedPicture_matchesTheAreaAverageOfTheFullOne(int reduction) throws Exception {
        // given a 1600x1200 JPEG
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-1600x1200.jpg"), 1600, 1200, 0);
        TestImages.Rgb full = decode(jpeg);

        // when
        TestImages.Rgb got;
        try (BytePointer data = TurboJpeg.read(jpeg, Long.MAX_VALUE)) {
            TurboJpeg.Header header = TurboJpeg.header(data);
            assertThat(header).isEqualTo(new TurboJpeg.Header(1600, 1200, 3));
            try (TurboJpeg.Decoded decoded = TurboJpeg.decode(data, 1600, 1200, reduction, 3)) {
                got = rgb(decoded.frame());
            }
        }

        // then
        assertThat(new int[] {got.width(), got.height()})
                .containsExactly(1600 / reduction, 1200 / reduction);
        TestImages.Rgb reference = ImageQuality.areaDownscale(full, got.width(), got.height());
        assertThat(ImageQuality.psnr(reference, got)).isGreaterThan(30.0);
        assertThat(similarity(reference, got)).isGreaterThan(0.98);
    }

    @Test
    void thumbnail_reducedJustEnough_hasTheRequestedSizeAndMatchesTheFullDecode() throws Exception {
        // given a JPEG whose 1/8 decode (ceil(1601 / 8) = 201) exactly covers a 201 box
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-1601x1200.jpg"), 1601, 1200, 0);
        assertThat(TurboJpeg.reductionFor(1601, 1200, 201)).isEqualTo(8);

        // when
        Rendition r = THUMBNAILER.imageThumbnails(jpeg, 1, List.of(201)).get(0);

        // then: never smaller than asked for, and the same picture as an exact area average
        TestImages.Rgb got = decode(r.bytes());
        assertThat(new int[] {got.width(), got.height()}).containsExactly(201, 151);
        TestImages.Rgb reference = ImageQuality.areaDownscale(decode(jpeg), 201, 151);
        assertThat(ImageQuality.ssim(reference, got)).isGreaterThan(0.90);
        assertThat(ImageQuality.psnr(reference, got)).isGreaterThan(28.0);
    }

    @Test
    void thumbnail_greyJpeg_isDecodedHereAndStaysGrey() throws Exception {
        // given a greyscale JPEG (one component)
        BufferedImage grey = new BufferedImage(640, 480, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grey.getRaster();
        int[] painted = new int[640 * 480];
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int v = x * 200 / 639 + (y / 40 % 2) * 55;
                raster.setSample(x, y, 0, v);
                painted[y * 640 + x] = 0xff000000 | v << 16 | v << 8 | v;
            }
        }
        Path jpeg = write("grey-640x480.jpg", ImageFixtures.jpeg(grey, false));
        try (BytePointer data = TurboJpeg.read(jpeg, Long.MAX_VALUE)) {
            assertThat(TurboJpeg.header(data)).isEqualTo(new TurboJpeg.Header(640, 480, 1));
        }

        // when
        TestImages.Rgb got = decode(THUMBNAILER.imageThumbnails(jpeg, 1, List.of(160)).get(0)
                .bytes());

        // then
        assertThat(new int[] {got.width(), got.height()}).containsExactly(160, 120);
        // (against the painted levels: ImageIO's getRGB of a grey JPEG changes its gamma)
        TestImages.Rgb reference = ImageQuality.areaDownscale(new TestImages.Rgb(640, 480,
                painted), 160, 120);
        assertThat(similarity(reference, got)).isGreaterThan(0.98);
        int p = got.argb()[60 * 160 + 80];
        int r = p >> 16 & 0xff;
        int g = p >> 8 & 0xff;
        int b = p & 0xff;
        assertThat(Math.max(Math.abs(r - g), Math.abs(g - b))).as("grey stays grey").isLessThan(6);
    }

    @Test
    void thumbnail_progressiveJpeg_matchesTheBaselineOne() throws Exception {
        // given the same picture as a baseline and as a progressive JPEG
        BufferedImage picture = ImageIO.read(SyntheticMedia.jpeg(tmp.resolve("src-960x720.jpg"),
                960, 720, 0).toFile());
        Path baseline = write("baseline.jpg", ImageFixtures.jpeg(picture, false));
        Path progressive = write("progressive.jpg",
                ImageFixtures.jpeg(picture, true));
        try (BytePointer data = TurboJpeg.read(progressive, Long.MAX_VALUE)) {
            assertThat(TurboJpeg.header(data)).isNotNull();
        }

        // when
        TestImages.Rgb fromBaseline = decode(THUMBNAILER.imageThumbnails(baseline, 1,
                List.of(200)).get(0).bytes());
        TestImages.Rgb fromProgressive = decode(THUMBNAILER.imageThumbnails(progressive, 1,
                List.of(200)).get(0).bytes());

        // then
        assertThat(similarity(fromBaseline, fromProgressive)).isGreaterThan(0.99);
    }

    @Test
    void thumbnail_jpegAlreadyAtTheBoxSize_keepsItsColours() throws Exception {
        // given a JPEG, red with a blue bottom quarter, as large as the box and the placeholder:
        // no filter is needed, so the decoded pixels themselves reach the BlurHash
        BufferedImage picture = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                picture.setRGB(x, y, y < 18 ? 0xdd2211 : 0x1133cc);
            }
        }
        Path jpeg = write("red-blue-32x24.jpg", ImageFixtures.jpeg(picture, false));

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(jpeg, 1,
                new RenditionPlan(List.of(32), 0, 0, 80, 2000));
        TestImages.Rgb got = decode(made.renditions().get(0).bytes());

        // then: red stays red and blue stays blue, in the thumbnail and in the BlurHash source
        assertThat(new int[] {got.width(), got.height()}).containsExactly(32, 24);
        assertThat(got.argb()[6 * 32 + 16] & 0xffffff).satisfies(p -> {
            assertThat(p >> 16 & 0xff).isGreaterThan(180);
            assertThat(p & 0xff).isLessThan(70);
        });
        assertThat(got.argb()[21 * 32 + 16] & 0xffffff).satisfies(p -> {
            assertThat(p & 0xff).isGreaterThan(160);
            assertThat(p >> 16 & 0xff).isLessThan(70);
        });
        int[] average = BlurHash.averageColor(made.placeholder().blurHash());
        assertThat(average[0]).as("mean red of %s", made.placeholder()).isGreaterThan(150);
        assertThat(average[2]).as("mean blue of %s", made.placeholder()).isLessThan(average[0]);
    }

    @Test
    void header_cmykJpeg_isLeftToFfmpeg() throws Exception {
        // given a four-component JPEG
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 64, 48, 4,
                null);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                cmyk.setPixel(x, y, new int[] {x * 4, y * 5, 128, 30});
            }
        }
        Path jpeg = write("cmyk-64x48.jpg", ImageFixtures.jpeg(cmyk, false));

        // when / then
        try (BytePointer data = TurboJpeg.read(jpeg, Long.MAX_VALUE)) {
            assertThat(data).isNotNull();
            assertThat(TurboJpeg.header(data)).isNull();
        }
    }

    @Test
    void decode_truncatedJpeg_isRefusedAndFfmpegStillMakesTheThumbnail() throws Exception {
        // given a JPEG cut after two thirds of its bytes
        byte[] whole = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("whole.jpg"), 800,
                600, 0));
        Path cut = write("truncated-800x600.jpg", Arrays.copyOf(whole, whole.length * 2 / 3));

        // when
        try (BytePointer data = TurboJpeg.read(cut, Long.MAX_VALUE)) {
            assertThat(TurboJpeg.header(data)).isEqualTo(new TurboJpeg.Header(800, 600, 3));
            // then libjpeg-turbo warns about the data and refuses it
            assertThat(TurboJpeg.decode(data, 800, 600, 4, 3)).isNull();
        }
        // and the thumbnail comes from FFmpeg, which decodes what is there
        Rendition r = THUMBNAILER.imageThumbnails(cut, 1, List.of(200)).get(0);
        assertThat(new int[] {r.width(), r.height()}).containsExactly(200, 150);
    }

    @Test
    void read_notAJpeg_isNull() throws Exception {
        Path png = SyntheticMedia.pngWithAlpha(tmp.resolve("alpha-32x32.png"), 32, 32);
        assertThat(TurboJpeg.read(png, Long.MAX_VALUE)).isNull();
        assertThat(TurboJpeg.read(tmp.resolve("missing.jpg"), Long.MAX_VALUE)).isNull();
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("small-64x48.jpg"), 64, 48, 0);
        assertThat(TurboJpeg.read(jpeg, Files.size(jpeg) - 1)).as("above the limit").isNull();
    }

    @Test
    void decode_repeatedly_givesTheSamePictureEveryTime() throws Exception {
        // given: many calls, with GCs in between
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-400x300.jpg"), 400, 300, 0);
        int[] first = null;
        try (BytePointer data = TurboJpeg.read(jpeg, Long.MAX_VALUE)) {
            for (int i = 0; i < 300; i++) {
                int reduction = 1 << (i % 4);
                try (TurboJpeg.Decoded decoded = TurboJpeg.decode(data, 400, 300, reduction, 3)) {
                    assertThat(decoded).isNotNull();
                    if (reduction == 2) {
                        int[] pixels = rgb(decoded.frame()).argb();
                        if (first == null) {
                            first = pixels;
                        }
                        assertThat(pixels).isEqualTo(first);
                    }
                }
                if (i % 50 == 0) {
                    System.gc();
                }
            }
        }
    }

    /** The frame (planar GBRP from libmediaflowjpeg, packed 0BGR from Leptonica) as ARGB pixels. */
    private static TestImages.Rgb rgb(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r;
                int g;
                int b;
                if (frame.image.length == 3) {
                    int o = y * frame.imageStride + x;
                    g = ((ByteBuffer) frame.image[0]).get(o) & 0xff;
                    b = ((ByteBuffer) frame.image[1]).get(o) & 0xff;
                    r = ((ByteBuffer) frame.image[2]).get(o) & 0xff;
                } else {
                    ByteBuffer buf = (ByteBuffer) frame.image[0];
                    int o = y * frame.imageStride + x * 4;
                    r = buf.get(o + 3) & 0xff;
                    g = buf.get(o + 2) & 0xff;
                    b = buf.get(o + 1) & 0xff;
                }
                argb[y * w + x] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
        return new TestImages.Rgb(w, h, argb);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }
}
