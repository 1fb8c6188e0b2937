package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.concat;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.imageIoSize;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.jpeg;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.jpegSegmentAt;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.picture;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU16be;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.rejecting;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.slice;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JpegParserTest {
    private static final byte[] BASELINE = jpeg(picture(32, 24, BufferedImage.TYPE_INT_RGB), false);

    private static StructureReport parse(byte[] bytes) {
        return ImageFixtures.parse(new JpegParser(), bytes, "JPEG");
    }

    static Stream<Path> exifOrientationPhotos() throws IOException {
        try (Stream<Path> files = Files.list(Corpus.dir().resolve("exif-orientation"))) {
            List<Path> jpgs = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            assertThat(jpgs).hasSize(18);
            return jpgs.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exifOrientationPhotos")
    void parse_exifOrientationPhoto_isAcceptedWithItsStoredSize(Path photo) throws IOException {
        // given
        byte[] bytes = Files.readAllBytes(photo);

        // when
        StructureReport report = parse(bytes);

        // then
        int[] size = imageIoSize(bytes);
        assertThat(report.width()).isEqualTo(size[0]);
        assertThat(report.height()).isEqualTo(size[1]);
        assertThat(report.frames()).isEqualTo(1);
        assertThat(report.logicalEnd()).isEqualTo(bytes.length);
    }

    @Test
    void parse_syntheticFfmpegJpegWithExif_isAccepted(@TempDir Path dir) throws IOException {
        // given
        byte[] bytes = Files.readAllBytes(SyntheticMedia.jpeg(dir.resolve("jpeg-exif-orientation6-64x48.jpg"), 64, 48, 6));

        // when
        StructureReport report = parse(bytes);

        // then
        assertThat(report.width()).isEqualTo(64);
        assertThat(report.height()).isEqualTo(48);
        assertThat(report.logicalEnd()).isEqualTo(bytes.length);
    }

    @Test
    void parse_progressiveJpeg_walksEveryScan() {
        // given
        byte[] progressive = jpeg(picture(40, 30, BufferedImage.TYPE_INT_RGB), true);
        assertThat(jpegSegmentAt(progressive, 0xC2)).as("ImageIO wrote SOF2").isPositive();

        // when
        StructureReport report = parse(progressive);

        // then
        assertThat(report.width()).isEqualTo(40);
        assertThat(report.height()).isEqualTo(30);
        assertThat(report.logicalEnd()).isEqualTo(progressive.length);
    }

    @Test
    void parse_fourComponentCmykJpeg_isAccepted() {
        // given
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 24, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                cmyk.setPixel(x, y, new int[] {x * 10, y * 15, 128, 30});
            }
        }
        byte[] bytes = jpeg(cmyk, false);
        int sof = jpegSegmentAt(bytes, 0xC0);
        assertThat(bytes[sof + 9]).as("components").isEqualTo((byte) 4);

        // when
        StructureReport report = parse(bytes);

        // then
        assertThat(report.width()).isEqualTo(24);
        assertThat(report.height()).isEqualTo(16);
    }

    @Test
    void parse_greyscaleJpeg_isAccepted() {
        StructureReport report = parse(jpeg(picture(17, 9, BufferedImage.TYPE_BYTE_GRAY), false));

        assertThat(report.width()).isEqualTo(17);
        assertThat(report.height()).isEqualTo(9);
    }

    @Test
    void parse_jpegFollowedByGainMapJpeg_endsAfterTheFirstEoi() {
        // given: what an Ultra HDR photo looks like at the top level: primary JPEG, then another
        byte[] bytes = concat(BASELINE, jpeg(picture(8, 8, BufferedImage.TYPE_BYTE_GRAY), false));

        // when
        StructureReport report = parse(bytes);

        // then
        assertThat(report.logicalEnd()).isEqualTo(BASELINE.length);
    }

    @Test
    void validate_jpegWithZipAppended_isPolyglot() {
        // given
        byte[] bytes = concat(BASELINE, zip());

        // when
        Verdict verdict = new StructureValidator(Limits.DEFAULTS, f -> Optional.of(new JpegParser()))
                .validate(new ArrayByteSource(bytes), "image/jpeg", "jpeg-with-zip-appended.jpg").verdict();

        // then
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reasons()).anySatisfy(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.POLYGLOT);
            assertThat(r.message()).contains("ends at offset " + BASELINE.length);
        });
    }

    @Test
    void parse_jpegWithoutEoi_isTruncated() {
        byte[] noEoi = slice(BASELINE, 0, BASELINE.length - 2);

        rejecting(() -> parse(noEoi))
                .matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("EOI");
    }

    @Test
    void parse_jpegCutInsideHeaders_isTruncated() {
        int sos = jpegSegmentAt(BASELINE, 0xDA);
        byte[] cut = slice(BASELINE, 0, sos - 5);

        rejecting(() -> parse(cut)).matches(e -> e.code() == ReasonCode.TRUNCATED);
    }

    @Test
    void parse_notJpeg_isStructureInvalid() {
        rejecting(() -> parse(new byte[] {'G', 'I', 'F', '8'}))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("SOI");
    }

    @Test
    void parse_jpegSofZeroWidth_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        putU16be(bytes, jpegSegmentAt(bytes, 0xC0) + 7, 0);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("is 0x24, expected width and height above 0");
    }

    @Test
    void parse_jpegSofZeroHeight_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        putU16be(bytes, jpegSegmentAt(bytes, 0xC0) + 5, 0);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("DNL");
    }

    @Test
    void parse_jpegSofPrecision9_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        bytes[jpegSegmentAt(bytes, 0xC0) + 4] = 9;

        rejecting(() -> parse(bytes)).withMessageContaining("precision 9, expected 8 for baseline");
    }

    @Test
    void parse_jpegSamplingFactorZero_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        bytes[jpegSegmentAt(bytes, 0xC0) + 11] = 0x01; // first component: H=0, V=1

        rejecting(() -> parse(bytes)).withMessageContaining("sampling factors 0x1, expected 1..4");
    }

    @Test
    void parse_jpegSegmentLengthOne_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        putU16be(bytes, jpegSegmentAt(bytes, 0xDB) + 2, 1);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("declares length 1, expected at least 2");
    }

    @Test
    void parse_jpegAppSegmentPastEof_isTruncated() {
        // given: an APP1 that claims 65535 bytes in a file of a few hundred
        byte[] app1 = {(byte) 0xFF, (byte) 0xE1, (byte) 0xFF, (byte) 0xFF, 'E', 'x', 'i', 'f', 0, 0};
        byte[] bytes = concat(slice(BASELINE, 0, 2), app1, slice(BASELINE, 2, BASELINE.length));

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("segment FF E1 at offset 2 declares 65533 bytes");
    }

    @Test
    void parse_jpegDhtWith300Codes_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        int dht = jpegSegmentAt(bytes, 0xC4);
        bytes[dht + 5] = (byte) 200;
        bytes[dht + 6] = (byte) 100;

        rejecting(() -> parse(bytes)).withMessageContaining("codes, expected at most 256");
    }

    @Test
    void parse_jpegDqtTableId5_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        bytes[jpegSegmentAt(bytes, 0xDB) + 4] = 0x05;

        rejecting(() -> parse(bytes)).withMessageContaining("id 5, expected precision 0..1 and id 0..3");
    }

    @Test
    void parse_jpegScanOfUnknownComponent_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        bytes[jpegSegmentAt(bytes, 0xDA) + 5] = 0x77;

        rejecting(() -> parse(bytes)).withMessageContaining("refers to component 119");
    }

    @Test
    void parse_jpegScanBeforeFrameHeader_isStructureInvalid() {
        // given: the SOF0 marker renamed to APP15, so the scan comes first
        byte[] bytes = BASELINE.clone();
        bytes[jpegSegmentAt(bytes, 0xC0) + 1] = (byte) 0xEF;

        rejecting(() -> parse(bytes)).withMessageContaining("before any frame header");
    }

    @Test
    void parse_jpegReservedMarker_isStructureInvalid() {
        byte[] bytes = BASELINE.clone();
        bytes[jpegSegmentAt(bytes, 0xDB) + 1] = 0x02;

        rejecting(() -> parse(bytes)).withMessageContaining("marker FF 02 at offset");
    }

    @Test
    void parse_jpegWithoutScan_isStructureInvalid() {
        int sos = jpegSegmentAt(BASELINE, 0xDA);
        byte[] bytes = concat(slice(BASELINE, 0, sos), new byte[] {(byte) 0xFF, (byte) 0xD9});

        rejecting(() -> parse(bytes)).withMessageContaining("before any scan");
    }

    @Test
    void parse_jpegWith1001Scans_isStructureInvalid() {
        // given: a frame header, then 1001 one-component scans of one byte each
        int sos = jpegSegmentAt(BASELINE, 0xDA);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(slice(BASELINE, 0, sos));
        int firstComponent = BASELINE[jpegSegmentAt(BASELINE, 0xC0) + 10] & 0xFF;
        for (int i = 0; i < 1001; i++) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, (byte) firstComponent, 0, 0, 63, 0, 0x55});
        }
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});

        rejecting(() -> parse(out.toByteArray())).withMessageContaining("more than 1000 scans");
    }

    @Test
    void parse_jpegWithRestartMarkersAndStuffing_findsTheRealEnd() {
        // given: scan data with FF 00 stuffing and RST markers, then fill bytes before EOI
        int sos = jpegSegmentAt(BASELINE, 0xDA);
        int firstComponent = BASELINE[jpegSegmentAt(BASELINE, 0xC0) + 10] & 0xFF;
        byte[] bytes = concat(slice(BASELINE, 0, sos),
                new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, (byte) firstComponent, 0, 0, 63, 0,
                        0x12, (byte) 0xFF, 0x00, 0x34, (byte) 0xFF, (byte) 0xD0, 0x56, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xD9, 0x00, 0x00});

        StructureReport report = parse(bytes);

        assertThat(report.logicalEnd()).isEqualTo(bytes.length - 2);
    }
}
