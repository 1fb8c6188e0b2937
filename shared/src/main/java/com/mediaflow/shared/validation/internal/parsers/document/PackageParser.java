package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * Document packages: OOXML (docx, xlsx, pptx and their macro-enabled kinds), ODF (odt, ods, odp)
 * and EPUB. The container is read by our own bounded {@link ZipArchive}; then the format's
 * required parts ({@link OoxmlCheck}, {@link OdfCheck}), then what the package embeds
 * ({@link EmbeddedContent}). Macros and embedded executables reject (DOCUMENT_MACROS,
 * DOCUMENT_EMBEDDED_EXECUTABLE); OLE objects and external links are warnings.
 */
public final class PackageParser implements FormatParser {
    private final MediaFormat format;
    private final ZipLimits zipLimits;

    public PackageParser(MediaFormat format) {
        this(format, ZipLimits.DEFAULTS);
    }

    public PackageParser(MediaFormat format, ZipLimits zipLimits) {
        this.format = format;
        this.zipLimits = zipLimits;
    }

    @Override
    public StructureReport parse(Cursor cursor, Limits limits) {
        ZipArchive archive = ZipArchive.read(cursor, zipLimits, limits.maxDepth());
        Findings findings = new Findings();
        PackageCheck.run(archive, format, cursor, findings, 0, limits.maxDepth());
        StructureReport.Builder report = StructureReport.builder().logicalEnd(archive.logicalEnd());
        findings.into(report, cursor.format());
        return report.build();
    }
}
