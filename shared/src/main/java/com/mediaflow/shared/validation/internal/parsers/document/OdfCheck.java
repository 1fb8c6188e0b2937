package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipEntry;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * OpenDocument (ODF 1.2 part 3) and EPUB (OCF 3): a {@code mimetype} entry first in the file and in
 * the directory, stored, holding exactly the format's MIME type; then the manifest
 * ({@code META-INF/manifest.xml}, whose root entry must agree) or the container
 * ({@code META-INF/container.xml}, whose rootfile must exist). ODF macros ({@code Basic/} libraries
 * with modules, any {@code Scripts/} part) are DOCUMENT_MACROS; links to other places in
 * {@code content.xml} and {@code styles.xml} are DOCUMENT_EXTERNAL_LINK warnings.
 */
final class OdfCheck {
    /** What a Basic/ folder holds even without a macro: the library and dialog indexes. */
    private static final Set<String> BASIC_INDEXES = Set.of("script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml");

    private final ZipArchive archive;
    private final MediaFormat format;
    private final Cursor c;
    private final Findings findings;

    OdfCheck(ZipArchive archive, MediaFormat format, Cursor c, Findings findings) {
        this.archive = archive;
        this.format = format;
        this.c = c;
        this.findings = findings;
    }

    void odf() {
        mimetypeFirst();
        ZipEntry manifest = required("META-INF/manifest.xml");
        String[] root = new String[1];
        XmlParts.scan(archive, manifest, c, (name, a) -> {
            if (name.equals("file-entry") && "/".equals(XmlParts.attr(a, "full-path"))) {
                root[0] = XmlParts.attr(a, "media-type");
            }
        });
        if (root[0] != null && !root[0].equalsIgnoreCase(format.mimeType())) {
            throw c.invalid("META-INF/manifest.xml says the package is '" + root[0] + "', but its mimetype entry says '"
                    + format.mimeType() + "'");
        }
        required("content.xml");
        for (ZipEntry e : archive.entries()) {
            String n = e.name();
            String base = n.substring(n.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            boolean basicModule = n.startsWith("Basic/") && !e.isDirectory() && !BASIC_INDEXES.contains(base);
            if (basicModule || n.startsWith("Scripts/") && !e.isDirectory()) {
                findings.risk(ReasonCode.DOCUMENT_MACROS, c.format(), "part '" + n + "' holds macros", "macros",
                        "part '" + n + "' holds macros");
            }
        }
        for (String part : new String[] {"content.xml", "styles.xml"}) {
            archive.entry(part).ifPresent(e -> links(e));
        }
    }

    void epub() {
        mimetypeFirst();
        ZipEntry container = required("META-INF/container.xml");
        String[] rootfile = new String[1];
        XmlParts.scan(archive, container, c, (name, a) -> {
            if (name.equals("rootfile") && rootfile[0] == null) {
                rootfile[0] = XmlParts.attr(a, "full-path");
            }
        });
        if (rootfile[0] == null) {
            throw c.invalid("META-INF/container.xml names no rootfile, expected the package document's path");
        }
        required(rootfile[0]);
    }

    private void mimetypeFirst() {
        ZipEntry first = archive.entries().isEmpty() ? null : archive.entries().get(0);
        if (first == null || !first.name().equals("mimetype") || first.headerOffset() != 0) {
            throw c.invalid("expected the entry 'mimetype' first, in the directory and at offset 0, found "
                    + (first == null ? "no entries" : "'" + first.name() + "' at offset " + first.headerOffset()));
        }
        if (!first.stored()) {
            throw c.invalid("the 'mimetype' entry is compressed, expected it stored");
        }
        if (first.size() > 128) {
            throw c.invalid("the 'mimetype' entry is " + first.size() + " bytes, expected a MIME type");
        }
        String mime = new String(archive.read(first), StandardCharsets.US_ASCII);
        if (!mime.equals(format.mimeType())) {
            throw c.invalid("the 'mimetype' entry says '" + mime + "', expected '" + format.mimeType() + "'");
        }
    }

    private ZipEntry required(String name) {
        return archive.entry(name).orElseThrow(() -> c.invalid("expected the part '" + name + "', found none"));
    }

    /** xlink:href attributes that leave the package: an absolute URL, or a path up and out of it. */
    private void links(ZipEntry part) {
        if (part.size() > archive.limits().maxPartBytes()) {
            return; // too big to read for links; its size is already within the package's limits
        }
        XmlParts.scan(archive, part, c, (name, a) -> {
            String href = XmlParts.attr(a, "href");
            if (href == null || href.startsWith("#") || href.startsWith("./") && !href.contains("..")) {
                return;
            }
            String lower = href.toLowerCase(Locale.ROOT);
            if (lower.matches("^[a-z][a-z0-9+.-]*:.*") || href.startsWith("../") || href.startsWith("/")) {
                String item = part.name() + ": " + name + " -> " + href;
                findings.risk(ReasonCode.DOCUMENT_EXTERNAL_LINK, c.format(), "link to another place " + item,
                        "links to other places a client may fetch", item);
            }
        });
    }
}
