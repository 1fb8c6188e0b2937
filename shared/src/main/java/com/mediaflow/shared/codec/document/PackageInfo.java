package com.mediaflow.shared.codec.document;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.internal.parsers.document.XmlParts;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipEntry;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an office, ODF or EPUB package says about itself, read after validation through the same
 * bounded {@link ZipArchive} (its {@link ZipLimits}) and hardened XML reader ({@link XmlParts}):
 * <ul>
 *   <li>OOXML: {@code pageCount} (docx) or {@code slideCount} (pptx) from the extended properties
 *       ({@code docProps/app.xml}'s {@code Pages}, {@code Slides}), {@code sheetCount} (xlsx) from
 *       the {@code sheet} elements of the workbook; {@code title} and {@code author} from the core
 *       properties ({@code dc:title}, {@code dc:creator}). The parts are found by the package
 *       relationships, else at their usual names.</li>
 *   <li>ODF: from {@code meta.xml}: {@code pageCount} (odt: {@code meta:document-statistic}'s
 *       {@code page-count}), {@code sheetCount} (ods: {@code table-count}, else the sheets of
 *       {@code content.xml}), {@code title} ({@code dc:title}) and {@code author}
 *       ({@code meta:initial-creator}, else {@code dc:creator}); {@code slideCount} (odp) from the
 *       {@code draw:page}s of {@code content.xml}.</li>
 *   <li>EPUB: {@code title} and {@code author} ({@code dc:title}, the first {@code dc:creator}) of
 *       the package document {@code META-INF/container.xml} names.</li>
 * </ul>
 * A count that is missing or not a whole number, or a part that cannot be read within the limits,
 * is left out with a {@code PROPERTIES_INCOMPLETE} warning; a document is never refused here. An
 * absent or blank title or author is simply left out (most documents have none); one longer than
 * {@link #MAX_TEXT} characters is left out with a warning.
 */
public final class PackageInfo {
    /** The longest title or author kept, in characters. */
    public static final int MAX_TEXT = 1024;
    private static final String DC = "http://purl.org/dc/elements/1.1/";
    private static final String CORE_PROPERTIES = "/metadata/core-properties";
    private static final String EXTENDED_PROPERTIES = "/extended-properties";
    private static final String OFFICE_DOCUMENT = "/officeDocument";

    /** The metadata keys found, and a warning for each that could not be. */
    public record Result(Map<String, Object> metadata, List<Reason> warnings) {
        public Result {
            metadata = Map.copyOf(metadata);
            warnings = List.copyOf(warnings);
        }
    }

    private final ZipArchive archive;
    private final Cursor c;
    private final MediaFormat format;
    private final Map<String, Object> meta = new TreeMap<>();
    private final List<Reason> warnings = new ArrayList<>();

    private PackageInfo(ZipArchive archive, Cursor c, MediaFormat format) {
        this.archive = archive;
        this.c = c;
        this.format = format;
    }

    /**
     * Within the limits validation used: the document rows (the ZIP reader's) and MAX_NESTING_DEPTH.
     *
     * @param file a package that passed validation
     * @param format its detected format (DOCX, XLSX, PPTX and their macro-enabled kinds, ODT, ODS, ODP, EPUB)
     */
    public static Result read(Path file, MediaFormat format, com.mediaflow.shared.validation.Limits limits) {
        return read(file, format, limits.documents().zip(), limits.maxDepth());
    }

    /**
     * @param file a package that passed validation
     * @param format its detected format (DOCX, XLSX, PPTX and their macro-enabled kinds, ODT, ODS, ODP, EPUB)
     * @param maxDepth MAX_NESTING_DEPTH, as validation used it
     */
    public static Result read(Path file, MediaFormat format, ZipLimits limits, int maxDepth) {
        try (FileByteSource source = new FileByteSource(file)) {
            Cursor c = Cursor.over(source, format.name());
            ZipArchive archive;
            try {
                archive = ZipArchive.read(c, limits, maxDepth);
            } catch (MediaRejectedException e) {
                return new Result(Map.of(), List.of(incomplete("the package could not be read again: " + e.getMessage())));
            }
            PackageInfo info = new PackageInfo(archive, c, format);
            info.read();
            return new Result(info.meta, info.warnings);
        } catch (IOException e) {
            throw new StorageException("reading the package " + file + " failed: " + e.getMessage(), e);
        }
    }

    private void read() {
        switch (format) {
            case DOCX, DOCM, XLSX, XLSM, PPTX, PPTM -> ooxml();
            case ODT, ODS, ODP -> odf();
            case EPUB -> epub();
            default -> throw new IllegalArgumentException(format + " is not a document package");
        }
    }

    // ---- OOXML

    private void ooxml() {
        Map<String, String> rels = packageRelationships();
        Optional<ZipEntry> core = part(rels.getOrDefault(CORE_PROPERTIES, "docProps/core.xml"));
        if (core.isPresent()) {
            texts(core.get(), (uri, name, depth, text) -> {
                if (depth == 1 && DC.equals(uri) && name.equals("title")) {
                    putText("title", text, core.get().name());
                } else if (depth == 1 && DC.equals(uri) && name.equals("creator")) {
                    putText("author", text, core.get().name());
                }
            });
        }
        switch (format) {
            case XLSX, XLSM -> sheets(rels.get(OFFICE_DOCUMENT));
            case PPTX, PPTM -> appCount(rels, "Slides", "slideCount");
            default -> appCount(rels, "Pages", "pageCount");
        }
    }

    /** Relationship type suffix (core-properties, extended-properties, officeDocument) to its part name. */
    private Map<String, String> packageRelationships() {
        Map<String, String> out = new TreeMap<>();
        Optional<ZipEntry> rels = archive.entry("_rels/.rels");
        if (rels.isEmpty()) {
            return out;
        }
        scan(rels.get(), (name, a) -> {
            String type = XmlParts.attr(a, "Type");
            String target = XmlParts.attr(a, "Target");
            if (!name.equals("Relationship") || type == null || target == null || "External".equals(XmlParts.attr(a, "TargetMode"))) {
                return;
            }
            for (String kind : List.of(CORE_PROPERTIES, EXTENDED_PROPERTIES, OFFICE_DOCUMENT)) {
                if (type.endsWith(kind)) {
                    out.putIfAbsent(kind, target.startsWith("/") ? target.substring(1) : target);
                }
            }
        });
        return out;
    }

    private void appCount(Map<String, String> rels, String element, String key) {
        Optional<ZipEntry> app = part(rels.getOrDefault(EXTENDED_PROPERTIES, "docProps/app.xml"));
        if (app.isEmpty()) {
            warnings.add(incomplete("expected the extended properties (docProps/app.xml) for the " + key + ", found no such part"));
            return;
        }
        String[] value = new String[1];
        boolean read = texts(app.get(), (uri, name, depth, text) -> {
            if (depth == 1 && name.equals(element) && value[0] == null) {
                value[0] = text;
            }
        });
        if (read) {
            putCount(key, value[0], app.get().name() + "'s <" + element + ">");
        }
    }

    private void sheets(String workbook) {
        Optional<ZipEntry> main = part(workbook == null ? "xl/workbook.xml" : workbook);
        if (main.isEmpty()) {
            warnings.add(incomplete("expected the workbook part for the sheetCount, found none"));
            return;
        }
        int[] sheets = new int[1];
        boolean read = texts(main.get(), (uri, name, depth, text) -> {
            if (depth == 2 && name.equals("sheet")) {
                sheets[0]++;
            }
        });
        if (read) {
            meta.put("sheetCount", sheets[0]);
        }
    }

    // ---- ODF

    private void odf() {
        Map<String, String> stats = new TreeMap<>();
        Optional<ZipEntry> metaPart = archive.entry("meta.xml");
        String[] initialCreator = new String[1];
        String[] creator = new String[1];
        if (metaPart.isPresent()) {
            boolean read = scanBoth(metaPart.get(), (name, a) -> {
                if (name.equals("document-statistic")) {
                    for (String stat : List.of("page-count", "table-count")) {
                        String v = XmlParts.attr(a, stat);
                        if (v != null) {
                            stats.putIfAbsent(stat, v);
                        }
                    }
                }
            }, (uri, name, depth, text) -> {
                if (depth != 2) {
                    return; // office:document-meta > office:meta > the property
                }
                if (DC.equals(uri) && name.equals("title")) {
                    putText("title", text, "meta.xml");
                } else if (name.equals("initial-creator") && initialCreator[0] == null) {
                    initialCreator[0] = text;
                } else if (DC.equals(uri) && name.equals("creator") && creator[0] == null) {
                    creator[0] = text;
                }
            });
            if (read) {
                String author = initialCreator[0] != null && !initialCreator[0].isBlank() ? initialCreator[0] : creator[0];
                putText("author", author, "meta.xml");
            }
        } else if (format != MediaFormat.ODP) {
            warnings.add(incomplete("expected meta.xml for the " + (format == MediaFormat.ODT ? "pageCount" : "sheetCount")
                    + ", found no such part"));
        }
        switch (format) {
            case ODT -> {
                if (metaPart.isPresent()) {
                    putCount("pageCount", stats.get("page-count"), "meta.xml's meta:document-statistic page-count");
                }
            }
            case ODS -> {
                if (stats.containsKey("table-count")) {
                    putCount("sheetCount", stats.get("table-count"), "meta.xml's meta:document-statistic table-count");
                } else {
                    countInContent("spreadsheet", "table", "sheetCount");
                }
            }
            default -> countInContent("presentation", "page", "slideCount");
        }
    }

    /** The {@code child} elements directly inside office:{@code body} > office:{@code kind} of content.xml. */
    private void countInContent(String kind, String child, String key) {
        Optional<ZipEntry> content = archive.entry("content.xml");
        if (content.isEmpty()) {
            warnings.add(incomplete("expected content.xml for the " + key + ", found no such part"));
            return;
        }
        if (content.get().size() > archive.limits().maxPartBytes()) {
            warnings.add(incomplete("content.xml is " + content.get().size() + " bytes, expected at most "
                    + archive.limits().maxPartBytes() + " to count its " + key));
            return;
        }
        int[] count = new int[1];
        boolean[] found = new boolean[1];
        // office:document-content(0) > office:body(1) > office:<kind>(2) > child(3)
        boolean read = texts(content.get(), (uri, name, depth, text) -> {
            if (depth == 3 && name.equals(child)) {
                count[0]++;
            } else if (depth == 2 && name.equals(kind)) {
                found[0] = true;
            }
        });
        if (read && found[0]) {
            meta.put(key, count[0]);
        } else if (read) {
            warnings.add(incomplete("expected office:" + kind + " in content.xml's body for the " + key + ", found none"));
        }
    }

    // ---- EPUB

    private void epub() {
        Optional<ZipEntry> container = archive.entry("META-INF/container.xml");
        String[] rootfile = new String[1];
        if (container.isEmpty() || !scan(container.get(), (name, a) -> {
            if (name.equals("rootfile") && rootfile[0] == null) {
                rootfile[0] = XmlParts.attr(a, "full-path");
            }
        })) {
            if (container.isEmpty()) {
                warnings.add(incomplete("expected META-INF/container.xml, found no such part"));
            }
            return;
        }
        Optional<ZipEntry> opf = rootfile[0] == null ? Optional.empty() : archive.entry(rootfile[0]);
        if (opf.isEmpty()) {
            warnings.add(incomplete("expected the package document META-INF/container.xml names ('" + rootfile[0] + "'), found none"));
            return;
        }
        String[] creator = new String[1];
        boolean[] titled = new boolean[1];
        boolean read = texts(opf.get(), (uri, name, depth, text) -> {
            // package(0) > metadata(1) > dc:*(2)
            if (depth == 2 && DC.equals(uri) && name.equals("title") && !titled[0]) {
                titled[0] = true;
                putText("title", text, opf.get().name());
            } else if (depth == 2 && DC.equals(uri) && name.equals("creator") && creator[0] == null) {
                creator[0] = text;
            }
        });
        if (read) {
            putText("author", creator[0], opf.get().name());
            if (!meta.containsKey("title") && !titled[0]) {
                warnings.add(incomplete("expected the dc:title an EPUB package document must have in " + opf.get().name()
                        + ", found none"));
            }
        }
    }

    // ---- shared

    private Optional<ZipEntry> part(String name) {
        return archive.entry(name);
    }

    private boolean scan(ZipEntry part, XmlParts.Visitor visitor) {
        return scanBoth(part, visitor, (uri, name, depth, text) -> { });
    }

    private boolean texts(ZipEntry part, XmlParts.TextVisitor texts) {
        return scanBoth(part, (name, a) -> { }, texts);
    }

    /** Whether the part was read; a part that cannot be, within the limits or as XML, is a warning. */
    private boolean scanBoth(ZipEntry part, XmlParts.Visitor visitor, XmlParts.TextVisitor texts) {
        try {
            XmlParts.scan(archive, part, c, visitor, texts);
            return true;
        } catch (MediaRejectedException e) {
            warnings.add(incomplete("part '" + part.name() + "' could not be read: " + e.getMessage()));
            return false;
        }
    }

    private void putCount(String key, String value, String where) {
        if (value == null) {
            warnings.add(incomplete("expected the " + key + " in " + where + ", found none"));
            return;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            meta.put(key, n);
        } catch (NumberFormatException e) {
            warnings.add(incomplete("expected a whole number for the " + key + " in " + where + ", found '"
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'"));
        }
    }

    private void putText(String key, String value, String where) {
        if (value == null || value.isBlank() || meta.containsKey(key)) {
            return;
        }
        String v = value.strip();
        if (v.length() > MAX_TEXT) {
            warnings.add(incomplete("expected a " + key + " of at most " + MAX_TEXT + " characters in " + where + ", found "
                    + (v.length() >= XmlParts.MAX_TEXT ? "at least " : "") + v.length()));
            return;
        }
        meta.put(key, v);
    }

    private static Reason incomplete(String what) {
        return Reason.warning(ReasonCode.PROPERTIES_INCOMPLETE, "metadata: " + what);
    }
}
