package com.mediaflow.shared.validation;

import static com.mediaflow.shared.validation.DocumentFixtures.docm;
import static com.mediaflow.shared.validation.DocumentFixtures.docx;
import static com.mediaflow.shared.validation.DocumentFixtures.ole;
import static com.mediaflow.shared.validation.DocumentFixtures.rels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ConfigException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each document limit and policy is a row of the limits table, read once from the environment
 * ({@link Config#limits()}): the defaults give today's verdicts, and a changed row changes them.
 */
class DocumentPolicyTest {
    private static Verdict verdict(Map<String, String> env, byte[] bytes, String name) {
        return new StructureValidator(Config.of(env).limits()).validate(new ArrayByteSource(bytes), null, name).verdict();
    }

    private static List<ReasonCode> errors(Verdict v) {
        return v.reasons().stream().filter(Reason::rejects).map(Reason::code).toList();
    }

    private static List<ReasonCode> warnings(Verdict v) {
        return v.reasons().stream().filter(r -> !r.rejects()).map(Reason::code).toList();
    }

    private static byte[] docxWithOle(byte[] object) {
        return docx().put("word/embeddings/oleObject1.bin", ole(object)).zip();
    }

    private static byte[] docxWithRemoteTemplate() {
        return docx().put("word/_rels/settings.xml.rels", rels("attachedTemplate", "https://evil.example/t.dotm", "External")).zip();
    }

    @Test
    void defaults_areTodaysBehaviour() {
        assertThat(Config.of(Map.of()).limits().documents()).isEqualTo(DocumentLimits.DEFAULTS);
        assertThat(errors(verdict(Map.of(), docm().zip(), "a.docm"))).containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(errors(verdict(Map.of(), docxWithOle(DocumentFixtures.peImage()), "a.docx")))
                .containsExactly(ReasonCode.DOCUMENT_EMBEDDED_EXECUTABLE);
        Verdict object = verdict(Map.of(), docxWithOle("equation".getBytes(StandardCharsets.US_ASCII)), "a.docx");
        assertThat(object.accepted()).isTrue();
        assertThat(warnings(object)).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_OBJECT);
        Verdict link = verdict(Map.of(), docxWithRemoteTemplate(), "a.docx");
        assertThat(link.accepted()).isTrue();
        assertThat(warnings(link)).containsExactly(ReasonCode.DOCUMENT_EXTERNAL_LINK);
    }

    @Test
    void macrosPolicyWarn_acceptsADocmWithAWarningListingTheMacros() {
        Verdict v = verdict(Map.of("DOCUMENT_MACROS_POLICY", "warn"), docm().zip(), "a.docm");

        assertThat(v.accepted()).as("reasons %s", v.reasons()).isTrue();
        assertThat(warnings(v)).containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(v.reasons().get(0).message()).contains("macro-enabled content type").contains("word/vbaProject.bin");
    }

    @Test
    void executablesPolicyWarn_acceptsWithAWarningNamingTheProgram() {
        Verdict v = verdict(Map.of("DOCUMENT_EXECUTABLES_POLICY", "WARN"), docxWithOle(DocumentFixtures.peImage()), "a.docx");

        assertThat(v.accepted()).as("reasons %s", v.reasons()).isTrue();
        assertThat(warnings(v)).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_EXECUTABLE);
        assertThat(v.reasons().get(0).message()).contains("holds an executable image");
    }

    @Test
    void embeddedObjectsPolicyQuarantine_quarantinesAnOleObject() {
        Verdict v = verdict(Map.of("DOCUMENT_EMBEDDED_OBJECTS_POLICY", "quarantine"),
                docxWithOle("equation".getBytes(StandardCharsets.US_ASCII)), "a.docx");

        assertThat(errors(v)).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_OBJECT);
        assertThat(v.reasons().get(0).message()).contains("word/embeddings/oleObject1.bin");
    }

    @Test
    void externalLinksPolicyQuarantine_quarantinesARemoteTemplate() {
        Verdict v = verdict(Map.of("DOCUMENT_EXTERNAL_LINKS_POLICY", "quarantine"), docxWithRemoteTemplate(), "a.docx");

        assertThat(errors(v)).containsExactly(ReasonCode.DOCUMENT_EXTERNAL_LINK);
        assertThat(v.reasons().get(0).message()).contains("https://evil.example/t.dotm");
    }

    @Test
    void maxArchiveEntries_bindsTheZipReader() {
        byte[] doc = docx().zip(); // 4 entries

        assertThat(verdict(Map.of("MAX_ARCHIVE_ENTRIES", "4"), doc, "a.docx").accepted()).isTrue();
        assertThat(errors(verdict(Map.of("MAX_ARCHIVE_ENTRIES", "3"), doc, "a.docx"))).containsExactly(ReasonCode.ARCHIVE_LIMIT);
    }

    @Test
    void maxArchiveNesting_zero_refusesAnEmbeddedWorkbook() {
        byte[] doc = docx().put("word/embeddings/Workbook1.xlsx", DocumentFixtures.xlsx().zip()).zip();

        assertThat(verdict(Map.of(), doc, "a.docx").accepted()).isTrue();
        assertThat(errors(verdict(Map.of("MAX_ARCHIVE_NESTING", "0"), doc, "a.docx"))).containsExactly(ReasonCode.DEPTH_LIMIT);
    }

    @Test
    void maxTextBytes_bindsTheTextParser() {
        byte[] text = "twelve bytes".getBytes(StandardCharsets.US_ASCII);

        assertThat(verdict(Map.of("MAX_TEXT_BYTES", "12"), text, "a.txt").accepted()).isTrue();
        Verdict v = verdict(Map.of("MAX_TEXT_BYTES", "11"), text, "a.txt");
        assertThat(errors(v)).containsExactly(ReasonCode.TEXT_LIMIT);
        assertThat(v.reasons().get(0).message()).contains("expected at most 11 (MAX_TEXT_BYTES)");
    }

    @Test
    void aPolicyThatIsNeither_failsTheColdStartWithItsName() {
        assertThatThrownBy(() -> Config.of(Map.of("DOCUMENT_MACROS_POLICY", "allow")).limits())
                .isInstanceOf(ConfigException.class)
                .hasMessage("DOCUMENT_MACROS_POLICY is 'allow', expected quarantine or warn");
    }
}
