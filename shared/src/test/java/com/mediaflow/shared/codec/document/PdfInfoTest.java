package com.mediaflow.shared.codec.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.testkit.PdfFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfInfoTest {
    @TempDir
    Path tmp;

    @Test
    void read_tenTextPages_givesCountTitleAuthorA4AndText() {
        Path pdf = PdfFixtures.textPages(tmp.resolve("ten.pdf"), 10, "Quarterly report", "A. Author");

        PdfInfo info = PdfInfo.read(pdf, tmp, PdfLimits.DEFAULTS);

        assertThat(info.warnings()).isEmpty();
        assertThat(info.toMetadata()).containsEntry("pageCount", 10).containsEntry("title", "Quarterly report")
                .containsEntry("author", "A. Author").containsEntry("encrypted", false)
                .containsEntry("pageWidthPoints", 595.28).containsEntry("pageHeightPoints", 841.89)
                .containsEntry("textPresent", true);
    }

    @Test
    void read_blankRotatedPage_noTextAndSidesSwapped() throws IOException {
        Path pdf = tmp.resolve("blank.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            page.setRotation(90);
            doc.addPage(page);
            doc.save(pdf.toFile());
        }

        PdfInfo info = PdfInfo.read(pdf, tmp, PdfLimits.DEFAULTS);

        assertThat(info.warnings()).isEmpty();
        assertThat(info.toMetadata()).containsEntry("pageCount", 1).containsEntry("textPresent", false)
                .containsEntry("pageWidthPoints", 792.0).containsEntry("pageHeightPoints", 612.0)
                .doesNotContainKeys("title", "author");
    }

    /** Blank pages, then text on page {@code textPage} only. */
    private Path textOnlyOnPage(int textPage, int pages) throws IOException {
        Path pdf = tmp.resolve("text-on-" + textPage + ".pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int n = 1; n <= pages; n++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                if (n == textPage) {
                    try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                        cs.beginText();
                        cs.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                                org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.TIMES_ROMAN), 12);
                        cs.newLineAtOffset(72, 700);
                        cs.showText("Only here");
                        cs.endText();
                    }
                }
            }
            doc.save(pdf.toFile());
        }
        return pdf;
    }

    @Test
    void read_textPresent_looksAtTheFirstThreePagesOnly() throws IOException {
        assertThat(PdfInfo.read(textOnlyOnPage(3, 5), tmp, PdfLimits.DEFAULTS).textPresent()).isTrue();
        assertThat(PdfInfo.read(textOnlyOnPage(4, 5), tmp, PdfLimits.DEFAULTS).textPresent()).isFalse();
    }

    @Test
    void read_ownerPasswordOnly_isEncryptedAndFullyRead() {
        Path pdf = PdfFixtures.encrypted(tmp.resolve("owner.pdf"), "", "owner-secret", "Locked for edits");

        PdfInfo info = PdfInfo.read(pdf, tmp, PdfLimits.DEFAULTS);

        assertThat(info.warnings()).isEmpty();
        assertThat(info.toMetadata()).containsEntry("encrypted", true).containsEntry("pageCount", 1)
                .containsEntry("title", "Locked for edits").containsEntry("textPresent", true);
    }

    @Test
    void read_userPassword_saysEncryptedWithAWarningAndNothingElse() {
        Path pdf = PdfFixtures.encrypted(tmp.resolve("user.pdf"), "user-secret", "owner-secret", "Secret");

        PdfInfo info = PdfInfo.read(pdf, tmp, PdfLimits.DEFAULTS);

        assertThat(info.toMetadata()).containsOnlyKeys("encrypted").containsEntry("encrypted", true);
        assertThat(info.warnings()).extracting(Reason::code).containsExactly(ReasonCode.PDF_ENCRYPTED);
        assertThat(info.warnings().get(0).rejects()).isFalse();
    }

    @Test
    void read_aboveThePageLimit_countsPagesButScansNoText() {
        Path pdf = PdfFixtures.textPages(tmp.resolve("six.pdf"), 6, "Long", null);

        PdfInfo info = PdfInfo.read(pdf, tmp, new PdfLimits(5, 10_000, 1_000_000, 1 << 20));

        assertThat(info.toMetadata()).containsEntry("pageCount", 6).containsEntry("title", "Long")
                .doesNotContainKey("textPresent");
        assertThat(info.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.PDF_PAGE_LIMIT);
            assertThat(w.message()).contains("6 pages", "at most 5", "MAX_PDF_PAGES");
        });
    }

    @Test
    void read_notReadableByPdfBox_warnsAndKeepsGoing() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.pdf"), "%PDF-1.7\nthis is not a PDF body\n");

        PdfInfo info = PdfInfo.read(junk, tmp, PdfLimits.DEFAULTS);

        assertThat(info.toMetadata()).containsOnlyKeys("encrypted");
        assertThat(info.warnings()).extracting(Reason::code).containsExactly(ReasonCode.PDF_UNREADABLE);
    }
}
