package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.testkit.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** What the validator adds to the parsers: polyglots, limits from the report, the whole verdict. */
class StructureValidatorTest {
    private final StructureValidator validator = new StructureValidator(Limits.DEFAULTS);

    @Test
    void pngWithZipAppended_isPolyglot() throws IOException {
        byte[] bytes = concat(png(), zip("payload.dex"));

        var result = validate(bytes, "image/png", "png-with-zip-appended.png");

        assertThat(codes(result)).contains(ReasonCode.POLYGLOT);
        assertThat(result.verdict().accepted()).isFalse();
        assertThat(message(result, ReasonCode.POLYGLOT)).contains("application/zip appended");
    }

    @Test
    void mp3WithZipAppended_isPolyglot_foundFromTheArchiveDirectory() throws IOException {
        // MP3 has no knowable logical end here, so only the ZIP's own directory can give it away
        byte[] bytes = concat(mp3Frames(20), zip("classes.dex"));

        var result = validate(bytes, "audio/mpeg", "mp3-with-zip-appended.mp3");

        assertThat(codes(result)).contains(ReasonCode.POLYGLOT);
        assertThat(message(result, ReasonCode.POLYGLOT)).contains("ZIP archive's directory");
    }

    @Test
    void zipSignatureInsideMediaBytes_isNotAPolyglot() throws IOException {
        // "PK\5\6" inside the audio, not backed by a real directory
        byte[] bytes = mp3Frames(20);
        byte[] fake = {'P', 'K', 5, 6, 0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 10, 0, 0, 0, 0, 0};
        System.arraycopy(fake, 0, bytes, bytes.length - 600, fake.length);

        var result = validate(bytes, "audio/mpeg", "tone.mp3");

        assertThat(codes(result)).doesNotContain(ReasonCode.POLYGLOT);
    }

    @Test
    void zeroPaddingAfterTheEnd_isFine_butUnknownBytesAreAWarning() throws IOException {
        var padded = validate(concat(png(), new byte[512]), "image/png", "padded.png");
        var junk = validate(concat(png(), "some trailing words".getBytes(StandardCharsets.US_ASCII)), "image/png", "junk.png");

        assertThat(padded.verdict().reasons()).isEmpty();
        assertThat(padded.verdict().accepted()).isTrue();
        assertThat(junk.verdict().accepted()).isTrue();
        assertThat(junk.verdict().reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.POLYGLOT);
            assertThat(r.severity()).isEqualTo(Severity.WARNING);
        });
    }

    @Test
    void jpegFollowedByJpeg_isNotAPolyglot() throws IOException {
        byte[] jpeg = Files.readAllBytes(Corpus.dir().resolve("exif-orientation/Landscape_1.jpg"));

        var result = validate(concat(jpeg, jpeg), "image/jpeg", "mpf-like.jpg");

        assertThat(result.verdict().accepted()).isTrue();
    }

    @Test
    void pdfAppendedToJpeg_isPolyglot() throws IOException {
        byte[] jpeg = Files.readAllBytes(Corpus.dir().resolve("exif-orientation/Landscape_1.jpg"));

        var result = validate(concat(jpeg, "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)),
                "image/jpeg", "jpeg-with-pdf-appended.jpg");

        assertThat(codes(result)).contains(ReasonCode.POLYGLOT);
    }

    @Test
    void limitsFromTheReport_areEnforced() throws IOException {
        Limits tight = new Limits(1L << 30, 1000, 10, 1, 1, 32, 1000);
        byte[] jpeg = Files.readAllBytes(Corpus.dir().resolve("exif-orientation/Landscape_1.jpg"));

        var result = new StructureValidator(tight).validate(new ArrayByteSource(jpeg), MediaFormat.JPEG, "image/jpeg", "big.jpg");

        assertThat(codes(result)).containsExactly(ReasonCode.PIXEL_LIMIT);
        assertThat(message(result, ReasonCode.PIXEL_LIMIT)).contains("1800x1200").contains("MAX_PIXELS");
    }

    @Test
    void theVerdict_carriesDetectedAndDeclaredTypes_andTheStructure() throws IOException {
        byte[] jpeg = Files.readAllBytes(Corpus.dir().resolve("exif-orientation/Landscape_1.jpg"));

        var result = validate(jpeg, "image/jpeg", "photo.jpg");

        assertThat(result.verdict().accepted()).isTrue();
        assertThat(result.verdict().detected()).isEqualTo(MediaFormat.JPEG);
        assertThat(result.verdict().declaredType()).isEqualTo("image/jpeg");
        assertThat(result.structure().width()).isEqualTo(1800);
        assertThat(result.structure().height()).isEqualTo(1200);
    }

    private StructureValidator.Result validate(byte[] bytes, String declared, String name) {
        return validator.validate(new ArrayByteSource(bytes), declared, name);
    }

    private static List<ReasonCode> codes(StructureValidator.Result r) {
        return r.verdict().reasons().stream().map(Reason::code).toList();
    }

    private static String message(StructureValidator.Result r, ReasonCode code) {
        return r.verdict().reasons().stream().filter(x -> x.code() == code).findFirst().orElseThrow().message();
    }

    private static byte[] png() throws IOException {
        return Files.readAllBytes(Corpus.dir().resolve("pngsuite/png/basn0g01.png"));
    }

    /** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz frames of silence: 417 bytes each. */
    private static byte[] mp3Frames(int n) {
        byte[] out = new byte[417 * n];
        for (int i = 0; i < n; i++) {
            out[i * 417] = (byte) 0xFF;
            out[i * 417 + 1] = (byte) 0xFB;
            out[i * 417 + 2] = (byte) 0x90;
            out[i * 417 + 3] = (byte) 0x64;
        }
        return out;
    }

    private static byte[] zip(String entry) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bos)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(new byte[] {'d', 'e', 'x', '\n', '0', '3', '5', 0});
            zip.closeEntry();
        }
        return bos.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
