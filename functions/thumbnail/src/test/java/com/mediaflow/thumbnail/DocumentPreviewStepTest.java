package com.mediaflow.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.validation.DocumentFixtures;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document package's embedded preview goes through the image path as an untrusted upload: real
 * JPEG and PNG previews (written by ImageIO) become the usual renditions; a malformed or disguised
 * one is a warning and {@code preview: none}, never a quarantine.
 */
class DocumentPreviewStepTest {
    private static final String ID = "0".repeat(64);

    @TempDir
    Path tmp;

    private final ThumbnailStep step = new ThumbnailStep(Config.of(Map.of()));

    /** Validates the package as an upload (it must be accepted as {@code format}), then runs the step on it. */
    private MediaStep.Output run(byte[] pkg, MediaFormat format) throws IOException {
        Verdict verdict = new StructureValidator(Limits.DEFAULTS).validate(new ArrayByteSource(pkg), null, null).verdict();
        assertThat(verdict.accepted()).as("the package's verdict: %s", verdict.reasons()).isTrue();
        assertThat(verdict.detected()).isEqualTo(format);
        Path dir = Files.createDirectories(tmp.resolve("step-" + System.nanoTime()));
        Path file = Files.write(dir.resolve("original.bin"), pkg);
        MediaStep.Output out = step.process(new StepMessage(ID, "thumbnail", format, MediaCategory.DOCUMENT, "media",
                "media/" + ID + "/original"), file);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("scratch files left behind").containsExactly(file);
        }
        return out;
    }

    private static byte[] docxWithThumbnail(String part, byte[] thumbnail) {
        return DocumentFixtures.ooxmlWithProperties("word/document.xml", DocumentFixtures.DOCX_MAIN,
                DocumentFixtures.wordBody("Report"), DocumentFixtures.coreXml("Report", "Ada"), DocumentFixtures.appXml("Pages", "2"),
                part, thumbnail).zip();
    }

    private static void assertRealRenditions(MediaStep.Output out, int width, int height) throws IOException {
        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsEntry("preview", "embedded").containsKey("placeholder");
        assertThat(out.renditions()).extracting(Rendition::kind).contains(Rendition.THUMBNAIL, Rendition.DISPLAY);
        for (Rendition r : out.renditions()) {
            assertThat(r.width()).as(r.name()).isLessThanOrEqualTo(width);
            assertThat(r.height()).as(r.name()).isLessThanOrEqualTo(height);
            if (r.contentType().equals("image/jpeg")) {
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(r.bytes()));
                assertThat(decoded).as(r.name() + " decodes").isNotNull();
                assertThat(decoded.getWidth()).isEqualTo(r.width());
                assertThat(decoded.getHeight()).isEqualTo(r.height());
            }
        }
        // the 320 box of the fitted thumbnails: the 400x300 preview's aspect ratio kept
        assertThat(out.renditions()).anySatisfy(r -> {
            assertThat(r.kind()).isEqualTo(Rendition.THUMBNAIL);
            assertThat(r.width()).isEqualTo(320);
            assertThat(r.height()).isEqualTo(240);
        });
    }

    @Test
    void process_docxWithJpegThumbnail_makesTheImageRenditionsFromIt() throws IOException {
        MediaStep.Output out = run(docxWithThumbnail("docProps/thumbnail.jpeg", DocumentFixtures.jpeg(400, 300)), MediaFormat.DOCX);

        assertRealRenditions(out, 400, 300);
    }

    @Test
    void process_odtWithThumbnailsPng_makesTheImageRenditionsFromIt() throws IOException {
        byte[] odt = DocumentFixtures.odt().put("Thumbnails/thumbnail.png", DocumentFixtures.png(400, 300)).zip();

        assertRealRenditions(run(odt, MediaFormat.ODT), 400, 300);
    }

    @Test
    void process_epubWithCoverImage_makesTheImageRenditionsFromIt() throws IOException {
        byte[] epub = DocumentFixtures.epub("Cover story", "Ada", DocumentFixtures.jpeg(400, 300)).zip();

        assertRealRenditions(run(epub, MediaFormat.EPUB), 400, 300);
    }

    @Test
    void process_docxWithoutThumbnail_isPreviewNoneWithoutWarning() throws IOException {
        MediaStep.Output out = run(DocumentFixtures.docx().zip(), MediaFormat.DOCX);

        assertThat(out.renditions()).isEmpty();
        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsOnly(Map.entry("preview", "none"));
    }

    @Test
    void process_docxWithTruncatedJpegThumbnail_isReadyWithAWarningAndNoPreview() throws IOException {
        byte[] jpeg = DocumentFixtures.jpeg(400, 300);

        MediaStep.Output out = run(docxWithThumbnail("docProps/thumbnail.jpeg", Arrays.copyOf(jpeg, jpeg.length / 2)), MediaFormat.DOCX);

        assertThat(out.renditions()).isEmpty();
        assertThat(out.metadata()).containsOnly(Map.entry("preview", "none"));
        assertThat(out.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.DOCUMENT_PREVIEW_INVALID);
            assertThat(w.rejects()).isFalse();
            assertThat(w.message()).contains("docProps/thumbnail.jpeg").contains("TRUNCATED");
        });
    }

    @Test
    void process_docxWhoseThumbnailIsSvgMarkupNamedPng_isReadyWithAWarningAndNoPreview() throws IOException {
        byte[] svg = ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                + "<script>alert(document.cookie)</script></svg>").getBytes(StandardCharsets.UTF_8);

        MediaStep.Output out = run(docxWithThumbnail("docProps/thumbnail.png", svg), MediaFormat.DOCX);

        assertThat(out.renditions()).isEmpty();
        assertThat(out.metadata()).containsOnly(Map.entry("preview", "none"));
        assertThat(out.warnings()).extracting(Reason::code).containsExactly(ReasonCode.DOCUMENT_PREVIEW_INVALID);
        assertThat(out.warnings().get(0).message()).contains("ACTIVE_MARKUP");
    }

    @Test
    void process_docxWhoseThumbnailIsTextNotAnImage_isReadyWithAWarningAndNoPreview() throws IOException {
        byte[] words = "just words".getBytes(StandardCharsets.UTF_8);

        MediaStep.Output namedJpeg = run(docxWithThumbnail("docProps/thumbnail.jpeg", words), MediaFormat.DOCX);
        MediaStep.Output unnamed = run(docxWithThumbnail("docProps/thumbnail.dat", words), MediaFormat.DOCX);

        for (MediaStep.Output out : java.util.List.of(namedJpeg, unnamed)) {
            assertThat(out.renditions()).isEmpty();
            assertThat(out.metadata()).containsOnly(Map.entry("preview", "none"));
            assertThat(out.warnings()).extracting(Reason::code).containsExactly(ReasonCode.DOCUMENT_PREVIEW_INVALID);
        }
        // named .jpeg, the upload check of its name already refuses it; else: text is no image
        assertThat(namedJpeg.warnings().get(0).message()).contains("TYPE_MISMATCH");
        assertThat(unnamed.warnings().get(0).message()).contains("'docProps/thumbnail.dat' is text/plain, expected an image");
    }

    @Test
    void process_text_isPreviewNone() throws IOException {
        MediaStep.Output out = run("hello\n".getBytes(StandardCharsets.UTF_8), MediaFormat.TEXT);

        assertThat(out.renditions()).isEmpty();
        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsOnly(Map.entry("preview", "none"));
    }
}
