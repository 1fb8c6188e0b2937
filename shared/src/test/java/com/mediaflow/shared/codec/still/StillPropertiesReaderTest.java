package com.mediaflow.shared.codec.still;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.HeifDecoder;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StillPropertiesReaderTest {

    @TempDir
    Path tmp;

    private static StillProperties read(Path file) {
        return StillPropertiesReader.read(file, ExifReader.read(file), Limits.DEFAULTS);
    }

    @Test
    void read_iphoneGridHeic_reportsThePrimaryPictureNotATile() {
        Path heic = Corpus.file("heic/IMG_5195.HEIC");

        StillProperties p = read(heic);

        assertThat(p).isEqualTo(new StillProperties("hevc", 2566, 3313, 8, "Display P3", false, 1,
                java.util.List.of()));
        try (Frame decoded = HeifDecoder.decodePrimary(heic)) {
            assertThat(new int[] {p.width(), p.height()}).as("what the thumbnail step decodes")
                    .containsExactly(decoded.imageWidth, decoded.imageHeight);
        }
    }

    @Test
    void read_gridHeicTurnedByIrot_reportsTheTurnedSizeTheDecoderMakes() {
        Path turned = HeifFixtures.withIrot(Corpus.file("heic/IMG_5195.HEIC"), 1,
                tmp.resolve("heic-grid-irot90-3313x2566.heic"));

        StillProperties p = read(turned);

        assertThat(p.width()).isEqualTo(3313);
        assertThat(p.height()).isEqualTo(2566);
        assertThat(p.warnings()).isEmpty();
        try (Frame decoded = HeifDecoder.decodePrimary(turned)) {
            assertThat(new int[] {p.width(), p.height()})
                    .containsExactly(decoded.imageWidth, decoded.imageHeight);
        }
    }

    @Test
    void read_heifWhoseItemsCannotBeRead_keepsTheColourAndWarns() {
        Path broken = HeifFixtures.withCorruptMeta(Corpus.file("heic/samplefilehub.heif"),
                tmp.resolve("heif-meta-cut.heif"));

        StillProperties p = read(broken);

        assertThat(p.width()).isNull();
        assertThat(p.height()).isNull();
        assertThat(p.colorSpace()).isEqualTo("sRGB");
        assertThat(p.warnings()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.PROPERTIES_INCOMPLETE);
            assertThat(r.rejects()).isFalse();
            assertThat(r.message()).contains("hdlr").contains("expected");
        });
    }

    @ParameterizedTest(name = "Landscape_{0}.jpg")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void read_exifOrientationSet_reportsTheDisplaySize(int orientation) {
        StillProperties p = read(Corpus.file("exif-orientation/Landscape_" + orientation + ".jpg"));

        // orientations 5-8 are stored 1200x1800 and shown turned a quarter
        assertThat(p.width()).isEqualTo(1800);
        assertThat(p.height()).isEqualTo(1200);
        assertThat(p).extracting(StillProperties::codec, StillProperties::bitDepth,
                StillProperties::colorSpace, StillProperties::hasAlpha, StillProperties::frameCount)
                .containsExactly("mjpeg", 8, "sRGB", false, 1);
    }

    @ParameterizedTest(name = "{0}: {1} bits, alpha {2}, {3}")
    @CsvSource({
        "basn0g16.png, 16, false, gray",
        "basn0g04.png, 4, false, gray",
        "basn0g01.png, 1, false, gray",
        "basn2c16.png, 16, false, sRGB",
        "basn2c08.png, 8, false, sRGB",
        "basn6a08.png, 8, true, sRGB",
        "basn6a16.png, 16, true, sRGB",
        "basn4a08.png, 8, true, gray",
        "basn3p08.png, 8, false, sRGB",
        "basn3p01.png, 8, false, sRGB",
        "tbbn3p08.png, 8, true, sRGB",
        "tbbn0g04.png, 4, true, gray",
        "tbrn2c08.png, 8, true, sRGB",
        "tp0n2c08.png, 8, false, sRGB",
    })
    void read_pngSuite_reportsDepthAlphaAndColourSpace(String name, int depth, boolean alpha,
            String colorSpace) {
        StillProperties p = read(Corpus.file("pngsuite/png/" + name));

        assertThat(p).extracting(StillProperties::codec, StillProperties::width,
                StillProperties::height, StillProperties::bitDepth, StillProperties::hasAlpha,
                StillProperties::colorSpace, StillProperties::frameCount)
                .containsExactly("png", 32, 32, depth, alpha, colorSpace, 1);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void read_animations_countTheirFrames() {
        Path gif = SyntheticMedia.animatedGif(tmp.resolve("gif-animated-3frames-64x48.gif"), 64,
                48, 3);
        Path webp = SyntheticMedia.animatedWebp(tmp.resolve("webp-animated-4frames-40x30.webp"),
                40, 30, 4, 10, SyntheticMedia.WebpEncoding.LOSSY_ALPHA,
                (rgba, i) -> Painting.flat(rgba, 40 + i * 60));
        Path apng = Painting.apng(tmp.resolve("apng-3frames-40x30.png"), 40, 30, 3);

        assertThat(read(gif)).extracting(StillProperties::codec, StillProperties::frameCount,
                StillProperties::width, StillProperties::height).containsExactly("gif", 3, 64, 48);
        assertThat(read(webp)).extracting(StillProperties::codec, StillProperties::frameCount,
                StillProperties::hasAlpha).containsExactly("webp", 4, true);
        assertThat(read(apng)).extracting(StillProperties::codec, StillProperties::frameCount,
                StillProperties::bitDepth).containsExactly("apng", 3, 8);
    }

    @Test
    void read_webpStills_tellAlphaFromItsHeaders() {
        Path opaque = Painting.webp(tmp.resolve("webp-lossy-40x30.webp"), false);
        Path transparent = Painting.webp(tmp.resolve("webp-lossy-alpha-40x30.webp"), true);

        assertThat(read(opaque)).extracting(StillProperties::hasAlpha, StillProperties::width,
                StillProperties::frameCount).containsExactly(false, 40, 1);
        assertThat(read(transparent).hasAlpha()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bmp,  5, 8, false, sRGB",
        "tiff, 5, 8, false, sRGB",
        "tiff, 2, 8, true, sRGB",
        "tiff, 10, 8, false, gray",
        "tiff, 11, 16, false, gray",
    })
    void read_bmpAndTiff_reportTheirLayout(String format, int bufferedImageType, int depth,
            boolean alpha, String colorSpace) throws IOException {
        Path file = tmp.resolve("imageio-type" + bufferedImageType + "-24x16." + format);
        ImageIO.write(new BufferedImage(24, 16, bufferedImageType), format, file.toFile());

        StillProperties p = read(file);

        assertThat(p).extracting(StillProperties::codec, StillProperties::width,
                StillProperties::height, StillProperties::bitDepth, StillProperties::hasAlpha,
                StillProperties::colorSpace)
                .containsExactly(format, 24, 16, depth, alpha, colorSpace);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void read_tiffWithoutPhotometricInterpretation_keepsTheSizeAndWarns() throws IOException {
        Path file = tmp.resolve("tiff-no-photometric-24x16.tiff");
        ImageIO.write(new BufferedImage(24, 16, BufferedImage.TYPE_3BYTE_BGR), "tiff",
                file.toFile());
        renameTag(file, 262, 263); // PhotometricInterpretation becomes Threshholding

        StillProperties p = read(file);

        assertThat(p.width()).isEqualTo(24);
        assertThat(p.height()).isEqualTo(16);
        assertThat(p.bitDepth()).isNull();
        assertThat(p.hasAlpha()).isNull();
        assertThat(p.warnings()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.PROPERTIES_INCOMPLETE);
            assertThat(r.rejects()).isFalse();
        });
    }

    /** Renames the first IFD0 entry with tag {@code from} (classic TIFF, either byte order). */
    private static void renameTag(Path tiff, int from, int to) throws IOException {
        byte[] b = Files.readAllBytes(tiff);
        ByteBuffer buf = ByteBuffer.wrap(b).order(b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN
                : ByteOrder.BIG_ENDIAN);
        int ifd = buf.getInt(4);
        int count = buf.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < count; i++) {
            int entry = ifd + 2 + 12 * i;
            if ((buf.getShort(entry) & 0xFFFF) == from) {
                buf.putShort(entry, (short) to);
                Files.write(tiff, b);
                return;
            }
        }
        throw new AssertionError("expected tag " + from + " in IFD0, found none");
    }
}
