package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePropertiesTest {

    @TempDir
    Path tmp;

    private static ImageProperties describe(Path file) {
        return ImageProperties.describe(file, MediaProbe.probe(file), ExifReader.read(file));
    }

    private static Path png(String name) {
        return TestImages.corpus().resolve("pngsuite/png/" + name);
    }

    @ParameterizedTest(name = "{0}: {1} bits, alpha {2}, {3}")
    @CsvSource({
        "basn0g16.png, 16, false, gray",
        "basn2c16.png, 16, false, sRGB",
        "basn2c08.png, 8, false, sRGB",
        "basn6a08.png, 8, true, sRGB",
        "basn6a16.png, 16, true, sRGB",
        "basn4a08.png, 8, true, gray",
        "basn3p08.png, 8, false, sRGB",
        "tbbn3p08.png, 8, true, sRGB",
    })
    void describe_pngSuite_reportsDepthAlphaAndColourSpace(String name, int depth,
            boolean alpha, String colorSpace) {
        ImageProperties p = describe(png(name));

        assertThat(p.bitDepth()).isEqualTo(depth);
        assertThat(p.hasAlpha()).isEqualTo(alpha);
        assertThat(p.colorSpace()).isEqualTo(colorSpace);
        assertThat(p.frameCount()).isEqualTo(1);
    }

    @Test
    void describe_jpegWithoutIcc_is8BitOpaqueSrgb() {
        ImageProperties p = describe(TestImages.corpus().resolve("exif-orientation/Landscape_6.jpg"));

        assertThat(p).isEqualTo(new ImageProperties(8, "sRGB", false, 1));
    }

    @Test
    void describe_iphoneHeic_isDisplayP3FromItsIccProfile() {
        Path heic = TestImages.corpus().resolve("heic/IMG_5195.HEIC");

        ImageProperties p = describe(heic);

        assertThat(ExifReader.read(heic).iccDescription()).isEqualTo("Display P3");
        assertThat(p.colorSpace()).isEqualTo("Display P3");
        assertThat(p.hasAlpha()).isFalse();
        assertThat(p.bitDepth()).isEqualTo(8);
    }

    @Test
    void describe_animatedGifOfThreeFrames_countsThree() {
        Path gif = SyntheticMedia.animatedGif(tmp.resolve("gif-animated-3frames-64x48.gif"), 64,
                48, 3);

        assertThat(describe(gif).frameCount()).isEqualTo(3);
    }

    @Test
    void colorSpace_namesWellKnownProfilesAndFallsBackOnThePixelFormat() {
        assertThat(ImageProperties.colorSpace("yuvj420p", icc("sRGB IEC61966-2.1", "RGB")))
                .isEqualTo("sRGB");
        assertThat(ImageProperties.colorSpace("yuvj420p", icc("Adobe RGB (1998)", "RGB")))
                .isEqualTo("Adobe RGB");
        assertThat(ImageProperties.colorSpace("rgb24", icc("Camera Profile X", "RGB")))
                .isEqualTo("Camera Profile X");
        assertThat(ImageProperties.colorSpace("yuvj420p", icc("U.S. Web Coated (SWOP) v2", "CMYK")))
                .isEqualTo("CMYK");
        assertThat(ImageProperties.colorSpace("gbrap", new ExifInfo(1, null, null, null, false,
                null, null, 4, false))).isEqualTo("CMYK");
        assertThat(ImageProperties.colorSpace("gray16be", ExifInfo.NONE)).isEqualTo("gray");
        assertThat(ImageProperties.colorSpace("rgb48be", ExifInfo.NONE)).isEqualTo("sRGB");
    }

    private static ExifInfo icc(String description, String space) {
        return new ExifInfo(1, null, null, null, false, description, space, null, false);
    }
}
