package com.mediaflow.shared.codec.document;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.internal.parsers.document.XmlParts;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipEntry;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The preview image a document package carries, taken out as an untrusted upload would be:
 * <ul>
 *   <li>OOXML: the part the package relationship of type {@code .../metadata/thumbnail} names
 *       (Office writes {@code docProps/thumbnail.jpeg}, {@code .png}, {@code .wmf} or {@code .emf});</li>
 *   <li>ODF: {@code Thumbnails/thumbnail.png};</li>
 *   <li>EPUB: the cover image, the manifest item with {@code properties="cover-image"} (EPUB 3) or
 *       named by {@code <meta name="cover">} (EPUB 2).</li>
 * </ul>
 * The part is inflated by the bounded {@link ZipArchive} (at most
 * {@link ZipLimits#maxPartBytes()}, its CRC checked) into a scratch file, which must then pass the
 * whole validation an upload passes ({@link StructureValidator}: detection by content, the
 * structural parser of the detected format, the limits) and be an image. Anything else is a
 * {@code DOCUMENT_PREVIEW_INVALID} warning and no preview: the document itself was already judged.
 * The one exception is a Windows metafile (EMF, or WMF with its placeable header), known by its
 * bytes: Office on Windows writes its previews so, and we render no vector formats, so such a
 * preview is simply none, without a warning.
 */
public final class EmbeddedPreview {
    private static final String THUMBNAIL = "/metadata/thumbnail";
    private static final String ODF_THUMBNAIL = "Thumbnails/thumbnail.png";

    /**
     * What was found.
     *
     * @param image the validated image in a scratch file the caller deletes, or null
     * @param format its detected format, or null
     * @param part the package part it came from, or null when the package names none
     * @param warnings why a preview the package names was not taken
     */
    public record Result(Path image, MediaFormat format, String part, List<Reason> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }

        static Result none() {
            return new Result(null, null, null, List.of());
        }

        static Result refused(String part, String why) {
            return new Result(null, null, part, List.of(Reason.warning(ReasonCode.DOCUMENT_PREVIEW_INVALID,
                    "preview: " + why + "; the document has no preview")));
        }
    }

    private final ZipLimits zipLimits;
    private final Limits limits;
    private final StructureValidator validator;

    public EmbeddedPreview(ZipLimits zipLimits, Limits limits) {
        this.zipLimits = zipLimits;
        this.limits = limits;
        this.validator = new StructureValidator(limits);
    }

    /**
     * @param pkg a package that passed validation
     * @param format its detected format
     * @param scratch the folder the image is written to
     */
    public Result extract(Path pkg, MediaFormat format, Path scratch) {
        ZipArchive archive;
        Cursor c;
        String part;
        byte[] bytes;
        try (FileByteSource source = new FileByteSource(pkg)) {
            c = Cursor.over(source, format.name());
            try {
                archive = ZipArchive.read(c, zipLimits, limits.maxDepth());
                Optional<String> named = previewPart(archive, c, format);
                if (named.isEmpty()) {
                    return Result.none();
                }
                part = named.get();
                Optional<ZipEntry> entry = archive.entry(part);
                if (entry.isEmpty()) {
                    return Result.refused(part, "the package names '" + part + "' as its preview, found no such part");
                }
                bytes = archive.read(entry.get());
            } catch (MediaRejectedException e) {
                return Result.refused(null, "the preview could not be read from the package: " + e.code() + " " + e.getMessage());
            }
        } catch (IOException e) {
            throw new StorageException("reading the package " + pkg + " failed: " + e.getMessage(), e);
        }
        return validated(part, bytes, scratch);
    }

    private Result validated(String part, byte[] bytes, Path scratch) {
        if (metafile(bytes)) {
            return new Result(null, null, part, List.of());
        }
        Path file;
        try {
            Files.createDirectories(scratch);
            file = Files.createTempFile(scratch, "preview-", ".img");
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new StorageException("writing the preview to " + scratch + " failed: " + e.getMessage(), e);
        }
        boolean keep = false;
        try (FileByteSource source = new FileByteSource(file)) {
            String name = part.substring(part.lastIndexOf('/') + 1);
            Verdict verdict = validator.validate(source, null, name).verdict();
            if (!verdict.accepted()) {
                return Result.refused(part, "'" + part + "' (" + bytes.length + " bytes) is not an image that passes validation: "
                        + verdict.reasons().stream().filter(Reason::rejects).map(r -> r.code() + " " + r.message())
                        .collect(Collectors.joining("; ")));
            }
            if (verdict.detected().category() != MediaCategory.IMAGE) {
                return Result.refused(part, "'" + part + "' is " + verdict.detected().mimeType() + ", expected an image");
            }
            keep = true;
            return new Result(file, verdict.detected(), part, List.of());
        } catch (IOException e) {
            throw new StorageException("reading the preview " + file + " failed: " + e.getMessage(), e);
        } finally {
            if (!keep) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a scratch file; the step's folder is cleared after the message
                }
            }
        }
    }

    /** EMF (an EMR_HEADER record: type 1, then " EMF" at offset 40) or a placeable WMF (0x9AC6CDD7). */
    static boolean metafile(byte[] b) {
        boolean emf = b.length >= 44 && b[0] == 1 && b[1] == 0 && b[2] == 0 && b[3] == 0
                && b[40] == ' ' && b[41] == 'E' && b[42] == 'M' && b[43] == 'F';
        boolean wmf = b.length >= 22 && (b[0] & 0xFF) == 0xD7 && (b[1] & 0xFF) == 0xCD && (b[2] & 0xFF) == 0xC6
                && (b[3] & 0xFF) == 0x9A;
        return emf || wmf;
    }

    private static Optional<String> previewPart(ZipArchive archive, Cursor c, MediaFormat format) {
        return switch (format) {
            case DOCX, XLSX, PPTX, DOCM, XLSM, PPTM -> ooxml(archive, c);
            case ODT, ODS, ODP -> archive.entry(ODF_THUMBNAIL).map(ZipEntry::name);
            case EPUB -> epubCover(archive, c);
            default -> Optional.empty();
        };
    }

    private static Optional<String> ooxml(ZipArchive archive, Cursor c) {
        Optional<ZipEntry> rels = archive.entry("_rels/.rels");
        if (rels.isEmpty()) {
            return Optional.empty();
        }
        String[] target = new String[1];
        XmlParts.scan(archive, rels.get(), c, (name, a) -> {
            String type = XmlParts.attr(a, "Type");
            if (name.equals("Relationship") && type != null && type.endsWith(THUMBNAIL) && target[0] == null
                    && !"External".equals(XmlParts.attr(a, "TargetMode"))) {
                target[0] = XmlParts.attr(a, "Target");
            }
        });
        if (target[0] == null) {
            return Optional.empty();
        }
        return Optional.of(target[0].startsWith("/") ? target[0].substring(1) : target[0]);
    }

    private static Optional<String> epubCover(ZipArchive archive, Cursor c) {
        Optional<ZipEntry> container = archive.entry("META-INF/container.xml");
        if (container.isEmpty()) {
            return Optional.empty();
        }
        String[] rootfile = new String[1];
        XmlParts.scan(archive, container.get(), c, (name, a) -> {
            if (name.equals("rootfile") && rootfile[0] == null) {
                rootfile[0] = XmlParts.attr(a, "full-path");
            }
        });
        Optional<ZipEntry> opf = rootfile[0] == null ? Optional.empty() : archive.entry(rootfile[0]);
        if (opf.isEmpty()) {
            return Optional.empty();
        }
        String[] coverId = new String[1];
        String[] href = new String[1];
        java.util.Map<String, String> hrefs = new java.util.HashMap<>();
        XmlParts.scan(archive, opf.get(), c, (name, a) -> {
            if (name.equals("meta") && "cover".equals(XmlParts.attr(a, "name")) && coverId[0] == null) {
                coverId[0] = XmlParts.attr(a, "content");
            } else if (name.equals("item") && XmlParts.attr(a, "href") != null) {
                String properties = XmlParts.attr(a, "properties");
                if (properties != null && List.of(properties.split("\\s+")).contains("cover-image") && href[0] == null) {
                    href[0] = XmlParts.attr(a, "href");
                }
                String id = XmlParts.attr(a, "id");
                if (id != null) {
                    hrefs.putIfAbsent(id, XmlParts.attr(a, "href"));
                }
            }
        });
        String cover = href[0] != null ? href[0] : coverId[0] == null ? null : hrefs.get(coverId[0]);
        if (cover == null || cover.contains(":") || cover.startsWith("/") || cover.contains("..")) {
            return Optional.empty(); // no cover, or one outside the package: not ours to fetch
        }
        String opfName = opf.get().name();
        String dir = opfName.contains("/") ? opfName.substring(0, opfName.lastIndexOf('/') + 1) : "";
        try {
            String path = java.net.URI.create(cover).getPath();
            return path == null || path.isEmpty() ? Optional.empty() : Optional.of(dir + path);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
