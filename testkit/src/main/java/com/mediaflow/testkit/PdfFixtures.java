package com.mediaflow.testkit;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Real PDFs for the tests and the bench, written with PDFBox. Text is set in Helvetica, a standard
 * 14 font that is never embedded, so a render must find its glyphs without system fonts.
 * Encrypted ones are written without object streams (our validator cannot inspect encrypted
 * object streams and refuses them).
 */
public final class PdfFixtures {
    /** The banner of {@link #textPages}: 48 pt Helvetica, its baseline this far below the page's top. */
    public static final float BANNER_BASELINE_FROM_TOP = 100;
    public static final float BANNER_LEFT = 72;
    public static final float BANNER_SIZE = 48;

    private PdfFixtures() {
    }

    /**
     * A4 portrait pages ({@value #A4_WIDTH} x {@value #A4_HEIGHT} pt), each with the banner
     * "PAGE n" top left and lines of body text; title and author in the document information
     * (null for none).
     */
    public static Path textPages(Path out, int pages, String title, String author) {
        return write(out, pages, title, author, 0, null, null);
    }

    /** As {@link #textPages}, and a {@code pictureSide} x {@code pictureSide} pixel colour picture on each page. */
    public static Path textAndPicturePages(Path out, int pages, String title, int pictureSide) {
        return write(out, pages, title, null, pictureSide, null, null);
    }

    /**
     * One page of text, encrypted (RC4 128, no object streams).
     *
     * @param userPassword "" for a PDF that opens without a password (owner password only)
     */
    public static Path encrypted(Path out, String userPassword, String ownerPassword, String title) {
        return write(out, 1, title, null, 0, userPassword, ownerPassword);
    }

    public static final float A4_WIDTH = 595.28f;
    public static final float A4_HEIGHT = 841.89f;

    private static Path write(Path out, int pages, String title, String author, int pictureSide, String userPassword,
            String ownerPassword) {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDImageXObject picture = pictureSide > 0 ? LosslessFactory.createFromImage(doc, picture(pictureSide)) : null;
            for (int n = 1; n <= pages; n++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(helvetica, BANNER_SIZE);
                    cs.newLineAtOffset(BANNER_LEFT, A4_HEIGHT - BANNER_BASELINE_FROM_TOP);
                    cs.showText("PAGE " + n);
                    cs.setFont(helvetica, 11);
                    cs.setLeading(14);
                    cs.newLineAtOffset(0, -40);
                    for (int line = 0; line < 20; line++) {
                        cs.showText("Line " + (line + 1) + " of page " + n + ": the quick brown fox jumps over the lazy dog.");
                        cs.newLine();
                    }
                    cs.endText();
                    if (picture != null) {
                        cs.drawImage(picture, 72, 72, 300, 300);
                    }
                }
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(title);
            info.setAuthor(author);
            // PDFBox writes a file identifier from the clock when there is none: one derived from what
            // is drawn makes the same fixture the same bytes, and so the same media id, in every run
            COSString id = new COSString(identifier(pages, title, author, pictureSide));
            COSArray ids = new COSArray();
            ids.add(id);
            ids.add(id);
            doc.getDocument().getTrailer().setItem(COSName.ID, ids);
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy(ownerPassword, userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                policy.setPreferAES(false);
                doc.protect(policy);
            }
            // through a stream: PDFBox's save(File) warns, at WARN, whenever the file exists already (the
            // demo writes its samples again into the same folder on every run)
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out))) {
                doc.save(os, userPassword != null ? CompressParameters.NO_COMPRESSION : CompressParameters.DEFAULT_COMPRESSION);
            }
            return out;
        } catch (IOException e) {
            throw new SyntheticMediaException("cannot write the PDF " + out + ": " + e.getMessage(), e);
        }
    }

    private static byte[] identifier(int pages, String title, String author, int pictureSide) {
        String drawn = pages + "\n" + title + "\n" + author + "\n" + pictureSide;
        try {
            return MessageDigest.getInstance("MD5").digest(drawn.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** Colour bands and a diagonal: a picture with edges, like a photo in a document. */
    private static BufferedImage picture(int side) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int r = 255 * x / side;
                int g = 255 * y / side;
                int b = Math.abs(x - y) < side / 50 ? 0 : 160;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }
}
