package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.codec.document.PackageInfo;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.DocumentFixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The XML handling of the document readers ({@link PackageInfo} and
 * {@link com.mediaflow.shared.codec.document.EmbeddedPreview}), which PackageInfoFuzzTest and
 * EmbeddedPreviewFuzzTest barely reach: there the parts are deflated and CRC-checked, so nearly
 * every mutation of their XML is refused by the ZIP reader first. Here the input is the XML
 * itself: its first byte picks the format, the rest is split at NUL bytes into the parts the
 * readers look for (OOXML: {@code _rels/.rels}, {@code docProps/core.xml}, {@code docProps/app.xml},
 * the main part; ODF: {@code meta.xml}, {@code content.xml}; EPUB: {@code META-INF/container.xml},
 * {@code OEBPS/content.opf}), zipped by java.util.zip with a real PNG at the usual preview names.
 * Both readers run on the package, under the contracts of those two targets.
 * In {@code mvn verify}: the seeds in .../DocumentPartsFuzzTestInputs/parse. To fuzz:
 * {@code shared/fuzz DocumentPartsFuzzTest MINUTES}. See FuzzSupport.
 */
public class DocumentPartsFuzzTest {
    private static final MediaFormat[] FORMATS = {MediaFormat.DOCX, MediaFormat.XLSX, MediaFormat.PPTX, MediaFormat.ODT,
        MediaFormat.ODS, MediaFormat.ODP, MediaFormat.EPUB};
    private static final byte[] PNG = DocumentFixtures.png(16, 12);
    private static final Path FILE = FuzzSupport.scratchFile(".pkg");

    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        MediaFormat format = FORMATS[(data[0] & 0xFF) % FORMATS.length];
        List<byte[]> parts = split(Arrays.copyOfRange(data, 1, data.length));
        FuzzSupport.write(FILE, zip(format, parts));
        PackageInfoFuzzTest.check(PackageInfo.read(FILE, format, PackageInfoFuzzTest.LIMITS, FuzzSupport.LIMITS.maxDepth()));
        EmbeddedPreviewFuzzTest.extract(FILE, format);
    }

    private static byte[] zip(MediaFormat format, List<byte[]> parts) {
        DocumentFixtures.Package p = new DocumentFixtures.Package();
        List<String> names;
        switch (format) {
            case ODT, ODS, ODP -> {
                p.putStored("mimetype", format.mimeType());
                names = List.of("meta.xml", "content.xml");
                p.put("Thumbnails/thumbnail.png", PNG);
            }
            case EPUB -> {
                p.putStored("mimetype", "application/epub+zip");
                names = List.of("META-INF/container.xml", "OEBPS/content.opf");
                p.put("OEBPS/images/cover.png", PNG);
            }
            default -> {
                String main = format == MediaFormat.DOCX ? "word/document.xml" : format == MediaFormat.XLSX ? "xl/workbook.xml"
                        : "ppt/presentation.xml";
                p.put("[Content_Types].xml", DocumentFixtures.contentTypes(main, format == MediaFormat.DOCX ? DocumentFixtures.DOCX_MAIN
                        : format == MediaFormat.XLSX ? DocumentFixtures.XLSX_MAIN : DocumentFixtures.PPTX_MAIN));
                names = List.of("_rels/.rels", "docProps/core.xml", "docProps/app.xml", main);
                p.put("docProps/thumbnail.png", PNG);
            }
        }
        for (int i = 0; i < names.size() && i < parts.size(); i++) {
            p.put(names.get(i), parts.get(i));
        }
        return p.zip();
    }

    private static List<byte[]> split(byte[] rest) {
        List<byte[]> out = new java.util.ArrayList<>();
        int from = 0;
        for (int i = 0; i <= rest.length; i++) {
            if (i == rest.length || rest[i] == 0) {
                out.add(Arrays.copyOfRange(rest, from, i));
                from = i + 1;
            }
        }
        return out;
    }
}
