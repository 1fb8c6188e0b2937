package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.imageIo;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.picture;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU16be;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU32be;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.rejecting;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.u16be;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.u32be;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class TiffParserTest {
    /** Big-endian ("MM"), uncompressed, as ImageIO writes it. */
    private static final byte[] RGB = imageIo(picture(19, 11, BufferedImage.TYPE_INT_RGB), "tiff");

    private static StructureReport parse(byte[] bytes) {
        return ImageFixtures.parse(new TiffParser(), bytes, "TIFF");
    }

    private static byte[] tiff(String compression, boolean tiled, int pages) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            if (tiled) {
                param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
                param.setTiling(16, 16, 0, 0);
            }
            writer.prepareWriteSequence(null);
            for (int i = 0; i < pages; i++) {
                writer.writeToSequence(new IIOImage(picture(40 + i, 30, BufferedImage.TYPE_INT_RGB), null, null), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Offset of the IFD0 entry with this tag in a big-endian TIFF. */
    private static int entryAt(byte[] tiff, int tag) {
        int ifd = (int) u32be(tiff, 4);
        int n = u16be(tiff, ifd);
        for (int i = 0; i < n; i++) {
            int at = ifd + 2 + 12 * i;
            if (u16be(tiff, at) == tag) {
                return at;
            }
        }
        throw new AssertionError("no tag " + tag);
    }

    @Test
    void parse_imageIoTiff_isAcceptedWithItsSize() {
        assertThat(RGB[0]).isEqualTo((byte) 'M');

        StructureReport report = parse(RGB);

        assertThat(report.width()).isEqualTo(19);
        assertThat(report.height()).isEqualTo(11);
        assertThat(report.frames()).isEqualTo(1);
        assertThat(report.logicalEnd()).isEqualTo(-1);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_lzwTiledTiffOfThreePages_countsPages() throws IOException {
        byte[] bytes = tiff("LZW", true, 3);

        StructureReport report = parse(bytes);

        assertThat(report.width()).isEqualTo(40);
        assertThat(report.height()).isEqualTo(30);
        assertThat(report.frames()).isEqualTo(3);
    }

    @Test
    void parse_deflateStripTiff_isAccepted() throws IOException {
        assertThat(parse(tiff("Deflate", false, 1)).width()).isEqualTo(40);
    }

    @Test
    void parse_littleEndianTiff_isAccepted() {
        // given: a minimal little-endian TIFF by hand: 2x2 grey, one strip of 4 bytes
        byte[] bytes = {'I', 'I', 42, 0, 8, 0, 0, 0,
                4, 0,
                0, 1, 3, 0, 1, 0, 0, 0, 2, 0, 0, 0,      // ImageWidth 2
                1, 1, 3, 0, 1, 0, 0, 0, 2, 0, 0, 0,      // ImageLength 2
                17, 1, 4, 0, 1, 0, 0, 0, 62, 0, 0, 0,    // StripOffsets 62
                23, 1, 4, 0, 1, 0, 0, 0, 4, 0, 0, 0,     // StripByteCounts 4
                0, 0, 0, 0,
                1, 2, 3, 4};

        StructureReport report = parse(bytes);

        assertThat(report.width()).isEqualTo(2);
        assertThat(report.height()).isEqualTo(2);
    }

    @Test
    void parse_tiffIfdLoop_isStructureInvalid() {
        byte[] bytes = RGB.clone();
        int ifd = (int) u32be(bytes, 4);
        int n = u16be(bytes, ifd);
        putU32be(bytes, ifd + 2 + 12 * n, ifd); // next IFD = IFD0

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("already visited: the IFDs form a loop");
    }

    @Test
    void parse_tiffIfdOffsetPastEof_isTruncated() {
        byte[] bytes = RGB.clone();
        putU32be(bytes, 4, 10_000_000);

        rejecting(() -> parse(bytes)).matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("IFD0 offset is 10000000");
    }

    @Test
    void parse_tiffStripPastEof_isTruncated() {
        byte[] bytes = RGB.clone();
        int counts = entryAt(bytes, 279);
        int type = u16be(bytes, counts + 2);
        if (type == 3) {
            putU16be(bytes, counts + 8, 60_000);
        } else {
            putU32be(bytes, counts + 8, 60_000);
        }

        rejecting(() -> parse(bytes)).matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("strip 0 of 60000 bytes");
    }

    @Test
    void parse_tiffStripCountsDisagree_isStructureInvalid() {
        // given: two strip offsets (SHORTs inside the entry) but one byte count
        byte[] bytes = {'I', 'I', 42, 0, 8, 0, 0, 0,
                4, 0,
                0, 1, 3, 0, 1, 0, 0, 0, 2, 0, 0, 0,      // ImageWidth 2
                1, 1, 3, 0, 1, 0, 0, 0, 2, 0, 0, 0,      // ImageLength 2
                17, 1, 3, 0, 2, 0, 0, 0, 62, 0, 64, 0,   // StripOffsets 62, 64
                23, 1, 4, 0, 1, 0, 0, 0, 4, 0, 0, 0,     // StripByteCounts 4
                0, 0, 0, 0,
                1, 2, 3, 4};

        rejecting(() -> parse(bytes)).withMessageContaining("has 2 strip offsets and 1 byte counts, expected as many of each");
    }

    @Test
    void parse_tiffWithoutWidth_isStructureInvalid() {
        byte[] bytes = RGB.clone();
        putU16be(bytes, entryAt(bytes, 256), 999); // ImageWidth renamed to an unknown tag

        rejecting(() -> parse(bytes)).withMessageContaining("has ImageWidth -1");
    }

    @Test
    void parse_tiffWithoutStrips_isStructureInvalid() {
        byte[] bytes = RGB.clone();
        putU16be(bytes, entryAt(bytes, 273), 998);
        putU16be(bytes, entryAt(bytes, 279), 999);

        rejecting(() -> parse(bytes)).withMessageContaining("has neither StripOffsets nor TileOffsets");
    }

    @Test
    void parse_tiffIfdOf5000Entries_isStructureInvalid() {
        byte[] bytes = RGB.clone();
        putU16be(bytes, (int) u32be(bytes, 4), 5000);

        rejecting(() -> parse(bytes)).withMessageContaining("has 5000 entries, expected 1..4096");
    }

    @Test
    void parse_bigTiff_isStructureInvalid() {
        byte[] bytes = RGB.clone();
        bytes[3] = 43;

        rejecting(() -> parse(bytes)).withMessageContaining("BigTIFF");
    }

    @Test
    void parse_tiffBrokenExifPointer_warns() {
        // given: an ExifIFD tag pointing past the end of the file, in place of an optional tag
        byte[] bytes = RGB.clone();
        int at = entryAt(bytes, 282); // XResolution
        putU16be(bytes, at, 34665);
        putU16be(bytes, at + 2, 4);
        putU32be(bytes, at + 4, 1);
        putU32be(bytes, at + 8, 9_999_999);

        StructureReport report = parse(bytes);

        assertThat(report.width()).isEqualTo(19);
        assertThat(report.warnings()).singleElement().satisfies(w ->
                assertThat(w.message()).contains("IFD0.ExifIFD offset is 9999999"));
    }
}
