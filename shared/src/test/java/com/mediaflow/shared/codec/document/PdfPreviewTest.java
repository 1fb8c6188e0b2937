package com.mediaflow.shared.codec.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.testkit.PdfFixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfPreviewTest {
    @TempDir
    Path tmp;

    private static final PdfLimits LIMITS = PdfLimits.DEFAULTS;

    @Test
    void firstPage_a4_longerSideIsTheSizeAskedFor() {
        Path pdf = PdfFixtures.textPages(tmp.resolve("ten.pdf"), 10, "Ten", null);

        PdfPreview.Rendered r = PdfPreview.firstPage(pdf, 1000, tmp, LIMITS);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.pageCount()).isEqualTo(10);
        assertThat(r.image().getHeight()).isEqualTo(1000);
        assertThat(r.image().getWidth()).isEqualTo((int) Math.floor(PdfFixtures.A4_WIDTH * 1000 / PdfFixtures.A4_HEIGHT));
    }

    /**
     * Helvetica is not embedded, and PdfDocuments maps it to PDFBox's bundled Liberation Sans, never
     * to a system font (Lambda has none): the banner's box is inked, the paper around it is white.
     */
    @Test
    void firstPage_nonEmbeddedHelvetica_isDrawnWithoutSystemFonts() {
        Path pdf = PdfFixtures.textPages(tmp.resolve("one.pdf"), 1, null, null);

        BufferedImage image = PdfPreview.firstPage(pdf, 842, tmp, LIMITS).image();

        double scale = image.getHeight() / PdfFixtures.A4_HEIGHT;
        int top = (int) ((PdfFixtures.BANNER_BASELINE_FROM_TOP - PdfFixtures.BANNER_SIZE * 0.72) * scale);
        int bottom = (int) (PdfFixtures.BANNER_BASELINE_FROM_TOP * scale);
        int left = (int) (PdfFixtures.BANNER_LEFT * scale);
        int right = (int) ((PdfFixtures.BANNER_LEFT + 150) * scale);
        assertThat(darkPixels(image, left, top, right, bottom)).as("dark pixels in the banner 'PAGE 1'")
                .isGreaterThan((right - left) * (bottom - top) / 10);
        assertThat(darkPixels(image, 0, 0, image.getWidth(), top - 2)).as("dark pixels above it").isZero();
        assertThat(image.getRGB(image.getWidth() - 2, image.getHeight() - 2) & 0xffffff).as("paper").isEqualTo(0xffffff);
    }

    /** This machine has DejaVu fonts (fc-list); PDFBox's own mapper would pick them, ours never does. */
    @Test
    void fontsNotEmbedded_mapToTheBundledLiberationSans_neverToASystemFont() throws IOException {
        PdfDocuments.init();

        for (String name : new String[] {"Helvetica", "Times-Roman", "Courier", "DejaVuSans", "Arial"}) {
            var mapping = org.apache.pdfbox.pdmodel.font.FontMappers.instance().getTrueTypeFont(name, null);
            assertThat(mapping.getFont().getName()).as(name).isEqualTo("LiberationSans");
            assertThat(mapping.isFallback()).isTrue();
        }
    }

    /**
     * Lambda's JVM has no fontconfig and no system fonts; PDFBox draws glyphs as paths, so a render
     * (text in a font the PDF does not embed, and a picture) should not load AWT's font manager or
     * FreeType. Linux only: the JVM's mapped libraries.
     */
    @Test
    void firstPage_loadsNoFontManagerOrFreetype() throws IOException {
        Path pdf = PdfFixtures.textAndPicturePages(tmp.resolve("pictures.pdf"), 1, null, 100);
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "no /proc/self/maps");

        assertThat(PdfPreview.firstPage(pdf, 640, tmp, LIMITS).image()).isNotNull();

        String mapped = Files.readString(maps);
        System.out.println("native AWT libraries mapped after a render: " + java.util.Arrays.stream(mapped.split("\n"))
                .filter(l -> l.contains("/lib") && l.endsWith(".so")).map(l -> l.substring(l.lastIndexOf('/') + 1))
                .filter(n -> n.matches("lib(awt|fontmanager|freetype|lcms|javajpeg|mlib_image|awt_headless|awt_xawt|fontconfig).*"))
                .distinct().toList());
        assertThat(mapped).doesNotContain("libfontmanager").doesNotContain("libfreetype").doesNotContain("libfontconfig");
    }

    @Test
    void firstPage_ownerPasswordOnly_renders() {
        Path pdf = PdfFixtures.encrypted(tmp.resolve("owner.pdf"), "", "owner-secret", "Locked");

        PdfPreview.Rendered r = PdfPreview.firstPage(pdf, 320, tmp, LIMITS);

        assertThat(r.warnings()).isEmpty();
        assertThat(r.image().getHeight()).isEqualTo(320);
    }

    @Test
    void firstPage_userPassword_noImageAndAWarning() {
        Path pdf = PdfFixtures.encrypted(tmp.resolve("user.pdf"), "user-secret", "owner-secret", "Secret");

        PdfPreview.Rendered r = PdfPreview.firstPage(pdf, 320, tmp, LIMITS);

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).extracting(Reason::code).containsExactly(ReasonCode.PDF_ENCRYPTED);
    }

    @Test
    void firstPage_abovePageLimit_noImage() {
        Path pdf = PdfFixtures.textPages(tmp.resolve("six.pdf"), 6, null, null);

        PdfPreview.Rendered r = PdfPreview.firstPage(pdf, 320, tmp, new PdfLimits(5, 10_000, 1_000_000, 1 << 20));

        assertThat(r.image()).isNull();
        assertThat(r.pageCount()).isEqualTo(6);
        assertThat(r.warnings()).extracting(Reason::code).containsExactly(ReasonCode.PDF_PAGE_LIMIT);
    }

    @Test
    void firstPage_imageLargerThanPixelLimit_noImage() {
        Path pdf = PdfFixtures.textAndPicturePages(tmp.resolve("picture.pdf"), 1, null, 600);

        PdfPreview.Rendered under = PdfPreview.firstPage(pdf, 320, tmp, new PdfLimits(10, 10_000, 360_000, 1 << 20));
        PdfPreview.Rendered over = PdfPreview.firstPage(pdf, 320, tmp, new PdfLimits(10, 10_000, 359_999, 1 << 20));

        assertThat(under.image()).isNotNull();
        assertThat(over.image()).isNull();
        assertThat(over.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.PDF_RENDER_LIMIT);
            assertThat(w.message()).contains("360000 pixels", "at most 359999", "PDF_RENDER_MAX_PIXELS");
        });
    }

    /** An inline image is not a named resource: the check before the render misses it, the page drawer does not. */
    @Test
    void firstPage_inlineImageLargerThanPixelLimit_noImage() throws IOException {
        Path pdf = tmp.resolve("inline.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            org.apache.pdfbox.cos.COSDictionary params = new org.apache.pdfbox.cos.COSDictionary();
            params.setInt(org.apache.pdfbox.cos.COSName.W, 700);
            params.setInt(org.apache.pdfbox.cos.COSName.H, 700);
            params.setInt(org.apache.pdfbox.cos.COSName.BPC, 8);
            params.setItem(org.apache.pdfbox.cos.COSName.CS, org.apache.pdfbox.cos.COSName.G);
            byte[] grey = new byte[700 * 700];
            java.util.Arrays.fill(grey, (byte) 40);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawImage(new org.apache.pdfbox.pdmodel.graphics.image.PDInlineImage(params, grey, null), 72, 72, 200, 200);
            }
            doc.save(pdf.toFile());
        }

        PdfPreview.Rendered over = PdfPreview.firstPage(pdf, 320, tmp, new PdfLimits(10, 10_000, 489_999, 1 << 20));
        PdfPreview.Rendered under = PdfPreview.firstPage(pdf, 320, tmp, new PdfLimits(10, 10_000, 490_000, 1 << 20));

        assertThat(over.image()).isNull();
        assertThat(over.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.PDF_RENDER_LIMIT);
            assertThat(w.message()).contains("490000 pixels", "at most 489999");
        });
        assertThat(under.warnings()).isEmpty();
        BufferedImage drawn = under.image();
        double scale = drawn.getHeight() / PdfFixtures.A4_HEIGHT;
        int centreX = (int) (172 * scale);
        int centreY = drawn.getHeight() - (int) (172 * scale);
        assertThat(drawn.getRGB(centreX, centreY) & 0xff).as("the grey square is drawn").isBetween(30, 50);
    }

    @Test
    void firstPage_pictureAreaAboveThePixelCap_isScaledDownToFit() {
        Path pdf = PdfFixtures.textPages(tmp.resolve("one.pdf"), 1, null, null);

        BufferedImage image = PdfPreview.firstPage(pdf, 2000, tmp, new PdfLimits(10, 10_000, 250_000, 1 << 20)).image();

        assertThat((long) image.getWidth() * image.getHeight()).isLessThanOrEqualTo(250_000).isGreaterThan(240_000);
    }

    /** 20000 filled rectangles: far more work than 1 ms allows; the drawer stops at the deadline. */
    @Test
    void firstPage_slowerThanTheTimeout_givesUp() throws IOException {
        Path pdf = tmp.resolve("busy.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                for (int i = 0; i < 20_000; i++) {
                    cs.setNonStrokingColor((i % 255) / 255f, 0.5f, 0.5f);
                    cs.addRect(i % 500, (i / 500) % 800, 40, 40);
                    cs.fill();
                }
            }
            doc.save(pdf.toFile());
        }
        PdfLimits oneMillisecond = new PdfLimits(10, 1, 100_000_000, 1 << 20);

        long started = System.nanoTime();
        PdfPreview.Rendered r = PdfPreview.firstPage(pdf, 2048, tmp, oneMillisecond);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(r.image()).isNull();
        assertThat(r.warnings()).extracting(Reason::code).containsExactly(ReasonCode.PDF_RENDER_LIMIT);
        assertThat(PdfPreview.firstPage(pdf, 2048, tmp, LIMITS).image()).as("with the default limits").isNotNull();
        assertThat(tookMillis).as("gave up long before the render would end").isLessThan(5_000);
    }

    private static int darkPixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int dark = 0;
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
                int rgb = image.getRGB(x, y);
                int luma = (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
                if (luma < 100) {
                    dark++;
                }
            }
        }
        return dark;
    }
}
