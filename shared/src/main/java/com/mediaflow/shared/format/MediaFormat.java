package com.mediaflow.shared.format;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one source of truth for formats: MIME type, category, extensions, and whether we accept it.
 * Detection by content lives in {@link Detector}; the extension only breaks ties.
 */
public enum MediaFormat {
    JPEG("image/jpeg", MediaCategory.IMAGE, true, "jpg", "jpeg", "jpe", "jfif"),
    PNG("image/png", MediaCategory.IMAGE, true, "png"),
    GIF("image/gif", MediaCategory.IMAGE, true, "gif"),
    WEBP("image/webp", MediaCategory.IMAGE, true, "webp"),
    HEIC("image/heic", MediaCategory.IMAGE, true, "heic", "heif", "hif"),
    AVIF("image/avif", MediaCategory.IMAGE, true, "avif"),
    TIFF("image/tiff", MediaCategory.IMAGE, true, "tif", "tiff"),
    BMP("image/bmp", MediaCategory.IMAGE, true, "bmp"),

    MP4("video/mp4", MediaCategory.VIDEO, true, "mp4", "m4v"),
    MOV("video/quicktime", MediaCategory.VIDEO, true, "mov", "qt"),
    THREE_GP("video/3gpp", MediaCategory.VIDEO, true, "3gp", "3g2"),
    WEBM("video/webm", MediaCategory.VIDEO, true, "webm"),
    MKV("video/x-matroska", MediaCategory.VIDEO, true, "mkv"),

    M4A("audio/mp4", MediaCategory.AUDIO, true, "m4a", "aac"),
    MP3("audio/mpeg", MediaCategory.AUDIO, true, "mp3"),
    OGG("audio/ogg", MediaCategory.AUDIO, true, "ogg", "oga", "opus"),
    WAV("audio/wav", MediaCategory.AUDIO, true, "wav"),
    FLAC("audio/flac", MediaCategory.AUDIO, true, "flac"),

    PDF("application/pdf", MediaCategory.DOCUMENT, true, "pdf"),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", MediaCategory.DOCUMENT, true, "docx", "dotx"),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", MediaCategory.DOCUMENT, true, "xlsx", "xltx"),
    PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation", MediaCategory.DOCUMENT, true, "pptx",
            "potx", "ppsx"),
    DOCM("application/vnd.ms-word.document.macroenabled.12", MediaCategory.DOCUMENT, true, "docm", "dotm"),
    XLSM("application/vnd.ms-excel.sheet.macroenabled.12", MediaCategory.DOCUMENT, true, "xlsm", "xltm"),
    PPTM("application/vnd.ms-powerpoint.presentation.macroenabled.12", MediaCategory.DOCUMENT, true, "pptm", "potm",
            "ppsm"),
    ODT("application/vnd.oasis.opendocument.text", MediaCategory.DOCUMENT, true, "odt"),
    ODS("application/vnd.oasis.opendocument.spreadsheet", MediaCategory.DOCUMENT, true, "ods"),
    ODP("application/vnd.oasis.opendocument.presentation", MediaCategory.DOCUMENT, true, "odp"),
    EPUB("application/epub+zip", MediaCategory.DOCUMENT, true, "epub"),
    TEXT("text/plain", MediaCategory.DOCUMENT, true, "txt", "text", "csv", "tsv", "md", "markdown"),

    ELF("application/x-executable", MediaCategory.OTHER, false),
    PE("application/vnd.microsoft.portable-executable", MediaCategory.OTHER, false, "exe", "dll"),
    MACH_O("application/x-mach-binary", MediaCategory.OTHER, false),
    SCRIPT("text/x-shellscript", MediaCategory.OTHER, false, "sh"),
    ZIP("application/zip", MediaCategory.OTHER, false, "zip"),
    APK("application/vnd.android.package-archive", MediaCategory.OTHER, false, "apk"),
    JAR("application/java-archive", MediaCategory.OTHER, false, "jar"),
    IPA("application/x-ios-app", MediaCategory.OTHER, false, "ipa"),
    RAR("application/vnd.rar", MediaCategory.OTHER, false, "rar"),
    SEVEN_ZIP("application/x-7z-compressed", MediaCategory.OTHER, false, "7z"),
    GZIP("application/gzip", MediaCategory.OTHER, false, "gz"),
    HTML("text/html", MediaCategory.OTHER, false, "html", "htm"),
    SVG("image/svg+xml", MediaCategory.OTHER, false, "svg"),
    UNKNOWN("application/octet-stream", MediaCategory.OTHER, false);

    private final String mimeType;
    private final MediaCategory category;
    private final boolean accepted;
    private final List<String> extensions;

    MediaFormat(String mimeType, MediaCategory category, boolean accepted, String... extensions) {
        this.mimeType = mimeType;
        this.category = category;
        this.accepted = accepted;
        this.extensions = List.of(extensions);
    }

    /** Its MIME type; also its name in JSON documents (a manifest's or a step message's {@code type}). */
    @JsonValue
    public String mimeType() {
        return mimeType;
    }

    public MediaCategory category() {
        return category;
    }

    /** Whether Mediaflow processes this format at all. */
    public boolean accepted() {
        return accepted;
    }

    public List<String> extensions() {
        return extensions;
    }

    public boolean isExecutable() {
        return this == ELF || this == PE || this == MACH_O || this == SCRIPT;
    }

    public boolean isArchive() {
        return this == ZIP || this == APK || this == JAR || this == IPA || this == RAR || this == SEVEN_ZIP || this == GZIP;
    }

    /** A ZIP-based document package (OOXML, ODF, EPUB): its own central directory is not a polyglot. */
    public boolean isPackage() {
        return switch (this) {
            case DOCX, XLSX, PPTX, DOCM, XLSM, PPTM, ODT, ODS, ODP, EPUB -> true;
            default -> false;
        };
    }

    /** An OOXML package whose type allows macros. */
    public boolean isMacroEnabled() {
        return this == DOCM || this == XLSM || this == PPTM;
    }

    public String defaultExtension() {
        return extensions.isEmpty() ? "bin" : extensions.get(0);
    }

    public static Optional<MediaFormat> byMimeType(String mime) {
        if (mime == null) {
            return Optional.empty();
        }
        String m = mime.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (MediaFormat f : values()) {
            if (f != UNKNOWN && f.mimeType.equals(m)) {
                return Optional.of(f);
            }
        }
        return switch (m) {
            case "image/jpg", "image/pjpeg" -> Optional.of(JPEG);
            case "image/heif", "image/heic-sequence", "image/heif-sequence" -> Optional.of(HEIC);
            case "audio/x-wav", "audio/wave", "audio/vnd.wave" -> Optional.of(WAV);
            case "audio/mp3" -> Optional.of(MP3);
            case "audio/x-m4a", "audio/aac" -> Optional.of(M4A);
            case "video/3gpp2" -> Optional.of(THREE_GP);
            case "audio/opus", "video/ogg" -> Optional.of(OGG);
            case "audio/x-flac" -> Optional.of(FLAC);
            case "application/x-zip-compressed" -> Optional.of(ZIP);
            case "text/csv", "text/markdown", "text/x-markdown", "text/tab-separated-values" -> Optional.of(TEXT);
            default -> Optional.empty();
        };
    }

    public static Optional<MediaFormat> byFileName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int slash = name.lastIndexOf('/');
        String base = name.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        if (dot < 0 || dot == base.length() - 1) {
            return Optional.empty();
        }
        String ext = base.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (MediaFormat f : values()) {
            if (f.extensions.contains(ext)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
