package com.mediaflow.shared.validation.parsers;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PDF (ISO 32000), parsed by us and strictly: a lenient reader repairs a broken file by guessing,
 * and two readers that guess differently are how active content slips past a check.
 *
 * <ul>
 *   <li>{@code %PDF-1.0}..{@code %PDF-2.0} at offset 0; {@code %%EOF} in the last 1024 bytes
 *       (TRUNCATED without); {@code startxref} pointing inside the file.</li>
 *   <li>Every cross-reference section along the {@code /Prev} chain (loops and more than
 *       {@value #MAX_SECTIONS} sections rejected): a classic {@code xref} table of 20-byte entries
 *       and its {@code trailer}, or a cross-reference stream ({@code /W}, {@code /Index},
 *       FlateDecode with PNG predictors); hybrid files' {@code /XRefStm} too. A {@code /Root}.</li>
 *   <li>Every in-use entry of every section: the object at its offset must be {@code n g obj},
 *       with n and g as the entry says, one value (a tokenizer of 7.2-7.3: comments, numbers,
 *       literal and hex strings, names with {@code #xx} decoded, arrays, dictionaries, references),
 *       an optional stream, and {@code endobj}. Object streams are inflated (capped per stream,
 *       in total, and by ratio) and every object in them parsed; each compressed entry must name
 *       the object that its object stream holds at its index.</li>
 *   <li>Active content, found on parsed names (so {@code /Java#53cript} counts, a string
 *       {@code (JavaScript)} or a comment does not): the keys or values {@code /JavaScript},
 *       {@code /JS}, {@code /AA}, {@code /Launch}, {@code /EmbeddedFile(s)}, {@code /RichMedia},
 *       {@code /XFA}, the key {@code /EF}, and an {@code /OpenAction} whose action is JavaScript or
 *       Launch. Content streams are operators, not objects, and are not read.</li>
 * </ul>
 *
 * <p>A stream's {@code /Length} (direct, or a reference resolved through the cross-reference) must
 * lead to {@code endstream}; when it does not but {@code endstream} lies within
 * {@value #LENGTH_SLACK} bytes of where it says, the real length is used and a warning recorded
 * (writers that miscount an end-of-line); further off is STRUCTURE_INVALID, because then readers
 * disagree about where the stream ends. Encrypted files whose objects sit in object streams, and
 * object streams with filters other than FlateDecode, cannot be inspected: UNSUPPORTED_TYPE.
 */
public final class PdfParser implements FormatParser {
    static final String FORMAT = "PDF";
    /** %%EOF must lie within this many bytes of the end. */
    private static final int TAIL = 1024;
    private static final int MAX_SECTIONS = 100;
    /** Our own cap on cross-reference entries kept in memory (also index bits of a sort key). */
    private static final int MAX_XREF_ENTRIES = 1 << 21;
    private static final int MAX_VALUES_PER_OBJECT = 1_000_000;
    private static final long MAX_TOKENS = 100_000_000L;
    private static final int MAX_TOKEN = 255;
    private static final int MAX_NAME = 1024;
    private static final int MAX_STRING = 4 * 1024 * 1024;
    /** A backstop for the recursion if MAX_NESTING_DEPTH is configured very high. */
    private static final int HARD_DEPTH = 256;
    private static final int MAX_HOPS = 8;
    private static final int MAX_INFLATED_STREAM = 16 * 1024 * 1024;
    private static final long MAX_INFLATED_TOTAL = 64L * 1024 * 1024;
    private static final int MAX_RATIO = 1000;
    private static final int RATIO_AFTER = 1024 * 1024;
    private static final int LENGTH_SLACK = 32;
    /** How far past a wrong /Length 'endstream' is looked for, to say where it is. */
    private static final int ENDSTREAM_SEARCH = 64 * 1024;
    private static final int MAX_WARNINGS = 10;
    private static final int MAX_SCALAR_CACHE = 100_000;

    /** Active content by name, and what it is. */
    private static final Map<String, String> ACTIVE = Map.of(
            "JavaScript", "JavaScript",
            "JS", "JavaScript",
            "AA", "additional actions",
            "Launch", "a launch action",
            "EmbeddedFile", "an embedded file",
            "EmbeddedFiles", "embedded files",
            "RichMedia", "rich media",
            "XFA", "an XFA form");
    /** Active only as a dictionary key: a file specification's embedded file streams. */
    private static final Map<String, String> ACTIVE_KEYS = Map.of("EF", "an embedded file");

    @Override
    public StructureReport parse(Cursor cursor, Limits limits) {
        return new Run(cursor, limits).parse();
    }

    // ---------------------------------------------------------------------------------------- values

    private record Name(String value) {
        @Override
        public String toString() {
            return "/" + value;
        }
    }

    private record Ref(int num, int gen) {
        @Override
        public String toString() {
            return num + " " + gen + " R";
        }
    }

    /** Values whose content we never need. */
    private enum Atom { NULL, STRING }

    // ---------------------------------------------------------------------------------------- bytes

    /** Bytes for the lexer: the file, or an inflated object stream. {@link #at} is -1 outside. */
    private interface Src {
        int at(long pos);

        long end();
    }

    private static final class FileSrc implements Src {
        private final Cursor c;
        private final long size;

        FileSrc(Cursor c) {
            this.c = c;
            this.size = c.sourceSize();
        }

        @Override
        public int at(long pos) {
            return pos < 0 || pos >= size ? -1 : c.peek(pos);
        }

        @Override
        public long end() {
            return size;
        }
    }

    private static final class ArraySrc implements Src {
        private final byte[] b;
        private final int from;
        private final int to;

        ArraySrc(byte[] b, int from, int to) {
            this.b = b;
            this.from = from;
            this.to = to;
        }

        @Override
        public int at(long pos) {
            return pos < from || pos >= to ? -1 : b[(int) pos] & 0xFF;
        }

        @Override
        public long end() {
            return to;
        }
    }

    static boolean isWhite(int b) {
        return b == 0 || b == 9 || b == 10 || b == 12 || b == 13 || b == 32;
    }

    static boolean isDelimiter(int b) {
        return b == '(' || b == ')' || b == '<' || b == '>' || b == '[' || b == ']' || b == '{' || b == '}' || b == '/'
                || b == '%';
    }

    static boolean isRegular(int b) {
        return b >= 0 && !isWhite(b) && !isDelimiter(b);
    }

    static int hex(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------- the run

    /** The state of one parse. */
    private static final class Run {
        private final Cursor c;
        private final Limits limits;
        private final FileSrc file;
        private final long size;
        private final StructureReport.Builder report = StructureReport.builder();
        private final Xref xref = new Xref();
        private final List<Map<String, Object>> trailers = new ArrayList<>();
        private final Map<Integer, int[]> objStmHeaders = new HashMap<>();
        private final Map<Integer, Object> scalarCache = new HashMap<>();
        private long tokens;
        private long valuesInObject;
        private long inflatedTotal;
        private long objStmObjects;
        private int warnings;
        private boolean encrypted;
        private String activeFinding;
        private ObjStm lastObjStm;

        Run(Cursor c, Limits limits) {
            this.c = c;
            this.limits = limits;
            this.file = new FileSrc(c);
            this.size = c.sourceSize();
        }

        StructureReport parse() {
            header();
            long[] tail = tail();
            long startxref = tail[0];
            readXrefChain(startxref);
            xref.build();
            catalog();
            scanObjects();
            verifyCompressedEntries();
            return report.logicalEnd(tail[1]).build();
        }

        // ------------------------------------------------------------------------------ header/tail

        private void header() {
            byte[] h = new byte[(int) Math.min(9, size)];
            for (int i = 0; i < h.length; i++) {
                h[i] = (byte) file.at(i);
            }
            String s = new String(h, StandardCharsets.ISO_8859_1);
            boolean ok = s.length() >= 8 && s.startsWith("%PDF-")
                    && ((s.charAt(5) == '1' && s.charAt(6) == '.' && s.charAt(7) >= '0' && s.charAt(7) <= '7')
                    || s.startsWith("%PDF-2.0"))
                    && (s.length() == 8 || !Character.isDigit(s.charAt(8)));
            if (!ok) {
                throw c.invalid("expected a header %PDF-1.0 to %PDF-2.0 at offset 0, found '" + printable(s) + "'");
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
            while (p < eof && isWhite(t[p] & 0xFF)) {
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

        // ------------------------------------------------------------------------------ xref

        private void readXrefChain(long start) {
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
                Map<String, Object> trailer;
                Lexer lx = new Lexer(file, next, "the cross-reference section at offset " + next);
                lx.next();
                if (lx.type == Lexer.KEYWORD && lx.text.equals("xref")) {
                    trailer = classicSection(lx, section * 3);
                    Object xs = trailer.get("XRefStm");
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
                } else if (lx.type == Lexer.INT) {
                    trailer = xrefStream(next, section * 3, from);
                } else {
                    throw c.invalid(from + " points to offset " + next + ", expected 'xref' or a cross-reference stream"
                            + " object there, found " + lx.describe());
                }
                trailers.add(trailer);
                if (trailer.get("Encrypt") != null) {
                    encrypted = true;
                }
                Object prev = trailer.get("Prev");
                from = "/Prev of the section at offset " + next;
                next = prev == null ? -1 : offsetValue(prev, from);
            }
        }

        private long offsetValue(Object v, String what) {
            if (v instanceof Long l && l >= 0) {
                return l;
            }
            throw c.invalid(what + " is " + describe(v) + ", expected a non-negative offset");
        }

        /** A classic table, from just after 'xref' to its trailer dictionary. */
        private Map<String, Object> classicSection(Lexer lx, int prio) {
            long sectionAt = lx.start;
            long total = 0;
            while (true) {
                lx.next();
                if (lx.type == Lexer.KEYWORD && lx.text.equals("trailer")) {
                    break;
                }
                if (lx.type != Lexer.INT) {
                    throw c.invalid("cross-reference table at offset " + sectionAt + ": expected a subsection header"
                            + " or 'trailer' at offset " + lx.start + ", found " + lx.describe());
                }
                long first = lx.num;
                long headerAt = lx.start;
                lx.next();
                if (lx.type != Lexer.INT) {
                    throw c.invalid("cross-reference subsection at offset " + headerAt + ": expected an entry count"
                            + " at offset " + lx.start + ", found " + lx.describe());
                }
                long count = lx.num;
                if (first < 0 || count < 0 || first + count - 1 > Integer.MAX_VALUE) {
                    throw c.invalid("cross-reference subsection at offset " + headerAt + " declares objects " + first
                            + " to " + (first + count - 1) + ", expected 0.." + Integer.MAX_VALUE);
                }
                limits.checkEntries(FORMAT, count, "cross-reference subsection at offset " + headerAt);
                total += count;
                limits.checkEntries(FORMAT, total, "cross-reference table at offset " + sectionAt);
                long p = lx.pos;
                while (p < size && isWhite(file.at(p))) {
                    p++;
                }
                if (count > (size - p) / 20) {
                    throw c.invalid("cross-reference subsection at offset " + headerAt + " declares " + count
                            + " entries (" + count * 20 + " bytes) at offset " + p + ", but only " + (size - p)
                            + " bytes remain");
                }
                for (long i = 0; i < count; i++, p += 20) {
                    long offset = digits(p, 10);
                    long gen = digits(p + 11, 5);
                    int kind = file.at(p + 17);
                    int e1 = file.at(p + 18);
                    int e2 = file.at(p + 19);
                    if (offset < 0 || gen < 0 || file.at(p + 10) != ' ' || file.at(p + 16) != ' '
                            || (kind != 'n' && kind != 'f')
                            || !(e1 == ' ' || e1 == '\r' || e1 == '\n') || !(e2 == ' ' || e2 == '\r' || e2 == '\n')) {
                        throw c.invalid("cross-reference entry for object " + (first + i) + " at offset " + p
                                + " is '" + printable(text(p, 20)) + "', expected 'nnnnnnnnnn ggggg n' and an end of line"
                                + " (20 bytes)");
                    }
                    xref.add(first + i, kind == 'n' ? 1 : 0, offset, gen, kind == 'n' ? prio : prio + 2);
                }
                lx.pos = p;
            }
            Lexer tl = new Lexer(file, lx.pos, "the trailer at offset " + lx.start);
            valuesInObject = 0;
            Object t = tl.value(0);
            if (!(t instanceof Map<?, ?>)) {
                throw c.invalid("the trailer at offset " + lx.start + " is " + describe(t) + ", expected a dictionary");
            }
            return dict(t);
        }

        private long digits(long p, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                int b = file.at(p + i);
                if (b < '0' || b > '9') {
                    return -1;
                }
                v = v * 10 + (b - '0');
            }
            return v;
        }

        private String text(long p, int n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int b = file.at(p + i);
                if (b < 0) {
                    break;
                }
                sb.append((char) b);
            }
            return sb.toString();
        }

        /** A cross-reference stream object at {@code offset}; returns its dictionary, the trailer. */
        private Map<String, Object> xrefStream(long offset, int prio, String from) {
            if (offset >= size) {
                throw c.invalid(from + " points to offset " + offset + ", past the end of the file at " + size);
            }
            Lexer lx = new Lexer(file, offset, "the cross-reference stream at offset " + offset);
            int num = objectHeader(lx, -1, -1, from + " points to offset " + offset + ", expected an object there");
            lx.where = "the cross-reference stream (object " + num + ")";
            valuesInObject = 0;
            Object v = lx.value(0);
            lx.next();
            if (!(v instanceof Map<?, ?>) || lx.type != Lexer.KEYWORD || !lx.text.equals("stream")) {
                throw c.invalid("object " + num + " at offset " + offset + " (" + from + ") is " + describe(v)
                        + ", expected a cross-reference stream");
            }
            Map<String, Object> d = dict(v);
            if (!(d.get("Type") instanceof Name t) || !t.value().equals("XRef")) {
                throw c.invalid("object " + num + " at offset " + offset + " (" + from + ") has /Type "
                        + describe(d.get("Type")) + ", expected /XRef");
            }
            long[] data = streamData(lx, d, num, 0, true);
            String what = "cross-reference stream (object " + num + ")";
            if (!(d.get("W") instanceof List<?> w) || w.size() != 3) {
                throw c.invalid(what + " has /W " + describe(d.get("W")) + ", expected an array of 3 widths");
            }
            int[] widths = new int[3];
            int row = 0;
            for (int i = 0; i < 3; i++) {
                if (!(w.get(i) instanceof Long l) || l < 0 || l > 8) {
                    throw c.invalid(what + " has /W " + describe(w) + ", expected widths 0..8");
                }
                widths[i] = l.intValue();
                row += widths[i];
            }
            if (row == 0) {
                throw c.invalid(what + " has /W [0 0 0], expected entries of at least one byte");
            }
            if (!(d.get("Size") instanceof Long sz) || sz < 0 || sz > Integer.MAX_VALUE) {
                throw c.invalid(what + " has /Size " + describe(d.get("Size")) + ", expected 0.." + Integer.MAX_VALUE);
            }
            long[] index;
            Object ix = d.get("Index");
            if (ix == null) {
                index = new long[] {0, sz};
            } else {
                if (!(ix instanceof List<?> il) || il.size() % 2 != 0) {
                    throw c.invalid(what + " has /Index " + describe(ix) + ", expected pairs of first object and count");
                }
                index = new long[il.size()];
                for (int i = 0; i < il.size(); i++) {
                    if (!(il.get(i) instanceof Long l) || l < 0) {
                        throw c.invalid(what + " has /Index " + describe(ix) + ", expected non-negative integers");
                    }
                    index[i] = l;
                }
            }
            long total = 0;
            for (int i = 0; i < index.length; i += 2) {
                if (index[i] + index[i + 1] - 1 > Integer.MAX_VALUE) {
                    throw c.invalid(what + " has an /Index pair " + index[i] + " " + index[i + 1]
                            + ", expected objects within 0.." + Integer.MAX_VALUE);
                }
                total += index[i + 1];
                limits.checkEntries(FORMAT, total, what);
            }
            byte[] bytes = decode(d, data[0], data[1], what, true, 0);
            if (total > bytes.length / row) {
                throw c.invalid(what + " holds " + bytes.length + " bytes, expected at least " + total * row + " for "
                        + total + " entries of " + row + " bytes");
            }
            int p = 0;
            for (int i = 0; i < index.length; i += 2) {
                long first = index[i];
                long count = index[i + 1];
                for (long k = 0; k < count; k++) {
                    long type = widths[0] == 0 ? 1 : field(bytes, p, widths[0]);
                    long f2 = field(bytes, p + widths[0], widths[1]);
                    long f3 = field(bytes, p + widths[0] + widths[1], widths[2]);
                    p += row;
                    long obj = first + k;
                    if (type == 0) {
                        xref.add(obj, 0, 0, 0, prio + 2);
                    } else if (type == 1) {
                        if (f3 < 0 || f3 > 65535) {
                            throw c.invalid(what + ": entry for object " + obj + " has generation " + f3
                                    + ", expected 0..65535");
                        }
                        xref.add(obj, 1, f2, f3, prio);
                    } else if (type == 2) {
                        if (f2 < 0 || f2 > Integer.MAX_VALUE || f3 < 0 || f3 > Integer.MAX_VALUE) {
                            throw c.invalid(what + ": entry for object " + obj + " points to index " + f3
                                    + " of object stream " + f2 + ", expected both within 0.." + Integer.MAX_VALUE);
                        }
                        xref.add(obj, 2, f2, f3, prio);
                    }
                    // other types are references to the null object (7.5.8.3): nothing to keep
                }
            }
            lx.next();
            if (lx.type != Lexer.KEYWORD || !lx.text.equals("endobj")) {
                throw c.invalid(what + ": expected 'endobj' at offset " + lx.start + ", found " + lx.describe());
            }
            return d;
        }

        private static long field(byte[] b, int at, int width) {
            long v = 0;
            for (int i = 0; i < width; i++) {
                v = (v << 8) | (b[at + i] & 0xFF);
            }
            return v;
        }

        // ------------------------------------------------------------------------------ objects

        /**
         * Reads {@code num gen obj} where the lexer stands; -1 for either means "any".
         *
         * @return the object number
         */
        private int objectHeader(Lexer lx, int num, int gen, String what) {
            long at = lx.pos;
            lx.next();
            long n = lx.type == Lexer.INT ? lx.num : -1;
            String first = lx.describe();
            lx.next();
            long g = lx.type == Lexer.INT ? lx.num : -1;
            lx.next();
            boolean obj = lx.type == Lexer.KEYWORD && lx.text.equals("obj");
            if (n < 0 || n > Integer.MAX_VALUE || g < 0 || g > 65535 || !obj || (num >= 0 && n != num)
                    || (gen >= 0 && g != gen)) {
                String expected = num >= 0 ? "'" + num + " " + gen + " obj'" : "'n g obj'";
                String found = n >= 0 && g >= 0 && obj ? "'" + n + " " + g + " obj'" : first;
                throw c.invalid(what + " (offset " + at + "), expected " + expected + ", found " + found);
            }
            return (int) n;
        }

        /**
         * After 'stream' (the lexer just past the keyword): where the data is, as {start, length},
         * with the lexer left just past 'endstream'.
         */
        private long[] streamData(Lexer lx, Map<String, Object> d, int num, int hops, boolean directLength) {
            long p = lx.pos;
            int b = file.at(p);
            if (b == '\r') {
                p++;
                if (file.at(p) == '\n') {
                    p++;
                }
            } else if (b == '\n') {
                p++;
            } else {
                throw c.invalid("object " + num + ": 'stream' at offset " + lx.start + " is followed by "
                        + (b < 0 ? "the end of the file" : "byte 0x" + Integer.toHexString(b))
                        + ", expected an end of line");
            }
            long s = p;
            Object lv = d.get("Length");
            if (lv instanceof Ref r) {
                if (directLength) {
                    throw c.invalid("object " + num + " has /Length " + r + ", expected a direct number in a"
                            + " cross-reference stream");
                }
                lv = resolve(r, hops);
            }
            if (!(lv instanceof Long len) || len < 0) {
                throw c.invalid("object " + num + "'s stream at offset " + s + " has /Length " + describe(d.get("Length"))
                        + (d.get("Length") instanceof Ref ? " = " + describe(lv) : "") + ", expected a non-negative integer");
            }
            long length = len;
            long target = length <= size - s ? s + length : size;
            long after = endstreamAt(target);
            if (length <= size - s && after >= 0) {
                lx.pos = after;
                return new long[] {s, length};
            }
            long from = Math.max(s, target - LENGTH_SLACK);
            long to = Math.min(size, target + LENGTH_SLACK + 9);
            long q = find(from, to, "endstream");
            long dataEnd = q;
            if (q >= 0 && dataEnd > s && file.at(dataEnd - 1) == '\n') {
                dataEnd--;
            }
            if (q >= 0 && dataEnd > s && file.at(dataEnd - 1) == '\r') {
                dataEnd--;
            }
            long actual = dataEnd - s;
            if (q < 0 || Math.abs(actual - length) > LENGTH_SLACK) {
                long real = find(s, Math.min(size, s + ENDSTREAM_SEARCH), "endstream");
                throw c.invalid("object " + num + "'s stream at offset " + s + " declares /Length " + length
                        + ", expected 'endstream' within " + LENGTH_SLACK + " bytes of offset " + (s + length)
                        + ", found " + (real < 0 ? "none within " + ENDSTREAM_SEARCH + " bytes" : "it at offset " + real));
            }
            warn("object " + num + "'s stream at offset " + s + " declares /Length " + length + ", but 'endstream' is"
                    + " at offset " + q + "; used the actual length " + actual);
            lx.pos = q + 9;
            return new long[] {s, actual};
        }

        /** Just past 'endstream' if it follows {@code p} after white space, else -1. */
        private long endstreamAt(long p) {
            long q = p;
            while (q < size && isWhite(file.at(q))) {
                q++;
            }
            return matches(q, "endstream") ? q + 9 : -1;
        }

        private boolean matches(long p, String word) {
            for (int i = 0; i < word.length(); i++) {
                if (file.at(p + i) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private long find(long from, long to, String word) {
            for (long p = from; p + word.length() <= to; p++) {
                if (matches(p, word)) {
                    return p;
                }
            }
            return -1;
        }

        // ------------------------------------------------------------------------------ resolution

        private Object resolve(Object v, int hops) {
            while (v instanceof Ref r) {
                if (++hops > MAX_HOPS) {
                    throw c.invalid("resolving " + r + " takes more than " + MAX_HOPS + " nested look-ups");
                }
                v = load(r, hops);
            }
            return v;
        }

        private Object load(Ref r, int hops) {
            int idx = xref.lookup(r.num());
            if (idx < 0 || xref.type[idx] == 0 || (xref.type[idx] == 1 ? xref.f3[idx] : 0) != r.gen()) {
                return Atom.NULL;
            }
            Object cached = scalarCache.get(r.num());
            if (cached != null) {
                return cached;
            }
            long savedValues = valuesInObject;
            Object v;
            if (xref.type[idx] == 1) {
                long off = xref.f2[idx];
                if (off < 0 || off >= size) {
                    throw pointsNowhere(r.num(), off);
                }
                Lexer lx = new Lexer(file, off, "object " + r.num());
                objectHeader(lx, r.num(), r.gen(), "object " + r.num() + "'s cross-reference entry points to offset " + off);
                valuesInObject = 0;
                v = lx.value(0);
            } else {
                ObjStm os = objStm((int) xref.f2[idx], hops);
                int i = (int) xref.f3[idx];
                checkInStream(r.num(), os.num, i, os.nums);
                valuesInObject = 0;
                v = os.lexer(i).value(0);
            }
            valuesInObject = savedValues;
            cacheScalar(r.num(), v);
            return v;
        }

        /** Numbers, names and the like of the objects in force, so that /Length look-ups parse once. */
        private void cacheScalar(int num, Object v) {
            if (!(v instanceof List<?>) && !(v instanceof Map<?, ?>) && scalarCache.size() < MAX_SCALAR_CACHE) {
                scalarCache.put(num, v);
            }
        }

        private MediaRejectedException pointsNowhere(int num, long off) {
            return c.invalid("object " + num + "'s cross-reference entry points to offset " + off
                    + ", past the end of the file at " + size);
        }

        private void checkInStream(int num, int stream, long index, int[] nums) {
            if (index >= nums.length || nums[(int) index] != num) {
                throw c.invalid("object " + num + "'s cross-reference entry points to index " + index
                        + " of object stream " + stream + ", which holds "
                        + (index >= nums.length ? nums.length + " objects" : "object " + nums[(int) index] + " there"));
            }
        }

        /** The object stream {@code num}, decoded (the last one is kept). */
        private ObjStm objStm(int num, int hops) {
            if (lastObjStm != null && lastObjStm.num == num) {
                return lastObjStm;
            }
            int idx = xref.lookup(num);
            if (idx < 0 || xref.type[idx] != 1) {
                throw c.invalid("object stream " + num + " is " + (idx < 0 || xref.type[idx] == 0 ? "free or missing"
                        : "itself compressed") + ", expected an object at an offset");
            }
            long off = xref.f2[idx];
            if (off >= size) {
                throw pointsNowhere(num, off);
            }
            Lexer lx = new Lexer(file, off, "object " + num);
            objectHeader(lx, num, (int) xref.f3[idx], "object " + num + "'s cross-reference entry points to offset " + off);
            long savedValues = valuesInObject;
            valuesInObject = 0;
            Object v = lx.value(0);
            valuesInObject = savedValues;
            lx.next();
            if (!(v instanceof Map<?, ?>) || lx.type != Lexer.KEYWORD || !lx.text.equals("stream")) {
                throw c.invalid("object " + num + " holds compressed objects per the cross-reference, but it is "
                        + describe(v) + ", expected an object stream");
            }
            Map<String, Object> d = dict(v);
            long[] data = streamData(lx, d, num, hops, false);
            return decodeObjStm(num, d, data, hops);
        }

        private ObjStm decodeObjStm(int num, Map<String, Object> d, long[] data, int hops) {
            String what = "object stream " + num;
            if (!(d.get("Type") instanceof Name t) || !t.value().equals("ObjStm")) {
                throw c.invalid(what + " has /Type " + describe(d.get("Type")) + ", expected /ObjStm");
            }
            if (encrypted) {
                throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, FORMAT + ": the file is encrypted and"
                        + " keeps objects in object streams (" + what + "), which cannot be inspected for active content");
            }
            byte[] bytes = decode(d, data[0], data[1], what, false, hops);
            if (!(d.get("N") instanceof Long n) || n < 0) {
                throw c.invalid(what + " has /N " + describe(d.get("N")) + ", expected a non-negative count");
            }
            if (!(d.get("First") instanceof Long first) || first < 0 || first > bytes.length) {
                throw c.invalid(what + " has /First " + describe(d.get("First")) + ", expected an offset within its "
                        + bytes.length + " decoded bytes");
            }
            limits.checkEntries(FORMAT, n, what);
            if (n > (first + 1) / 4) {
                throw c.invalid(what + " declares " + n + " objects, but its header of " + first
                        + " bytes holds at most " + (first + 1) / 4);
            }
            objStmObjects += n;
            limits.checkEntries(FORMAT, objStmObjects, "object streams (objects in all)");
            if (objStmObjects > MAX_XREF_ENTRIES) {
                throw c.invalid("object streams hold more than " + MAX_XREF_ENTRIES + " objects");
            }
            int count = n.intValue();
            int[] nums = new int[count];
            int[] offs = new int[count];
            Lexer lx = new Lexer(new ArraySrc(bytes, 0, first.intValue()), 0, what + "'s header");
            for (int i = 0; i < count; i++) {
                lx.next();
                long on = lx.num;
                boolean okNum = lx.type == Lexer.INT && on >= 0 && on <= Integer.MAX_VALUE;
                lx.next();
                long oo = lx.num;
                boolean okOff = lx.type == Lexer.INT && oo >= 0 && oo < bytes.length - first;
                if (!okNum || !okOff) {
                    throw c.invalid(what + ": header pair " + i + " at offset " + lx.start + " (decoded) is not an"
                            + " object number and an offset within the " + (bytes.length - first) + " bytes of objects");
                }
                if (i > 0 && oo <= offs[i - 1]) {
                    throw c.invalid(what + ": object " + on + " is at offset " + oo + ", expected after the previous"
                            + " object's offset " + offs[i - 1]);
                }
                nums[i] = (int) on;
                offs[i] = (int) oo;
            }
            lx.next();
            if (lx.type != Lexer.EOF) {
                throw c.invalid(what + ": expected " + count + " header pairs before /First " + first + ", found "
                        + lx.describe() + " after them at offset " + lx.start + " (decoded)");
            }
            ObjStm os = new ObjStm(num, bytes, first.intValue(), nums, offs);
            lastObjStm = os;
            return os;
        }

        /** An inflated object stream. */
        private final class ObjStm {
            final int num;
            final byte[] bytes;
            final int first;
            final int[] nums;
            final int[] offs;

            ObjStm(int num, byte[] bytes, int first, int[] nums, int[] offs) {
                this.num = num;
                this.bytes = bytes;
                this.first = first;
                this.nums = nums;
                this.offs = offs;
            }

            Lexer lexer(int i) {
                int from = first + offs[i];
                int to = i + 1 < offs.length ? first + offs[i + 1] : bytes.length;
                return new Lexer(new ArraySrc(bytes, from, to), from, "object " + nums[i] + " (in object stream " + num + ")");
            }
        }

        // ------------------------------------------------------------------------------ filters

        private byte[] decode(Map<String, Object> d, long start, long length, String what, boolean direct, int hops) {
            Object filter = d.get("Filter");
            Object parms = d.get("DecodeParms");
            if (filter instanceof List<?> l && l.size() == 1) {
                filter = l.get(0);
                parms = parms instanceof List<?> pl && pl.size() == 1 ? pl.get(0) : parms;
            } else if (filter instanceof List<?> l && l.isEmpty()) {
                filter = null;
            }
            if (!direct) {
                filter = resolve(filter, hops);
                parms = resolve(parms, hops);
            }
            byte[] out;
            if (filter == null) {
                if (length > MAX_INFLATED_STREAM) {
                    throw c.invalid(what + " is " + length + " bytes, expected at most " + MAX_INFLATED_STREAM);
                }
                countInflated(length, what);
                c.seek(start);
                out = c.bytes((int) length, MAX_INFLATED_STREAM, what);
            } else if (filter instanceof Name n && n.value().equals("FlateDecode")) {
                out = inflate(start, length, what);
            } else {
                throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, FORMAT + ": " + what + " has /Filter "
                        + describe(filter) + ", expected /FlateDecode (the only filter inspected for objects)");
            }
            if (parms != null && parms != Atom.NULL) {
                if (!(parms instanceof Map<?, ?>)) {
                    throw c.invalid(what + " has /DecodeParms " + describe(parms) + ", expected a dictionary");
                }
                out = predict(dict(parms), out, what);
            }
            return out;
        }

        private void countInflated(long n, String what) {
            inflatedTotal += n;
            if (inflatedTotal > MAX_INFLATED_TOTAL) {
                throw c.invalid(what + " decompresses beyond " + (MAX_INFLATED_TOTAL >> 20)
                        + " MiB of decoded streams in total");
            }
        }

        private byte[] inflate(long start, long length, String what) {
            Inflater inf = new Inflater();
            try {
                byte[] out = new byte[(int) Math.min(MAX_INFLATED_STREAM, Math.max(1024, Math.min(length * 4, 1 << 20)))];
                int outLen = 0;
                long fed = 0;
                int idle = 0;
                while (!inf.finished()) {
                    if (inf.needsInput()) {
                        if (fed >= length) {
                            throw c.invalid(what + " ends (" + length + " bytes) before its compressed data does");
                        }
                        int n = (int) Math.min(64 * 1024, length - fed);
                        c.seek(start + fed);
                        inf.setInput(c.bytes(n, 64 * 1024, what));
                        fed += n;
                    }
                    if (inf.needsDictionary()) {
                        throw c.invalid(what + " needs a preset zlib dictionary, which PDF does not provide");
                    }
                    if (outLen == out.length) {
                        if (out.length >= MAX_INFLATED_STREAM) {
                            throw c.invalid(what + " decompresses beyond " + (MAX_INFLATED_STREAM >> 20) + " MiB");
                        }
                        out = Arrays.copyOf(out, (int) Math.min(MAX_INFLATED_STREAM, (long) out.length * 2));
                    }
                    int got = inf.inflate(out, outLen, out.length - outLen);
                    outLen += got;
                    countInflated(got, what);
                    if (outLen > RATIO_AFTER && outLen > fed * MAX_RATIO) {
                        throw c.invalid(what + " decompresses beyond " + MAX_RATIO + " times its compressed size ("
                                + outLen + " bytes from " + fed + ")");
                    }
                    idle = got == 0 ? idle + 1 : 0;
                    if (idle > 1000) {
                        throw c.invalid(what + " does not inflate: no progress at compressed byte " + fed);
                    }
                }
                return outLen == out.length ? out : Arrays.copyOf(out, outLen);
            } catch (DataFormatException e) {
                throw c.invalid(what + " is not valid zlib data: " + e.getMessage());
            } finally {
                inf.end();
            }
        }

        /** PNG predictors (10-15): a filter-type byte before every row; 1 (none) passes. */
        private byte[] predict(Map<String, Object> p, byte[] in, String what) {
            long predictor = intOr(p.get("Predictor"), 1, what + " /Predictor");
            if (predictor == 1) {
                return in;
            }
            if (predictor < 10 || predictor > 15) {
                throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, FORMAT + ": " + what + " has /Predictor "
                        + predictor + ", expected 1 or a PNG predictor 10..15");
            }
            long colors = intOr(p.get("Colors"), 1, what + " /Colors");
            long bpc = intOr(p.get("BitsPerComponent"), 8, what + " /BitsPerComponent");
            long columns = intOr(p.get("Columns"), 1, what + " /Columns");
            if (colors < 1 || colors > 32 || !(bpc == 1 || bpc == 2 || bpc == 4 || bpc == 8 || bpc == 16)
                    || columns < 1 || columns > (1 << 20)) {
                throw c.invalid(what + " has predictor parameters /Colors " + colors + " /BitsPerComponent " + bpc
                        + " /Columns " + columns + ", expected 1..32, 1/2/4/8/16 and 1.." + (1 << 20));
            }
            int rowBytes = (int) ((columns * colors * bpc + 7) / 8);
            int bpp = (int) Math.max(1, (colors * bpc + 7) / 8);
            int stride = rowBytes + 1;
            if (in.length % stride != 0) {
                throw c.invalid(what + " holds " + in.length + " predicted bytes, expected whole rows of " + stride);
            }
            int rows = in.length / stride;
            byte[] out = new byte[rows * rowBytes];
            for (int r = 0; r < rows; r++) {
                int type = in[r * stride] & 0xFF;
                int src = r * stride + 1;
                int dst = r * rowBytes;
                for (int i = 0; i < rowBytes; i++) {
                    int x = in[src + i] & 0xFF;
                    int a = i >= bpp ? out[dst + i - bpp] & 0xFF : 0;
                    int b = r > 0 ? out[dst - rowBytes + i] & 0xFF : 0;
                    int cc = r > 0 && i >= bpp ? out[dst - rowBytes + i - bpp] & 0xFF : 0;
                    int v = switch (type) {
                        case 0 -> x;
                        case 1 -> x + a;
                        case 2 -> x + b;
                        case 3 -> x + ((a + b) >> 1);
                        case 4 -> x + paeth(a, b, cc);
                        default -> throw c.invalid(what + ": row " + r + " has PNG filter type " + type
                                + ", expected 0..4");
                    };
                    out[dst + i] = (byte) v;
                }
            }
            return out;
        }

        private static int paeth(int a, int b, int c) {
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }

        private long intOr(Object v, long dflt, String what) {
            if (v == null || v == Atom.NULL) {
                return dflt;
            }
            if (v instanceof Long l) {
                return l;
            }
            throw c.invalid(what + " is " + describe(v) + ", expected an integer");
        }

        // ------------------------------------------------------------------------------ catalog

        private void catalog() {
            Object rootRef = null;
            for (Map<String, Object> t : trailers) {
                rootRef = t.get("Root");
                if (rootRef != null) {
                    break;
                }
            }
            if (rootRef == null) {
                throw c.invalid("the trailer has no /Root, expected a reference to the document catalog");
            }
            if (!(rootRef instanceof Ref r)) {
                throw c.invalid("the trailer's /Root is " + describe(rootRef) + ", expected a reference");
            }
            Object root = resolve(r, 0);
            if (!(root instanceof Map<?, ?>)) {
                throw c.invalid("/Root " + r + " is " + describe(root) + ", expected the catalog dictionary");
            }
            Map<String, Object> cat = dict(root);
            Object oa = cat.get("OpenAction");
            if (oa != null) {
                Object action = resolve(oa, 0);
                if (action instanceof Map<?, ?> ad) {
                    Object s = resolve(dict(ad).get("S"), 0);
                    if (s instanceof Name n && (n.value().equals("JavaScript") || n.value().equals("Launch"))) {
                        throw active("the catalog (object " + r.num() + ") has an /OpenAction that runs a " + n
                                + " action" + (oa instanceof Ref ar ? " (object " + ar.num() + ")" : ""));
                    }
                }
            }
            throwIfActive();
            try {
                Object pages = resolve(cat.get("Pages"), 0);
                Object count = pages instanceof Map<?, ?> pd ? resolve(dict(pd).get("Count"), 0) : null;
                if (count instanceof Long n && n >= 0) {
                    report.frames(n);
                } else {
                    warn("the page count is unreadable: /Pages is " + describe(pages)
                            + (pages instanceof Map<?, ?> ? " with /Count " + describe(count) : ""));
                }
            } catch (MediaRejectedException e) {
                warn("the page count is unreadable: " + e.getMessage());
            }
            throwIfActive();
        }

        // ------------------------------------------------------------------------------ the scan

        /** Parses every in-use object of every section, in file order, and every object stream. */
        private void scanObjects() {
            long[] order = new long[xref.n];
            int k = 0;
            for (int i = 0; i < xref.n; i++) {
                if (xref.type[i] == 1) {
                    long off = xref.f2[i];
                    if (off < 0 || off >= size) {
                        throw pointsNowhere(xref.num[i], off);
                    }
                    order[k++] = (off << 22) | i;
                }
            }
            order = Arrays.copyOf(order, k);
            Arrays.sort(order);
            long lastOff = -1;
            int lastIdx = -1;
            for (long key : order) {
                long off = key >>> 22;
                int idx = (int) (key & ((1 << 22) - 1));
                if (off == lastOff && xref.num[idx] == xref.num[lastIdx] && xref.f3[idx] == xref.f3[lastIdx]) {
                    continue;
                }
                lastOff = off;
                lastIdx = idx;
                scanObject(off, xref.num[idx], (int) xref.f3[idx]);
                throwIfActive();
            }
        }

        private void scanObject(long off, int num, int gen) {
            Lexer lx = new Lexer(file, off, "object " + num);
            objectHeader(lx, num, gen, "object " + num + "'s cross-reference entry points to offset " + off);
            valuesInObject = 0;
            Object v = lx.value(0);
            int eff = xref.lookup(num);
            if (eff >= 0 && xref.type[eff] == 1 && xref.f2[eff] == off && xref.f3[eff] == gen) {
                cacheScalar(num, v);
            }
            lx.next();
            if (lx.type == Lexer.KEYWORD && lx.text.equals("stream")) {
                if (!(v instanceof Map<?, ?>)) {
                    throw c.invalid("object " + num + " at offset " + off + " is " + describe(v)
                            + " followed by 'stream', expected a dictionary before a stream");
                }
                Map<String, Object> d = dict(v);
                long[] data = streamData(lx, d, num, 0, false);
                if (d.get("Type") instanceof Name t && t.value().equals("ObjStm")) {
                    ObjStm os = decodeObjStm(num, d, data, 0);
                    boolean inForce = eff >= 0 && xref.type[eff] == 1 && xref.f2[eff] == off;
                    if (inForce) {
                        objStmHeaders.put(num, os.nums);
                    }
                    for (int i = 0; i < os.nums.length; i++) {
                        Lexer ol = os.lexer(i);
                        valuesInObject = 0;
                        Object ov = ol.value(0);
                        int oe = xref.lookup(os.nums[i]);
                        if (inForce && oe >= 0 && xref.type[oe] == 2 && xref.f2[oe] == num && xref.f3[oe] == i) {
                            cacheScalar(os.nums[i], ov);
                        }
                        ol.next();
                        if (ol.type != Lexer.EOF) {
                            throw c.invalid(ol.where + ": expected one value, found " + ol.describe()
                                    + " after it at offset " + ol.start + " (decoded)");
                        }
                        throwIfActive();
                    }
                }
                lx.next();
            }
            if (lx.type != Lexer.KEYWORD || !lx.text.equals("endobj")) {
                throw c.invalid("object " + num + " at offset " + off + ": expected 'endobj' at offset " + lx.start
                        + ", found " + lx.describe());
            }
        }

        /** The newest entry of every compressed object must name what its object stream holds. */
        private void verifyCompressedEntries() {
            int prev = -1;
            for (long key : xref.sorted) {
                int num = (int) (key >>> 31);
                if (num == prev) {
                    continue;
                }
                prev = num;
                int idx = (int) (key & ((1 << 22) - 1));
                if (xref.type[idx] != 2) {
                    continue;
                }
                int stream = (int) xref.f2[idx];
                int[] nums = objStmHeaders.get(stream);
                if (nums == null) {
                    throw c.invalid("object " + num + " is in object stream " + stream + " per the cross-reference,"
                            + " but object " + stream + " is not an object stream in use");
                }
                checkInStream(num, stream, xref.f3[idx], nums);
            }
        }

        // ------------------------------------------------------------------------------ findings

        private void warn(String message) {
            warnings++;
            if (warnings <= MAX_WARNINGS) {
                report.warn(ReasonCode.STRUCTURE_INVALID, FORMAT + ": " + message);
            } else if (warnings == MAX_WARNINGS + 1) {
                report.warn(ReasonCode.STRUCTURE_INVALID, FORMAT + ": more warnings were not recorded");
            }
        }

        private void flag(String name, boolean key, Lexer lx) {
            if (activeFinding != null) {
                return;
            }
            String what = ACTIVE.get(name);
            if (what == null && key) {
                what = ACTIVE_KEYS.get(name);
            }
            if (what != null) {
                activeFinding = lx.where + " has /" + name + " (" + what + ") as a dictionary " + (key ? "key" : "value")
                        + " at offset " + lx.start + (lx.src instanceof ArraySrc ? " (decoded)" : "");
            }
        }

        private void throwIfActive() {
            if (activeFinding != null) {
                throw active(activeFinding);
            }
        }

        private static MediaRejectedException active(String message) {
            return new MediaRejectedException(ReasonCode.PDF_ACTIVE_CONTENT, FORMAT + ": " + message);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> dict(Object v) {
            return (Map<String, Object>) v;
        }

        private static String describe(Object v) {
            if (v == null) {
                return "absent";
            }
            if (v instanceof Map<?, ?> m) {
                return "a dictionary of " + m.size() + " entries";
            }
            if (v instanceof List<?> l) {
                if (l.size() <= 8) {
                    StringBuilder sb = new StringBuilder("[");
                    for (Object o : l) {
                        sb.append(sb.length() > 1 ? " " : "").append(o instanceof List<?> || o instanceof Map<?, ?>
                                ? "..." : describe(o));
                    }
                    return sb.append(']').toString();
                }
                return "an array of " + l.size() + " values";
            }
            if (v == Atom.STRING) {
                return "a string";
            }
            if (v == Atom.NULL) {
                return "null";
            }
            return printable(String.valueOf(v));
        }

        // ------------------------------------------------------------------------------ lexer

        /** Tokens and values of 7.2-7.3, over any {@link Src}, bounded by {@link Src#at} and the caps. */
        private final class Lexer {
            static final int EOF = 0;
            static final int INT = 1;
            static final int REAL = 2;
            static final int NAME = 3;
            static final int STRING = 4;
            static final int ARRAY_OPEN = 5;
            static final int ARRAY_CLOSE = 6;
            static final int DICT_OPEN = 7;
            static final int DICT_CLOSE = 8;
            static final int KEYWORD = 9;
            static final int BRACE = 10;

            final Src src;
            String where;
            long pos;
            int type;
            long num;
            String text;
            long start;

            Lexer(Src src, long pos, String where) {
                this.src = src;
                this.pos = pos;
                this.where = where;
            }

            MediaRejectedException invalid(String message) {
                return c.invalid(where + ": " + message + (src instanceof ArraySrc ? " (decoded)" : ""));
            }

            void next() {
                if (++tokens > MAX_TOKENS) {
                    throw c.invalid("more than " + MAX_TOKENS + " tokens in all");
                }
                skipSpace();
                start = pos;
                text = null;
                int b = src.at(pos);
                switch (b) {
                    case -1 -> type = EOF;
                    case '[' -> {
                        pos++;
                        type = ARRAY_OPEN;
                    }
                    case ']' -> {
                        pos++;
                        type = ARRAY_CLOSE;
                    }
                    case '{', '}' -> {
                        pos++;
                        type = BRACE;
                    }
                    case '(' -> literal();
                    case ')' -> throw invalid("unbalanced ')' at offset " + pos);
                    case '<' -> {
                        if (src.at(pos + 1) == '<') {
                            pos += 2;
                            type = DICT_OPEN;
                        } else {
                            hexString();
                        }
                    }
                    case '>' -> {
                        if (src.at(pos + 1) != '>') {
                            throw invalid("a lone '>' at offset " + pos);
                        }
                        pos += 2;
                        type = DICT_CLOSE;
                    }
                    case '/' -> name();
                    default -> regular();
                }
            }

            private void skipSpace() {
                while (true) {
                    int b = src.at(pos);
                    if (b < 0) {
                        return;
                    }
                    if (isWhite(b)) {
                        pos++;
                    } else if (b == '%') {
                        while (b >= 0 && b != '\r' && b != '\n') {
                            b = src.at(++pos);
                        }
                    } else {
                        return;
                    }
                }
            }

            private void literal() {
                long open = pos++;
                int depth = 1;
                long len = 0;
                while (true) {
                    int b = src.at(pos++);
                    if (b < 0) {
                        throw invalid("the string opened at offset " + open + " is not closed");
                    }
                    if (++len > MAX_STRING) {
                        throw invalid("the string at offset " + open + " is longer than " + MAX_STRING + " bytes");
                    }
                    if (b == '\\') {
                        if (src.at(pos) >= 0) {
                            pos++;
                        }
                    } else if (b == '(') {
                        depth++;
                    } else if (b == ')' && --depth == 0) {
                        break;
                    }
                }
                type = STRING;
            }

            private void hexString() {
                long open = pos++;
                while (true) {
                    int b = src.at(pos++);
                    if (b == '>') {
                        break;
                    }
                    if (b < 0) {
                        throw invalid("the hex string opened at offset " + open + " is not closed");
                    }
                    if (hex(b) < 0 && !isWhite(b)) {
                        throw invalid("the hex string at offset " + open + " has byte 0x" + Integer.toHexString(b)
                                + " at offset " + (pos - 1) + ", expected hex digits");
                    }
                    if (pos - open > MAX_STRING * 2L) {
                        throw invalid("the hex string at offset " + open + " is longer than " + MAX_STRING * 2L + " bytes");
                    }
                }
                type = STRING;
            }

            private void name() {
                long open = pos++;
                byte[] buf = new byte[32];
                int n = 0;
                while (isRegular(src.at(pos))) {
                    int b = src.at(pos);
                    if (b == '#') {
                        int h = hex(src.at(pos + 1));
                        int l = hex(src.at(pos + 2));
                        if (h < 0 || l < 0) {
                            throw invalid("the name at offset " + open + " has '#' at offset " + pos
                                    + " not followed by two hex digits");
                        }
                        b = (h << 4) | l;
                        pos += 3;
                    } else {
                        pos++;
                    }
                    if (n == MAX_NAME) {
                        throw invalid("the name at offset " + open + " is longer than " + MAX_NAME + " bytes");
                    }
                    if (n == buf.length) {
                        buf = Arrays.copyOf(buf, Math.min(MAX_NAME, n * 2));
                    }
                    buf[n++] = (byte) b;
                }
                type = NAME;
                text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }

            private void regular() {
                long open = pos;
                StringBuilder sb = new StringBuilder();
                while (isRegular(src.at(pos))) {
                    if (sb.length() == MAX_TOKEN) {
                        throw invalid("the token at offset " + open + " is longer than " + MAX_TOKEN + " bytes");
                    }
                    sb.append((char) src.at(pos));
                    pos++;
                }
                text = sb.toString();
                classify();
            }

            private void classify() {
                String s = text;
                int i = 0;
                boolean neg = false;
                if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
                    neg = s.charAt(0) == '-';
                    i = 1;
                }
                int digits = 0;
                int dots = 0;
                boolean other = false;
                for (int k = i; k < s.length(); k++) {
                    char ch = s.charAt(k);
                    if (ch >= '0' && ch <= '9') {
                        digits++;
                    } else if (ch == '.') {
                        dots++;
                    } else {
                        other = true;
                    }
                }
                if (other || digits == 0 || dots > 1) {
                    type = KEYWORD;
                    return;
                }
                if (dots == 0 && digits <= 18) {
                    long v = 0;
                    for (int k = i; k < s.length(); k++) {
                        v = v * 10 + (s.charAt(k) - '0');
                    }
                    num = neg ? -v : v;
                    type = INT;
                } else {
                    type = REAL;
                }
            }

            String describe() {
                return switch (type) {
                    case EOF -> "the end of the data";
                    case INT, REAL, KEYWORD -> "'" + printable(text) + "'";
                    case NAME -> "the name /" + printable(text);
                    case STRING -> "a string";
                    case ARRAY_OPEN -> "'['";
                    case ARRAY_CLOSE -> "']'";
                    case DICT_OPEN -> "'<<'";
                    case DICT_CLOSE -> "'>>'";
                    default -> "'{' or '}'";
                };
            }

            /** Reads the next value. */
            Object value(int depth) {
                next();
                return current(depth);
            }

            /** The value that starts with the token just read. */
            private Object current(int depth) {
                if (++valuesInObject > MAX_VALUES_PER_OBJECT) {
                    throw invalid("more than " + MAX_VALUES_PER_OBJECT + " values in one object");
                }
                switch (type) {
                    case INT: {
                        long n = num;
                        long save = pos;
                        if (n >= 0 && n <= Integer.MAX_VALUE) {
                            next();
                            if (type == INT && num >= 0 && num <= 65535) {
                                long g = num;
                                next();
                                if (type == KEYWORD && text.equals("R")) {
                                    return new Ref((int) n, (int) g);
                                }
                            }
                            pos = save;
                        }
                        return n;
                    }
                    case REAL:
                        return 0.0;
                    case NAME:
                        flag(text, false, this);
                        return new Name(text);
                    case STRING:
                        return Atom.STRING;
                    case ARRAY_OPEN:
                        return array(depth + 1);
                    case DICT_OPEN:
                        return dictionary(depth + 1);
                    case KEYWORD:
                        switch (text) {
                            case "true":
                                return Boolean.TRUE;
                            case "false":
                                return Boolean.FALSE;
                            case "null":
                                return Atom.NULL;
                            default:
                                throw invalid("unexpected " + describe() + " at offset " + start + ", expected a value");
                        }
                    default:
                        throw invalid("unexpected " + describe() + " at offset " + start + ", expected a value");
                }
            }

            private void enter(int depth, String what) {
                limits.checkDepth(FORMAT, depth, where + ": the " + what + " at offset " + start
                        + (src instanceof ArraySrc ? " (decoded)" : ""));
                if (depth > HARD_DEPTH) {
                    throw invalid("the " + what + " at offset " + start + " is nested deeper than " + HARD_DEPTH);
                }
            }

            private List<Object> array(int depth) {
                long open = start;
                enter(depth, "array");
                List<Object> list = new ArrayList<>();
                while (true) {
                    next();
                    if (type == ARRAY_CLOSE) {
                        return list;
                    }
                    if (type == EOF) {
                        throw invalid("the array opened at offset " + open + " is not closed");
                    }
                    list.add(current(depth));
                }
            }

            private Map<String, Object> dictionary(int depth) {
                long open = start;
                enter(depth, "dictionary");
                Map<String, Object> map = new LinkedHashMap<>();
                while (true) {
                    next();
                    if (type == DICT_CLOSE) {
                        return map;
                    }
                    if (type != NAME) {
                        throw invalid("the dictionary opened at offset " + open + " has " + describe() + " at offset "
                                + start + ", expected a name key or '>>'");
                    }
                    String key = text;
                    flag(key, true, this);
                    next();
                    if (type == DICT_CLOSE || type == EOF) {
                        throw invalid("the dictionary opened at offset " + open + " has the key /" + printable(key)
                                + " without a value (" + describe() + " at offset " + start + ")");
                    }
                    map.put(key, current(depth));
                }
            }
        }
    }

    /** The cross-reference entries of all sections; the newest entry of each object wins. */
    private static final class Xref {
        int n;
        int[] num = new int[64];
        byte[] type = new byte[64];
        long[] f2 = new long[64];
        long[] f3 = new long[64];
        short[] prio = new short[64];
        long[] sorted;

        void add(long objNum, int kind, long field2, long field3, int priority) {
            if (n == MAX_XREF_ENTRIES) {
                throw new MediaRejectedException(ReasonCode.STRUCTURE_INVALID, FORMAT
                        + ": the cross-reference sections hold more than " + MAX_XREF_ENTRIES + " entries");
            }
            if (n == num.length) {
                int cap = Math.min(MAX_XREF_ENTRIES, n * 2);
                num = Arrays.copyOf(num, cap);
                type = Arrays.copyOf(type, cap);
                f2 = Arrays.copyOf(f2, cap);
                f3 = Arrays.copyOf(f3, cap);
                prio = Arrays.copyOf(prio, cap);
            }
            num[n] = (int) objNum;
            type[n] = (byte) kind;
            f2[n] = field2;
            f3[n] = field3;
            prio[n] = (short) priority;
            n++;
        }

        /** Sort keys: object number, then priority (section, then in-use / hidden stream / free), then order. */
        void build() {
            sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = ((long) num[i] << 31) | ((long) prio[i] << 22) | i;
            }
            Arrays.sort(sorted);
        }

        /** The index of the entry in force for {@code objNum}, or -1. */
        int lookup(int objNum) {
            if (objNum < 0) {
                return -1;
            }
            long want = (long) objNum << 31;
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < want) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo < sorted.length && (sorted[lo] >>> 31) == objNum) {
                return (int) (sorted[lo] & ((1 << 22) - 1));
            }
            return -1;
        }
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char ch = s.charAt(i);
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return s.length() > 64 ? sb.append("...").toString() : sb.toString();
    }
}
