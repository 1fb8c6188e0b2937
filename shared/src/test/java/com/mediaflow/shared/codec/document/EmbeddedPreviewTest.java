package com.mediaflow.shared.codec.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.DocumentFixtures;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extractor on its own, on packages validation would already have refused: it must not trust
 * the package's judgement either.
 */
class EmbeddedPreviewTest {
    @TempDir
    Path tmp;

    private EmbeddedPreview.Result extract(byte[] pkg, MediaFormat format, Limits limits, ZipLimits zipLimits) throws IOException {
        Path file = Files.write(tmp.resolve("pkg-" + System.nanoTime()), pkg);
        return new EmbeddedPreview(zipLimits, limits).extract(file, format, tmp.resolve("scratch"));
    }

    private static byte[] docx(String part, byte[] thumbnail) {
        return DocumentFixtures.ooxmlWithProperties("word/document.xml", DocumentFixtures.DOCX_MAIN, DocumentFixtures.wordBody("x"),
                null, null, part, thumbnail).zip();
    }

    @Test
    void extract_thumbnailThatIsAWindowsExecutable_isRefusedAsAnExecutable() throws IOException {
        EmbeddedPreview.Result r = extract(docx("docProps/thumbnail.jpeg", DocumentFixtures.peImage()), MediaFormat.DOCX,
                Limits.DEFAULTS, ZipLimits.DEFAULTS);

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.DOCUMENT_PREVIEW_INVALID);
            assertThat(w.rejects()).isFalse();
            assertThat(w.message()).contains("EXECUTABLE").contains("docProps/thumbnail.jpeg");
        });
        assertThat(Files.list(tmp.resolve("scratch"))).as("the refused preview is deleted").isEmpty();
    }

    @Test
    void extract_validJpeg_isKeptAsAJpegInTheScratchFolder() throws IOException {
        byte[] jpeg = DocumentFixtures.jpeg(64, 48);

        EmbeddedPreview.Result r = extract(docx("docProps/thumbnail.jpeg", jpeg), MediaFormat.DOCX, Limits.DEFAULTS, ZipLimits.DEFAULTS);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.format()).isEqualTo(MediaFormat.JPEG);
        assertThat(r.part()).isEqualTo("docProps/thumbnail.jpeg");
        assertThat(Files.readAllBytes(r.image())).isEqualTo(jpeg);
    }

    @Test
    void extract_previewOverMaxPixels_isRefusedByTheUploadLimits() throws IOException {
        Limits small = new Limits(Limits.DEFAULTS.maxBytes(), 100 * 100, Limits.DEFAULTS.maxFrames(),
                Limits.DEFAULTS.maxDurationSeconds(), Limits.DEFAULTS.maxTracks(), Limits.DEFAULTS.maxDepth(),
                Limits.DEFAULTS.maxSampleEntries());

        EmbeddedPreview.Result r = extract(docx("docProps/thumbnail.jpeg", DocumentFixtures.jpeg(400, 300)), MediaFormat.DOCX,
                small, ZipLimits.DEFAULTS);

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("PIXEL_LIMIT"));
    }

    @Test
    void extract_previewLargerThanThePartLimit_isRefusedWithoutInflatingIt() throws IOException {
        ZipLimits d = ZipLimits.DEFAULTS;
        ZipLimits tiny = new ZipLimits(d.maxEntries(), d.maxEntryBytes(), d.maxTotalBytes(), d.maxRatio(), d.ratioAfter(), 1024,
                d.maxNesting(), d.maxInspectedBytes());

        EmbeddedPreview.Result r = extract(docx("docProps/thumbnail.jpeg", DocumentFixtures.jpeg(400, 300)), MediaFormat.DOCX,
                Limits.DEFAULTS, tiny);

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("ARCHIVE_LIMIT", "expected at most 1024"));
    }

    @Test
    void extract_relationshipToAMissingPart_warns() throws IOException {
        byte[] pkg = DocumentFixtures.ooxmlWithProperties("word/document.xml", DocumentFixtures.DOCX_MAIN, DocumentFixtures.wordBody("x"),
                null, null, "docProps/thumbnail.jpeg", DocumentFixtures.jpeg(8, 8)).put("docProps/thumbnail.jpeg", (byte[]) null).zip();

        EmbeddedPreview.Result r = extract(pkg, MediaFormat.DOCX, Limits.DEFAULTS, ZipLimits.DEFAULTS);

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("found no such part"));
    }

    @Test
    void extract_emfThumbnailAsWordOnWindowsWritesIt_isNoPreviewWithoutAWarning() throws IOException {
        byte[] emf = new byte[108];
        emf[0] = 1; // EMR_HEADER
        emf[4] = 108;
        System.arraycopy(" EMF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, emf, 40, 4);

        EmbeddedPreview.Result r = extract(docx("docProps/thumbnail.emf", emf), MediaFormat.DOCX, Limits.DEFAULTS, ZipLimits.DEFAULTS);

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.part()).isEqualTo("docProps/thumbnail.emf");
    }

    @Test
    void extract_unknownBytesNamedEmf_areStillJudgedByContent() throws IOException {
        EmbeddedPreview.Result r = extract(docx("docProps/thumbnail.emf", new byte[200]), MediaFormat.DOCX, Limits.DEFAULTS,
                ZipLimits.DEFAULTS);

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).extracting(w -> w.code()).containsExactly(ReasonCode.DOCUMENT_PREVIEW_INVALID);
    }
}
