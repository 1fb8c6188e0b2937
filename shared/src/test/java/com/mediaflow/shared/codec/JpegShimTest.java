package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GBRP;

import com.mediaflow.shared.natives.ElfFile;
import com.mediaflow.shared.validation.internal.parsers.ImageFixtures;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * libmediaflowjpeg, the direct libjpeg-turbo decode: it loads from the project's own natives, gives
 * exactly the pixels of the Leptonica route it replaces, refuses what libjpeg refuses or warns
 * about, checks the caller's sizes, and is built from the source that is checked in.
 */
class JpegShimTest {

    private static final Path SOURCE_DIR = Path.of(System.getProperty("mediaflow.root", "..")).resolve("shared/src/main");

    /** The plane size of a 200x150 picture at a 256-byte stride, with its 64-byte tail. */
    private static final long PLANE = 256L * 150 + 64;

    @TempDir
    Path tmp;

    @Test
    void load_fromTheProjectsNativesForThisMachine() {
        assertThat(JpegShim.platform()).isEqualTo("linux-x86_64");
        assertThat(TurboJpeg.direct()).as("libmediaflowjpeg loaded; see the log for why not").isTrue();
    }

    @ParameterizedTest(name = "{0} at 1/{1}")
    @CsvSource({
        "exif-orientation/Landscape_1.jpg, 1", "exif-orientation/Landscape_1.jpg, 2",
        "exif-orientation/Landscape_6.jpg, 4", "exif-orientation/Portrait_8.jpg, 8",
        "exif-orientation/Portrait_3.jpg, 2"})
    void decodeDirect_realPhotos_givesLeptonicasPixelsExactly(String file, int reduction) throws Exception {
        assertSamePixels(Corpus.dir().resolve(file), reduction, 3);
    }

    @ParameterizedTest(name = "{0}x{1} at 1/{2}")
    @CsvSource({"1601, 1199, 8", "1601, 1199, 4", "333, 77, 2", "17, 9, 1"})
    void decodeDirect_oddSizes_roundUpLikeLibjpegAndMatchLeptonica(int w, int h, int reduction) throws Exception {
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern.jpg"), w, h, 0);
        Frame f = assertSamePixels(jpeg, reduction, 3);
        assertThat(new int[] {f.imageWidth, f.imageHeight})
                .containsExactly((w + reduction - 1) / reduction, (h + reduction - 1) / reduction);
    }

    @Test
    void decodeDirect_greyJpeg_givesLeptonicasGrey() throws Exception {
        BufferedImage grey = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                grey.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 256);
            }
        }
        Path jpeg = Files.write(tmp.resolve("grey.jpg"), ImageFixtures.jpeg(grey, false));
        assertSamePixels(jpeg, 2, 1);
    }

    @Test
    void decodeGbr_answersWhyNot() throws Exception {
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-800x600.jpg"), 800, 600, 0);
        byte[] whole = Files.readAllBytes(jpeg);
        try (BytePointer ok = bytes(whole); BytePointer out = new BytePointer(3L * (256 * 150 + 64));
                BytePointer cut = bytes(Arrays.copyOf(whole, whole.length * 2 / 3));
                BytePointer notJpeg = bytes("this is not a JPEG, only text".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            assertThat(TurboJpeg.decodeGbr(ok.address(), whole.length, 4, out.address(), 200, 150, 256, PLANE))
                    .isEqualTo(TurboJpeg.SHIM_OK);
            assertThat(TurboJpeg.decodeGbr(ok.address(), whole.length, 4, out.address(), 199, 150, 256, PLANE))
                    .as("a size other than libjpeg's output").isEqualTo(TurboJpeg.SHIM_SIZE);
            assertThat(TurboJpeg.decodeGbr(ok.address(), whole.length, 4, out.address(), 200, 150, 199, PLANE))
                    .as("a stride shorter than a row").isEqualTo(TurboJpeg.SHIM_ARGS);
            assertThat(TurboJpeg.decodeGbr(ok.address(), whole.length, 3, out.address(), 267, 200, 267, PLANE))
                    .as("a reduction libjpeg-turbo has no fast IDCT for").isEqualTo(TurboJpeg.SHIM_ARGS);
            assertThat(TurboJpeg.decodeGbr(cut.address(), cut.capacity(), 4, out.address(), 200, 150, 256, PLANE))
                    .as("truncated: libjpeg warns").isEqualTo(TurboJpeg.SHIM_WARNED);
            assertThat(TurboJpeg.decodeGbr(notJpeg.address(), notJpeg.capacity(), 4, out.address(), 200, 150, 256, PLANE))
                    .as("not a JPEG: libjpeg's error_exit, caught").isEqualTo(TurboJpeg.SHIM_REFUSED);
            assertThat(TurboJpeg.decodeGbr(ok.address(), 20, 4, out.address(), 200, 150, 256, PLANE))
                    .as("the header cut short").isEqualTo(TurboJpeg.SHIM_REFUSED);
            assertThat(TurboJpeg.decodeGbr(ok.address(), whole.length, 4, out.address(), 200, 150, 256, 256L * 149))
                    .as("a buffer smaller than the rows").isEqualTo(TurboJpeg.SHIM_ARGS);
        }
    }

    @Test
    void decodeDirect_laysThePlanesOutAsFfmpegDoes_alignedRowsZeroPaddingAndTails() throws Exception {
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-1001x751.jpg"), 1001, 751, 0);
        try (BytePointer data = TurboJpeg.read(jpeg, Long.MAX_VALUE);
                TurboJpeg.Decoded d = TurboJpeg.decodeDirect(data, 1001, 751, 2)) {
            Frame f = d.frame();
            assertThat(d.pixelFormat()).isEqualTo(AV_PIX_FMT_GBRP);
            assertThat(new int[] {f.imageWidth, f.imageHeight}).containsExactly(501, 376);
            assertThat(f.imageStride).isEqualTo(512); // 501 rounded up to 64
            assertThat(f.opaque).isSameAs(StillGraph.PADDED);
            assertThat(f.image).hasSize(3);
            long previous = -1;
            for (int p = 0; p < 3; p++) {
                ByteBuffer buf = (ByteBuffer) f.image[p];
                long address;
                try (BytePointer at = new BytePointer(buf)) {
                    address = at.address() + at.position();
                }
                assertThat(address % 64).as("plane %d's address modulo 64", p).isZero();
                if (previous >= 0) {
                    assertThat(address).as("plane %d follows plane %d's rows and tail", p, p - 1)
                            .isEqualTo(previous + 512L * 376 + 64);
                }
                previous = address;
                assertThat(buf.capacity()).isEqualTo(512 * 376 + 64);
                for (int y = 0; y < 376; y++) {
                    for (int o = y * 512 + 501; o < (y + 1) * 512; o++) {
                        assertThat(buf.get(o)).as("plane %d, padding byte %d of row %d", p, o - y * 512, y).isZero();
                    }
                }
                for (int o = 512 * 376; o < buf.capacity(); o++) {
                    assertThat(buf.get(o)).as("plane %d, tail byte %d", p, o).isZero();
                }
            }
        }
    }

    @Test
    void encodeRgb24_isAJpegOfThePictureAtLibjpegQuality() throws Exception {
        // given a photo's pixels as packed RGB24
        TestImages.Rgb source = TestImages.decode(Corpus.dir().resolve("exif-orientation/Landscape_1.jpg"));
        Frame rgb = new Frame(source.width(), source.height(), Frame.DEPTH_UBYTE, 3);
        ByteBuffer buf = (ByteBuffer) rgb.image[0];
        for (int y = 0; y < source.height(); y++) {
            for (int x = 0; x < source.width(); x++) {
                int p = source.argb()[y * source.width() + x];
                int o = y * rgb.imageStride + x * 3;
                buf.put(o, (byte) (p >> 16)).put(o + 1, (byte) (p >> 8)).put(o + 2, (byte) p);
            }
        }

        // when
        byte[] q90 = TurboJpeg.encodeRgb24(rgb, 90);
        byte[] q30 = TurboJpeg.encodeRgb24(rgb, 30);

        // then: JPEGs of the same picture, the lower quality smaller
        assertThat(q90).isNotNull().startsWith((byte) 0xff, (byte) 0xd8);
        TestImages.Rgb back = TestImages.decode(q90);
        assertThat(new int[] {back.width(), back.height()}).containsExactly(source.width(), source.height());
        assertThat(ImageQuality.psnr(source, back)).isGreaterThan(34.0);
        assertThat(q30.length).isLessThan(q90.length * 2 / 3);
        assertThat(TurboJpeg.encodeRgb24(rgb, 0)).as("quality out of range").isNull();
        rgb.close();
    }

    @Test
    void decodeDirect_damagedJpegs_areRefusedOrDecoded_neverAFault() throws Exception {
        // given a small progressive and a baseline JPEG, and 400 copies with bytes changed, cut or
        // repeated (a fault in the native code would end this JVM, not fail an assertion)
        byte[] baseline = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("b.jpg"), 96, 64, 0));
        byte[] progressive = ImageFixtures.jpeg(new BufferedImage(80, 48, BufferedImage.TYPE_INT_RGB), true);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(2026);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            byte[] jpeg = (i % 2 == 0 ? baseline : progressive).clone();
            switch (i % 4) {
                case 0 -> {
                    for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
                        jpeg[rnd.nextInt(2, jpeg.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 1 -> jpeg = Arrays.copyOf(jpeg, rnd.nextInt(4, jpeg.length));
                case 2 -> {
                    int at = rnd.nextInt(2, jpeg.length - 16);
                    System.arraycopy(jpeg, at, jpeg, at + 8, 8);
                }
                default -> jpeg[rnd.nextInt(2, Math.min(jpeg.length, 700))] ^= (byte) (1 << rnd.nextInt(8));
            }
            int w = i % 2 == 0 ? 96 : 80;
            int h = i % 2 == 0 ? 64 : 48;
            try (BytePointer data = bytes(jpeg); TurboJpeg.Decoded d = TurboJpeg.decodeDirect(data, w, h, 1 << (i % 4))) {
                if (d == null) {
                    refused++;
                } else {
                    decoded++;
                    assertThat(d.frame().imageWidth).isEqualTo((w + (1 << (i % 4)) - 1) >> (i % 4));
                }
            }
        }
        // then: both happen, and nothing else
        assertThat(decoded).as("damaged copies decoded").isPositive();
        assertThat(refused).as("damaged copies refused").isPositive();
    }

    @Test
    void decodeGbr_cmykJpeg_isRefused() throws Exception {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 64, 48, 4, null);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, new int[] {x * 4, y * 5, 128, 30});
            }
        }
        byte[] cmyk = ImageFixtures.jpeg(raster, false);
        try (BytePointer data = bytes(cmyk); BytePointer out = new BytePointer(3L * (64 * 48 + 64))) {
            assertThat(TurboJpeg.decodeGbr(data.address(), cmyk.length, 1, out.address(), 64, 48, 64, 64L * 48 + 64))
                    .isEqualTo(TurboJpeg.SHIM_REFUSED);
        }
    }

    @Test
    void binaries_builtFromTheCheckedInSource_forBothArchitectures() throws Exception {
        // build.sh records the source's digest beside the binaries it builds
        Path natives = SOURCE_DIR.resolve("natives/com/mediaflow/natives");
        String recorded = Files.readString(natives.resolve("mediaflow_jpeg.c.sha256")).trim();
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(SOURCE_DIR.resolve("c/mediaflow_jpeg.c"))));
        assertThat(actual).as("mediaflow_jpeg.c changed: run shared/src/main/c/build.sh").isEqualTo(recorded);
        assertThat(ElfFile.read(natives.resolve("linux-x86_64/libmediaflowjpeg.so")).machine()).isEqualTo(ElfFile.EM_X86_64);
        assertThat(ElfFile.read(natives.resolve("linux-arm64/libmediaflowjpeg.so")).machine()).isEqualTo(ElfFile.EM_AARCH64);
    }

    /** Decodes {@code jpeg} both ways and asserts the same B, G, R bytes; returns the direct frame's size. */
    private static Frame assertSamePixels(Path jpeg, int reduction, int components) throws Exception {
        try (BytePointer data = TurboJpeg.read(jpeg, Long.MAX_VALUE)) {
            TurboJpeg.Header header = TurboJpeg.header(data);
            assertThat(header).isNotNull();
            assertThat(header.components()).isEqualTo(components);
            try (TurboJpeg.Decoded direct = TurboJpeg.decodeDirect(data, header.width(), header.height(), reduction);
                    TurboJpeg.Decoded leptonica = TurboJpeg.decodeLeptonica(data, reduction, components)) {
                assertThat(direct).isNotNull();
                assertThat(leptonica).isNotNull();
                Frame d = direct.frame();
                Frame l = leptonica.frame();
                assertThat(new int[] {d.imageWidth, d.imageHeight}).containsExactly(l.imageWidth, l.imageHeight);
                byte[] dp = bgr(d);
                assertThat(dp).as("B, G, R of every pixel").isEqualTo(bgr(l));
                Frame size = new Frame();
                size.imageWidth = d.imageWidth;
                size.imageHeight = d.imageHeight;
                return size;
            }
        }
    }

    /** B, G, R of each pixel, row by row, from planar GBRP or packed 0BGR. */
    private static byte[] bgr(Frame f) {
        byte[] out = new byte[f.imageWidth * f.imageHeight * 3];
        int k = 0;
        for (int y = 0; y < f.imageHeight; y++) {
            for (int x = 0; x < f.imageWidth; x++) {
                if (f.image.length == 3) {
                    int o = y * f.imageStride + x;
                    out[k++] = ((ByteBuffer) f.image[1]).get(o);
                    out[k++] = ((ByteBuffer) f.image[0]).get(o);
                    out[k++] = ((ByteBuffer) f.image[2]).get(o);
                } else {
                    int o = y * f.imageStride + x * 4;
                    ByteBuffer buf = (ByteBuffer) f.image[0];
                    out[k++] = buf.get(o + 1);
                    out[k++] = buf.get(o + 2);
                    out[k++] = buf.get(o + 3);
                }
            }
        }
        return out;
    }

    private static BytePointer bytes(byte[] b) {
        BytePointer p = new BytePointer(b.length);
        p.put(b);
        return p;
    }
}
