package com.mediaflow.shared.validation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Real document packages, written as ZIPs in the tests (java.util.zip writes; our own reader
 * reads): minimal valid OOXML, ODF and EPUB files, and the hostile kinds built from them.
 */
public final class DocumentFixtures {
    private static final String CT = "http://schemas.openxmlformats.org/package/2006/content-types";
    private static final String RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static final String OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
    public static final String DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    public static final String DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml";
    public static final String XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    public static final String XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
    public static final String PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
    /** The signature of an OLE compound file (embedded objects, vbaProject.bin). */
    public static final byte[] OLE_SIGNATURE = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};

    private DocumentFixtures() {
    }

    /** Entries in order; a name mapped to null is skipped, so a variant can drop a required part. */
    public static final class Package {
        private final Map<String, byte[]> entries = new LinkedHashMap<>();
        private final java.util.Set<String> stored = new java.util.HashSet<>();

        public Package put(String name, String text) {
            return put(name, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        }

        public Package put(String name, byte[] data) {
            entries.put(name, data);
            return this;
        }

        public Package putStored(String name, String text) {
            stored.add(name);
            return put(name, text);
        }

        public byte[] zip() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    if (e.getValue() == null) {
                        continue;
                    }
                    ZipEntry z = new ZipEntry(e.getKey());
                    if (stored.contains(e.getKey())) {
                        CRC32 crc = new CRC32();
                        crc.update(e.getValue());
                        z.setMethod(ZipEntry.STORED);
                        z.setSize(e.getValue().length);
                        z.setCompressedSize(e.getValue().length);
                        z.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(z);
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    public static String contentTypes(String mainPart, String mainType, String... extraOverrides) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"" + CT + "\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/" + mainPart + "\" ContentType=\"" + mainType + "\"/>");
        for (int i = 0; i + 1 < extraOverrides.length; i += 2) {
            sb.append("<Override PartName=\"").append(extraOverrides[i]).append("\" ContentType=\"").append(extraOverrides[i + 1]).append("\"/>");
        }
        return sb.append("</Types>").toString();
    }

    /** A relationships part; each triple is Type (last segment), Target, and "External" or null. */
    public static String rels(String... typeTargetMode) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"" + RELS + "\">");
        for (int i = 0; i + 2 < typeTargetMode.length; i += 3) {
            sb.append("<Relationship Id=\"rId").append(i / 3 + 1).append("\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/")
                    .append(typeTargetMode[i]).append("\" Target=\"").append(typeTargetMode[i + 1]).append('"');
            if (typeTargetMode[i + 2] != null) {
                sb.append(" TargetMode=\"").append(typeTargetMode[i + 2]).append('"');
            }
            sb.append("/>");
        }
        return sb.append("</Relationships>").toString();
    }

    /** A minimal Word document, as Word lays it out: content types, package relationships, the main part. */
    public static Package docx() {
        return ooxml("word/document.xml", DOCX_MAIN, "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                + "<w:body><w:p><w:r><w:t>Quarterly report</w:t></w:r></w:p></w:body></w:document>")
                .put("word/_rels/document.xml.rels", rels());
    }

    /** A macro-enabled Word document with its VBA project. */
    public static Package docm() {
        return ooxml("word/document.xml", DOCM_MAIN, "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>")
                .put("word/_rels/document.xml.rels", rels("vbaProject", "vbaProject.bin", null))
                .put("word/vbaProject.bin", ole(new byte[0]));
    }

    public static Package xlsx() {
        return ooxml("xl/workbook.xml", XLSX_MAIN, "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets/></workbook>");
    }

    public static Package pptx() {
        return ooxml("ppt/presentation.xml", PPTX_MAIN, "<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"/>");
    }

    public static Package ooxml(String mainPart, String mainType, String mainXml, String... extraOverrides) {
        return new Package().put("[Content_Types].xml", contentTypes(mainPart, mainType, extraOverrides))
                .put("_rels/.rels", rels("officeDocument", mainPart, null))
                .put(mainPart, mainXml);
    }

    /** ODF: a stored mimetype first, the manifest, content and styles. */
    public static Package odf(String mime, String body) {
        String office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
        return new Package().putStored("mimetype", mime)
                .put("META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
                        + "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
                        + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"" + mime + "\"/>"
                        + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
                        + "</manifest:manifest>")
                .put("content.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\""
                        + office + "\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
                        + "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><office:body>" + body + "</office:body></office:document-content>")
                .put("styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles xmlns:office=\"" + office + "\"/>");
    }

    public static Package odt() {
        return odf("application/vnd.oasis.opendocument.text", "<office:text><text:p>Minutes</text:p></office:text>");
    }

    public static Package epub() {
        return new Package().putStored("mimetype", "application/epub+zip")
                .put("META-INF/container.xml", "<?xml version=\"1.0\"?>\n<container version=\"1.0\" "
                        + "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
                        + "media-type=\"application/oebps-package+xml\"/></rootfiles></container>")
                .put("OEBPS/content.opf", "<?xml version=\"1.0\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\"/>");
    }

    /** An OLE compound file's first sector, then {@code payload}: how embedded objects and vbaProject.bin start. */
    public static byte[] ole(byte[] payload) {
        byte[] out = new byte[512 + payload.length];
        System.arraycopy(OLE_SIGNATURE, 0, out, 0, OLE_SIGNATURE.length);
        System.arraycopy(payload, 0, out, 512, payload.length);
        return out;
    }

    /** The smallest Windows PE image our checks (and Windows' loader) take for one: MZ, e_lfanew, PE\0\0, a COFF header. */
    public static byte[] peImage() {
        byte[] pe = new byte[256];
        pe[0] = 'M';
        pe[1] = 'Z';
        pe[0x3C] = (byte) 0x80;
        pe[0x80] = 'P';
        pe[0x81] = 'E';
        pe[0x84] = 0x4C; // machine: i386
        pe[0x85] = 0x01;
        return pe;
    }

    /** An OLE Packager object ("Ole10Native" stream) carrying a file named {@code fileName}. */
    public static byte[] packagerObject(String fileName) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("Ole10Native".getBytes(StandardCharsets.UTF_16LE));
        b.writeBytes(new byte[] {0, 0, 0, 0, 2, 0});
        b.writeBytes(fileName.getBytes(StandardCharsets.ISO_8859_1));
        b.write(0);
        b.writeBytes("C:\\Users\\me\\".getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(fileName.getBytes(StandardCharsets.ISO_8859_1));
        b.write(0);
        b.writeBytes("@echo off\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return ole(b.toByteArray());
    }

    // ---- document properties and embedded previews (the metadata and thumbnail steps)

    private static final String DC = "http://purl.org/dc/elements/1.1/";

    /** docProps/core.xml as Office writes it; a null title or creator is left out. */
    public static String coreXml(String title, String creator) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties "
                + "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"" + DC + "\" "
                + "xmlns:dcterms=\"http://purl.org/dc/terms/\">"
                + (title == null ? "" : "<dc:title>" + title + "</dc:title>")
                + (creator == null ? "" : "<dc:creator>" + creator + "</dc:creator>")
                + "<cp:lastModifiedBy>someone else</cp:lastModifiedBy></cp:coreProperties>";
    }

    /** docProps/app.xml with one statistic ({@code Pages}, {@code Slides}, ...), or none when {@code element} is null. */
    public static String appXml(String element, String value) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties "
                + "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
                + "<Application>Microsoft Office Word</Application>"
                + (element == null ? "" : "<" + element + ">" + value + "</" + element + ">")
                + "<Words>250</Words></Properties>";
    }

    /**
     * An OOXML package with its properties (null parts left out) and, when {@code thumbnail} is
     * not null, a preview at {@code thumbnailPart} named by the package relationship, as Office
     * writes them.
     */
    public static Package ooxmlWithProperties(String mainPart, String mainType, String mainXml, String core, String app,
                                              String thumbnailPart, byte[] thumbnail) {
        java.util.List<String> rels = new java.util.ArrayList<>(java.util.List.of("officeDocument", mainPart, ""));
        java.util.List<String> overrides = new java.util.ArrayList<>();
        if (core != null) {
            rels.addAll(java.util.List.of("metadata/core-properties", "docProps/core.xml", ""));
            overrides.addAll(java.util.List.of("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"));
        }
        if (app != null) {
            rels.addAll(java.util.List.of("extended-properties", "docProps/app.xml", ""));
            overrides.addAll(java.util.List.of("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"));
        }
        if (thumbnail != null) {
            rels.addAll(java.util.List.of("metadata/thumbnail", thumbnailPart, ""));
            overrides.addAll(java.util.List.of("/" + thumbnailPart, thumbnailPart.endsWith(".png") ? "image/png" : "image/jpeg"));
        }
        String[] triples = rels.stream().map(v -> v.isEmpty() ? null : v).toArray(String[]::new);
        return new Package().put("[Content_Types].xml", contentTypes(mainPart, mainType, overrides.toArray(String[]::new)))
                .put("_rels/.rels", packageRels(triples))
                .put(mainPart, mainXml)
                .put("docProps/core.xml", core)
                .put("docProps/app.xml", app)
                .put(thumbnailPart == null ? "docProps/thumbnail.jpeg" : thumbnailPart, thumbnail);
    }

    /** The package relationships: metadata types live under package/2006/relationships, the rest under officeDocument. */
    private static String packageRels(String... typeTargetMode) {
        String xml = rels(typeTargetMode);
        return xml.replace("http://schemas.openxmlformats.org/officeDocument/2006/relationships/metadata/",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/");
    }

    public static String wordBody(String text) {
        return "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                + "<w:body><w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:body></w:document>";
    }

    public static String workbook(String... sheetNames) {
        StringBuilder sb = new StringBuilder("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>");
        for (int i = 0; i < sheetNames.length; i++) {
            sb.append("<sheet name=\"").append(sheetNames[i]).append("\" sheetId=\"").append(i + 1).append("\" r:id=\"rId")
                    .append(i + 1).append("\"/>");
        }
        return sb.append("</sheets></workbook>").toString();
    }

    /** ODF meta.xml; null values are left out. */
    public static String odfMeta(String title, String initialCreator, String creator, String statistics) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta "
                + "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:dc=\"" + DC + "\" "
                + "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" office:version=\"1.3\"><office:meta>"
                + "<meta:generator>LibreOffice/7.6</meta:generator>"
                + (title == null ? "" : "<dc:title>" + title + "</dc:title>")
                + (initialCreator == null ? "" : "<meta:initial-creator>" + initialCreator + "</meta:initial-creator>")
                + (creator == null ? "" : "<dc:creator>" + creator + "</dc:creator>")
                + (statistics == null ? "" : "<meta:document-statistic " + statistics + "/>")
                + "</office:meta></office:document-meta>";
    }

    /** An EPUB whose package document has this metadata and, when {@code cover} is not null, an EPUB 3 cover image. */
    public static Package epub(String title, String creator, byte[] cover) {
        return new Package().putStored("mimetype", "application/epub+zip")
                .put("META-INF/container.xml", "<?xml version=\"1.0\"?>\n<container version=\"1.0\" "
                        + "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
                        + "media-type=\"application/oebps-package+xml\"/></rootfiles></container>")
                .put("OEBPS/content.opf", "<?xml version=\"1.0\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                        + "unique-identifier=\"id\"><metadata xmlns:dc=\"" + DC + "\"><dc:identifier id=\"id\">urn:uuid:1</dc:identifier>"
                        + (title == null ? "" : "<dc:title>" + title + "</dc:title>")
                        + (creator == null ? "" : "<dc:creator>" + creator + "</dc:creator><dc:creator>Second Author</dc:creator>")
                        + "<dc:language>en</dc:language></metadata><manifest>"
                        + "<item id=\"ch1\" href=\"ch1.xhtml\" media-type=\"application/xhtml+xml\"/>"
                        + (cover == null ? "" : "<item id=\"cover\" href=\"images/cover.jpg\" media-type=\"image/jpeg\" properties=\"cover-image\"/>")
                        + "</manifest><spine><itemref idref=\"ch1\"/></spine></package>")
                .put("OEBPS/ch1.xhtml", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>1</title></head>"
                        + "<body><p>Chapter one</p></body></html>")
                .put("OEBPS/images/cover.jpg", cover);
    }

    /** A real JPEG written by the JDK's ImageIO: a colour gradient, {@code width x height}. */
    public static byte[] jpeg(int width, int height) {
        return image(width, height, "jpg");
    }

    /** A real PNG written by the JDK's ImageIO. */
    public static byte[] png(int width, int height) {
        return image(width, height, "png");
    }

    private static byte[] image(int width, int height, String kind) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!javax.imageio.ImageIO.write(img, kind, out)) {
                throw new IllegalStateException("ImageIO has no " + kind + " writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
