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
 * ({@link EmbeddedContent}). By default macros and embedded executables reject (DOCUMENT_MACROS,
 * DOCUMENT_EMBEDDED_EXECUTABLE) and OLE objects and external links are warnings; each is a policy
 * of the limits table ({@link com.mediaflow.shared.validation.DocumentLimits}).
 */
public final class PackageParser implements FormatParser {
    private final MediaFormat format;
    /** Fixed ZIP limits, or null: the limits table's ({@link Limits#documents()}), passed to {@link #parse}. */
    private final ZipLimits zipLimits;

    /** Takes its ZIP limits and policies from the limits table. */
    public PackageParser(MediaFormat format) {
        this(format, null);
    }

    /** Fixed ZIP limits, whatever the limits table says (tests, fuzzing); the policies are still the table's. */
    public PackageParser(MediaFormat format, ZipLimits zipLimits) {
        this.format = format;
        this.zipLimits = zipLimits;
    }

    @Override
    public StructureReport parse(Cursor cursor, Limits limits) {
        ZipArchive archive = ZipArchive.read(cursor, zipLimits != null ? zipLimits : limits.documents().zip(), limits.maxDepth());
        Findings findings = new Findings(limits.documents());
        PackageCheck.run(archive, format, cursor, findings, 0, limits.maxDepth());
        StructureReport.Builder report = StructureReport.builder().logicalEnd(archive.logicalEnd());
        findings.into(report, cursor.format());
        return report.build();
    }
}
