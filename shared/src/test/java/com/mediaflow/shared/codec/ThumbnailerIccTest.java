package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import com.mediaflow.testkit.Corpus;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded ICC profiles are converted to sRGB. The source profile is the JDK's linear-light RGB
 * (sRGB primaries, gamma 1.0), so the expected sRGB value of each channel is the sRGB transfer
 * function of the stored value, computable by hand; the stored value itself is far from it.
 */
class ThumbnailerIccTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(95);
    private static final int W = 96;
    private static final int H = 64;
    /** Left half, right half: saturated colours with dark channels, where gamma matters most. */
    private static final int[] LEFT = {200, 30, 30};
    private static final int[] RIGHT = {30, 60, 180};
    private static final byte[] LINEAR_RGB =
            ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();

    @TempDir
    Path tmp;

    @Test
    void thumbnail_jpegWithLinearRgbProfile_isConvertedToSrgb() throws Exception {
        Path jpeg = Files.write(tmp.resolve("jpeg-icc-linear-rgb-96x64.jpg"),
                withJpegIcc(encode(AV_CODEC_ID_MJPEG), LINEAR_RGB));

        TestImages.Rgb got = decode(THUMBNAILER.imageThumbnails(jpeg, 1, List.of(W)).get(0)
                .bytes());

        assertConverted(got, 8);
    }

    @Test
    void renditions_pngWithLinearRgbIccp_allConvertedToSrgb() throws Exception {
        Path png = Files.write(tmp.resolve("png-iccp-linear-rgb-96x64.png"),
                withPngIccp(encode(AV_CODEC_ID_PNG), LINEAR_RGB));

        ImageRenditions out = THUMBNAILER.imageRenditions(png, 1,
                new RenditionPlan(List.of(W), 32, W, 90, 1024));

        for (Rendition r : out.renditions()) {
            if (r.name().endsWith(".jpg") && !r.name().startsWith("placeholder")) {
                assertConverted(decode(r.bytes()), 6);
            }
        }
        assertThat(out.renditions()).extracting(Rendition::name).contains("display.webp");
    }

    @Test
    void thumbnail_untaggedJpeg_keepsItsValues() throws Exception {
        Path jpeg = Files.write(tmp.resolve("jpeg-untagged-96x64.jpg"), encode(AV_CODEC_ID_MJPEG));

        TestImages.Rgb got = decode(THUMBNAILER.imageThumbnails(jpeg, 1, List.of(W)).get(0)
                .bytes());

        assertThat(SrgbConverter.forFile(jpeg)).isNull();
        assertPatch(got, W / 4, LEFT, 8);
        assertPatch(got, 3 * W / 4, RIGHT, 8);
    }

    @Test
    void forProfile_srgbProfile_needsNoConversion() {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

        assertThat(SrgbConverter.forProfile(srgb, "srgb.icc")).isNull();
        assertThat(SrgbConverter.forProfile(LINEAR_RGB, "linear.icc")).isNotNull();
        assertThat(SrgbConverter.forProfile(new byte[] {1, 2, 3}, "garbage.icc")).isNull();
    }

    /** The iPhone HEIC's colr 'prof' is Display P3; its renditions are more saturated in sRGB. */
    @Test
    void thumbnail_iphoneHeicDisplayP3_isConvertedToSrgb() throws Exception {
        Path heic = Corpus.dir().resolve("heic/IMG_5195.HEIC");
        SrgbConverter converter = SrgbConverter.forFile(heic);
        assertThat(converter).isNotNull();
        assertThat(converter.description()).containsIgnoringCase("Display P3");

        // the same pixels without the profile: the primary image re-encoded as untagged PNG
        Path untagged = tmp.resolve("heic-primary-untagged.png");
        try (Frame primary = HeifDecoder.decodePrimary(heic)) {
            Files.write(untagged, FfmpegSupport.encodeStill(primary, AV_PIX_FMT_RGBA,
                    AV_CODEC_ID_PNG, AV_PIX_FMT_RGBA, 0, untagged));
        }
        TestImages.Rgb converted = decode(THUMBNAILER.imageThumbnails(heic, 1, List.of(320))
                .get(0).bytes());
        TestImages.Rgb plain = decode(THUMBNAILER.imageThumbnails(untagged, 1, List.of(320))
                .get(0).bytes());

        // P3 primaries are wider than sRGB's: the same numbers mean more saturated colours, so
        // their sRGB numbers spread further apart
        assertThat(meanChroma(converted)).as("mean max-min over channels")
                .isGreaterThan(meanChroma(plain) * 1.05);
        assertThat(TestImages.similarity(converted, plain)).as("same picture").isGreaterThan(0.95);
    }

    private static void assertConverted(TestImages.Rgb got, int tolerance) {
        int[] left = srgb(LEFT);
        int[] right = srgb(RIGHT);
        assertPatch(got, W / 4, left, tolerance);
        assertPatch(got, 3 * W / 4, right, tolerance);
        // the test can fail: the unconverted values are far off in at least one channel
        assertThat(maxDiff(LEFT, left)).isGreaterThan(3 * tolerance);
        assertThat(maxDiff(RIGHT, right)).isGreaterThan(3 * tolerance);
    }

    private static void assertPatch(TestImages.Rgb got, int cx, int[] expected, int tolerance) {
        int cy = got.height() / 2;
        int[] mean = new int[3];
        int n = 0;
        for (int y = cy - 4; y < cy + 4; y++) {
            for (int x = cx * got.width() / W - 4; x < cx * got.width() / W + 4; x++) {
                mean[0] += got.red(x, y);
                mean[1] += got.green(x, y);
                mean[2] += got.blue(x, y);
                n++;
            }
        }
        for (int c = 0; c < 3; c++) {
            assertThat(mean[c] / n).as("channel %d of the patch at x=%d", c, cx)
                    .isCloseTo(expected[c], within(tolerance));
        }
    }

    /** The sRGB encoding of linear-light values, by the IEC 61966-2-1 formula. */
    private static int[] srgb(int[] linear) {
        int[] out = new int[3];
        for (int c = 0; c < 3; c++) {
            double v = linear[c] / 255.0;
            double e = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
            out[c] = (int) Math.round(255 * e);
        }
        return out;
    }

    private static int maxDiff(int[] a, int[] b) {
        int d = 0;
        for (int c = 0; c < 3; c++) {
            d = Math.max(d, Math.abs(a[c] - b[c]));
        }
        return d;
    }

    private static double meanChroma(TestImages.Rgb img) {
        double sum = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int r = img.red(x, y);
                int g = img.green(x, y);
                int b = img.blue(x, y);
                sum += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
            }
        }
        return sum / ((double) img.width() * img.height());
    }

    /** Two flat halves, LEFT and RIGHT, encoded by FFmpeg (JPEG at high quality, or PNG). */
    private static byte[] encode(int codec) {
        try (Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3)) {
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int[] c = x < W / 2 ? LEFT : RIGHT;
                    for (int i = 0; i < 3; i++) {
                        buf.put(y * frame.imageStride + x * 3 + i, (byte) c[i]);
                    }
                }
            }
            return codec == AV_CODEC_ID_PNG
                    ? FfmpegSupport.encodeStill(frame, AV_PIX_FMT_RGB24, AV_CODEC_ID_PNG,
                            AV_PIX_FMT_RGB24, 0, Path.of("test.png"))
                    : FfmpegSupport.encodeStill(frame, AV_PIX_FMT_RGB24, AV_CODEC_ID_MJPEG,
                            AV_PIX_FMT_YUVJ420P, FfmpegSupport.qscaleForQuality(98),
                            Path.of("test.jpg"));
        }
    }

    /** Inserts one {@code APP2 "ICC_PROFILE\0" 1 1 <profile>} segment after SOI. */
    static byte[] withJpegIcc(byte[] jpeg, byte[] profile) {
        byte[] id = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = 2 + id.length + 2 + profile.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xE2).putShort((short) length);
        out.put(id).put((byte) 1).put((byte) 1).put(profile);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** Inserts an {@code iCCP} chunk (name "icc", zlib profile) after IHDR. */
    static byte[] withPngIccp(byte[] png, byte[] profile) throws Exception {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
            d.write(profile);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {'i', 'C', 'C', 'P', 'i', 'c', 'c', 0, 0});
        body.write(z.toByteArray());
        byte[] typeAndData = body.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        int afterIhdr = 8 + 12 + 13;
        ByteBuffer out = ByteBuffer.allocate(png.length + 12 + typeAndData.length - 4);
        out.put(png, 0, afterIhdr);
        out.putInt(typeAndData.length - 4).put(typeAndData).putInt((int) crc.getValue());
        out.put(png, afterIhdr, png.length - afterIhdr);
        return out.array();
    }
}
