package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExifReaderTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}_{1}.jpg -> {2}")
    @CsvSource({
        "Landscape, 0, 1", "Landscape, 1, 1", "Landscape, 2, 2", "Landscape, 3, 3",
        "Landscape, 4, 4", "Landscape, 5, 5", "Landscape, 6, 6", "Landscape, 7, 7",
        "Landscape, 8, 8",
        "Portrait, 0, 1", "Portrait, 1, 1", "Portrait, 2, 2", "Portrait, 3, 3",
        "Portrait, 4, 4", "Portrait, 5, 5", "Portrait, 6, 6", "Portrait, 7, 7",
        "Portrait, 8, 8",
    })
    void read_corpusFile_reportsItsOrientation(String set, int digit, int expected) {
        Path file = Corpus.dir().resolve("exif-orientation/" + set + "_" + digit + ".jpg");

        ExifInfo info = ExifReader.read(file);

        assertThat(info.orientation()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void read_syntheticJpegWithOrientation_returnsIt(int orientation) {
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-exif-orientation" + orientation
                + "-16x8.jpg"), 16, 8, orientation);

        ExifInfo info = ExifReader.read(jpeg);

        assertThat(info).isEqualTo(new ExifInfo(orientation, null, null, null, false, null,
                null, 3, false));
    }

    @Test
    void read_iphoneHeic_reportsCameraCaptureTimeAndGps() {
        // metadata-extractor reads HEIF boxes itself; FFmpeg is not involved here
        ExifInfo info = ExifReader.read(Corpus.dir().resolve("heic/IMG_5195.HEIC"));

        assertThat(info.make()).isEqualTo("Apple");
        assertThat(info.model()).isEqualTo("iPhone 11 Pro Max");
        assertThat(info.captureTime()).isEqualTo("2021-04-11T15:47:53");
        assertThat(info.gpsPresent()).isTrue();
    }

    @Test
    void read_pngWithoutExif_returnsDefaults() {
        Path png = SyntheticMedia.pngWithAlpha(tmp.resolve("rgba-64x64.png"), 64, 64);

        assertThat(ExifReader.read(png)).isEqualTo(ExifInfo.NONE);
    }

    @Test
    void read_jpegWithoutExif_returnsDefaults() {
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-no-exif-16x16.jpg"), 16, 16, 0);

        assertThat(ExifReader.read(jpeg)).isEqualTo(new ExifInfo(1, null, null, null, false,
                null, null, 3, false));
    }

    @Test
    void read_brokenOrMissingFile_returnsDefaultsWithoutThrowing() throws Exception {
        // given: text, a JPEG whose Exif segment is cut short, and no file at all
        Path text = Files.writeString(tmp.resolve("notes.jpg"), "plain text");
        byte[] jpeg = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("j.jpg"), 16, 16, 6));
        byte[] broken = jpeg.clone();
        broken[4] = 0x7f; // APP1 length now runs far past the end of the file
        Path brokenExif = Files.write(tmp.resolve("jpeg-broken-exif.jpg"), broken);

        // when / then
        assertThat(ExifReader.read(text)).isEqualTo(ExifInfo.NONE);
        assertThat(ExifReader.read(brokenExif).orientation()).isEqualTo(1);
        assertThat(ExifReader.read(tmp.resolve("missing.jpg"))).isEqualTo(ExifInfo.NONE);
    }
}
