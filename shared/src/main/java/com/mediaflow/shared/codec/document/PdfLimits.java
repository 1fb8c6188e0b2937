package com.mediaflow.shared.codec.document;

/**
 * The limits of the work done on a validated PDF after validation (metadata and the first-page
 * preview). Exceeding one never refuses the item: it ends READY with its metadata, a
 * {@code WARNING} and no preview. One row each in docs/validation.md's limits table.
 *
 * @param maxPages MAX_PDF_PAGES, PDF_PAGE_LIMIT: above it, no preview and no page-by-page work
 *     (the text scan); the page count is still reported
 * @param timeoutMillis PDF_RENDER_TIMEOUT_MS, PDF_RENDER_LIMIT: the first page's render, and the
 *     metadata step's text scan, give up after this long
 * @param maxPixels PDF_RENDER_MAX_PIXELS, PDF_RENDER_LIMIT: the most pixels of the rendered
 *     preview (the scale is lowered to fit) and of any image the first page draws (above it, no
 *     preview: decoding it would be the render's memory)
 * @param maxCacheBytes the most bytes PDFBox keeps of decoded streams in memory; the rest goes
 *     to a temporary file in the scratch directory
 */
public record PdfLimits(int maxPages, long timeoutMillis, long maxPixels, long maxCacheBytes) {

    public static final PdfLimits DEFAULTS = new PdfLimits(2000, 10_000, 100_000_000, 64L * 1024 * 1024);

    public PdfLimits {
        if (maxPages < 1 || timeoutMillis < 1 || maxPixels < 1 || maxCacheBytes < 1) {
            throw new IllegalArgumentException("PDF limits must be positive, found pages " + maxPages + ", timeout "
                    + timeoutMillis + " ms, pixels " + maxPixels + ", cache " + maxCacheBytes + " bytes");
        }
    }
}
