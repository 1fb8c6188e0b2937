package com.mediaflow.shared.format;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Detects a format from the first bytes of content, never from a name. "Unknown" is an answer,
 * not an exception. The caller supplies the head of the object (at least {@link #HEAD_BYTES} when
 * the object is that long); nothing here reads past the array it is given.
 */
public final class Detector {
    /** How many leading bytes detection looks at. */
    public static final int HEAD_BYTES = 64 * 1024;

    private Detector() {
    }

    public static MediaFormat detect(byte[] head) {
        return detect(head, head.length);
    }

    public static MediaFormat detect(byte[] head, int length) {
        int n = Math.min(length, head.length);
        if (n == 0) {
            return MediaFormat.UNKNOWN;
        }
        if (startsWith(head, n, 0, 0xFF, 0xD8, 0xFF)) {
            return MediaFormat.JPEG;
        }
        if (startsWith(head, n, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return MediaFormat.PNG;
        }
        if (ascii(head, n, 0, "GIF87a") || ascii(head, n, 0, "GIF89a")) {
            return MediaFormat.GIF;
        }
        if (ascii(head, n, 0, "RIFF") && n >= 12) {
            if (ascii(head, n, 8, "WEBP")) {
                return MediaFormat.WEBP;
            }
            if (ascii(head, n, 8, "WAVE")) {
                return MediaFormat.WAV;
            }
            return MediaFormat.UNKNOWN;
        }
        if (n >= 12 && ascii(head, n, 4, "ftyp")) {
            return isoBmff(head, n);
        }
        if (startsWith(head, n, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return indexOf(head, Math.min(n, 4096), 0, "webm") >= 0 ? MediaFormat.WEBM : MediaFormat.MKV;
        }
        if (ascii(head, n, 0, "OggS")) {
            return MediaFormat.OGG;
        }
        if (ascii(head, n, 0, "fLaC")) {
            return MediaFormat.FLAC;
        }
        if (ascii(head, n, 0, "%PDF-")) {
            return MediaFormat.PDF;
        }
        if (startsWith(head, n, 0, 'I', 'I', 0x2A, 0x00) || startsWith(head, n, 0, 'M', 'M', 0x00, 0x2A)) {
            return MediaFormat.TIFF;
        }
        if (startsWith(head, n, 0, 0x7F, 'E', 'L', 'F')) {
            return MediaFormat.ELF;
        }
        if (ascii(head, n, 0, "MZ")) {
            return MediaFormat.PE;
        }
        if (startsWith(head, n, 0, 0xFE, 0xED, 0xFA, 0xCE) || startsWith(head, n, 0, 0xFE, 0xED, 0xFA, 0xCF)
                || startsWith(head, n, 0, 0xCE, 0xFA, 0xED, 0xFE) || startsWith(head, n, 0, 0xCF, 0xFA, 0xED, 0xFE)
                || startsWith(head, n, 0, 0xCA, 0xFE, 0xBA, 0xBE)) {
            return MediaFormat.MACH_O;
        }
        if (ascii(head, n, 0, "#!")) {
            return MediaFormat.SCRIPT;
        }
        if (startsWith(head, n, 0, 'P', 'K', 0x03, 0x04) || startsWith(head, n, 0, 'P', 'K', 0x05, 0x06)) {
            return zipFlavour(head, n);
        }
        if (startsWith(head, n, 0, 'R', 'a', 'r', '!', 0x1A, 0x07)) {
            return MediaFormat.RAR;
        }
        if (startsWith(head, n, 0, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return MediaFormat.SEVEN_ZIP;
        }
        if (startsWith(head, n, 0, 0x1F, 0x8B)) {
            return MediaFormat.GZIP;
        }
        if (isBmp(head, n)) {
            return MediaFormat.BMP;
        }
        if (ascii(head, n, 0, "ID3") || isMpegAudioSync(head, n)) {
            return MediaFormat.MP3;
        }
        MediaFormat markup = markup(head, n);
        if (markup != null) {
            return markup;
        }
        return TextEncoding.looksLikeText(head, n) ? MediaFormat.TEXT : MediaFormat.UNKNOWN;
    }

    private static MediaFormat isoBmff(byte[] b, int n) {
        long boxSize = u32(b, 0);
        int end = (int) Math.min(n, boxSize < 16 ? 16 : Math.min(boxSize, 4096));
        String major = fourcc(b, 8);
        boolean heif = false;
        boolean avif = false;
        boolean qt = false;
        boolean threeGp = false;
        boolean m4a = false;
        for (int off = 8; off + 4 <= end; off += (off == 8 ? 8 : 4)) {
            String brand = fourcc(b, off);
            switch (brand) {
                case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" -> heif = true;
                case "avif", "avis" -> avif = true;
                case "qt  " -> qt = true;
                case "M4A ", "M4B ", "M4P " -> m4a = true;
                default -> {
                    if (brand.startsWith("3gp") || brand.startsWith("3g2")) {
                        threeGp = true;
                    }
                }
            }
        }
        if (major.equals("avif") || major.equals("avis") || (avif && !major.startsWith("he"))) {
            return MediaFormat.AVIF;
        }
        if (heif) {
            return MediaFormat.HEIC;
        }
        if (major.equals("qt  ")) {
            return MediaFormat.MOV;
        }
        if (m4a && major.startsWith("M4")) {
            return MediaFormat.M4A;
        }
        if (threeGp && major.startsWith("3g")) {
            return MediaFormat.THREE_GP;
        }
        return qt && !major.startsWith("iso") && !major.startsWith("mp4") ? MediaFormat.MOV : MediaFormat.MP4;
    }

    /**
     * A ZIP is an archive; what its first entries are named tells APK, JAR and IPA apart, and
     * document packages from both: a stored {@code mimetype} first (ODF, EPUB), or
     * {@code [Content_Types].xml} with {@code word/}, {@code xl/} or {@code ppt/} parts (OOXML, whose
     * main part's content type, when {@code [Content_Types].xml} lies in the head, tells the
     * macro-enabled kinds apart). The document parsers check all of it on the whole package.
     */
    private static MediaFormat zipFlavour(byte[] b, int n) {
        int off = 0;
        int entries = 0;
        MediaFormat flavour = MediaFormat.ZIP;
        MediaFormat packaged = null;
        boolean contentTypes = false;
        String ooxmlTypes = null;
        MediaFormat ooxmlByName = null;
        while (off + 30 <= n && entries < 64 && u32le(b, off) == 0x04034b50L) {
            int nameLen = u16le(b, off + 26);
            int extraLen = u16le(b, off + 28);
            long compressed = u32le(b, off + 18);
            if (off + 30 + nameLen > n) {
                break;
            }
            String name = new String(b, off + 30, nameLen, StandardCharsets.UTF_8);
            if (name.equals("AndroidManifest.xml") || name.equals("classes.dex")) {
                return MediaFormat.APK;
            }
            if (name.startsWith("Payload/") && name.contains(".app/")) {
                return MediaFormat.IPA;
            }
            if (name.equals("META-INF/MANIFEST.MF") || name.endsWith(".class")) {
                flavour = MediaFormat.JAR;
            }
            int flags = u16le(b, off + 6);
            int method = u16le(b, off + 8);
            int data = off + 30 + nameLen + extraLen;
            if (entries == 0 && name.equals("mimetype") && method == 0 && (flags & 0x08) == 0 && compressed <= 128
                    && data + compressed <= n) {
                packaged = byPackageMime(new String(b, data, (int) compressed, StandardCharsets.US_ASCII));
            }
            if (name.equals("[Content_Types].xml")) {
                contentTypes = true;
                ooxmlTypes = Packages.contentTypesText(b, n, data, method, compressed);
            }
            if (ooxmlByName == null) {
                ooxmlByName = name.startsWith("word/") ? MediaFormat.DOCX : name.startsWith("xl/") ? MediaFormat.XLSX
                        : name.startsWith("ppt/") ? MediaFormat.PPTX : null;
            }
            long next;
            if ((flags & 0x08) != 0) {
                // sizes follow the data, as ZipOutputStream, Maven and Gradle write: the next entry
                // starts at the next local header signature (only the flavour depends on finding it)
                next = indexOf(b, n, off + 30 + nameLen, "PK\u0003\u0004");
                if (next < 0) {
                    break;
                }
            } else {
                next = off + 30L + nameLen + extraLen + compressed;
            }
            if (next > n) {
                break;
            }
            off = (int) next;
            entries++;
        }
        if (flavour != MediaFormat.ZIP) {
            return flavour;
        }
        if (packaged != null) {
            return packaged;
        }
        if (contentTypes) {
            MediaFormat byTypes = Packages.ooxmlKind(ooxmlTypes);
            return byTypes != null ? byTypes : ooxmlByName != null ? ooxmlByName : MediaFormat.ZIP;
        }
        return MediaFormat.ZIP;
    }

    private static MediaFormat byPackageMime(String mime) {
        return switch (mime) {
            case "application/vnd.oasis.opendocument.text" -> MediaFormat.ODT;
            case "application/vnd.oasis.opendocument.spreadsheet" -> MediaFormat.ODS;
            case "application/vnd.oasis.opendocument.presentation" -> MediaFormat.ODP;
            case "application/epub+zip" -> MediaFormat.EPUB;
            default -> null;
        };
    }

    private static boolean isBmp(byte[] b, int n) {
        if (!ascii(b, n, 0, "BM") || n < 18) {
            return false;
        }
        long dibSize = u32le(b, 14);
        return dibSize == 12 || dibSize == 40 || dibSize == 52 || dibSize == 56 || dibSize == 64 || dibSize == 108 || dibSize == 124;
    }

    private static boolean isMpegAudioSync(byte[] b, int n) {
        if (n < 4) {
            return false;
        }
        int b0 = b[0] & 0xFF;
        int b1 = b[1] & 0xFF;
        int b2 = b[2] & 0xFF;
        if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
            return false;
        }
        int version = (b1 >> 3) & 0x3;
        int layer = (b1 >> 1) & 0x3;
        int bitrate = (b2 >> 4) & 0xF;
        int rate = (b2 >> 2) & 0x3;
        // Layer I (layer bits 11) is left out, as Tika does: its MPEG-1 sync FF FE / FF FF is the
        // UTF-16LE byte-order mark, so most "Unicode" text files would otherwise pass as audio.
        return version != 1 && layer != 0 && layer != 3 && bitrate != 0xF && bitrate != 0 && rate != 3;
    }

    private static MediaFormat markup(byte[] b, int n) {
        int start = 0;
        if (startsWith(b, n, 0, 0xEF, 0xBB, 0xBF)) {
            start = 3;
        }
        int limit = Math.min(n, 1024);
        while (start < limit && Character.isWhitespace(b[start])) {
            start++;
        }
        if (start >= limit || b[start] != '<') {
            return null;
        }
        String text = new String(b, start, Math.min(n - start, 4096), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        boolean prolog = text.startsWith("<?xml") || text.startsWith("<!--") || text.startsWith("<!doctype svg");
        if (text.startsWith("<svg") || text.startsWith("<!doctype svg") || (prolog && text.contains("<svg"))) {
            return MediaFormat.SVG;
        }
        if (text.startsWith("<!--") && (text.contains("<html") || text.contains("<!doctype html") || text.contains("<script"))) {
            return MediaFormat.HTML;
        }
        if (text.startsWith("<!doctype html") || text.startsWith("<html") || text.startsWith("<head")
                || text.startsWith("<body") || text.startsWith("<script") || text.startsWith("<iframe")) {
            return MediaFormat.HTML;
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int n, int at, int... sig) {
        if (at + sig.length > n) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[at + i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int n, int at, String s) {
        if (at + s.length() > n) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int n, int from, String s) {
        outer:
        for (int i = from; i + s.length() <= n; i++) {
            for (int j = 0; j < s.length(); j++) {
                if (b[i + j] != (byte) s.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String fourcc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static long u32le(byte[] b, int at) {
        return ((b[at + 3] & 0xFFL) << 24) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 1] & 0xFFL) << 8) | (b[at] & 0xFFL);
    }

    private static int u16le(byte[] b, int at) {
        return ((b[at + 1] & 0xFF) << 8) | (b[at] & 0xFF);
    }
}
