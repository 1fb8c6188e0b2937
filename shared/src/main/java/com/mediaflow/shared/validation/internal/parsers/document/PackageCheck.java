package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.io.Cursor;

/** The checks of one package, by its format, then of what it embeds; called again for an embedded package. */
final class PackageCheck {
    private PackageCheck() {
    }

    /**
     * @param nesting 0 for the upload, 1 for a package embedded in it, ...
     * @param maxDepth the deepest folder nesting of an entry name (MAX_NESTING_DEPTH)
     */
    static void run(ZipArchive archive, MediaFormat format, Cursor c, Findings findings, int nesting, int maxDepth) {
        switch (format) {
            case DOCX, XLSX, PPTX, DOCM, XLSM, PPTM -> new OoxmlCheck(archive, format, c, findings).run();
            case ODT, ODS, ODP -> new OdfCheck(archive, format, c, findings).odf();
            case EPUB -> new OdfCheck(archive, format, c, findings).epub();
            default -> {
                // a bare ZIP, embedded: only what it holds is checked
            }
        }
        new EmbeddedContent(archive, c, findings, nesting, maxDepth).check();
    }
}
