package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipEntry;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What a package embeds, whatever its parts are named. Every part's first bytes are sniffed:
 * an executable (ELF, PE, Mach-O, {@code #!}, APK, JAR, IPA) is DOCUMENT_EMBEDDED_EXECUTABLE; an
 * OLE compound file (embedded objects, ActiveX controls) is scanned, up to
 * {@link com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits#maxPartBytes()}, for a
 * PE or ELF image and for an OLE Packager object carrying a program by name, and is otherwise a
 * DOCUMENT_EMBEDDED_OBJECT warning; a ZIP (an embedded workbook, say) is read as a package in its
 * own right, as deep as {@code maxNesting}.
 */
final class EmbeddedContent {
    private static final int SNIFF = 512;
    private static final byte[] OLE = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    /** "Ole10Native" in UTF-16LE: the stream of an OLE Packager object, which carries any file. */
    private static final byte[] OLE10_NATIVE = "Ole10Native".getBytes(StandardCharsets.UTF_16LE);
    /** Extensions of files that run when opened: an OLE Packager object named so carries a program. */
    private static final Set<String> PROGRAM_EXTENSIONS = Set.of("exe", "scr", "bat", "cmd", "com", "pif", "cpl", "dll",
            "msi", "msp", "vbs", "vbe", "js", "jse", "wsf", "wsh", "ps1", "hta", "lnk", "jar", "reg", "sh");

    private final ZipArchive archive;
    private final Cursor c;
    private final Findings findings;
    private final int nesting;
    private final int maxDepth;

    EmbeddedContent(ZipArchive archive, Cursor c, Findings findings, int nesting, int maxDepth) {
        this.archive = archive;
        this.c = c;
        this.findings = findings;
        this.nesting = nesting;
        this.maxDepth = maxDepth;
    }

    void check() {
        for (ZipEntry e : archive.entries()) {
            if (e.isDirectory() || e.size() < 2) {
                continue;
            }
            byte[] head = archive.head(e, SNIFF);
            MediaFormat sniffed = Detector.detect(head);
            if (program(sniffed)) {
                executable(e, "part '" + e.name() + "' is " + sniffed.mimeType());
                continue;
            }
            if (startsWith(head, OLE)) {
                ole(e);
            } else if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                nested(e);
            }
        }
    }

    private static boolean program(MediaFormat f) {
        return f.isExecutable() || f == MediaFormat.APK || f == MediaFormat.JAR || f == MediaFormat.IPA;
    }

    private void ole(ZipEntry e) {
        String base = e.name().substring(e.name().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (base.startsWith("vbaproject")) {
            return; // the macro project: the format's check names it DOCUMENT_MACROS
        }
        int scanned = (int) Math.min(e.size(), archive.limits().maxPartBytes());
        byte[] data = archive.head(e, scanned);
        long pe = executableImageAt(data);
        if (pe >= 0) {
            executable(e, "OLE object '" + e.name() + "' holds an executable image at offset " + pe);
            return;
        }
        if (indexOf(data, OLE10_NATIVE) >= 0) {
            String program = programName(data);
            if (program != null) {
                executable(e, "OLE Packager object '" + e.name() + "' carries a file named '" + program + "'");
                return;
            }
        }
        String item = e.name() + (scanned < e.size() ? " (first " + scanned + " of " + e.size() + " bytes scanned)" : "");
        findings.risk(ReasonCode.DOCUMENT_EMBEDDED_OBJECT, c.format(), "part '" + item + "' is an embedded OLE object or ActiveX"
                + " control", "embedded OLE objects or ActiveX controls, no executable found in them", item);
    }

    private void nested(ZipEntry e) {
        int depth = nesting + 1;
        if (depth > archive.limits().maxNesting()) {
            throw Findings.reject(ReasonCode.DEPTH_LIMIT, c.format(), "part '" + e.name() + "' is a package nested "
                    + depth + " deep, expected at most " + archive.limits().maxNesting());
        }
        byte[] bytes = archive.read(e);
        MediaFormat inner = Detector.detect(bytes);
        if (program(inner)) {
            executable(e, "part '" + e.name() + "' is " + inner.mimeType());
            return;
        }
        Cursor nc = Cursor.over(new ArrayByteSource(bytes), c.format() + " > " + e.name());
        ZipArchive nestedArchive = ZipArchive.read(nc, archive.limits(), maxDepth);
        if (!inner.isPackage()) {
            findings.risk(ReasonCode.DOCUMENT_EMBEDDED_OBJECT, c.format(), "part '" + e.name() + "' is an embedded archive",
                    "embedded archives, no executable found in them", e.name());
        }
        PackageCheck.run(nestedArchive, inner, nc, findings, depth, maxDepth);
    }

    /** The offset of a PE image ("MZ" whose e_lfanew points at "PE\0\0") or an ELF header, or -1. */
    static long executableImageAt(byte[] d) {
        for (int i = 0; i + 64 <= d.length; i++) {
            if (d[i] == 'M' && d[i + 1] == 'Z') {
                long lfanew = (d[i + 0x3C] & 0xFFL) | (d[i + 0x3D] & 0xFFL) << 8 | (d[i + 0x3E] & 0xFFL) << 16
                        | (d[i + 0x3F] & 0xFFL) << 24;
                long pe = i + lfanew;
                if (lfanew >= 0x40 && pe + 4 <= d.length && d[(int) pe] == 'P' && d[(int) pe + 1] == 'E'
                        && d[(int) pe + 2] == 0 && d[(int) pe + 3] == 0) {
                    return i;
                }
            } else if (d[i] == 0x7F && d[i + 1] == 'E' && d[i + 2] == 'L' && d[i + 3] == 'F'
                    && (d[i + 4] == 1 || d[i + 4] == 2) && (d[i + 5] == 1 || d[i + 5] == 2) && d[i + 6] == 1) {
                return i;
            }
        }
        return -1;
    }

    /** Thrown under the quarantine policy; else a warning, and the part is not looked into further. */
    private void executable(ZipEntry e, String message) {
        findings.risk(ReasonCode.DOCUMENT_EMBEDDED_EXECUTABLE, c.format(), message, "executable programs", message);
    }

    /** A NUL-terminated name ending in a program's extension, as a Packager object stores its file's name; or null. */
    static String programName(byte[] d) {
        for (int i = 2; i < d.length; i++) {
            if (d[i] != 0) {
                continue;
            }
            int dot = -1;
            for (int j = i - 1; j >= Math.max(0, i - 4); j--) {
                if (d[j] == '.') {
                    dot = j;
                    break;
                }
            }
            if (dot < 1 || !PROGRAM_EXTENSIONS.contains(new String(d, dot + 1, i - dot - 1, StandardCharsets.ISO_8859_1)
                    .toLowerCase(Locale.ROOT))) {
                continue;
            }
            int start = dot;
            while (start > 0 && dot - start < 255 && (d[start - 1] & 0xFF) >= 0x20 && d[start - 1] != '"') {
                start--;
            }
            if (start < dot) {
                return new String(d, start, i - start, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] b, byte[] sig) {
        if (b.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if (b[i] != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte[] s) {
        outer:
        for (int i = 0; i + s.length <= b.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (b[i + j] != s[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
