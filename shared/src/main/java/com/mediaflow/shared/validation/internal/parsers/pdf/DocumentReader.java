package com.mediaflow.shared.validation.internal.parsers.pdf;

import static com.mediaflow.shared.validation.internal.parsers.pdf.PdfObject.describe;
import static com.mediaflow.shared.validation.internal.parsers.pdf.PdfObject.printable;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One parse of one file, in order: header, tail ({@code %%EOF}, {@code startxref}), the
 * cross-reference chain, the catalog (its /OpenAction and page count), then every in-use object of
 * every section in file order (object streams with their objects), then the compressed entries.
 */
final class DocumentReader {
    /** %%EOF must lie within this many bytes of the end. */
    private static final int TAIL = 1024;

    private final PdfSession s;
    private final Cursor c;
    private final Src.File file;
    private final long size;
    private final XrefTable xref = new XrefTable();
    private final ObjectStore objects;
    private final XrefReader xrefReader;
    private final Map<Integer, int[]> objStmHeaders = new HashMap<>();

    DocumentReader(Cursor c, Limits limits) {
        this.s = new PdfSession(c, limits);
        this.c = c;
        this.file = s.file;
        this.size = s.size;
        StreamFilters filters = new StreamFilters(c);
        this.objects = new ObjectStore(s, xref, filters);
        this.xrefReader = new XrefReader(s, xref, objects, filters);
    }

    StructureReport read() {
        header();
        long[] tail = tail();
        List<PdfDict> trailers = xrefReader.readChain(tail[0]);
        xref.build();
        catalog(trailers);
        scanObjects();
        verifyCompressedEntries();
        return s.report.logicalEnd(tail[1]).build();
    }

    // ------------------------------------------------------------------------------ header/tail

    private void header() {
        byte[] h = new byte[(int) Math.min(9, size)];
        for (int i = 0; i < h.length; i++) {
            h[i] = (byte) file.at(i);
        }
        String t = new String(h, StandardCharsets.ISO_8859_1);
        boolean ok = t.length() >= 8 && t.startsWith("%PDF-")
                && ((t.charAt(5) == '1' && t.charAt(6) == '.' && t.charAt(7) >= '0' && t.charAt(7) <= '7')
                || t.startsWith("%PDF-2.0"))
                && (t.length() == 8 || !Character.isDigit(t.charAt(8)));
        if (!ok) {
            throw c.invalid("expected a header %PDF-1.0 to %PDF-2.0 at offset 0, found '" + printable(t) + "'");
        }
    }

    /** {startxref offset, logical end}. */
    private long[] tail() {
        int len = (int) Math.min(size, TAIL + 64);
        long base = size - len;
        byte[] t = new byte[len];
        for (int i = 0; i < len; i++) {
            t[i] = (byte) file.at(base + i);
        }
        int eof = -1;
        for (int i = len - 5; i >= 0 && base + i >= size - TAIL; i--) {
            if (t[i] == '%' && t[i + 1] == '%' && t[i + 2] == 'E' && t[i + 3] == 'O' && t[i + 4] == 'F') {
                eof = i;
                break;
            }
        }
        if (eof < 0) {
            throw c.truncated("no %%EOF in the last " + TAIL + " bytes of " + size + ", expected the end-of-file marker");
        }
        long end = base + eof + 5;
        if (file.at(end) == '\r') {
            end++;
        }
        if (file.at(end) == '\n') {
            end++;
        }
        int sx = -1;
        byte[] kw = "startxref".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = eof - kw.length; i >= 0 && sx < 0; i--) {
            boolean match = true;
            for (int k = 0; k < kw.length && match; k++) {
                match = t[i + k] == kw[k];
            }
            if (match) {
                sx = i;
            }
        }
        if (sx < 0) {
            throw c.invalid("no 'startxref' before the %%EOF at offset " + (base + eof));
        }
        int p = sx + kw.length;
        while (p < eof && Src.isWhite(t[p] & 0xFF)) {
            p++;
        }
        long offset = 0;
        int digits = 0;
        while (p < eof && t[p] >= '0' && t[p] <= '9' && digits < 19) {
            offset = offset * 10 + (t[p] - '0');
            p++;
            digits++;
        }
        if (digits == 0 || (p < eof && t[p] >= '0' && t[p] <= '9')) {
            throw c.invalid("'startxref' at offset " + (base + sx) + " is not followed by an offset");
        }
        if (offset >= size) {
            throw c.invalid("startxref points to offset " + offset + ", past the end of the file at " + size);
        }
        return new long[] {offset, end};
    }

    // ------------------------------------------------------------------------------ catalog

    private void catalog(List<PdfDict> trailers) {
        PdfObject rootRef = null;
        for (PdfDict t : trailers) {
            rootRef = t.get("Root");
            if (rootRef != null) {
                break;
            }
        }
        if (rootRef == null) {
            throw c.invalid("the trailer has no /Root, expected a reference to the document catalog");
        }
        if (!(rootRef instanceof PdfRef r)) {
            throw c.invalid("the trailer's /Root is " + describe(rootRef) + ", expected a reference");
        }
        PdfObject root = objects.resolve(r, 0);
        if (!(root instanceof PdfDict cat)) {
            throw c.invalid("/Root " + r + " is " + describe(root) + ", expected the catalog dictionary");
        }
        s.risks.openAction(cat, r, v -> objects.resolve(v, 0));
        s.risks.throwIfActive();
        try {
            PdfObject pages = objects.resolve(cat.get("Pages"), 0);
            PdfObject count = pages instanceof PdfDict pd ? objects.resolve(pd.get("Count"), 0) : null;
            Long n = PdfNumber.integerOf(count);
            if (n != null && n >= 0) {
                s.report.frames(n);
            } else {
                s.warn("the page count is unreadable: /Pages is " + describe(pages)
                        + (pages instanceof PdfDict ? " with /Count " + describe(count) : ""));
            }
        } catch (MediaRejectedException e) {
            s.warn("the page count is unreadable: " + e.getMessage());
        }
        s.risks.throwIfActive();
    }

    // ------------------------------------------------------------------------------ the scan

    /** Parses every in-use object of every section, in file order, and every object stream. */
    private void scanObjects() {
        long[] order = new long[xref.n];
        int k = 0;
        for (int i = 0; i < xref.n; i++) {
            if (xref.type[i] == XrefTable.AT_OFFSET) {
                long off = xref.f2[i];
                if (off < 0 || off >= size) {
                    throw objects.pointsNowhere(xref.num[i], off);
                }
                order[k++] = (off << XrefTable.INDEX_BITS) | i;
            }
        }
        order = Arrays.copyOf(order, k);
        Arrays.sort(order);
        long lastOff = -1;
        int lastIdx = -1;
        for (long key : order) {
            long off = key >>> XrefTable.INDEX_BITS;
            int idx = XrefTable.keyIndex(key);
            if (off == lastOff && xref.num[idx] == xref.num[lastIdx] && xref.f3[idx] == xref.f3[lastIdx]) {
                continue;
            }
            lastOff = off;
            lastIdx = idx;
            scanObject(off, xref.num[idx], (int) xref.f3[idx]);
            s.risks.throwIfActive();
        }
    }

    private void scanObject(long off, int num, int gen) {
        PdfLexer lx = s.lexer(off, "object " + num);
        objects.objectHeader(lx, num, gen, "object " + num + "'s cross-reference entry points to offset " + off);
        s.valuesInObject = 0;
        PdfObject v = lx.value(0);
        if (xref.inForceAt(num, off, gen)) {
            objects.cacheScalar(num, v);
        }
        lx.next();
        if (lx.isKeyword("stream")) {
            if (!(v instanceof PdfDict d)) {
                throw c.invalid("object " + num + " at offset " + off + " is " + describe(v)
                        + " followed by 'stream', expected a dictionary before a stream");
            }
            PdfStream stream = objects.streamData(lx, d, num, 0, false);
            if (d.hasName("Type", "ObjStm")) {
                scanObjectStream(off, num, stream);
            }
            lx.next();
        }
        if (!lx.isKeyword("endobj")) {
            throw c.invalid("object " + num + " at offset " + off + ": expected 'endobj' at offset " + lx.start
                    + ", found " + lx.describe());
        }
    }

    /** Every object in object stream {@code num}, each one value alone. */
    private void scanObjectStream(long off, int num, PdfStream stream) {
        ObjectStore.ObjStm os = objects.decodeObjStm(num, stream, 0);
        boolean inForce = xref.inForceAt(num, off, -1);
        if (inForce) {
            objStmHeaders.put(num, os.nums);
        }
        for (int i = 0; i < os.nums.length; i++) {
            PdfLexer ol = os.lexer(i);
            s.valuesInObject = 0;
            PdfObject ov = ol.value(0);
            int oe = xref.lookup(os.nums[i]);
            if (inForce && oe >= 0 && xref.type[oe] == XrefTable.COMPRESSED && xref.f2[oe] == num && xref.f3[oe] == i) {
                objects.cacheScalar(os.nums[i], ov);
            }
            ol.next();
            if (ol.type != PdfLexer.Token.EOF) {
                throw c.invalid(ol.where + ": expected one value, found " + ol.describe()
                        + " after it at offset " + ol.start + " (decoded)");
            }
            s.risks.throwIfActive();
        }
    }

    /** The newest entry of every compressed object must name what its object stream holds. */
    private void verifyCompressedEntries() {
        int prev = -1;
        for (long key : xref.sorted) {
            int num = XrefTable.keyNum(key);
            if (num == prev) {
                continue;
            }
            prev = num;
            int idx = XrefTable.keyIndex(key);
            if (xref.type[idx] != XrefTable.COMPRESSED) {
                continue;
            }
            int stream = (int) xref.f2[idx];
            int[] nums = objStmHeaders.get(stream);
            if (nums == null) {
                throw c.invalid("object " + num + " is in object stream " + stream + " per the cross-reference,"
                        + " but object " + stream + " is not an object stream in use");
            }
            objects.checkInStream(num, stream, xref.f3[idx], nums);
        }
    }
}
