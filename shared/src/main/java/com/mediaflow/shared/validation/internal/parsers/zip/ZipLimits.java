package com.mediaflow.shared.validation.internal.parsers.zip;

/**
 * The limits of a document package (OOXML, ODF, EPUB), each a row of the limits table in
 * docs/validation.md. Fixed in code: a document larger than these is not one a chat user sends.
 *
 * @param maxEntries entries in the central directory (ARCHIVE_LIMIT)
 * @param maxEntryBytes uncompressed bytes of one entry, as declared (ARCHIVE_LIMIT)
 * @param maxTotalBytes uncompressed bytes of all entries together, as declared (ARCHIVE_LIMIT)
 * @param maxRatio uncompressed over compressed bytes of one entry, once it is above {@code ratioAfter} (ARCHIVE_LIMIT)
 * @param ratioAfter the size below which the ratio is not judged (tiny parts compress a lot)
 * @param maxPartBytes the largest part inflated to be read by a check ({@code [Content_Types].xml},
 *     a manifest, a relationships part, an OLE object scanned for an executable) (ARCHIVE_LIMIT)
 * @param maxNesting packages inside packages (an embedded workbook in a document is 1) (DEPTH_LIMIT)
 * @param maxInspectedBytes uncompressed bytes the checks of one package may inflate in all (ARCHIVE_LIMIT)
 */
public record ZipLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio, long ratioAfter,
                        int maxPartBytes, int maxNesting, long maxInspectedBytes) {
    public static final ZipLimits DEFAULTS = new ZipLimits(10_000, 256L * 1024 * 1024, 1024L * 1024 * 1024, 200,
            1024 * 1024, 16 * 1024 * 1024, 2, 256L * 1024 * 1024);
}
