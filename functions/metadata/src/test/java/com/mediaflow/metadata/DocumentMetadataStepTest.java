package com.mediaflow.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.validation.DocumentFixtures;
import com.mediaflow.shared.validation.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metadata step on office, ODF, EPUB and text documents written in the test. */
class DocumentMetadataStepTest {
    private static final String ID = "0".repeat(64);

    @TempDir
    Path tmp;

    private final MetadataStep step = new MetadataStep(Config.of(Map.of()));

    private MediaStep.Output run(byte[] bytes, MediaFormat format) throws IOException {
        Path file = Files.write(tmp.resolve("original-" + System.nanoTime()), bytes);
        MediaStep.Output out = step.process(new StepMessage(ID, "metadata", format, MediaCategory.DOCUMENT, "media",
                "media/" + ID + "/original"), file);
        assertThat(out.renditions()).isEmpty();
        return out;
    }

    @Test
    void process_docx_givesMimeTypePageCountTitleAndAuthor() throws IOException {
        byte[] docx = DocumentFixtures.ooxmlWithProperties("word/document.xml", DocumentFixtures.DOCX_MAIN,
                DocumentFixtures.wordBody("Report"), DocumentFixtures.coreXml("Annual report 2026", "Ada Lovelace"),
                DocumentFixtures.appXml("Pages", "3"), null, null).zip();

        MediaStep.Output out = run(docx, MediaFormat.DOCX);

        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsOnly(Map.entry("mimeType", MediaFormat.DOCX.mimeType()), Map.entry("pageCount", 3),
                Map.entry("title", "Annual report 2026"), Map.entry("author", "Ada Lovelace"));
    }

    @Test
    void process_epub_givesTitleAndAuthor() throws IOException {
        MediaStep.Output out = run(DocumentFixtures.epub("Moby-Dick", "Herman Melville", null).zip(), MediaFormat.EPUB);

        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsEntry("title", "Moby-Dick").containsEntry("author", "Herman Melville");
    }

    @Test
    void process_docxWithoutProperties_staysAWarningNotARejection() throws IOException {
        MediaStep.Output out = run(DocumentFixtures.docx().zip(), MediaFormat.DOCX);

        assertThat(out.metadata()).containsOnlyKeys("mimeType");
        assertThat(out.warnings()).extracting(Reason::code).containsExactly(ReasonCode.PROPERTIES_INCOMPLETE);
    }

    @Test
    void process_text_givesEncodingLineCountAndExcerpt() throws IOException {
        MediaStep.Output out = run("name,qty\napples,3\npears,5\n".getBytes(StandardCharsets.UTF_8), MediaFormat.TEXT);

        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsEntry("mimeType", "text/plain").containsEntry("encoding", "UTF-8")
                .containsEntry("byteOrderMark", false).containsEntry("lineCount", 3L)
                .containsEntry("excerpt", "name,qty\napples,3\npears,5\n");
    }
}
