package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.validation.Severity;
import com.mediaflow.testkit.PdfFixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PDFs through the whole pipeline on the embedded stack (issue 15): metadata from PDFBox, a
 * first-page preview through the image renditions, and a PDF past a limit or locked by a password
 * still READY. The stack's
 * MAX_PDF_PAGES is 12, so the 10-page PDF is previewed and a 13-page one is not.
 */
class PdfDocumentsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static StackFixture fx;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true, Map.of("MAX_PDF_PAGES", "12"));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void tenPagePdf_endsReady_withPageCountTitleAndARenderedPreview() throws IOException {
        Path pdf = PdfFixtures.textAndPicturePages(tmp.resolve("report.pdf"), 10, "Quarterly report", 300);
        fx.upload(pdf, "docs/report.pdf", "application/pdf");

        Manifest m = fx.awaitTerminal(fx.awaitReceipt("docs/report.pdf", WAIT).mediaId(), WAIT);

        assertThat(m.status()).as("%s", m.reasons()).isEqualTo(MediaStatus.READY);
        assertThat(m.type()).isEqualTo(MediaFormat.PDF);
        assertThat(m.category()).isEqualTo(MediaCategory.DOCUMENT);
        assertThat(m.reasons()).isEmpty();
        assertThat(m.metadata()).containsEntry("pageCount", 10).containsEntry("title", "Quarterly report")
                .containsEntry("encrypted", false).containsEntry("textPresent", true)
                .containsEntry("preview", "rendered").containsKey("placeholder");
        assertThat(m.outputs()).extracting(Output::key).anySatisfy(k -> assertThat(k).endsWith("thumb-320.jpg"))
                .anySatisfy(k -> assertThat(k).endsWith("display.webp"));
        for (Output o : m.outputs()) {
            byte[] bytes = read(o.key());
            assertThat((long) bytes.length).as(o.key()).isEqualTo(o.bytes());
            int[] size = o.contentType().equals("image/webp") ? webpSize(bytes) : jpegSize(bytes);
            assertThat(size).as("%s decoded size", o.key()).containsExactly(o.width(), o.height());
            if (o.key().endsWith("/display.jpg") || o.key().endsWith("/display.webp")) {
                assertThat(o.height()).as(o.key()).isEqualTo(2048);
            }
            if (o.key().endsWith("/thumb-320.jpg")) {
                assertThat(o.height()).isEqualTo(320);
                assertThat(o.width()).isBetween(224, 228);
            }
        }
    }

    @Test
    void pdfAboveThePageLimit_endsReady_withItsMetadataAWarningAndNoPreview() throws IOException {
        Path pdf = PdfFixtures.textPages(tmp.resolve("long.pdf"), 13, "Long read", "Someone");
        fx.upload(pdf, "docs/long.pdf", "application/pdf");

        Manifest m = fx.awaitTerminal(fx.awaitReceipt("docs/long.pdf", WAIT).mediaId(), WAIT);

        assertThat(m.status()).as("%s", m.reasons()).isEqualTo(MediaStatus.READY);
        assertThat(m.metadata()).containsEntry("pageCount", 13).containsEntry("title", "Long read")
                .containsEntry("author", "Someone").containsEntry("preview", "none")
                .doesNotContainKeys("placeholder", "textPresent");
        assertThat(m.outputs()).isEmpty();
        assertThat(m.reasons()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.PDF_PAGE_LIMIT);
            assertThat(r.severity()).isEqualTo(Severity.WARNING);
            assertThat(r.message()).contains("13 pages", "at most 12");
        });
    }

    @Test
    void pdfNeedingAPassword_endsReady_encryptedWithAWarningAndNoPreview() {
        Path pdf = PdfFixtures.encrypted(tmp.resolve("locked.pdf"), "user-secret", "owner-secret", "Locked");
        fx.upload(pdf, "docs/locked.pdf", "application/pdf");

        Manifest m = fx.awaitTerminal(fx.awaitReceipt("docs/locked.pdf", WAIT).mediaId(), WAIT);

        assertThat(m.status()).as("%s", m.reasons()).isEqualTo(MediaStatus.READY);
        assertThat(m.metadata()).containsEntry("encrypted", true).containsEntry("preview", "none")
                .doesNotContainKeys("pageCount", "title", "placeholder");
        assertThat(m.outputs()).isEmpty();
        assertThat(m.reasons()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.PDF_ENCRYPTED);
            assertThat(r.severity()).isEqualTo(Severity.WARNING);
        });
    }

    private static byte[] read(String key) throws IOException {
        try (InputStream in = fx.store.open(fx.media, key)) {
            return in.readAllBytes();
        }
    }

    private static int[] jpegSize(byte[] bytes) throws IOException {
        assertThat(Arrays.copyOf(bytes, 3)).as("JPEG SOI").containsExactly(0xFF, 0xD8, 0xFF);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        return new int[] {image.getWidth(), image.getHeight()};
    }

    /** The canvas of a WebP: a lossy 'VP8 ' frame header, or a 'VP8X' canvas. */
    private static int[] webpSize(byte[] bytes) {
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(bytes, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        String chunk = new String(bytes, 12, 4, StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (chunk.equals("VP8 ")) {
            assertThat(Arrays.copyOfRange(bytes, 23, 26)).as("VP8 start code").containsExactly(0x9d, 0x01, 0x2a);
            return new int[] {b.getShort(26) & 0x3fff, b.getShort(28) & 0x3fff};
        }
        assertThat(chunk).isEqualTo("VP8X");
        int w = (bytes[24] & 0xff | (bytes[25] & 0xff) << 8 | (bytes[26] & 0xff) << 16) + 1;
        int h = (bytes[27] & 0xff | (bytes[28] & 0xff) << 8 | (bytes[29] & 0xff) << 16) + 1;
        return new int[] {w, h};
    }
}
