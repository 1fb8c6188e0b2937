package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.concat;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.imageIo;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.picture;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU16le;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU32le;
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
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class BmpParserTest {
    /** 24-bit, 21x10: rows of 63 bytes padded to 64. */
    private static final byte[] RGB24 = imageIo(picture(21, 10, BufferedImage.TYPE_INT_RGB), "bmp");

    private static StructureReport parse(byte[] bytes) {
        return ImageFixtures.parse(new BmpParser(), bytes, "BMP");
    }

    private static byte[] rle8() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("bmp").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("BI_RLE8");
            writer.write(null, new IIOImage(picture(16, 12, BufferedImage.TYPE_BYTE_INDEXED), null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    @Test
    void parse_imageIo24BitBmp_isAcceptedWithItsSize() {
        StructureReport report = parse(RGB24);

        assertThat(report.width()).isEqualTo(21);
        assertThat(report.height()).isEqualTo(10);
        assertThat(report.frames()).isEqualTo(1);
        assertThat(report.logicalEnd()).isEqualTo(54 + 64 * 10).isEqualTo(RGB24.length);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_imageIoPaletteAndGreyBmps_areAccepted() {
        for (int type : new int[] {BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_GRAY,
                BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_INT_ARGB}) {
            byte[] bytes = imageIo(picture(13, 7, type == BufferedImage.TYPE_INT_ARGB ? BufferedImage.TYPE_INT_RGB : type), "bmp");

            StructureReport report = parse(bytes);

            assertThat(report.width()).as("type %d", type).isEqualTo(13);
            assertThat(report.height()).isEqualTo(7);
            assertThat(report.logicalEnd()).isEqualTo(bytes.length);
        }
    }

    @Test
    void parse_rle8Bmp_isAcceptedWithoutLogicalEnd() throws IOException {
        byte[] bytes = rle8();
        assertThat(bytes[30]).as("compression").isEqualTo((byte) 1);

        StructureReport report = parse(bytes);

        assertThat(report.width()).isEqualTo(16);
        assertThat(report.height()).isEqualTo(12);
        assertThat(report.logicalEnd()).isEqualTo(-1);
    }

    @Test
    void parse_topDownBmp_reportsThePositiveHeight() {
        byte[] bytes = RGB24.clone();
        putU32le(bytes, 22, -10);

        assertThat(parse(bytes).height()).isEqualTo(10);
    }

    @Test
    void parse_bmpWithWrongFileSizeField_warns() {
        byte[] bytes = RGB24.clone();
        putU32le(bytes, 2, 0);

        StructureReport report = parse(bytes);

        assertThat(report.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.STRUCTURE_INVALID);
            assertThat(w.message()).contains("file header says 0 bytes, the file has " + RGB24.length);
        });
    }

    @Test
    void parse_bmpPixelArrayPastEof_isTruncated() {
        byte[] bytes = slice(RGB24, 0, RGB24.length - 1);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("pixel array of 10 rows of 64 bytes starts at offset 54");
    }

    @Test
    void parse_bmpHugeDimensions_isTruncatedWithoutOverflow() {
        // given: 2^31-1 x 2^31-1 at 32 bits: the array size overflows a naive 64-bit product
        byte[] bytes = RGB24.clone();
        putU32le(bytes, 18, Integer.MAX_VALUE);
        putU32le(bytes, 22, Integer.MAX_VALUE);
        putU16le(bytes, 28, 32);

        rejecting(() -> parse(bytes)).matches(e -> e.code() == ReasonCode.TRUNCATED);
    }

    @Test
    void parse_bmpZeroWidth_isStructureInvalid() {
        byte[] bytes = RGB24.clone();
        putU32le(bytes, 18, 0);

        rejecting(() -> parse(bytes)).withMessageContaining("bitmap is 0x10, expected a width above 0");
    }

    @Test
    void parse_bmpUnknownHeaderSize_isStructureInvalid() {
        byte[] bytes = RGB24.clone();
        putU32le(bytes, 14, 41);

        rejecting(() -> parse(bytes)).withMessageContaining("DIB header size is 41");
    }

    @Test
    void parse_bmp7BitsPerPixel_isStructureInvalid() {
        byte[] bytes = RGB24.clone();
        putU16le(bytes, 28, 7);

        rejecting(() -> parse(bytes)).withMessageContaining("7 bits per pixel");
    }

    @Test
    void parse_bmpRle8At24Bits_isStructureInvalid() {
        byte[] bytes = RGB24.clone();
        putU32le(bytes, 30, 1);

        rejecting(() -> parse(bytes)).withMessageContaining("bitmap of 24 bits per pixel has compression 1");
    }

    @Test
    void parse_bmpTwoPlanes_isStructureInvalid() {
        byte[] bytes = RGB24.clone();
        putU16le(bytes, 26, 2);

        rejecting(() -> parse(bytes)).withMessageContaining("2 planes, expected 1");
    }

    @Test
    void parse_bmpPixelOffsetPastEof_isTruncated() {
        byte[] bytes = RGB24.clone();
        putU32le(bytes, 10, 1_000_000);

        rejecting(() -> parse(bytes)).matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("pixel data offset is 1000000");
    }

    @Test
    void parse_bmpPaletteOf1000ColoursAt8Bits_isStructureInvalid() {
        byte[] bytes = imageIo(picture(8, 8, BufferedImage.TYPE_BYTE_INDEXED), "bmp");
        putU32le(bytes, 46, 1000);

        rejecting(() -> parse(bytes)).withMessageContaining("palette declares 1000 colours, expected at most 256");
    }

    @Test
    void validate_bmpWithZipAppended_isPolyglot() {
        byte[] bytes = concat(RGB24, zip());

        Verdict verdict = new StructureValidator(Limits.DEFAULTS, f -> Optional.of(new BmpParser()))
                .validate(new ArrayByteSource(bytes), "image/bmp", "bmp-with-zip-appended.bmp").verdict();

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reasons()).anyMatch(r -> r.code() == ReasonCode.POLYGLOT);
    }
}
