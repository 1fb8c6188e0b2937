package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.format.Packages;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipEntry;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Office Open XML (ECMA-376 part 2, Open Packaging Conventions): {@code [Content_Types].xml} and
 * {@code _rels/.rels} present and well formed, the main part the package relationship names
 * present, its content type a document, workbook or presentation of the detected family. Macros
 * ({@code vbaProject.bin}, a macro-enabled content type, Excel 4.0 macro sheets) are
 * DOCUMENT_MACROS; every relationship with {@code TargetMode="External"} (remote templates,
 * linked objects, hyperlinks) is a DOCUMENT_EXTERNAL_LINK warning.
 */
final class OoxmlCheck {
    private static final String OFFICE_DOCUMENT = "/officeDocument";

    private final ZipArchive archive;
    private final MediaFormat format;
    private final Cursor c;
    private final Findings findings;
    private final Map<String, String> defaults = new HashMap<>();
    private final Map<String, String> overrides = new HashMap<>();

    OoxmlCheck(ZipArchive archive, MediaFormat format, Cursor c, Findings findings) {
        this.archive = archive;
        this.format = format;
        this.c = c;
        this.findings = findings;
    }

    void run() {
        ZipEntry types = required("[Content_Types].xml");
        XmlParts.scan(archive, types, c, (name, a) -> {
            if (name.equals("Default") && XmlParts.attr(a, "Extension") != null) {
                defaults.put(XmlParts.attr(a, "Extension").toLowerCase(Locale.ROOT), String.valueOf(XmlParts.attr(a, "ContentType")));
            } else if (name.equals("Override") && XmlParts.attr(a, "PartName") != null) {
                overrides.put(XmlParts.attr(a, "PartName").toLowerCase(Locale.ROOT), String.valueOf(XmlParts.attr(a, "ContentType")));
            }
        });
        String[] main = new String[1];
        XmlParts.scan(archive, required("_rels/.rels"), c, (name, a) -> {
            String type = XmlParts.attr(a, "Type");
            if (name.equals("Relationship") && type != null && type.endsWith(OFFICE_DOCUMENT) && main[0] == null
                    && !"External".equals(XmlParts.attr(a, "TargetMode"))) {
                main[0] = XmlParts.attr(a, "Target");
            }
        });
        if (main[0] == null) {
            throw c.invalid("_rels/.rels has no officeDocument relationship, expected one naming the main part");
        }
        String mainName = main[0].startsWith("/") ? main[0].substring(1) : main[0];
        required(mainName);
        String type = contentType(mainName);
        MediaFormat found = kind(type);
        if (found == null) {
            throw c.invalid("the main part '" + mainName + "' has content type '" + type
                    + "', expected a word-processing document, a workbook or a presentation");
        }
        if (family(found) != family(format)) {
            throw c.invalid("the main part '" + mainName + "' is " + found.name() + " (" + type + "), but its first entries"
                    + " looked like " + format.name());
        }
        macros(found, mainName, type);
        externalRelationships();
    }

    private ZipEntry required(String name) {
        return archive.entry(name).orElseThrow(() -> c.invalid("expected the part '" + name + "', found none"));
    }

    private String contentType(String part) {
        String override = overrides.get("/" + part.toLowerCase(Locale.ROOT));
        if (override != null) {
            return override;
        }
        int dot = part.lastIndexOf('.');
        String ext = dot < 0 ? "" : part.substring(dot + 1).toLowerCase(Locale.ROOT);
        return defaults.getOrDefault(ext, "");
    }

    /** The format a main part's content type makes the package, or null when it is none of ours. */
    static MediaFormat kind(String contentType) {
        return Packages.ooxmlMainKind(contentType);
    }

    private static int family(MediaFormat f) {
        return switch (f) {
            case DOCX, DOCM -> 1;
            case XLSX, XLSM -> 2;
            default -> 3;
        };
    }

    private void macros(MediaFormat found, String mainName, String type) {
        if (found.isMacroEnabled() || format.isMacroEnabled()) {
            macro("the main part '" + mainName + "' has the macro-enabled content type '" + type + "'");
        }
        for (ZipEntry e : archive.entries()) {
            String lower = e.name().toLowerCase(Locale.ROOT);
            String base = lower.substring(lower.lastIndexOf('/') + 1);
            if (base.equals("vbaproject.bin") || base.equals("vbadata.xml") || lower.startsWith("xl/macrosheets/")) {
                macro("part '" + e.name() + "' holds macros");
            }
        }
        for (Map<String, String> types : java.util.List.of(defaults, overrides)) {
            for (Map.Entry<String, String> t : types.entrySet()) {
                String v = t.getValue().toLowerCase(Locale.ROOT);
                if (v.contains("macroenabled") || v.contains("vbaproject") || v.contains("macrosheet")) {
                    macro("[Content_Types].xml declares '" + t.getKey() + "' as '" + t.getValue() + "', a macro content type");
                }
            }
        }
    }

    /** Thrown under the quarantine policy (the default); else one warning item each. */
    private void macro(String message) {
        findings.risk(ReasonCode.DOCUMENT_MACROS, c.format(), message, "macros", message);
    }

    private void externalRelationships() {
        for (ZipEntry e : archive.entries()) {
            if (!e.name().endsWith(".rels")) {
                continue;
            }
            XmlParts.scan(archive, e, c, (name, a) -> {
                if (name.equals("Relationship") && "External".equals(XmlParts.attr(a, "TargetMode"))) {
                    String type = String.valueOf(XmlParts.attr(a, "Type"));
                    String item = e.name() + ": " + type.substring(type.lastIndexOf('/') + 1) + " -> " + XmlParts.attr(a, "Target");
                    findings.risk(ReasonCode.DOCUMENT_EXTERNAL_LINK, c.format(), "external relationship " + item,
                            "external relationships a client may fetch", item);
                }
            });
        }
    }
}
