package com.mediaflow.shared.codec.document;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.Reason;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * What the manifest says of a validated PDF: its page count, title and author (the document
 * information dictionary), whether it is encrypted, the size of its first page as displayed (crop
 * box, rotation applied, in points) and whether its first {@value #TEXT_PAGES} pages have
 * extractable text. Read with PDFBox ({@link PdfDocuments}); a PDF is never refused here: what
 * cannot be known is left out, with a warning.
 *
 * @param pageCount null when the PDF cannot be opened
 * @param title null when absent or blank; at most {@value #MAX_TEXT} characters
 * @param author null when absent or blank; at most {@value #MAX_TEXT} characters
 * @param pageWidthPoints null when unknown
 * @param pageHeightPoints null when unknown
 * @param textPresent null when not scanned (encrypted with a user password, above
 *     MAX_PDF_PAGES, or the scan timed out)
 * @param warnings PDF_PAGE_LIMIT, PDF_RENDER_LIMIT, PDF_ENCRYPTED or PDF_UNREADABLE
 */
public record PdfInfo(Integer pageCount, String title, String author, boolean encrypted, Double pageWidthPoints,
                      Double pageHeightPoints, Boolean textPresent, List<Reason> warnings) {

    /** Pages scanned for text, at most. */
    public static final int TEXT_PAGES = 3;
    /** Longest title or author kept, in characters. */
    public static final int MAX_TEXT = 500;

    public PdfInfo {
        warnings = List.copyOf(warnings);
    }

    /**
     * @param scratchDir where PDFBox may spill decoded streams (the step's scratch directory)
     */
    public static PdfInfo read(Path pdf, Path scratchDir, PdfLimits limits) {
        PdfDocuments.init();
        List<Reason> warnings = new ArrayList<>();
        try (PDDocument doc = PdfDocuments.open(pdf, scratchDir, limits)) {
            int pages = doc.getNumberOfPages();
            PDDocumentInformation info = doc.getDocumentInformation();
            Double width = null;
            Double height = null;
            Boolean text = null;
            if (pages > 0) {
                PDPage first = doc.getPage(0);
                PDRectangle box = first.getCropBox();
                boolean turned = first.getRotation() % 180 != 0;
                width = points(turned ? box.getHeight() : box.getWidth());
                height = points(turned ? box.getWidth() : box.getHeight());
            }
            if (pages > limits.maxPages()) {
                warnings.add(pageLimit("metadata", pages, limits, "its text was not scanned"));
            } else if (pages > 0) {
                text = textPresent(doc, Math.min(pages, TEXT_PAGES), limits, warnings);
            }
            return new PdfInfo(pages, clean(info.getTitle()), clean(info.getAuthor()), doc.isEncrypted(), width, height,
                    text, warnings);
        } catch (InvalidPasswordException e) {
            warnings.add(Reason.warning(ReasonCode.PDF_ENCRYPTED, "metadata: the PDF needs a password to be opened,"
                    + " expected one that opens without (an owner password only); found: " + e.getMessage()));
            return new PdfInfo(null, null, null, true, null, null, null, warnings);
        } catch (IOException | RuntimeException e) {
            warnings.add(unreadable("metadata", e));
            return new PdfInfo(null, null, null, false, null, null, null, warnings);
        }
    }

    /** The manifest's keys: {@code pageCount}, {@code title}, {@code author}, {@code encrypted}, ... */
    public Map<String, Object> toMetadata() {
        Map<String, Object> meta = new TreeMap<>();
        put(meta, "pageCount", pageCount);
        put(meta, "title", title);
        put(meta, "author", author);
        meta.put("encrypted", encrypted);
        put(meta, "pageWidthPoints", pageWidthPoints);
        put(meta, "pageHeightPoints", pageHeightPoints);
        put(meta, "textPresent", textPresent);
        return meta;
    }

    static Reason pageLimit(String step, int pages, PdfLimits limits, String consequence) {
        return Reason.warning(ReasonCode.PDF_PAGE_LIMIT, step + ": the PDF has " + pages + " pages, expected at most "
                + limits.maxPages() + " (MAX_PDF_PAGES); " + consequence);
    }

    static Reason unreadable(String what, Exception e) {
        return Reason.warning(ReasonCode.PDF_UNREADABLE, what + ": expected a PDF PDFBox can read, as our parser"
                + " accepted it, found: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static Boolean textPresent(PDDocument doc, int lastPage, PdfLimits limits, List<Reason> warnings)
            throws IOException {
        Deadline deadline = new Deadline(limits.timeoutMillis());
        BoundedStripper stripper = new BoundedStripper(deadline);
        stripper.setStartPage(1);
        stripper.setEndPage(lastPage);
        try {
            stripper.writeText(doc, Writer.nullWriter());
            return false;
        } catch (BoundedStripper.Found e) {
            return true;
        } catch (Deadline.Passed e) {
            warnings.add(Reason.warning(ReasonCode.PDF_RENDER_LIMIT, "metadata: the text scan of the first " + lastPage
                    + " pages " + e.getMessage() + ", expected at most PDF_RENDER_TIMEOUT_MS; textPresent left out"));
            return null;
        }
    }

    private static Double points(float value) {
        return Math.round(value * 100.0) / 100.0;
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.replaceAll("\\p{Cntrl}", " ").strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        return trimmed.length() > MAX_TEXT ? trimmed.substring(0, MAX_TEXT) : trimmed;
    }

    private static void put(Map<String, Object> meta, String key, Object value) {
        if (value != null) {
            meta.put(key, value);
        }
    }

    /**
     * The text stripper, checking the deadline before every operator, and stopping at the first
     * page that has text (it writes a page's text once the page is read): nothing is kept.
     */
    private static final class BoundedStripper extends PDFTextStripper {
        private final Deadline deadline;

        BoundedStripper(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        protected void writeString(String text, List<TextPosition> textPositions) {
            if (!text.isBlank()) {
                throw new Found();
            }
        }

        /** Thrown at the first text found. */
        static final class Found extends RuntimeException {
            Found() {
                super("text found", null, false, false);
            }
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            deadline.check();
            super.processOperator(operator, operands);
        }
    }
}
