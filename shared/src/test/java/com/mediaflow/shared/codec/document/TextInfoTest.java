package com.mediaflow.shared.codec.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextInfoTest {
    @TempDir
    Path tmp;

    private Map<String, Object> read(byte[] bytes) throws IOException {
        Verdict verdict = new StructureValidator(Limits.DEFAULTS).validate(new ArrayByteSource(bytes), null, "notes.txt").verdict();
        assertThat(verdict.accepted()).as("verdict %s", verdict.reasons()).isTrue();
        assertThat(verdict.detected()).isEqualTo(MediaFormat.TEXT);
        return TextInfo.read(Files.write(tmp.resolve("t-" + System.nanoTime()), bytes));
    }

    private static byte[] withBom(byte[] bom, String text, Charset charset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bom);
        out.writeBytes(text.getBytes(charset));
        return out.toByteArray();
    }

    @Test
    void read_utf8_countsLfCrLfAndCrAndALastLineWithoutEnd() throws IOException {
        Map<String, Object> meta = read("one\ntwo\r\nthree\rfour".getBytes(StandardCharsets.UTF_8));

        assertThat(meta).containsEntry("encoding", "UTF-8").containsEntry("byteOrderMark", false)
                .containsEntry("lineCount", 4L).containsEntry("excerpt", "one\ntwo\r\nthree\rfour");
    }

    @Test
    void read_trailingNewline_endsTheLastLineWithoutAddingOne() throws IOException {
        assertThat(read("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8))).containsEntry("lineCount", 2L);
        assertThat(read("a,b\r\n1,2\r\n\r\n".getBytes(StandardCharsets.UTF_8))).containsEntry("lineCount", 3L);
    }

    @Test
    void read_utf8WithBom_saysSoAndLeavesTheMarkOutOfTheExcerpt() throws IOException {
        Map<String, Object> meta = read(withBom(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "# Titre\nÉté", StandardCharsets.UTF_8));

        assertThat(meta).containsEntry("encoding", "UTF-8").containsEntry("byteOrderMark", true)
                .containsEntry("lineCount", 2L).containsEntry("excerpt", "# Titre\nÉté");
    }

    @Test
    void read_utf16_byItsMark_littleAndBigEndian() throws IOException {
        String text = "Grüße\n日本語\n";

        Map<String, Object> le = read(withBom(new byte[] {(byte) 0xFF, (byte) 0xFE}, text, StandardCharsets.UTF_16LE));
        Map<String, Object> be = read(withBom(new byte[] {(byte) 0xFE, (byte) 0xFF}, text, StandardCharsets.UTF_16BE));

        assertThat(le).containsEntry("encoding", "UTF-16LE").containsEntry("byteOrderMark", true)
                .containsEntry("lineCount", 2L).containsEntry("excerpt", text);
        assertThat(be).containsEntry("encoding", "UTF-16BE").containsEntry("lineCount", 2L).containsEntry("excerpt", text);
    }

    @Test
    void read_longText_excerptIsTheFirst500CodePoints_neverHalfASurrogatePair() throws IOException {
        // 499 letters, then emoji (two UTF-16 units each): the 500th code point is the first emoji, whole
        String text = "a".repeat(499) + "\uD83D\uDE00\uD83D\uDE01" + "b".repeat(100);

        Map<String, Object> meta = read(text.getBytes(StandardCharsets.UTF_8));

        String excerpt = (String) meta.get("excerpt");
        assertThat(excerpt.codePointCount(0, excerpt.length())).isEqualTo(500);
        assertThat(excerpt).isEqualTo("a".repeat(499) + "\uD83D\uDE00");
        assertThat(meta).containsEntry("lineCount", 1L);
    }

    @Test
    void read_emojiAcrossTheBoundary_inUtf16_stillWhole() throws IOException {
        String text = "\uD83D\uDE00".repeat(600);

        String excerpt = (String) read(withBom(new byte[] {(byte) 0xFF, (byte) 0xFE}, text, StandardCharsets.UTF_16LE)).get("excerpt");

        assertThat(excerpt).isEqualTo("\uD83D\uDE00".repeat(500));
    }
}
