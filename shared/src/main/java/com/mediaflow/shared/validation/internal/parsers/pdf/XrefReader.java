package com.mediaflow.shared.validation.internal.parsers.pdf;

import static com.mediaflow.shared.validation.internal.parsers.pdf.PdfObject.describe;
import static com.mediaflow.shared.validation.internal.parsers.pdf.PdfObject.printable;

import com.mediaflow.shared.validation.io.Cursor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Every cross-reference section along the {@code /Prev} chain (loops and more than
 * {@value #MAX_SECTIONS} sections rejected): a classic {@code xref} table of 20-byte entries and
 * its {@code trailer}, or a cross-reference stream ({@code /W}, {@code /Index}, FlateDecode with PNG
 * predictors); hybrid files' {@code /XRefStm} too. Entries go to the {@link XrefTable}, with a
 * priority that makes newer sections win.
 */
final class XrefReader {
    private static final int MAX_SECTIONS = 100;

    private final PdfSession s;
    private final Cursor c;
    private final Src.File file;
    private final long size;
    private final XrefTable xref;
    private final ObjectStore objects;
    private final StreamFilters filters;

    XrefReader(PdfSession s, XrefTable xref, ObjectStore objects, StreamFilters filters) {
        this.s = s;
        this.c = s.c;
        this.file = s.file;
        this.size = s.size;
        this.xref = xref;
        this.objects = objects;
        this.filters = filters;
    }

    /** Reads the chain from {@code startxref}; returns the trailers, newest first. */
    List<PdfDict> readChain(long start) {
        List<PdfDict> trailers = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        long next = start;
        String from = "startxref";
        int section = 0;
        while (next >= 0) {
            if (next >= size) {
                throw c.invalid(from + " points to a cross-reference section at offset " + next
                        + ", past the end of the file at " + size);
            }
            if (!visited.add(next)) {
                throw c.invalid("the /Prev chain of cross-reference sections loops back to offset " + next);
            }
            if (++section > MAX_SECTIONS) {
                throw c.invalid("more than " + MAX_SECTIONS + " cross-reference sections");
            }
            PdfDict trailer;
            PdfLexer lx = s.lexer(next, "the cross-reference section at offset " + next);
            lx.next();
            if (lx.isKeyword("xref")) {
                trailer = classicSection(lx, section * 3);
                PdfObject xs = trailer.get("XRefStm");
                if (xs != null) {
                    long at = offsetValue(xs, "/XRefStm of the trailer of the section at offset " + next);
                    if (!visited.add(at)) {
                        throw c.invalid("/XRefStm of the section at offset " + next + " points to offset " + at
                                + ", which was already read");
                    }
                    if (++section > MAX_SECTIONS) {
                        throw c.invalid("more than " + MAX_SECTIONS + " cross-reference sections");
                    }
                    xrefStream(at, section * 3 - 2, "/XRefStm of the section at offset " + next);
                }
            } else if (lx.type == PdfLexer.Token.INT) {
                trailer = xrefStream(next, section * 3, from);
            } else {
                throw c.invalid(from + " points to offset " + next + ", expected 'xref' or a cross-reference stream"
                        + " object there, found " + lx.describe());
            }
            trailers.add(trailer);
            if (trailer.get("Encrypt") != null) {
                s.encrypted = true;
            }
            PdfObject prev = trailer.get("Prev");
            from = "/Prev of the section at offset " + next;
            next = prev == null ? -1 : offsetValue(prev, from);
        }
        return trailers;
    }

    private long offsetValue(PdfObject v, String what) {
        Long l = PdfNumber.integerOf(v);
        if (l != null && l >= 0) {
            return l;
        }
        throw c.invalid(what + " is " + describe(v) + ", expected a non-negative offset");
    }

    /** A classic table, from just after 'xref' to its trailer dictionary. */
    private PdfDict classicSection(PdfLexer lx, int prio) {
        long sectionAt = lx.start;
        long total = 0;
        while (true) {
            lx.next();
            if (lx.isKeyword("trailer")) {
                break;
            }
            if (lx.type != PdfLexer.Token.INT) {
                throw c.invalid("cross-reference table at offset " + sectionAt + ": expected a subsection header"
                        + " or 'trailer' at offset " + lx.start + ", found " + lx.describe());
            }
            long first = lx.num;
            long headerAt = lx.start;
            lx.next();
            if (lx.type != PdfLexer.Token.INT) {
                throw c.invalid("cross-reference subsection at offset " + headerAt + ": expected an entry count"
                        + " at offset " + lx.start + ", found " + lx.describe());
            }
            long count = lx.num;
            if (first < 0 || count < 0 || first + count - 1 > Integer.MAX_VALUE) {
                throw c.invalid("cross-reference subsection at offset " + headerAt + " declares objects " + first
                        + " to " + (first + count - 1) + ", expected 0.." + Integer.MAX_VALUE);
            }
            s.limits.checkEntries(PdfSession.FORMAT, count, "cross-reference subsection at offset " + headerAt);
            total += count;
            s.limits.checkEntries(PdfSession.FORMAT, total, "cross-reference table at offset " + sectionAt);
            long p = lx.pos;
            while (p < size && Src.isWhite(file.at(p))) {
                p++;
            }
            if (count > (size - p) / 20) {
                throw c.invalid("cross-reference subsection at offset " + headerAt + " declares " + count
                        + " entries (" + count * 20 + " bytes) at offset " + p + ", but only " + (size - p)
                        + " bytes remain");
            }
            for (long i = 0; i < count; i++, p += 20) {
                entry(first + i, p, prio);
            }
            lx.pos = p;
        }
        PdfLexer tl = s.lexer(lx.pos, "the trailer at offset " + lx.start);
        s.valuesInObject = 0;
        PdfObject t = tl.value(0);
        if (!(t instanceof PdfDict d)) {
            throw c.invalid("the trailer at offset " + lx.start + " is " + describe(t) + ", expected a dictionary");
        }
        return d;
    }

    /** One 20-byte entry {@code nnnnnnnnnn ggggg n} of a classic table, at {@code p}. */
    private void entry(long obj, long p, int prio) {
        long offset = file.digits(p, 10);
        long gen = file.digits(p + 11, 5);
        int kind = file.at(p + 17);
        int e1 = file.at(p + 18);
        int e2 = file.at(p + 19);
        if (offset < 0 || gen < 0 || file.at(p + 10) != ' ' || file.at(p + 16) != ' '
                || (kind != 'n' && kind != 'f')
                || !(e1 == ' ' || e1 == '\r' || e1 == '\n') || !(e2 == ' ' || e2 == '\r' || e2 == '\n')) {
            throw c.invalid("cross-reference entry for object " + obj + " at offset " + p
                    + " is '" + printable(file.text(p, 20)) + "', expected 'nnnnnnnnnn ggggg n' and an end of line"
                    + " (20 bytes)");
        }
        xref.add(obj, kind == 'n' ? XrefTable.AT_OFFSET : XrefTable.FREE, offset, gen, kind == 'n' ? prio : prio + 2);
    }

    /** A cross-reference stream object at {@code offset}; returns its dictionary, the trailer. */
    private PdfDict xrefStream(long offset, int prio, String from) {
        if (offset >= size) {
            throw c.invalid(from + " points to offset " + offset + ", past the end of the file at " + size);
        }
        PdfLexer lx = s.lexer(offset, "the cross-reference stream at offset " + offset);
        int num = objects.objectHeader(lx, -1, -1, from + " points to offset " + offset + ", expected an object there");
        lx.where = "the cross-reference stream (object " + num + ")";
        s.valuesInObject = 0;
        PdfObject v = lx.value(0);
        lx.next();
        if (!(v instanceof PdfDict d) || !lx.isKeyword("stream")) {
            throw c.invalid("object " + num + " at offset " + offset + " (" + from + ") is " + describe(v)
                    + ", expected a cross-reference stream");
        }
        if (!d.hasName("Type", "XRef")) {
            throw c.invalid("object " + num + " at offset " + offset + " (" + from + ") has /Type "
                    + describe(d.get("Type")) + ", expected /XRef");
        }
        PdfStream stream = objects.streamData(lx, d, num, 0, true);
        String what = "cross-reference stream (object " + num + ")";
        int[] widths = widths(d, what);
        int row = widths[0] + widths[1] + widths[2];
        Long sz = PdfNumber.integerOf(d.get("Size"));
        if (sz == null || sz < 0 || sz > Integer.MAX_VALUE) {
            throw c.invalid(what + " has /Size " + describe(d.get("Size")) + ", expected 0.." + Integer.MAX_VALUE);
        }
        long[] index = index(d, sz, what);
        long total = 0;
        for (int i = 0; i < index.length; i += 2) {
            if (index[i] + index[i + 1] - 1 > Integer.MAX_VALUE) {
                throw c.invalid(what + " has an /Index pair " + index[i] + " " + index[i + 1]
                        + ", expected objects within 0.." + Integer.MAX_VALUE);
            }
            total += index[i + 1];
            s.limits.checkEntries(PdfSession.FORMAT, total, what);
        }
        byte[] bytes = filters.decode(stream, what, UnaryOperator.identity());
        if (total > bytes.length / row) {
            throw c.invalid(what + " holds " + bytes.length + " bytes, expected at least " + total * row + " for "
                    + total + " entries of " + row + " bytes");
        }
        int p = 0;
        for (int i = 0; i < index.length; i += 2) {
            for (long k = 0; k < index[i + 1]; k++) {
                long type = widths[0] == 0 ? 1 : field(bytes, p, widths[0]);
                long f2 = field(bytes, p + widths[0], widths[1]);
                long f3 = field(bytes, p + widths[0] + widths[1], widths[2]);
                p += row;
                streamEntry(index[i] + k, type, f2, f3, prio, what);
            }
        }
        lx.next();
        if (!lx.isKeyword("endobj")) {
            throw c.invalid(what + ": expected 'endobj' at offset " + lx.start + ", found " + lx.describe());
        }
        return d;
    }

    /** /W: three field widths of 0..8 bytes, not all 0. */
    private int[] widths(PdfDict d, String what) {
        if (!(d.get("W") instanceof PdfArray w) || w.size() != 3) {
            throw c.invalid(what + " has /W " + describe(d.get("W")) + ", expected an array of 3 widths");
        }
        int[] widths = new int[3];
        int row = 0;
        for (int i = 0; i < 3; i++) {
            Long l = PdfNumber.integerOf(w.get(i));
            if (l == null || l < 0 || l > 8) {
                throw c.invalid(what + " has /W " + describe(w) + ", expected widths 0..8");
            }
            widths[i] = l.intValue();
            row += widths[i];
        }
        if (row == 0) {
            throw c.invalid(what + " has /W [0 0 0], expected entries of at least one byte");
        }
        return widths;
    }

    /** /Index: pairs of first object and count; by default one pair 0 /Size. */
    private long[] index(PdfDict d, long sz, String what) {
        PdfObject ix = d.get("Index");
        if (ix == null) {
            return new long[] {0, sz};
        }
        if (!(ix instanceof PdfArray il) || il.size() % 2 != 0) {
            throw c.invalid(what + " has /Index " + describe(ix) + ", expected pairs of first object and count");
        }
        long[] index = new long[il.size()];
        for (int i = 0; i < il.size(); i++) {
            Long l = PdfNumber.integerOf(il.get(i));
            if (l == null || l < 0) {
                throw c.invalid(what + " has /Index " + describe(ix) + ", expected non-negative integers");
            }
            index[i] = l;
        }
        return index;
    }

    private void streamEntry(long obj, long type, long f2, long f3, int prio, String what) {
        if (type == 0) {
            xref.add(obj, XrefTable.FREE, 0, 0, prio + 2);
        } else if (type == 1) {
            if (f3 < 0 || f3 > 65535) {
                throw c.invalid(what + ": entry for object " + obj + " has generation " + f3 + ", expected 0..65535");
            }
            xref.add(obj, XrefTable.AT_OFFSET, f2, f3, prio);
        } else if (type == 2) {
            if (f2 < 0 || f2 > Integer.MAX_VALUE || f3 < 0 || f3 > Integer.MAX_VALUE) {
                throw c.invalid(what + ": entry for object " + obj + " points to index " + f3
                        + " of object stream " + f2 + ", expected both within 0.." + Integer.MAX_VALUE);
            }
            xref.add(obj, XrefTable.COMPRESSED, f2, f3, prio);
        }
        // other types are references to the null object (7.5.8.3): nothing to keep
    }

    private static long field(byte[] b, int at, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
