package com.mediaflow.shared.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.internal.parsers.TextParser;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain text (txt, csv, md) through the whole validator, and the text parser's limit. */
class TextValidationTest {
    private final StructureValidator validator = new StructureValidator(Limits.DEFAULTS);

    private Verdict verdict(byte[] bytes, String type, String name) {
        return validator.validate(new ArrayByteSource(bytes), type, name).verdict();
    }

    private static List<ReasonCode> errors(Verdict v) {
        return v.reasons().stream().filter(Reason::rejects).map(Reason::code).toList();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void utf8TextCsvAndMarkdown_areAcceptedAsText() {
        for (String[] f : new String[][] {{"notes.txt", "text/plain", "Grüße aus Köln, 日本語 too 🎉\r\n\tindented\n"},
                {"data.csv", "text/csv", "name,amount\n\"Zoë\",12.50\n"}, {"README.md", "text/markdown", "# Title\n\n- item\n"}}) {
            Verdict v = verdict(utf8(f[2]), f[1], f[0]);
            assertThat(v.reasons()).as(f[0]).isEmpty();
            assertThat(v.detected()).as(f[0]).isEqualTo(MediaFormat.TEXT);
        }
    }

    @Test
    void utf8WithBomAndUtf16WithBom_areAcceptedAsText() {
        byte[] bom8 = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("Ünïcödé\n"));
        byte[] le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "Notepad's \uD83D\uDE00 Unicode\r\n".getBytes(StandardCharsets.UTF_16LE));
        byte[] be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "big-endian\n".getBytes(StandardCharsets.UTF_16BE));
        for (byte[] text : List.of(bom8, le, be)) {
            Verdict v = verdict(text, null, "a.txt");
            assertThat(v.reasons()).isEmpty();
            assertThat(v.detected()).isEqualTo(MediaFormat.TEXT);
        }
    }

    @Test
    void invalidUtf8OrNulInTheHead_isNotText() {
        assertThat(errors(verdict(concat(utf8("caf"), new byte[] {(byte) 0xC3, 0x28}, utf8(" au lait")), null, "a.txt")))
                .containsExactly(ReasonCode.UNSUPPORTED_TYPE);
        assertThat(errors(verdict(concat(utf8("nul"), new byte[] {0}, utf8("byte")), null, "a.txt")))
                .containsExactly(ReasonCode.UNSUPPORTED_TYPE);
    }

    @Test
    void invalidUtf8OrNulPastTheHead_isStructureInvalidAtItsOffset() {
        byte[] head = new byte[70_000];
        Arrays.fill(head, (byte) 'a');
        Verdict bad = verdict(concat(head, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), null, "a.txt");
        assertThat(errors(bad)).containsExactly(ReasonCode.STRUCTURE_INVALID);
        assertThat(bad.reasons().get(0).message()).contains("surrogate").contains("offset 70000");
        Verdict nul = verdict(concat(head, new byte[] {'x', 0, 'y'}), null, "a.txt");
        assertThat(errors(nul)).containsExactly(ReasonCode.STRUCTURE_INVALID);
        assertThat(nul.reasons().get(0).message()).contains("NUL").contains("offset 70001");
        Verdict cut = verdict(concat(head, new byte[] {(byte) 0xE2, (byte) 0x82}), null, "a.txt");
        assertThat(cut.reasons().get(0).message()).contains("cut off");
    }

    @Test
    void utf16WithAnUnpairedSurrogateOrNul_isRejected() {
        byte[] lone = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "ab".getBytes(StandardCharsets.UTF_16LE), new byte[] {0x00, (byte) 0xDC});
        assertThat(verdict(lone, null, "a.txt").accepted()).isFalse();
        byte[] nul = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a\u0000b".getBytes(StandardCharsets.UTF_16LE));
        assertThat(verdict(nul, null, "a.txt").accepted()).isFalse();
        byte[] odd = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "ab".getBytes(StandardCharsets.UTF_16LE), new byte[] {'c'});
        assertThat(verdict(odd, null, "a.txt").accepted()).isFalse();
    }

    @Test
    void textLongerThanItsLimit_isTextLimit() {
        byte[] text = new byte[(int) TextParser.MAX_TEXT_BYTES + 1];
        Arrays.fill(text, (byte) 'z');
        Verdict v = verdict(text, null, "huge.txt");
        assertThat(errors(v)).containsExactly(ReasonCode.TEXT_LIMIT);
        // and the limit itself: one byte over a small one
        Cursor c = Cursor.over(new ArrayByteSource(utf8("12345")), "TEXT");
        try {
            new TextParser(4).parse(c, Limits.DEFAULTS);
            throw new AssertionError("expected TEXT_LIMIT");
        } catch (MediaRejectedException e) {
            assertThat(e.code()).isEqualTo(ReasonCode.TEXT_LIMIT);
        }
    }

    @Test
    void textNamedAsAPhoto_isTypeMismatch() {
        assertThat(errors(verdict(utf8("just words"), "image/jpeg", "photo.jpg")))
                .containsExactly(ReasonCode.TYPE_MISMATCH, ReasonCode.TYPE_MISMATCH);
    }

    @Test
    void htmlSvgAndScripts_stayRefusedThoughTheyAreText() {
        assertThat(errors(verdict(utf8("<html><script>x</script></html>"), null, "a.txt"))).containsExactly(ReasonCode.ACTIVE_MARKUP);
        assertThat(errors(verdict(utf8("#!/bin/sh\nrm -rf /\n"), null, "a.txt"))).containsExactly(ReasonCode.EXECUTABLE);
    }
}
