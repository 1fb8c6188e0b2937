package com.mediaflow.shared.codec.document;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;

/**
 * The first page of a validated PDF as an opaque RGB picture (white paper), rendered with PDFBox's
 * {@link PDFRenderer} so that its longer side is the size asked for, within the limits:
 * <ul>
 *   <li>more pages than {@link PdfLimits#maxPages()}: no render (PDF_PAGE_LIMIT);</li>
 *   <li>the first page draws an image with more pixels than {@link PdfLimits#maxPixels()}: no
 *       render (PDF_RENDER_LIMIT), since decoding it is the render's memory. Its named image
 *       XObjects (directly or in forms, 8 deep) are checked before the render; the page drawer
 *       checks every image it is about to decode (inline, in patterns, annotations, soft masks).
 *       The picture itself is scaled down to fit that many pixels;</li>
 *   <li>the render runs on a worker thread and is given up after {@link PdfLimits#timeoutMillis()}
 *       (PDF_RENDER_LIMIT). PDFBox cannot be interrupted, so its page drawer checks the deadline
 *       before every content-stream operator and stops there: the worker ends at the next operator
 *       (one operator, say a huge image, is not cut short; the document is closed once it stops, or
 *       after {@link #STOP_GRACE_MILLIS} more);</li>
 *   <li>a password needed to open the PDF: no render (PDF_ENCRYPTED); a PDF with an owner password
 *       only opens, and renders.</li>
 * </ul>
 * A PDF is never refused here: each case is a warning, and the item has no preview.
 */
public final class PdfPreview {
    /** Forms inside forms followed to find the images a page draws. */
    static final int MAX_FORM_DEPTH = 8;
    /** How long a render given up waits for PDFBox's drawer to stop before the document is closed. */
    static final long STOP_GRACE_MILLIS = 2_000;

    private static final ExecutorService RENDERERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pdf-render");
        t.setDaemon(true);
        return t;
    });

    private PdfPreview() {
    }

    /**
     * @param image the first page, or null (then the warnings say why)
     * @param pageCount the document's pages, or null when it could not be opened
     */
    public record Rendered(BufferedImage image, Integer pageCount, List<Reason> warnings) {
        public Rendered {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param longSide the longer side of the picture, in pixels, unless {@link PdfLimits#maxPixels()}
     *     makes it smaller
     * @param scratchDir where PDFBox may spill decoded streams
     */
    public static Rendered firstPage(Path pdf, int longSide, Path scratchDir, PdfLimits limits) {
        if (longSide < 1) {
            throw new IllegalArgumentException("The preview's longer side must be positive, found " + longSide);
        }
        PdfDocuments.init();
        try (PDDocument doc = PdfDocuments.open(pdf, scratchDir, limits)) {
            int pages = doc.getNumberOfPages();
            if (pages < 1) {
                return none(null, Reason.warning(ReasonCode.PDF_UNREADABLE, "preview: expected at least one page,"
                        + " found a page tree of 0 pages"));
            }
            if (pages > limits.maxPages()) {
                return none(pages, PdfInfo.pageLimit("preview", pages, limits, "no preview"));
            }
            PDPage page = doc.getPage(0);
            long largestImage = largestImage(page.getResources(), 0, Collections.newSetFromMap(new IdentityHashMap<>()));
            if (largestImage > limits.maxPixels()) {
                return none(pages, imageLimit(largestImage, limits));
            }
            float scale = scale(page, longSide, limits.maxPixels());
            return render(doc, scale, pages, limits);
        } catch (InvalidPasswordException e) {
            return none(null, Reason.warning(ReasonCode.PDF_ENCRYPTED, "preview: the PDF needs a password to be"
                    + " opened, expected one that opens without (an owner password only); found: " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return none(null, PdfInfo.unreadable("preview", e));
        }
    }

    /** Points to pixels: the longer displayed side to {@code longSide}, the area within {@code maxPixels}. */
    static float scale(PDPage page, int longSide, long maxPixels) {
        PDRectangle box = page.getCropBox();
        double w = Math.max(box.getWidth(), 1);
        double h = Math.max(box.getHeight(), 1);
        // PDFBox floors the scaled sides: aim half a pixel over, so that float rounding cannot lose one
        double scale = (longSide + 0.5) / Math.max(w, h);
        double pixels = Math.ceil(w * scale) * Math.ceil(h * scale);
        if (pixels > maxPixels) {
            scale *= Math.sqrt(maxPixels / pixels) * 0.999;
        }
        return (float) scale;
    }

    private static Rendered render(PDDocument doc, float scale, int pages, PdfLimits limits) throws IOException {
        Deadline deadline = new Deadline(limits.timeoutMillis());
        BoundedRenderer renderer = new BoundedRenderer(doc, deadline, limits.maxPixels());
        renderer.setSubsamplingAllowed(true);
        Future<BufferedImage> job = RENDERERS.submit(() -> renderer.renderImage(0, scale, ImageType.RGB));
        try {
            BufferedImage image = job.get(limits.timeoutMillis(), TimeUnit.MILLISECONDS);
            if (deadline.passed()) {
                return none(pages, timedOut(limits));
            }
            return new Rendered(image, pages, List.of());
        } catch (TimeoutException e) {
            deadline.cancel();
            awaitStop(job);
            return none(pages, timedOut(limits));
        } catch (InterruptedException e) {
            deadline.cancel();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rendering the first page", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Deadline.Passed) {
                return none(pages, timedOut(limits));
            }
            if (e.getCause() instanceof ImageTooLarge large) {
                return none(pages, imageLimit(large.pixels, limits));
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("rendering the first page failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Gives the cancelled drawer {@value #STOP_GRACE_MILLIS} ms to reach its next operator and stop,
     * so that the document is not closed under it.
     */
    private static void awaitStop(Future<BufferedImage> job) {
        try {
            job.get(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // stopped by the deadline (Deadline.Passed), failed, or still in one long operator: given up either way
        }
    }

    private static Reason imageLimit(long pixels, PdfLimits limits) {
        return Reason.warning(ReasonCode.PDF_RENDER_LIMIT, "preview: the first page draws an image of " + pixels
                + " pixels, expected at most " + limits.maxPixels() + " (PDF_RENDER_MAX_PIXELS)");
    }

    private static Reason timedOut(PdfLimits limits) {
        return Reason.warning(ReasonCode.PDF_RENDER_LIMIT, "preview: the first page was not rendered within "
                + limits.timeoutMillis() + " ms (PDF_RENDER_TIMEOUT_MS)");
    }

    private static Rendered none(Integer pages, Reason why) {
        List<Reason> warnings = new ArrayList<>();
        warnings.add(why);
        return new Rendered(null, pages, warnings);
    }

    /** The most pixels (declared width x height) of an image XObject these resources draw, forms followed. */
    private static long largestImage(PDResources resources, int depth, Set<COSBase> seen) throws IOException {
        if (resources == null || depth > MAX_FORM_DEPTH) {
            return 0;
        }
        long largest = 0;
        for (COSName name : resources.getXObjectNames()) {
            PDXObject x = resources.getXObject(name);
            if (x == null || !seen.add(x.getCOSObject())) {
                continue;
            }
            if (x instanceof PDImageXObject image) {
                largest = Math.max(largest, (long) Math.max(image.getWidth(), 0) * Math.max(image.getHeight(), 0));
            } else if (x instanceof PDFormXObject form) {
                largest = Math.max(largest, largestImage(form.getResources(), depth + 1, seen));
            }
        }
        return largest;
    }

    /** An image the drawer was about to decode has more pixels than the limit. */
    private static final class ImageTooLarge extends RuntimeException {
        final long pixels;

        ImageTooLarge(long pixels) {
            super("an image of " + pixels + " pixels", null, false, false);
            this.pixels = pixels;
        }
    }

    /**
     * PDFBox's renderer whose page drawer stops at the deadline, and refuses to decode an image (an
     * XObject, an inline image, one in a pattern, an annotation or a form however deep, or its soft
     * mask) of more than {@code maxPixels}: the check before the render sees only the page's named
     * images, this one every image drawn.
     */
    private static final class BoundedRenderer extends PDFRenderer {
        private final Deadline deadline;
        private final long maxPixels;

        BoundedRenderer(PDDocument document, Deadline deadline, long maxPixels) {
            super(document);
            this.deadline = deadline;
            this.maxPixels = maxPixels;
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            return new PageDrawer(parameters) {
                @Override
                protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
                    deadline.check();
                    super.processOperator(operator, operands);
                }

                @Override
                public void drawImage(PDImage image) throws IOException {
                    check(image);
                    if (image instanceof PDImageXObject x && x.getSoftMask() != null) {
                        check(x.getSoftMask());
                    }
                    super.drawImage(image);
                }

                private void check(PDImage image) {
                    long pixels = (long) Math.max(image.getWidth(), 0) * Math.max(image.getHeight(), 0);
                    if (pixels > maxPixels) {
                        throw new ImageTooLarge(pixels);
                    }
                }
            };
        }
    }
}
