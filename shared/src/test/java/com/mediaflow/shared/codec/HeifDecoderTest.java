package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.internal.isobmff.HeifFile;
import com.mediaflow.shared.internal.isobmff.HeifItems;
import com.mediaflow.shared.internal.isobmff.HeifPicture;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.testkit.Corpus;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEIF primary images decoded by {@link HeifDecoder}, judged against {@code heif-convert}
 * (libheif 1.15.1, Debian {@code libheif-examples}): the references under
 * {@code heif-reference/} were made once with {@code heif-convert} and downscaled with
 * ImageMagick ({@code -filter Box -resize 64x64}); no test runs a Debian tool.
 *
 * <p>Similarity: mean absolute difference of BT.601 luma, 0-255, between the reference (at most
 * 64 px) and the decoded picture, both area-averaged onto a grid of {@value #GRID} px longest
 * side with the reference's aspect. The same picture scores about 0.5-1.5 (chroma upsampling,
 * rounding, ImageMagick's box filter against ours); a grey plane, one 512x512 tile, or a rotated
 * or mirrored picture scores 39-61, far above {@value #MAX_DIFFERENCE}.
 */
class HeifDecoderTest {

    /** Longest side of the grid both pictures are compared on. */
    static final int GRID = 32;
    /** The pass mark: at most this mean luma difference from heif-convert's output. */
    static final double MAX_DIFFERENCE = 4.0;
    /** Writes the AVIF test pictures; the 7.1 gpl build also has libsvtav1, but not dav1d. */
    static final String AV1_ENCODER = "libaom-av1";

    private static Path iphone;
    private static Path single;

    @TempDir
    Path tmp;

    @BeforeAll
    static void corpus() {
        Path heic = Corpus.dir().resolve("heic");
        iphone = heic.resolve("IMG_5195.HEIC");
        single = heic.resolve("samplefilehub.heif");
        assertThat(iphone).isRegularFile();
        assertThat(single).isRegularFile();
    }

    @Test
    void decodePrimary_iphoneGrid_isFullSizeInColourAndMatchesHeifConvert() {
        // when
        int[] argb;
        int w;
        int h;
        try (Frame image = HeifDecoder.decodePrimary(iphone)) {
            w = image.imageWidth;
            h = image.imageHeight;
            argb = argb(image);
        }

        // then
        assertThat(w + "x" + h).isEqualTo("2566x3313");
        assertThat(meanSaturation(argb)).as("mean HSV saturation").isGreaterThan(0.15);
        double diff = difference(argb, w, h, reference("IMG_5195-heif-convert-64.png"));
        System.out.printf("HEIF IMG_5195: mean luma difference to heif-convert %.2f%n", diff);
        assertThat(diff).isLessThan(MAX_DIFFERENCE);
    }

    @Test
    void decodePrimary_singleHevcImage_isFullSizeInColourAndMatchesHeifConvert() {
        int[] argb;
        int w;
        int h;
        try (Frame image = HeifDecoder.decodePrimary(single)) {
            w = image.imageWidth;
            h = image.imageHeight;
            argb = argb(image);
        }

        assertThat(w + "x" + h).isEqualTo("640x426");
        assertThat(meanSaturation(argb)).as("mean HSV saturation").isGreaterThan(0.15);
        double diff = difference(argb, w, h, reference("samplefilehub-heif-convert-64.png"));
        System.out.printf("HEIF samplefilehub: mean luma difference to heif-convert %.2f%n", diff);
        assertThat(diff).isLessThan(MAX_DIFFERENCE);
    }

    @Test
    void similarity_wrongPictures_scoreBelowThreshold() {
        // given the right picture, and three wrong ones made from it
        int[] argb;
        int w;
        int h;
        try (Frame image = HeifDecoder.decodePrimary(iphone)) {
            w = image.imageWidth;
            h = image.imageHeight;
            argb = argb(image);
        }
        BufferedImage ref = reference("IMG_5195-heif-convert-64.png");
        int[] rotated = HeifTransforms.rotateAntiClockwise(argb, w, h, 1);
        int[] upsideDown = HeifTransforms.rotateAntiClockwise(argb, w, h, 2);
        int[] mirrored = HeifTransforms.mirror(argb, w, h, 1);
        int[] firstTile = HeifTransforms.crop(argb, w, 0, 0, 512, 512);
        int[] grey = new int[w * h];
        Arrays.fill(grey, 0xFF808080);

        // then every wrong one fails the check that the right one passes
        double[] scores = {
            difference(rotated, h, w, ref),
            difference(upsideDown, w, h, ref),
            difference(mirrored, w, h, ref),
            difference(firstTile, 512, 512, ref),
            difference(grey, w, h, ref)};
        System.out.printf("HEIF IMG_5195 wrong pictures: rotated %.2f, 180 %.2f, mirrored %.2f, "
                + "one tile %.2f, grey %.2f%n", scores[0], scores[1], scores[2], scores[3], scores[4]);
        for (double s : scores) {
            assertThat(s).isGreaterThan(MAX_DIFFERENCE);
        }
        assertThat(meanSaturation(grey)).isLessThan(0.01);
    }

    @Test
    void decodePrimary_avifFromLibaom_matchesItsSource() throws Exception {
        // given a 320x240 test picture and an AVIF of it, both made in this JVM by libav*
        Path avif = tmp.resolve("testsrc2-320x240.avif");
        BufferedImage source = testsrc2Avif(avif);
        assertThat(HeifDecoder.canDecodeAv1()).as("libdav1d or libaom-av1 in the bundled FFmpeg").isTrue();
        assertThat(HeifDecoder.isAvif(avif)).isTrue();

        // when
        int[] argb;
        try (Frame image = HeifDecoder.decodePrimary(avif)) {
            assertThat(image.imageWidth + "x" + image.imageHeight).isEqualTo("320x240");
            argb = argb(image);
        }

        // then
        double diff = difference(argb, 320, 240, source);
        System.out.printf("AVIF testsrc2: mean luma difference to its source %.2f%n", diff);
        assertThat(diff).isLessThan(MAX_DIFFERENCE);
        assertThat(meanSaturation(argb)).isGreaterThan(0.15);
    }

    @Test
    void decodePrimary_clapIrotImirFromTheFile_areAppliedInIpmaOrder() throws Exception {
        // given a HEIF written here around the AV1 payload of a libaom-av1 AVIF of a 320x240
        // picture, with clap (centred 200x120), irot 1 (90 degrees anti-clockwise) and imir 1
        // (left-right) on its one item: FFmpeg's muxer writes none of these boxes itself
        Path avif = tmp.resolve("testsrc2-320x240.avif");
        BufferedImage src = testsrc2Avif(avif);
        byte[] av1C;
        byte[] payload;
        try (HeifFile heif = HeifFile.open(avif)) {
            HeifItems items = heif.items();
            av1C = items.primary().property(HeifItems.Av1c.class).orElseThrow().record();
            payload = heif.data(items.primary());
        }
        Path transformed = tmp.resolve("av01-320x240-clap200x120-irot1-imir1.avif");
        Files.write(transformed, MiniHeif.av01(320, 240, av1C, payload,
                box("clap", u32s(200, 1, 120, 1, 0, 1, 0, 1)), box("irot", new byte[] {1}),
                box("imir", new byte[] {1})));

        // when
        int[] argb;
        int w;
        int h;
        try (Frame image = HeifDecoder.decodePrimary(transformed)) {
            w = image.imageWidth;
            h = image.imageHeight;
            argb = argb(image);
        }

        // then: 120x200, and the source cropped, rotated and mirrored in that order
        assertThat(w + "x" + h).isEqualTo("120x200");
        int[] px = src.getRGB(0, 0, 320, 240, null, 0, 320);
        int[] expected = HeifTransforms.mirror(HeifTransforms.rotateAntiClockwise(
                HeifTransforms.crop(px, 320, 60, 60, 200, 120), 200, 120, 1), 120, 200, 1);
        int[] notMirrored = HeifTransforms.rotateAntiClockwise(
                HeifTransforms.crop(px, 320, 60, 60, 200, 120), 200, 120, 1);
        double right = difference(argb, w, h, image(expected, 120, 200));
        double wrong = difference(argb, w, h, image(notMirrored, 120, 200));
        System.out.printf("HEIF clap+irot+imir: difference %.2f (without imir %.2f)%n", right, wrong);
        assertThat(right).isLessThan(MAX_DIFFERENCE);
        assertThat(wrong).isGreaterThan(MAX_DIFFERENCE);
    }

    private static BufferedImage image(int[] argb, int w, int h) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        bi.setRGB(0, 0, w, h, argb, 0, w);
        return bi;
    }

    /** Writes a minimal one-item HEIF: ftyp, meta (hdlr, pitm, iinf, iloc, iprp), mdat. */
    static final class MiniHeif {
        static byte[] av01(int w, int h, byte[] av1C, byte[] payload, byte[]... transforms) {
            java.io.ByteArrayOutputStream ipco = new java.io.ByteArrayOutputStream();
            ipco.writeBytes(box("av1C", av1C));
            ipco.writeBytes(box("ispe", concat(new byte[4], u32s(w, h))));
            for (byte[] t : transforms) {
                ipco.writeBytes(t);
            }
            int props = 2 + transforms.length;
            byte[] ipma = new byte[4 + 4 + 2 + 1 + props];
            ipma[7] = 1;           // entry count
            ipma[9] = 1;           // item 1
            ipma[10] = (byte) props;
            for (int i = 0; i < props; i++) {
                ipma[11 + i] = (byte) (0x80 | (i + 1)); // essential
            }
            byte[] ftyp = box("ftyp", "avifavifmif1".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            byte[] hdlr = box("hdlr", concat(new byte[8], "pict".getBytes(), new byte[13]));
            byte[] pitm = box("pitm", new byte[] {0, 0, 0, 0, 0, 1});
            byte[] infe = box("infe", concat(new byte[] {2, 0, 0, 0, 0, 1, 0, 0}, "av01".getBytes(), new byte[1]));
            byte[] iinf = box("iinf", concat(new byte[] {0, 0, 0, 0, 0, 1}, infe));
            byte[] iprp = box("iprp", concat(box("ipco", ipco.toByteArray()), box("ipma", ipma)));
            // iloc v0, offset 4, length 4, base 0: the offset is patched once the layout is known
            byte[] ilocBody = concat(new byte[] {0, 0, 0, 0, 0x44, 0, 0, 1, 0, 1, 0, 0, 0, 1}, u32s(0, payload.length));
            int metaSize = 8 + 4 + hdlr.length + pitm.length + iinf.length + 8 + ilocBody.length + iprp.length;
            int dataOffset = ftyp.length + metaSize + 8;
            System.arraycopy(u32s(dataOffset), 0, ilocBody, 14, 4);
            byte[] meta = box("meta", concat(new byte[4], hdlr, pitm, iinf, box("iloc", ilocBody), iprp));
            return concat(ftyp, meta, box("mdat", payload));
        }
    }

    static byte[] box(String type, byte[] body) {
        return concat(u32s(8 + body.length), type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), body);
    }

    static byte[] u32s(long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (long v : values) {
            b.putInt((int) v);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code avif}: the first frame of FFmpeg's {@code testsrc2} pattern at 320x240, encoded
     * by libaom-av1 (CRF 10, still picture, 4:2:0) with the avif muxer; returns that frame, the
     * source to compare against. All in this JVM: libavfilter makes the picture, JavaCV's
     * recorder encodes it (no {@code ffmpeg} program, no libavdevice).
     */
    private static BufferedImage testsrc2Avif(Path avif) throws Exception {
        int w = 320;
        int h = 240;
        assertThat(avcodec_find_encoder_by_name(AV1_ENCODER))
                .as("the %s encoder in the bundled FFmpeg", AV1_ENCODER).isNotNull();
        BufferedImage source = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        try (Frame rgb = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            ByteBuffer dst = (ByteBuffer) rgb.image[0];
            int[] frames = {0};
            Lavfi.run("testsrc2=size=" + w + "x" + h + ":rate=1:duration=1,format=rgb24,buffersink",
                    f -> {
                        frames[0]++;
                        int stride = f.linesize(0);
                        ByteBuffer src = f.data(0).capacity((long) stride * h).asBuffer();
                        for (int y = 0; y < h; y++) {
                            for (int x = 0; x < w; x++) {
                                int o = y * stride + x * 3;
                                int r = src.get(o) & 0xff;
                                int g = src.get(o + 1) & 0xff;
                                int b = src.get(o + 2) & 0xff;
                                int d = y * rgb.imageStride + x * 3;
                                dst.put(d, (byte) r).put(d + 1, (byte) g).put(d + 2, (byte) b);
                                source.setRGB(x, y, r << 16 | g << 8 | b);
                            }
                        }
                    });
            assertThat(frames[0]).as("testsrc2 frames").isEqualTo(1);

            av_log_set_level(AV_LOG_ERROR);
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(avif.toFile(), w, h, 0)) {
                rec.setFormat("avif");
                rec.setVideoCodecName(AV1_ENCODER);
                rec.setPixelFormat(AV_PIX_FMT_YUV420P);
                rec.setFrameRate(1);
                rec.setVideoBitrate(0); // constant quality: CRF alone
                rec.setVideoOption("crf", "10");
                rec.setVideoOption("still-picture", "1");
                rec.start();
                rec.record(rgb, AV_PIX_FMT_RGB24);
                rec.stop();
            }
        }
        return source;
    }

    @Test
    void items_iphone_primaryIsAGridOfHevcTilesWithTheirOwnConfiguration() {
        try (HeifFile heif = HeifFile.open(iphone)) {
            HeifItems items = heif.items();
            HeifPicture grid = heif.picture(Limits.DEFAULTS.maxPixels());
            HeifItems.Item primary = grid.primary();

            assertThat(primary.type()).isEqualTo("grid");
            assertThat(grid.width() + "x" + grid.height()).isEqualTo("2566x3313");
            assertThat(grid.columns()).isEqualTo(6);
            assertThat(primary.dimg()).hasSize(42).isEqualTo(grid.tiles().stream().map(HeifItems.Item::id).toList());
            for (long tile : primary.dimg()) {
                HeifItems.Item t = items.item(tile).orElseThrow();
                assertThat(t.type()).isEqualTo("hvc1");
                assertThat(t.property(HeifItems.Hvcc.class)).isPresent();
                assertThat(t.property(HeifItems.Ispe.class)).contains(new HeifItems.Ispe(512, 512));
            }
        }
    }

    @Test
    void transforms_rotateMirrorAndCleanAperture_followTheSpec() {
        // a 3x2 picture:  0 1 2
        //                 3 4 5
        int[] px = {0, 1, 2, 3, 4, 5};

        // irot 1 = 90 degrees anti-clockwise: the right column becomes the top row
        assertThat(HeifTransforms.rotateAntiClockwise(px, 3, 2, 1))
                .containsExactly(2, 5, 1, 4, 0, 3);
        assertThat(HeifTransforms.rotateAntiClockwise(px, 3, 2, 2))
                .containsExactly(5, 4, 3, 2, 1, 0);
        // irot 3 = 270 anti-clockwise = 90 clockwise: the left column becomes the top row
        assertThat(HeifTransforms.rotateAntiClockwise(px, 3, 2, 3))
                .containsExactly(3, 0, 4, 1, 5, 2);
        // imir axis 0: top and bottom exchanged; axis 1: left and right
        assertThat(HeifTransforms.mirror(px, 3, 2, 0)).containsExactly(3, 4, 5, 0, 1, 2);
        assertThat(HeifTransforms.mirror(px, 3, 2, 1)).containsExactly(2, 1, 0, 5, 4, 3);
        // clap: a centred 2x2 of a 4x4 is at (1,1); offset +1/1 horizontally moves it to (2,1)
        assertThat(HeifTransforms.clapRect(new HeifItems.Clap(2, 1, 2, 1, 0, 1, 0, 1), 4, 4,
                "f", 1)).containsExactly(1, 1, 2, 2);
        assertThat(HeifTransforms.clapRect(new HeifItems.Clap(2, 1, 2, 1, 1, 1, 0, 1), 4, 4,
                "f", 1)).containsExactly(2, 1, 2, 2);
    }

    @Test
    void transforms_inIpmaOrder_clapThenRotateThenMirror() {
        // given a 4x2 frame with a pattern, clap to the middle 2x2, rotate 90 ccw, mirror left-right
        try (Frame in = new Frame(4, 2, Frame.DEPTH_UBYTE, 4)) {
            ByteBuffer b = (ByteBuffer) in.image[0];
            for (int i = 0; i < 8; i++) {
                b.asIntBuffer().put((i / 4) * (in.imageStride / 4) + i % 4, i);
            }
            List<HeifItems.Property> props = List.of(new HeifItems.Clap(2, 1, 2, 1, 0, 1, 0, 1),
                    new HeifItems.Irot(1), new HeifItems.Imir(1));

            try (Frame out = HeifTransforms.apply(in, props, "f", 1)) {
                // clap:  1 2 / 5 6 ; irot 1: 2 6 / 1 5 ; imir 1: 6 2 / 5 1
                assertThat(HeifTransforms.pixels(out)).containsExactly(6, 2, 5, 1);
            }
        }
    }

    @Test
    void decodePrimary_truncatedFile_failsNamingFileAndItem() throws IOException {
        // given the iPhone file cut after its 'meta' box and a few tiles
        byte[] all = Files.readAllBytes(iphone);
        Path cut = tmp.resolve("IMG_5195-truncated.HEIC");
        Files.write(cut, Arrays.copyOf(all, 60_000));

        assertThatThrownBy(() -> HeifDecoder.decodePrimary(cut))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("item ")
                .hasMessageContaining("past the end of the file");
    }

    @Test
    void decodePrimary_gridTooLargeForTheLimits_isRefusedBeforeDecoding() {
        var tiny = new com.mediaflow.shared.validation.Limits(1L << 30, 1_000_000, 10, 10, 1, 8, 10);

        assertThatThrownBy(() -> HeifDecoder.decodePrimary(iphone, tiny))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("2566x3313")
                .hasMessageContaining("MAX_PIXELS");
    }

    // --- helpers ---------------------------------------------------------------------------------

    static int[] argb(Frame rgba) {
        int w = rgba.imageWidth;
        int h = rgba.imageHeight;
        ByteBuffer b = (ByteBuffer) rgba.image[0];
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * rgba.imageStride;
            for (int x = 0; x < w; x++) {
                int o = row + x * 4;
                out[y * w + x] = 0xFF000000 | (b.get(o) & 0xff) << 16 | (b.get(o + 1) & 0xff) << 8
                        | (b.get(o + 2) & 0xff);
            }
        }
        return out;
    }

    static BufferedImage reference(String name) {
        try (InputStream in = HeifDecoderTest.class.getResourceAsStream("/heif-reference/" + name)) {
            assertThat(in).as("test resource heif-reference/%s", name).isNotNull();
            return ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean |luma difference| after area-averaging both onto a grid of {@link #GRID} px longest side. */
    static double difference(int[] argb, int w, int h, BufferedImage ref) {
        int rw = ref.getWidth();
        int rh = ref.getHeight();
        int[] r = ref.getRGB(0, 0, rw, rh, null, 0, rw);
        int gw = Math.max(1, rw * GRID / Math.max(rw, rh));
        int gh = Math.max(1, rh * GRID / Math.max(rw, rh));
        double[] a = greyGrid(argb, w, h, gw, gh);
        double[] b = greyGrid(r, rw, rh, gw, gh);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /** Luma area-averaged onto a {@code gw x gh} grid: each pixel weighted by its overlap with each cell. */
    static double[] greyGrid(int[] argb, int w, int h, int gw, int gh) {
        double[] rows = new double[gw * h];
        double[] luma = new double[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = argb[y * w + x];
                luma[x] = 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
            }
            double[] r = area(luma, w, gw);
            System.arraycopy(r, 0, rows, y * gw, gw);
        }
        double[] out = new double[gw * gh];
        double[] column = new double[h];
        for (int x = 0; x < gw; x++) {
            for (int y = 0; y < h; y++) {
                column[y] = rows[y * gw + x];
            }
            double[] c = area(column, h, gh);
            for (int y = 0; y < gh; y++) {
                out[y * gw + x] = c[y];
            }
        }
        return out;
    }

    /** Exact area averaging of {@code n} samples onto {@code m <= n} cells. */
    private static double[] area(double[] in, int n, int m) {
        assertThat(m).as("grid cells").isLessThanOrEqualTo(n);
        double[] out = new double[m];
        double cell = (double) n / m;
        for (int i = 0; i < n; i++) {
            double a = i / cell;
            double b = (i + 1) / cell;
            int j = (int) a;
            if (j >= m) {
                j = m - 1;
            }
            double end = Math.min(b, j + 1);
            out[j] += in[i] * (end - a);
            if (b > j + 1 && j + 1 < m) {
                out[j + 1] += in[i] * (b - (j + 1));
            }
        }
        return out; // each cell's weights sum to 1
    }

    /** Mean HSV saturation, 0-1. */
    static double meanSaturation(int[] argb) {
        double sum = 0;
        for (int p : argb) {
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            sum += max == 0 ? 0 : (max - min) / (double) max;
        }
        return sum / argb.length;
    }
}
