package com.mediaflow.shared.codec.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/**
 * Opens validated PDFs with PDFBox, the same way for the metadata and the thumbnail steps.
 *
 * <ul>
 *   <li>Memory: the file is read from disk (never loaded whole), and decoded streams are cached in
 *       memory up to {@link PdfLimits#maxCacheBytes()}, then in a temporary file in the step's
 *       scratch directory (Lambda's /tmp), {@value #MAX_CACHE_STORAGE_BYTES} bytes in all at most.</li>
 *   <li>Fonts: fonts a PDF does not embed (the standard 14, Helvetica and the rest) are drawn with
 *       PDFBox's bundled Liberation Sans, never with a system font. Lambda has no fonts and no
 *       fontconfig; this way every machine renders as Lambda does, no font directory is scanned
 *       and no font cache is written to the home directory.</li>
 *   <li>Headless AWT ({@code java.awt.headless=true}), set before any AWT class loads here.</li>
 * </ul>
 */
final class PdfDocuments {
    /** Memory and temporary file of the stream cache together, at most (beyond: an IOException, PDF_UNREADABLE). */
    static final long MAX_CACHE_STORAGE_BYTES = 1L << 30;
    private static final String BUNDLED_FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    static {
        System.setProperty("java.awt.headless", "true");
        FontMappers.set(new BundledFontsOnly(loadBundledFont()));
    }

    private PdfDocuments() {
    }

    /**
     * The document, decrypted with the empty user password when it is encrypted (a PDF with only an
     * owner password opens so).
     *
     * @throws org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException when a user password is needed
     * @throws IOException when PDFBox cannot read it
     */
    static PDDocument open(Path pdf, Path scratchDir, PdfLimits limits) throws IOException {
        MemoryUsageSetting memory = MemoryUsageSetting.setupMixed(limits.maxCacheBytes(), MAX_CACHE_STORAGE_BYTES)
                .setTempDir(scratchDir.toFile());
        return Loader.loadPDF(pdf.toFile(), "", memory.streamCache);
    }

    /** Loads this class (fonts and headless mode) ahead of the first document; idempotent. */
    static void init() {
    }

    private static TrueTypeFont loadBundledFont() {
        try (InputStream in = PdfDocuments.class.getResourceAsStream(BUNDLED_FONT)) {
            if (in == null) {
                throw new IllegalStateException("PDFBox's bundled font " + BUNDLED_FONT + " is missing from the class path");
            }
            return new TTFParser().parse(new RandomAccessReadBuffer(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PDFBox's bundled font " + BUNDLED_FONT, e);
        }
    }

    /** Every font that is not embedded maps to the bundled Liberation Sans, as a fallback. */
    private record BundledFontsOnly(TrueTypeFont font) implements FontMapper {
        @Override
        public FontMapping<TrueTypeFont> getTrueTypeFont(String baseFont, PDFontDescriptor descriptor) {
            return new FontMapping<>(font, true);
        }

        @Override
        public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor descriptor) {
            return new FontMapping<>(font, true);
        }

        @Override
        public CIDFontMapping getCIDFont(String baseFont, PDFontDescriptor descriptor, PDCIDSystemInfo cidSystemInfo) {
            return new CIDFontMapping((OpenTypeFont) null, font, true);
        }
    }
}
