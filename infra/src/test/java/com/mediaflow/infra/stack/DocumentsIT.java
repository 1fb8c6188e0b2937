package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.validation.DocumentFixtures;
import com.mediaflow.shared.validation.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Office documents and text through the whole pipeline on the embedded stack (issue 15). */
class DocumentsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static StackFixture fx;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void docxAndText_endReady_asDocuments() throws IOException {
        Path docx = Files.write(tmp.resolve("report.docx"), DocumentFixtures.docx().zip());
        Path txt = Files.write(tmp.resolve("notes.txt"), "Meeting at 10:00, Zoë brings the slides.\n".getBytes(StandardCharsets.UTF_8));
        fx.upload(docx, "docs/report.docx", MediaFormat.DOCX.mimeType());
        fx.upload(txt, "docs/notes.txt", "text/plain");

        Manifest word = fx.awaitTerminal(fx.awaitReceipt("docs/report.docx", WAIT).mediaId(), WAIT);
        Manifest text = fx.awaitTerminal(fx.awaitReceipt("docs/notes.txt", WAIT).mediaId(), WAIT);

        assertThat(word.status()).isEqualTo(MediaStatus.READY);
        assertThat(word.type()).isEqualTo(MediaFormat.DOCX);
        assertThat(word.category()).isEqualTo(MediaCategory.DOCUMENT);
        assertThat(text.status()).isEqualTo(MediaStatus.READY);
        assertThat(text.type()).isEqualTo(MediaFormat.TEXT);
    }

    @Test
    void docm_isQuarantined_forItsMacros() throws IOException {
        Path docm = Files.write(tmp.resolve("invoice.docm"), DocumentFixtures.docm().zip());
        fx.upload(docm, "docs/invoice.docm", MediaFormat.DOCM.mimeType());

        Receipt r = fx.awaitReceipt("docs/invoice.docm", WAIT);
        Manifest m = fx.awaitTerminal(r.mediaId(), WAIT);

        assertThat(r.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(m.status()).isEqualTo(MediaStatus.QUARANTINED);
        assertThat(r.reasons()).extracting(x -> x.code()).containsExactly(ReasonCode.DOCUMENT_MACROS);
        assertThat(r.reasons().get(0).message()).contains("macro-enabled");
    }

    @Test
    void docxWithEmbeddedJpegPreview_endsReadyWithItsPropertiesAndThumbnailsFromThePreview() throws IOException {
        byte[] pkg = DocumentFixtures.ooxmlWithProperties("word/document.xml", DocumentFixtures.DOCX_MAIN,
                DocumentFixtures.wordBody("Plan"), DocumentFixtures.coreXml("Launch plan", "Ada Lovelace"),
                DocumentFixtures.appXml("Pages", "5"), "docProps/thumbnail.jpeg", DocumentFixtures.jpeg(400, 300)).zip();
        fx.upload(Files.write(tmp.resolve("plan.docx"), pkg), "docs/plan.docx", MediaFormat.DOCX.mimeType());

        Manifest m = fx.awaitTerminal(fx.awaitReceipt("docs/plan.docx", WAIT).mediaId(), WAIT);

        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        assertThat(m.reasons()).isEmpty();
        assertThat(m.metadata()).containsEntry("pageCount", 5).containsEntry("title", "Launch plan")
                .containsEntry("author", "Ada Lovelace").containsEntry("preview", "embedded").containsKey("placeholder");
        assertThat(m.outputs()).extracting(Output::kind).contains("thumbnail", "display");
        assertThat(m.outputs()).anySatisfy(o -> {
            assertThat(o.kind()).isEqualTo("thumbnail");
            assertThat(o.width()).isEqualTo(320);
            assertThat(o.height()).isEqualTo(240);
        });
    }

    @Test
    void docxWithMalformedPreviewAndText_endReadyWithoutPreview() throws IOException {
        byte[] jpeg = DocumentFixtures.jpeg(400, 300);
        byte[] pkg = DocumentFixtures.ooxmlWithProperties("word/document.xml", DocumentFixtures.DOCX_MAIN,
                DocumentFixtures.wordBody("Plan"), DocumentFixtures.coreXml("Broken preview", null),
                DocumentFixtures.appXml("Pages", "1"), "docProps/thumbnail.jpeg", java.util.Arrays.copyOf(jpeg, jpeg.length / 2)).zip();
        fx.upload(Files.write(tmp.resolve("broken.docx"), pkg), "docs/broken.docx", MediaFormat.DOCX.mimeType());
        fx.upload(Files.write(tmp.resolve("list.csv"), "item,qty\napples,3\n".getBytes(StandardCharsets.UTF_8)), "docs/list.csv", "text/csv");

        Manifest word = fx.awaitTerminal(fx.awaitReceipt("docs/broken.docx", WAIT).mediaId(), WAIT);
        Manifest csv = fx.awaitTerminal(fx.awaitReceipt("docs/list.csv", WAIT).mediaId(), WAIT);

        assertThat(word.status()).isEqualTo(MediaStatus.READY);
        assertThat(word.outputs()).isEmpty();
        assertThat(word.metadata()).containsEntry("preview", "none").containsEntry("title", "Broken preview")
                .containsEntry("pageCount", 1);
        assertThat(word.reasons()).extracting(Reason::code).containsExactly(ReasonCode.DOCUMENT_PREVIEW_INVALID);
        assertThat(csv.status()).isEqualTo(MediaStatus.READY);
        assertThat(csv.outputs()).isEmpty();
        assertThat(csv.metadata()).containsEntry("preview", "none").containsEntry("encoding", "UTF-8")
                .containsEntry("lineCount", 2).containsEntry("excerpt", "item,qty\napples,3\n");
    }
}
