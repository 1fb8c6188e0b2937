package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.concat;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.fixPngCrc;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.imageIo;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.imageIoSize;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.picture;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.pngChunk;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.pngChunkAt;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU32be;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.rejecting;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.slice;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.u32be;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.withMaxFrames;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PngParserTest {
    private static final byte[] RGB = imageIo(picture(20, 10, BufferedImage.TYPE_INT_RGB), "png");

    private static StructureReport parse(byte[] bytes) {
        return ImageFixtures.parse(new PngParser(), bytes, "PNG");
    }

    private static List<Path> pngSuite() throws IOException {
        try (Stream<Path> files = Files.list(Corpus.dir().resolve("pngsuite/png"))) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            assertThat(all).hasSizeGreaterThan(170);
            return all;
        }
    }

    static Stream<Path> pngSuiteValid() throws IOException {
        return pngSuite().stream().filter(p -> !p.getFileName().toString().startsWith("x"));
    }

    static Stream<Path> pngSuiteCorrupt() throws IOException {
        List<Path> corrupt = pngSuite().stream().filter(p -> p.getFileName().toString().startsWith("x")).toList();
        assertThat(corrupt).hasSize(14);
        return corrupt.stream();
    }

    @ParameterizedTest
    @MethodSource("pngSuiteValid")
    void parse_pngSuiteFile_isAcceptedWithItsSize(Path file) throws IOException {
        // given
        byte[] bytes = Files.readAllBytes(file);

        // when
        StructureReport report = parse(bytes);

        // then
        int[] size = imageIoSize(bytes);
        assertThat(report.width()).isEqualTo(size[0]);
        assertThat(report.height()).isEqualTo(size[1]);
        assertThat(report.frames()).isEqualTo(1);
        assertThat(report.logicalEnd()).isEqualTo(bytes.length);
        assertThat(report.warnings()).isEmpty();
    }

    /** What each deliberately corrupt PngSuite file breaks, and a fragment of the message saying so. */
    private static final Map<String, String> CORRUPTION = Map.ofEntries(
            Map.entry("xc1n0g08.png", "colour type 1 with bit depth 8"),
            Map.entry("xc9n2c08.png", "colour type 9 with bit depth 8"),
            Map.entry("xcrn0g04.png", "signature byte 5 is 0x0D, expected 0x0A"),
            Map.entry("xcsn0g01.png", "chunk 'IDAT' at offset 49 has CRC"),
            Map.entry("xd0n2c08.png", "colour type 2 with bit depth 0"),
            Map.entry("xd3n2c08.png", "colour type 2 with bit depth 3"),
            Map.entry("xd9n2c08.png", "colour type 2 with bit depth 99"),
            Map.entry("xdtn0g01.png", "without any IDAT"),
            Map.entry("xhdn0g08.png", "chunk 'IHDR' at offset 8 has CRC"),
            Map.entry("xlfn0g04.png", "signature byte 4 is 0x0A, expected 0x0D"),
            Map.entry("xs1n0g01.png", "signature byte 0 is 0x09, expected 0x89"),
            Map.entry("xs2n0g01.png", "signature byte 1 is 0x51, expected 0x50"),
            Map.entry("xs4n0g01.png", "signature byte 3 is 0x67, expected 0x47"),
            Map.entry("xs7n0g01.png", "signature byte 6 is 0x20, expected 0x1A"));

    @ParameterizedTest
    @MethodSource("pngSuiteCorrupt")
    void parse_pngSuiteCorruptFile_isRejectedWithItsReason(Path file) throws IOException {
        // given
        byte[] bytes = Files.readAllBytes(file);
        String expected = CORRUPTION.get(file.getFileName().toString());
        assertThat(expected).as("expected reason for %s", file.getFileName()).isNotNull();

        // when / then
        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining(expected);
    }

    @Test
    void parse_syntheticRgbaPng_isAccepted(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(SyntheticMedia.pngWithAlpha(dir.resolve("png-rgba-33x17.png"), 33, 17));

        StructureReport report = parse(bytes);

        assertThat(report.width()).isEqualTo(33);
        assertThat(report.height()).isEqualTo(17);
        assertThat(report.logicalEnd()).isEqualTo(bytes.length);
    }

    private static byte[] ihdr100000x100000() {
        byte[] bytes = RGB.clone();
        putU32be(bytes, 16, 100_000);
        putU32be(bytes, 20, 100_000);
        fixPngCrc(bytes, 8);
        return bytes;
    }

    @Test
    void parse_pngIhdr100000x100000_reportsTheDeclaredSize() {
        StructureReport report = parse(ihdr100000x100000());

        assertThat(report.width()).isEqualTo(100_000);
        assertThat(report.height()).isEqualTo(100_000);
    }

    @Test
    void validate_pngIhdr100000x100000_isPixelLimit() {
        // given
        byte[] bytes = ihdr100000x100000();

        // when
        Verdict verdict = new StructureValidator(Limits.DEFAULTS, f -> Optional.of(new PngParser()))
                .validate(new ArrayByteSource(bytes), "image/png", "png-ihdr-100000x100000.png").verdict();

        // then
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reasons()).anySatisfy(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.PIXEL_LIMIT);
            assertThat(r.message()).contains("100000x100000");
        });
    }

    @Test
    void validate_pngWithZipAppended_isPolyglot() {
        byte[] bytes = concat(RGB, zip());

        Verdict verdict = new StructureValidator(Limits.DEFAULTS, f -> Optional.of(new PngParser()))
                .validate(new ArrayByteSource(bytes), "image/png", "png-with-zip-appended.png").verdict();

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reasons()).anyMatch(r -> r.code() == ReasonCode.POLYGLOT);
        assertThat(parse(bytes).logicalEnd()).isEqualTo(RGB.length);
    }

    @Test
    void parse_pngWithoutIend_isTruncated() {
        byte[] bytes = slice(RGB, 0, RGB.length - 12);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("before IEND");
    }

    @Test
    void parse_pngChunkLengthPastEof_isTruncated() {
        byte[] bytes = RGB.clone();
        int idat = pngChunkAt(bytes, "IDAT");
        putU32be(bytes, idat, 1_000_000);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("chunk 'IDAT' at offset " + idat);
    }

    @Test
    void parse_pngChunkLength2pow31_isStructureInvalid() {
        byte[] bytes = RGB.clone();
        putU32be(bytes, pngChunkAt(bytes, "IDAT"), 0x8000_0000L);

        rejecting(() -> parse(bytes)).withMessageContaining("expected at most 2^31-1");
    }

    @Test
    void parse_pngIdatCrcMismatch_isStructureInvalid() {
        byte[] bytes = RGB.clone();
        bytes[pngChunkAt(bytes, "IDAT") + 9] ^= 0x40;

        rejecting(() -> parse(bytes)).withMessageContaining("has CRC 0x");
    }

    @Test
    void parse_pngIdatsNotConsecutive_isStructureInvalid() {
        // given: the IDAT split in two with a tEXt between
        int idat = pngChunkAt(RGB, "IDAT");
        int len = (int) u32be(RGB, idat);
        byte[] data = slice(RGB, idat + 8, idat + 8 + len);
        byte[] bytes = concat(slice(RGB, 0, idat),
                pngChunk("IDAT", slice(data, 0, len / 2)),
                pngChunk("tEXt", "Comment\0between".getBytes()),
                pngChunk("IDAT", slice(data, len / 2, len)),
                slice(RGB, idat + 12 + len, RGB.length));

        rejecting(() -> parse(bytes)).withMessageContaining("expected the IDATs consecutive");
    }

    @Test
    void parse_pngSplitIdats_isAccepted() {
        int idat = pngChunkAt(RGB, "IDAT");
        int len = (int) u32be(RGB, idat);
        byte[] data = slice(RGB, idat + 8, idat + 8 + len);
        byte[] bytes = concat(slice(RGB, 0, idat),
                pngChunk("IDAT", slice(data, 0, len / 2)),
                pngChunk("IDAT", slice(data, len / 2, len)),
                pngChunk("tEXt", "Comment\0after".getBytes()),
                slice(RGB, idat + 12 + len, RGB.length));

        assertThat(parse(bytes).logicalEnd()).isEqualTo(bytes.length);
    }

    @Test
    void parse_pngUnknownCriticalChunk_isStructureInvalid() {
        int idat = pngChunkAt(RGB, "IDAT");
        byte[] bytes = concat(slice(RGB, 0, idat), pngChunk("CgBI", new byte[4]), slice(RGB, idat, RGB.length));

        rejecting(() -> parse(bytes)).withMessageContaining("unknown critical chunk 'CgBI'");
    }

    @Test
    void parse_pngUnknownAncillaryChunk_isAccepted() {
        int idat = pngChunkAt(RGB, "IDAT");
        byte[] bytes = concat(slice(RGB, 0, idat), pngChunk("prVt", new byte[7]), slice(RGB, idat, RGB.length));

        assertThat(parse(bytes).width()).isEqualTo(20);
    }

    @Test
    void parse_pngPaletteInGreyscale_isStructureInvalid() {
        byte[] grey = imageIo(picture(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png");
        int idat = pngChunkAt(grey, "IDAT");
        byte[] bytes = concat(slice(grey, 0, idat), pngChunk("PLTE", new byte[6]), slice(grey, idat, grey.length));

        rejecting(() -> parse(bytes)).withMessageContaining("greyscale image (colour type 0)");
    }

    @Test
    void parse_pngPaletteImageWithoutPalette_isStructureInvalid() throws IOException {
        byte[] indexed = Files.readAllBytes(Corpus.dir().resolve("pngsuite/png/basn3p08.png"));
        int plte = pngChunkAt(indexed, "PLTE");
        byte[] bytes = concat(slice(indexed, 0, plte), slice(indexed, plte + 12 + (int) u32be(indexed, plte), indexed.length));

        rejecting(() -> parse(bytes)).withMessageContaining("without PLTE before it");
    }

    @Test
    void parse_pngPaletteOf257Entries_isStructureInvalid() throws IOException {
        byte[] indexed = Files.readAllBytes(Corpus.dir().resolve("pngsuite/png/basn3p08.png"));
        int plte = pngChunkAt(indexed, "PLTE");
        byte[] bytes = concat(slice(indexed, 0, plte), pngChunk("PLTE", new byte[3 * 257]),
                slice(indexed, plte + 12 + (int) u32be(indexed, plte), indexed.length));

        rejecting(() -> parse(bytes)).withMessageContaining("PLTE is 771 bytes");
    }

    @Test
    void parse_pngIendWithData_isStructureInvalid() {
        byte[] bytes = concat(slice(RGB, 0, RGB.length - 12), pngChunk("IEND", new byte[1]));

        rejecting(() -> parse(bytes)).withMessageContaining("IEND is 1 bytes, expected 0");
    }

    @Test
    void parse_pngIhdrNotFirst_isStructureInvalid() {
        byte[] bytes = concat(slice(RGB, 0, 8), pngChunk("tEXt", "a\0b".getBytes()), slice(RGB, 8, RGB.length));

        rejecting(() -> parse(bytes)).withMessageContaining("first chunk is 'tEXt', expected IHDR");
    }

    // --- APNG ------------------------------------------------------------------------------

    private static byte[] acTl(int frames) {
        return pngChunk("acTL", ByteBuffer.allocate(8).putInt(frames).putInt(0).array());
    }

    private static byte[] fcTl(int seq, int w, int h, int x, int y) {
        return pngChunk("fcTL", ByteBuffer.allocate(26).putInt(seq).putInt(w).putInt(h).putInt(x).putInt(y)
                .putShort((short) 1).putShort((short) 10).put((byte) 0).put((byte) 0).array());
    }

    /** A two-frame APNG: the IDAT is frame 1, an fdAT with the same data frame 2. */
    private static byte[] apng(int declaredFrames, byte[] secondFcTl) {
        int idat = pngChunkAt(RGB, "IDAT");
        int len = (int) u32be(RGB, idat);
        byte[] data = slice(RGB, idat + 8, idat + 8 + len);
        byte[] fdAt = ByteBuffer.allocate(4 + len).putInt(2).put(data).array();
        return concat(slice(RGB, 0, idat), acTl(declaredFrames), fcTl(0, 20, 10, 0, 0),
                slice(RGB, idat, idat + 12 + len), secondFcTl, pngChunk("fdAT", fdAt),
                slice(RGB, idat + 12 + len, RGB.length));
    }

    @Test
    void parse_apngOfTwoFrames_countsThem() {
        byte[] bytes = apng(2, fcTl(1, 10, 5, 10, 5));

        StructureReport report = parse(bytes);

        assertThat(report.frames()).isEqualTo(2);
        assertThat(report.width()).isEqualTo(20);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_apngFrameOutsideCanvas_isStructureInvalid() {
        byte[] bytes = apng(2, fcTl(1, 10, 5, 11, 5));

        rejecting(() -> parse(bytes)).withMessageContaining("a 10x5 frame at 11,5, expected a non-empty frame inside the 20x10 canvas");
    }

    @Test
    void parse_apngDeclaring2000Frames_isFrameLimit() {
        byte[] bytes = apng(2000, fcTl(1, 10, 5, 10, 5));

        rejecting(() -> ImageFixtures.parse(new PngParser(), bytes, "PNG", withMaxFrames(1000)))
                .matches(e -> e.code() == ReasonCode.FRAME_LIMIT)
                .withMessageContaining("2000 frames");
    }

    @Test
    void parse_apngWithFewerFramesThanDeclared_warns() {
        byte[] bytes = apng(3, fcTl(1, 10, 5, 10, 5));

        StructureReport report = parse(bytes);

        assertThat(report.frames()).isEqualTo(2);
        assertThat(report.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("acTL declares 3"));
    }

    @Test
    void parse_pngEmpty_isStructureInvalid() {
        rejecting(() -> parse(new byte[0])).isInstanceOf(MediaRejectedException.class)
                .withMessageContaining("signature byte 0 is missing");
    }
}
