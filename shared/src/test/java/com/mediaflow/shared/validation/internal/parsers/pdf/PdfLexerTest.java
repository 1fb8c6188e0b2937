package com.mediaflow.shared.validation.internal.parsers.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lexer's values as the sealed {@link PdfObject}, and how messages describe them. */
class PdfLexerTest {

    @Test
    void value_dictionary_givesTypedEntriesInFileOrder() {
        // given
        PdfLexer lx = lexer("<< /Type /Pa#67e /Kids [3 0 R 4 1 R] /Count 2 /Rot -1.5 /S (x) /H <41> /B true /N null >>");

        // when
        PdfObject v = lx.value(0);

        // then
        assertThat(v).isInstanceOf(PdfDict.class);
        PdfDict d = (PdfDict) v;
        assertThat(d.entries().keySet()).containsExactly("Type", "Kids", "Count", "Rot", "S", "H", "B", "N");
        assertThat(d.get("Type")).isEqualTo(new PdfName("Page"));
        assertThat(d.hasName("Type", "Page")).isTrue();
        assertThat(d.get("Kids")).isEqualTo(new PdfArray(List.of(new PdfRef(3, 0), new PdfRef(4, 1))));
        assertThat(d.get("Count")).isEqualTo(PdfNumber.integer(2));
        assertThat(PdfNumber.integerOf(d.get("Count"))).isEqualTo(2L);
        assertThat(PdfNumber.integerOf(d.get("Rot"))).isNull();
        assertThat(d.get("S")).isInstanceOf(PdfString.class);
        assertThat(d.get("H")).isInstanceOf(PdfString.class);
        assertThat(d.get("B")).isEqualTo(PdfBool.TRUE);
        assertThat(d.get("N")).isInstanceOf(PdfNull.class);
        assertThat(d.get("Missing")).isNull();
    }

    @Test
    void value_numbersNotFollowedByR_areNotAReference() {
        // given: "1 0" followed by a name, not by the keyword R
        PdfLexer lx = lexer("[1 0 /R 5 70000]");

        // when
        PdfObject v = lx.value(0);

        // then
        assertThat(v.describe()).isEqualTo("[1 0 /R 5 70000]");
        assertThat(((PdfArray) v).items()).containsExactly(PdfNumber.integer(1), PdfNumber.integer(0),
                new PdfName("R"), PdfNumber.integer(5), PdfNumber.integer(70000));
    }

    @Test
    void describe_namesEveryKindAsMessagesDo() {
        assertThat(PdfObject.describe(null)).isEqualTo("absent");
        assertThat(PdfNull.NULL.describe()).isEqualTo("null");
        assertThat(PdfString.ANY.describe()).isEqualTo("a string");
        assertThat(PdfNumber.REAL.describe()).isEqualTo("0.0");
        assertThat(PdfNumber.integer(-7).describe()).isEqualTo("-7");
        assertThat(PdfBool.FALSE.describe()).isEqualTo("false");
        assertThat(new PdfRef(12, 3).describe()).isEqualTo("12 3 R");
        assertThat(new PdfName("Caf\u00e9").describe()).isEqualTo("/Caf?");
        assertThat(new PdfDict(Map.of("A", PdfNull.NULL)).describe()).isEqualTo("a dictionary of 1 entries");
        assertThat(new PdfArray(List.of(PdfNumber.integer(1), new PdfArray(List.of()))).describe()).isEqualTo("[1 ...]");
        assertThat(new PdfArray(Collections.nCopies(9, PdfNull.NULL)).describe())
                .isEqualTo("an array of 9 values");
    }

    @Test
    void value_activeNameThroughEscapes_isFoundAtTheNextBoundary() {
        // given
        PdfSession s = session("<< /S /Java#53cript >>");
        PdfLexer lx = s.lexer(0, "object 9");

        // when
        lx.value(0);
        MediaRejectedException e = catchThrowableOfType(s.risks::throwIfActive, MediaRejectedException.class);

        // then
        assertThat(e.code()).isEqualTo(ReasonCode.PDF_ACTIVE_CONTENT);
        assertThat(e.getMessage()).isEqualTo("PDF: object 9 has /JavaScript (JavaScript) as a dictionary value at offset 6");
    }

    @Test
    void value_activeWordInAStringOrComment_isNotAFinding() {
        // given
        PdfSession s = session("<< /T (JavaScript) % /JS\n /U /EFX >>");

        // when
        s.lexer(0, "object 1").value(0);

        // then: no exception
        s.risks.throwIfActive();
    }

    @Test
    void value_keyOnlyName_isActiveAsKeyButNotAsValue() {
        // given
        PdfSession asValue = session("<< /X /EF >>");
        PdfSession asKey = session("<< /EF << >> >>");

        // when
        asValue.lexer(0, "object 1").value(0);
        asKey.lexer(0, "object 2").value(0);

        // then
        asValue.risks.throwIfActive();
        assertThat(catchThrowableOfType(asKey.risks::throwIfActive, MediaRejectedException.class))
                .hasMessageContaining("object 2 has /EF (an embedded file) as a dictionary key at offset 3");
    }

    private static PdfLexer lexer(String text) {
        return session(text).lexer(0, "test");
    }

    private static PdfSession session(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return new PdfSession(Cursor.over(new ArrayByteSource(b), "PDF"), Limits.DEFAULTS);
    }
}
