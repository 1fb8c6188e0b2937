package com.mediaflow.shared.validation.internal.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.internal.parsers.pdf.PdfParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Every PDF here is written by {@link PdfBuilder}, a tiny writer that computes real offsets: a
 * classic table or a cross-reference stream (Flate with the PNG Up predictor), object streams,
 * incremental updates. Hostile files are the clean one with one thing changed, named after it.
 */
class PdfParserTest {
    private final PdfParser parser = new PdfParser();

    // ------------------------------------------------------------------------------ accepted

    @Test
    void parse_cleanOnePagePdf_isAcceptedWithOnePage() {
        // given
        byte[] pdf = onePage(new PdfBuilder(), "", "").classicXref("/Root 1 0 R").bytes();

        // when
        StructureReport report = parse(pdf);

        // then
        assertThat(report.frames()).isEqualTo(1L);
        assertThat(report.logicalEnd()).isEqualTo(pdf.length);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_xrefStreamWithObjectStream_isAccepted() {
        // given: pages in a compressed object stream, the xref in a predicted stream
        PdfBuilder b = new PdfBuilder("1.5");
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        b.objStm(6, objects(2, "<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 >>",
                3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                7, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"));
        b.stream(4, "", ascii("BT /F1 24 Tf 72 720 Td (Hi) Tj ET"));
        byte[] pdf = b.xrefStream(8, "/Root 1 0 R").bytes();

        // when
        StructureReport report = parse(pdf);

        // then
        assertThat(report.frames()).isEqualTo(2L);
        assertThat(report.logicalEnd()).isEqualTo(pdf.length);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_incrementalUpdateWithPrev_isAccepted() {
        // given: a second revision replaces the page tree and appends its own xref with /Prev
        PdfBuilder b = onePage(new PdfBuilder(), "", "").classicXref("/Root 1 0 R");
        b.obj(2, "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>");
        b.obj(6, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
        byte[] pdf = b.classicXref("/Root 1 0 R /Prev {prev}").bytes();

        // when
        StructureReport report = parse(pdf);

        // then: the newer page tree counts
        assertThat(report.frames()).isEqualTo(2L);
        assertThat(report.logicalEnd()).isEqualTo(pdf.length);
    }

    @Test
    void parse_hybridFileWithXRefStm_isAcceptedThroughTheHiddenStream() {
        // given: the page tree is compressed; the table marks it free, the /XRefStm has it
        PdfBuilder b = new PdfBuilder("1.5");
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
        b.objStm(6, objects(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
        long hidden = b.hiddenXrefStream(8);
        b.free(2);
        byte[] pdf = b.classicXref("/Root 1 0 R /XRefStm " + hidden).bytes();

        // when
        StructureReport report = parse(pdf);

        // then
        assertThat(report.frames()).isEqualTo(1L);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_openActionDestinationOnly_isAccepted() {
        // given
        byte[] pdf = onePage(new PdfBuilder(), "/OpenAction [3 0 R /Fit]", "").classicXref("/Root 1 0 R").bytes();

        // when
        StructureReport report = parse(pdf);

        // then
        assertThat(report.frames()).isEqualTo(1L);
    }

    @Test
    void parse_pdfTextMentionsJavascript_isAccepted() {
        // given: the words in a content stream, in strings, in a hex string and in a comment, never as a name
        PdfBuilder b = new PdfBuilder();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R % /JavaScript /Launch /OpenAction in a comment\n>>");
        b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>");
        b.stream(4, "", ascii("BT /F1 12 Tf 72 712 Td (JavaScript is fun \\(/JS /AA\\)) Tj ET"));
        b.obj(5, "<< /Title (JavaScript \\(and /Launch\\) in a title) /Subject <2F4A617661536372697074> >>");
        byte[] pdf = b.classicXref("/Root 1 0 R /Info 5 0 R").bytes();

        // when
        StructureReport report = parse(pdf);

        // then
        assertThat(report.frames()).isEqualTo(1L);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_streamLengthAsIndirectReference_isAccepted() {
        // given
        PdfBuilder b = onePage(new PdfBuilder(), "", "");
        byte[] data = ascii("0 0 m 100 100 l S");
        b.raw("6 0 obj\n<< /Length 7 0 R >>\nstream\n", 6).raw(data).raw("\nendstream\nendobj\n");
        b.obj(7, Integer.toString(data.length));
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when
        StructureReport report = parse(pdf);

        // then
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void parse_streamLengthOffByTwo_isAcceptedWithWarning() {
        // given: /Length 2 bytes short, as writers that miscount an end of line do
        PdfBuilder b = onePage(new PdfBuilder(), "", "");
        b.raw("6 0 obj\n<< /Length 15 >>\nstream\n", 6).raw(ascii("0 0 m 100 100 l S")).raw("\nendstream\nendobj\n");
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when
        StructureReport report = parse(pdf);

        // then
        assertThat(report.warnings()).singleElement().satisfies(w ->
                assertThat(w.message()).contains("declares /Length 15", "actual length 17"));
    }

    // ------------------------------------------------------------------------------ active content

    @Test
    void parse_pdfOpenactionJavascript_isActiveContent() {
        // given
        PdfBuilder b = onePage(new PdfBuilder(), "/OpenAction 6 0 R", "");
        b.obj(6, "<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>");
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when / then
        assertActive(pdf, "/OpenAction", "/JavaScript", "object 6");
    }

    @Test
    void parse_pdfJsInNameHexEscaped_isActiveContent() {
        // given: /Java#53cript is /JavaScript once #53 is decoded
        byte[] pdf = onePage(new PdfBuilder(), "", "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 10 10]"
                + " /A << /S /Java#53cript /J#53 (app.alert\\(1\\)) >> >>]").classicXref("/Root 1 0 R").bytes();

        // when / then
        assertActive(pdf, "object 3", "/JavaScript");
    }

    @Test
    void parse_pdfJavascriptInObjectStream_isActiveContent() {
        // given: the catalog's name tree of scripts, Flate-compressed in an object stream
        PdfBuilder b = new PdfBuilder("1.5");
        b.objStm(6, objects(1, "<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 7 0 R >> >>",
                2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                7, "<< /Names [(x) << /S /JavaScript /JS (app.alert\\(1\\)) >>] >>"));
        byte[] pdf = b.xrefStream(8, "/Root 1 0 R").bytes();
        assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).doesNotContain("JavaScript");

        // when / then
        assertActive(pdf, "in object stream 6", "/JavaScript");
    }

    @Test
    void parse_pdfLaunchAction_isActiveContent() {
        // given
        byte[] pdf = onePage(new PdfBuilder(), "", "/Annots [6 0 R]")
                .obj(6, "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Launch /F (cmd.exe) >> >>")
                .classicXref("/Root 1 0 R").bytes();

        // when / then
        assertActive(pdf, "object 6", "/Launch");
    }

    @Test
    void parse_pdfEmbeddedFile_isActiveContent() {
        // given
        PdfBuilder b = onePage(new PdfBuilder(), "/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>", "");
        b.obj(6, "<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>");
        b.stream(7, "/Type /EmbeddedFile", ascii("MZ"));
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when / then
        assertActive(pdf, "object 1", "/EmbeddedFiles");
    }

    @Test
    void parse_pdfAaAdditionalActions_isActiveContent() {
        // given
        byte[] pdf = onePage(new PdfBuilder(), "", "/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>")
                .classicXref("/Root 1 0 R").bytes();

        // when / then
        assertActive(pdf, "object 3", "/AA");
    }

    @Test
    void parse_pdfRichmedia_isActiveContent() {
        // given
        byte[] pdf = onePage(new PdfBuilder(), "", "/Annots [6 0 R]")
                .obj(6, "<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>")
                .classicXref("/Root 1 0 R").bytes();

        // when / then
        assertActive(pdf, "object 6", "/RichMedia");
    }

    @Test
    void parse_pdfXfaForm_isActiveContent() {
        // given
        PdfBuilder b = onePage(new PdfBuilder(), "/AcroForm << /Fields [] /XFA 6 0 R >>", "");
        b.stream(6, "", ascii("<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"></xdp:xdp>"));
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when / then
        assertActive(pdf, "object 1", "/XFA");
    }

    // ------------------------------------------------------------------------------ broken structure

    @Test
    void parse_pdfMissingEof_isTruncated() {
        // given
        byte[] clean = onePage(new PdfBuilder(), "", "").classicXref("/Root 1 0 R").bytes();
        byte[] pdf = Arrays.copyOf(clean, clean.length - 6);

        // when / then
        assertRejected(pdf, ReasonCode.TRUNCATED, "no %%EOF");
    }

    @Test
    void parse_pdfStartxrefPastEof_isStructureInvalid() {
        // given
        byte[] pdf = replace(onePage(new PdfBuilder(), "", "").classicXref("/Root 1 0 R").bytes(),
                "startxref\n", "startxref\n99999");

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "startxref points to offset 99999");
    }

    @Test
    void parse_pdfXrefEntryPointsNowhere_isStructureInvalid() {
        // given: object 5's entry moved past the end of the file
        PdfBuilder b = onePage(new PdfBuilder(), "", "");
        String entry = String.format("%010d 00000 n\r\n", b.offsetOf(5));
        byte[] pdf = replace(b.classicXref("/Root 1 0 R").bytes(), entry, "0000099999 00000 n\r\n");

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "object 5's cross-reference entry points to offset 99999");
    }

    @Test
    void parse_pdfXrefEntryPointsIntoAnotherObject_isStructureInvalid() {
        // given: object 5's entry points at object 4
        PdfBuilder b = onePage(new PdfBuilder(), "", "");
        String entry = String.format("%010d 00000 n\r\n", b.offsetOf(5));
        String other = String.format("%010d 00000 n\r\n", b.offsetOf(4));
        byte[] pdf = replace(b.classicXref("/Root 1 0 R").bytes(), entry, other);

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "expected '5 0 obj', found '4 0 obj'");
    }

    @Test
    void parse_pdfUnbalancedDictionary_isStructureInvalid() {
        // given
        PdfBuilder b = new PdfBuilder();
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R");
        b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "object 1", "'endobj'", "expected a name key or '>>'");
    }

    @Test
    void parse_pdfPrevLoop_isStructureInvalid() {
        // given: the newest section's /Prev points at itself
        byte[] pdf = onePage(new PdfBuilder(), "", "").classicXref("/Root 1 0 R /Prev {xref}").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "loops back to offset");
    }

    @Test
    void parse_pdfObjstmZipBomb_isStructureInvalid() {
        // given: 17 MiB of zeros in 17 KB
        PdfBuilder b = onePage(new PdfBuilder("1.5"), "", "");
        b.stream(6, "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", deflate(new byte[17 << 20]));
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();
        assertThat(pdf.length).isLessThan(40_000);

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "object stream 6 decompresses beyond");
    }

    @Test
    void parse_pdfObjstmInflatesBeyond16MiB_isStructureInvalid() {
        // given: a 300-byte random block repeated to 17 MiB: compresses well, but not like a bomb
        byte[] block = new byte[300];
        new Random(7).nextBytes(block);
        byte[] big = new byte[17 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = block[i % block.length];
        }
        PdfBuilder b = onePage(new PdfBuilder("1.5"), "", "");
        b.stream(6, "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", deflate(big));
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "object stream 6 decompresses beyond 16 MiB");
    }

    @Test
    void parse_pdfNestedArraysTooDeep_isDepthLimit() {
        // given
        byte[] pdf = onePage(new PdfBuilder(), "", "")
                .obj(6, "[".repeat(40) + "]".repeat(40))
                .classicXref("/Root 1 0 R").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.DEPTH_LIMIT, "object 6", "nested 33 deep");
    }

    @Test
    void parse_pdfStreamLengthWildlyWrong_isStructureInvalid() {
        // given: /Length 5000 for 17 bytes
        PdfBuilder b = onePage(new PdfBuilder(), "", "");
        b.raw("6 0 obj\n<< /Length 5000 >>\nstream\n", 6).raw(ascii("0 0 m 100 100 l S")).raw("\nendstream\nendobj\n");
        byte[] pdf = b.classicXref("/Root 1 0 R").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "declares /Length 5000, expected 'endstream' within 32 bytes",
                "found it at offset");
    }

    @Test
    void parse_pdfNoRoot_isStructureInvalid() {
        // given
        byte[] pdf = onePage(new PdfBuilder(), "", "").classicXref("/Info 1 0 R").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "no /Root");
    }

    @Test
    void parse_pdfHeaderVersion3_isStructureInvalid() {
        // given
        byte[] pdf = onePage(new PdfBuilder("3.0"), "", "").classicXref("/Root 1 0 R").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "expected a header %PDF-1.0 to %PDF-2.0");
    }

    @Test
    void parse_pdfCompressedEntryNamesWrongObject_isStructureInvalid() {
        // given: the xref says object 7 is at index 1 of stream 6, which holds object 3 there
        PdfBuilder b = new PdfBuilder("1.5");
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        b.objStm(6, objects(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"));
        b.compressed.put(7, new int[] {6, 1});
        byte[] pdf = b.xrefStream(8, "/Root 1 0 R").bytes();

        // when / then
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "index 1 of object stream 6, which holds object 3 there");
    }

    @Test
    void parse_pdfObjstmFilterReferenceCycle_isStructureInvalid() {
        // given: each object stream's /Filter is an object compressed in the other
        PdfBuilder b = new PdfBuilder("1.5");
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
        b.stream(6, "/Type /ObjStm /N 1 /First 5 /Filter 11 0 R", ascii("10 0 << >>"));
        b.stream(7, "/Type /ObjStm /N 1 /First 5 /Filter 10 0 R", ascii("11 0 << >>"));
        b.compressed.put(10, new int[] {6, 0});
        b.compressed.put(11, new int[] {7, 0});
        byte[] pdf = b.xrefStream(12, "/Root 1 0 R").bytes();

        // when / then: no stack overflow, a bounded chain of look-ups
        assertRejected(pdf, ReasonCode.STRUCTURE_INVALID, "takes more than 8 nested look-ups");
    }

    @Test
    void validate_pdfWithZipAppended_isPolyglot() {
        // given: a ZIP's local header after %%EOF
        byte[] clean = onePage(new PdfBuilder(), "", "").classicXref("/Root 1 0 R").bytes();
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] pdf = Arrays.copyOf(clean, clean.length + zip.length);
        System.arraycopy(zip, 0, pdf, clean.length, zip.length);

        // when
        StructureValidator.Result result = new StructureValidator(Limits.DEFAULTS, f -> Optional.of(new PdfParser()))
                .validate(new ArrayByteSource(pdf), MediaFormat.PDF, "application/pdf", "a.pdf");

        // then
        assertThat(result.verdict().reasons()).anySatisfy(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.POLYGLOT);
            assertThat(r.message()).contains("ends at offset " + clean.length);
        });
    }

    // ------------------------------------------------------------------------------ helpers

    private StructureReport parse(byte[] pdf) {
        return parser.parse(Cursor.over(new ArrayByteSource(pdf), "PDF"), Limits.DEFAULTS);
    }

    private void assertActive(byte[] pdf, String... fragments) {
        assertRejected(pdf, ReasonCode.PDF_ACTIVE_CONTENT, fragments);
    }

    private void assertRejected(byte[] pdf, ReasonCode code, String... fragments) {
        // when
        MediaRejectedException e = catchThrowableOfType(() -> parse(pdf), MediaRejectedException.class);

        // then
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith("PDF: ").contains(fragments);
    }

    /** Objects 1 to 5: catalog, page tree, one page, its content, a font; extras go inside the dictionaries. */
    static PdfBuilder onePage(PdfBuilder b, String catalogExtra, String pageExtra) {
        b.obj(1, "<< /Type /Catalog /Pages 2 0 R " + catalogExtra + " >>");
        b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> >> " + pageExtra + " >>");
        b.stream(4, "", ascii("BT /F1 24 Tf 72 720 Td (Hello) Tj ET"));
        b.obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        return b;
    }

    static Map<Integer, String> objects(Object... numAndBody) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < numAndBody.length; i += 2) {
            m.put((Integer) numAndBody[i], (String) numAndBody[i + 1]);
        }
        return m;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] replace(byte[] pdf, String from, String to) {
        String s = new String(pdf, StandardCharsets.ISO_8859_1);
        assertThat(s).contains(from);
        return ascii(s.replace(from, to));
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /**
     * A tiny PDF writer that keeps real offsets. Objects written since the last cross-reference
     * section go into the next one: {@link #classicXref} (a table of 20-byte entries and a trailer)
     * or {@link #xrefStream} (a cross-reference stream, W [1 4 2], Flate with the PNG Up predictor).
     * In the trailer text, {xref} stands for this section's offset and {prev} for the previous one's.
     */
    static final class PdfBuilder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final TreeMap<Integer, Long> section = new TreeMap<>();
        private final TreeMap<Integer, Long> all = new TreeMap<>();
        /** Compressed objects of the next section: object -> {stream, index}. */
        final TreeMap<Integer, int[]> compressed = new TreeMap<>();
        private long lastXref = -1;
        private int size = 1;

        PdfBuilder() {
            this("1.7");
        }

        PdfBuilder(String version) {
            raw("%PDF-" + version + "\n%\u00e2\u00e3\u00cf\u00d3\n");
        }

        PdfBuilder raw(String s) {
            return raw(ascii(s));
        }

        PdfBuilder raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** Raw text that starts object {@code num}. */
        PdfBuilder raw(String s, int num) {
            mark(num);
            return raw(s);
        }

        long offsetOf(int num) {
            return all.get(num);
        }

        private void mark(int num) {
            section.put(num, (long) out.size());
            all.put(num, (long) out.size());
            size = Math.max(size, num + 1);
        }

        PdfBuilder obj(int num, String body) {
            mark(num);
            return raw(num + " 0 obj\n" + body + "\nendobj\n");
        }

        PdfBuilder stream(int num, String dict, byte[] data) {
            mark(num);
            raw(num + " 0 obj\n<< " + dict + " /Length " + data.length + " >>\nstream\n");
            return raw(data).raw("\nendstream\nendobj\n");
        }

        PdfBuilder objStm(int num, Map<Integer, String> objects) {
            StringBuilder header = new StringBuilder();
            StringBuilder body = new StringBuilder();
            int i = 0;
            for (Map.Entry<Integer, String> e : objects.entrySet()) {
                header.append(e.getKey()).append(' ').append(body.length()).append(' ');
                body.append(e.getValue()).append('\n');
                compressed.put(e.getKey(), new int[] {num, i++});
                size = Math.max(size, e.getKey() + 1);
            }
            byte[] data = deflate(ascii(header.toString() + body));
            return stream(num, "/Type /ObjStm /N " + objects.size() + " /First " + header.length()
                    + " /Filter /FlateDecode", data);
        }

        PdfBuilder classicXref(String trailer) {
            long at = out.size();
            StringBuilder sb = new StringBuilder("xref\n");
            TreeMap<Integer, Long> entries = new TreeMap<>(section);
            if (lastXref < 0) {
                entries.put(0, -1L);
            }
            Integer first = null;
            StringBuilder run = new StringBuilder();
            int count = 0;
            int prev = -2;
            for (Map.Entry<Integer, Long> e : entries.entrySet()) {
                if (e.getKey() != prev + 1 && first != null) {
                    sb.append(first).append(' ').append(count).append('\n').append(run);
                    run.setLength(0);
                    count = 0;
                    first = null;
                }
                if (first == null) {
                    first = e.getKey();
                }
                run.append(e.getValue() < 0 ? "0000000000 65535 f\r\n" : String.format("%010d 00000 n\r\n", e.getValue()));
                count++;
                prev = e.getKey();
            }
            if (first != null) {
                sb.append(first).append(' ').append(count).append('\n').append(run);
            }
            sb.append("trailer\n<< /Size ").append(size).append(' ').append(placeholders(trailer, at)).append(" >>\n");
            sb.append("startxref\n").append(at).append("\n%%EOF\n");
            raw(sb.toString());
            endSection(at);
            return this;
        }

        /** A free entry for {@code num} in the next classic table. */
        PdfBuilder free(int num) {
            section.put(num, -1L);
            return this;
        }

        /** The cross-reference stream of a hybrid file: the compressed entries only, no startxref. */
        long hiddenXrefStream(int num) {
            long at = out.size();
            TreeMap<Integer, long[]> entries = new TreeMap<>();
            compressed.forEach((n, si) -> entries.put(n, new long[] {2, si[0], si[1]}));
            size = Math.max(size, num + 1);
            writeXrefStream(num, entries, "");
            compressed.clear();
            return at;
        }

        PdfBuilder xrefStream(int num, String trailer) {
            long at = out.size();
            mark(num);
            TreeMap<Integer, long[]> entries = new TreeMap<>();
            if (lastXref < 0) {
                entries.put(0, new long[] {0, 0, 65535});
            }
            section.forEach((n, off) -> entries.put(n, new long[] {1, off, 0}));
            compressed.forEach((n, si) -> entries.put(n, new long[] {2, si[0], si[1]}));
            writeXrefStream(num, entries, placeholders(trailer, at));
            raw("startxref\n" + at + "\n%%EOF\n");
            endSection(at);
            return this;
        }

        private void writeXrefStream(int num, TreeMap<Integer, long[]> entries, String trailer) {
            StringBuilder index = new StringBuilder();
            int first = -1;
            int prev = -2;
            int count = 0;
            int row = 7;
            byte[] rows = new byte[entries.size() * (row + 1)];
            int r = 0;
            byte[] last = new byte[row];
            for (Map.Entry<Integer, long[]> e : entries.entrySet()) {
                if (e.getKey() != prev + 1 && first >= 0) {
                    index.append(first).append(' ').append(count).append(' ');
                    first = -1;
                    count = 0;
                }
                if (first < 0) {
                    first = e.getKey();
                }
                long[] f = e.getValue();
                byte[] raw = {(byte) f[0], (byte) (f[1] >> 24), (byte) (f[1] >> 16), (byte) (f[1] >> 8), (byte) f[1],
                        (byte) (f[2] >> 8), (byte) f[2]};
                rows[r * (row + 1)] = 2; // PNG Up
                for (int i = 0; i < row; i++) {
                    rows[r * (row + 1) + 1 + i] = (byte) (raw[i] - last[i]);
                }
                last = raw;
                r++;
                count++;
                prev = e.getKey();
            }
            index.append(first).append(' ').append(count);
            stream(num, "/Type /XRef /Size " + size + " /W [1 4 2] /Index [" + index + "] /Filter /FlateDecode"
                    + " /DecodeParms << /Predictor 12 /Columns " + row + " >> " + trailer, deflate(rows));
        }

        private String placeholders(String trailer, long at) {
            return trailer.replace("{xref}", Long.toString(at)).replace("{prev}", Long.toString(lastXref));
        }

        private void endSection(long at) {
            lastXref = at;
            section.clear();
            compressed.clear();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
