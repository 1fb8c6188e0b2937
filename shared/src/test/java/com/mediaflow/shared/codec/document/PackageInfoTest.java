package com.mediaflow.shared.codec.document;

import static com.mediaflow.shared.validation.DocumentFixtures.DOCX_MAIN;
import static com.mediaflow.shared.validation.DocumentFixtures.PPTX_MAIN;
import static com.mediaflow.shared.validation.DocumentFixtures.XLSX_MAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.DocumentFixtures;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real packages written in the test, validated as uploads are, then read for their properties. */
class PackageInfoTest {
    @TempDir
    Path tmp;

    /** The package must first pass validation as the detected format, as in the pipeline. */
    private PackageInfo.Result read(DocumentFixtures.Package pkg, MediaFormat expected) throws IOException {
        byte[] bytes = pkg.zip();
        Verdict verdict = new StructureValidator(Limits.DEFAULTS).validate(new ArrayByteSource(bytes), null, null).verdict();
        assertThat(verdict.accepted()).as("verdict %s", verdict.reasons()).isTrue();
        assertThat(verdict.detected()).isEqualTo(expected);
        Path file = Files.write(tmp.resolve("doc-" + System.nanoTime()), bytes);
        return PackageInfo.read(file, expected, ZipLimits.DEFAULTS, Limits.DEFAULTS.maxDepth());
    }

    @Test
    void read_docx_givesPagesFromAppXmlAndTitleAndCreatorFromCoreXml() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.ooxmlWithProperties("word/document.xml", DOCX_MAIN,
                DocumentFixtures.wordBody("Quarterly"), DocumentFixtures.coreXml("Quarterly report", "Ada Lovelace"),
                DocumentFixtures.appXml("Pages", "7"), null, null), MediaFormat.DOCX);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.metadata()).containsEntry("pageCount", 7).containsEntry("title", "Quarterly report")
                .containsEntry("author", "Ada Lovelace").doesNotContainKeys("slideCount", "sheetCount");
    }

    @Test
    void read_pptx_givesSlidesFromAppXml() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.ooxmlWithProperties("ppt/presentation.xml", PPTX_MAIN,
                "<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"/>",
                DocumentFixtures.coreXml("Roadmap", "Grace Hopper"), DocumentFixtures.appXml("Slides", "12"), null, null),
                MediaFormat.PPTX);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.metadata()).containsEntry("slideCount", 12).containsEntry("title", "Roadmap")
                .containsEntry("author", "Grace Hopper").doesNotContainKey("pageCount");
    }

    @Test
    void read_xlsx_countsTheWorkbooksSheets() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.ooxmlWithProperties("xl/workbook.xml", XLSX_MAIN,
                DocumentFixtures.workbook("Income", "Costs", "Summary"), DocumentFixtures.coreXml("Budget", null),
                DocumentFixtures.appXml(null, null), null, null), MediaFormat.XLSX);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.metadata()).containsEntry("sheetCount", 3).containsEntry("title", "Budget").doesNotContainKey("author");
    }

    @Test
    void read_docxWithoutProperties_leavesTheCountOutWithAWarning() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.docx(), MediaFormat.DOCX);

        assertThat(r.metadata()).isEmpty();
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.PROPERTIES_INCOMPLETE);
            assertThat(w.rejects()).isFalse();
            assertThat(w.message()).contains("pageCount").contains("docProps/app.xml");
        });
    }

    @Test
    void read_docxWhosePagesIsNotANumber_keepsTheTitleAndWarns() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.ooxmlWithProperties("word/document.xml", DOCX_MAIN,
                DocumentFixtures.wordBody("x"), DocumentFixtures.coreXml("Odd", "Someone"),
                DocumentFixtures.appXml("Pages", "many"), null, null), MediaFormat.DOCX);

        assertThat(r.metadata()).containsEntry("title", "Odd").containsEntry("author", "Someone").doesNotContainKey("pageCount");
        assertThat(r.warnings()).extracting(Reason::message).singleElement().asString()
                .contains("expected a whole number for the pageCount").contains("found 'many'");
    }

    @Test
    void read_docxWithOverlongTitle_leavesItOutWithAWarning() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.ooxmlWithProperties("word/document.xml", DOCX_MAIN,
                DocumentFixtures.wordBody("x"), DocumentFixtures.coreXml("T".repeat(PackageInfo.MAX_TEXT + 1), "Someone"),
                DocumentFixtures.appXml("Pages", "1"), null, null), MediaFormat.DOCX);

        assertThat(r.metadata()).containsEntry("pageCount", 1).containsEntry("author", "Someone").doesNotContainKey("title");
        assertThat(r.warnings()).extracting(Reason::message).singleElement().asString().contains("title of at most 1024");
    }

    @Test
    void read_odt_givesPageCountTitleAndInitialCreator() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.odt().put("meta.xml", DocumentFixtures.odfMeta("Minutes", "Ada",
                "Last Editor", "meta:page-count=\"4\" meta:word-count=\"900\"")), MediaFormat.ODT);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.metadata()).containsEntry("pageCount", 4).containsEntry("title", "Minutes").containsEntry("author", "Ada");
    }

    @Test
    void read_odtWithoutInitialCreator_takesDcCreator() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.odt().put("meta.xml", DocumentFixtures.odfMeta(null, null,
                "Only Editor", "meta:page-count=\"1\"")), MediaFormat.ODT);

        assertThat(r.metadata()).containsEntry("author", "Only Editor").containsEntry("pageCount", 1).doesNotContainKey("title");
    }

    @Test
    void read_ods_takesTableCountElseCountsTheSheetsOfContent() throws IOException {
        String tables = "<office:spreadsheet xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\">"
                + "<table:table table:name=\"A\"/><table:table table:name=\"B\"/></office:spreadsheet>";
        String mime = "application/vnd.oasis.opendocument.spreadsheet";

        PackageInfo.Result fromMeta = read(DocumentFixtures.odf(mime, tables).put("meta.xml",
                DocumentFixtures.odfMeta("Sums", "Ada", null, "meta:table-count=\"5\"")), MediaFormat.ODS);
        PackageInfo.Result counted = read(DocumentFixtures.odf(mime, tables).put("meta.xml",
                DocumentFixtures.odfMeta("Sums", "Ada", null, null)), MediaFormat.ODS);

        assertThat(fromMeta.metadata()).containsEntry("sheetCount", 5);
        assertThat(counted.metadata()).containsEntry("sheetCount", 2).containsEntry("title", "Sums");
        assertThat(fromMeta.warnings()).isEmpty();
        assertThat(counted.warnings()).isEmpty();
    }

    @Test
    void read_odp_countsTheSlidesOfContent() throws IOException {
        String slides = "<office:presentation xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\">"
                + "<draw:page draw:name=\"1\"><draw:frame/></draw:page><draw:page draw:name=\"2\"/><draw:page draw:name=\"3\"/>"
                + "</office:presentation>";

        PackageInfo.Result r = read(DocumentFixtures.odf("application/vnd.oasis.opendocument.presentation", slides)
                .put("meta.xml", DocumentFixtures.odfMeta("Pitch", "Grace", null, "meta:object-count=\"9\"")), MediaFormat.ODP);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.metadata()).containsEntry("slideCount", 3).containsEntry("title", "Pitch").containsEntry("author", "Grace");
    }

    @Test
    void read_epub_givesTitleAndFirstCreatorOfThePackageDocument() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.epub("A Tale", "Charles Dickens", null), MediaFormat.EPUB);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.metadata()).containsEntry("title", "A Tale").containsEntry("author", "Charles Dickens").hasSize(2);
    }

    @Test
    void read_epubWithoutTitle_warns() throws IOException {
        PackageInfo.Result r = read(DocumentFixtures.epub(null, "Anon", null), MediaFormat.EPUB);

        assertThat(r.metadata()).containsEntry("author", "Anon").doesNotContainKey("title");
        assertThat(r.warnings()).extracting(Reason::code).containsExactly(ReasonCode.PROPERTIES_INCOMPLETE);
    }
}
