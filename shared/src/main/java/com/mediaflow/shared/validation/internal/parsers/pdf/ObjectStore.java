package com.mediaflow.shared.validation.internal.parsers.pdf;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.HashMap;
import java.util.Map;

/**
 * Objects by number through the cross-reference: {@code n g obj} headers, stream data and its
 * /Length, references resolved (a bounded number of hops), object streams decoded and checked.
 */
final class ObjectStore {
    private static final int MAX_HOPS = 8;
    private static final int LENGTH_SLACK = 32;
    /** How far past a wrong /Length 'endstream' is looked for, to say where it is. */
    private static final int ENDSTREAM_SEARCH = 64 * 1024;
    private static final int MAX_SCALAR_CACHE = 100_000;

    private final PdfSession s;
    private final Cursor c;
    private final Src.File file;
    private final long size;
    private final XrefTable xref;
    private final StreamFilters filters;
    private final Map<Integer, PdfObject> scalarCache = new HashMap<>();
    private long objStmObjects;
    private ObjStm lastObjStm;

    ObjectStore(PdfSession s, XrefTable xref, StreamFilters filters) {
        this.s = s;
        this.c = s.c;
        this.file = s.file;
        this.size = s.size;
        this.xref = xref;
        this.filters = filters;
    }

    // ------------------------------------------------------------------------------ objects

    /**
     * Reads {@code num gen obj} where the lexer stands; -1 for either means "any".
     *
     * @return the object number
     */
    int objectHeader(PdfLexer lx, int num, int gen, String what) {
        long at = lx.pos;
        lx.next();
        long n = lx.type == PdfLexer.Token.INT ? lx.num : -1;
        String first = lx.describe();
        lx.next();
        long g = lx.type == PdfLexer.Token.INT ? lx.num : -1;
        lx.next();
        boolean obj = lx.isKeyword("obj");
        if (n < 0 || n > Integer.MAX_VALUE || g < 0 || g > 65535 || !obj || (num >= 0 && n != num)
                || (gen >= 0 && g != gen)) {
            String expected = num >= 0 ? "'" + num + " " + gen + " obj'" : "'n g obj'";
            String found = n >= 0 && g >= 0 && obj ? "'" + n + " " + g + " obj'" : first;
            throw c.invalid(what + " (offset " + at + "), expected " + expected + ", found " + found);
        }
        return (int) n;
    }

    /**
     * After 'stream' (the lexer just past the keyword): where the data is, with the lexer left just
     * past 'endstream'. {@code directLength}: a reference for /Length is refused.
     */
    PdfStream streamData(PdfLexer lx, PdfDict d, int num, int hops, boolean directLength) {
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
        long st = p;
        PdfObject lv = d.get("Length");
        if (lv instanceof PdfRef r) {
            if (directLength) {
                throw c.invalid("object " + num + " has /Length " + r + ", expected a direct number in a"
                        + " cross-reference stream");
            }
            lv = resolve(r, hops);
        }
        Long len = PdfNumber.integerOf(lv);
        if (len == null || len < 0) {
            throw c.invalid("object " + num + "'s stream at offset " + st + " has /Length "
                    + PdfObject.describe(d.get("Length"))
                    + (d.get("Length") instanceof PdfRef ? " = " + PdfObject.describe(lv) : "")
                    + ", expected a non-negative integer");
        }
        long length = len;
        long target = length <= size - st ? st + length : size;
        long after = endstreamAt(target);
        if (length <= size - st && after >= 0) {
            lx.pos = after;
            return new PdfStream(d, st, length);
        }
        long from = Math.max(st, target - LENGTH_SLACK);
        long to = Math.min(size, target + LENGTH_SLACK + 9);
        long q = file.find(from, to, "endstream");
        long dataEnd = q;
        if (q >= 0 && dataEnd > st && file.at(dataEnd - 1) == '\n') {
            dataEnd--;
        }
        if (q >= 0 && dataEnd > st && file.at(dataEnd - 1) == '\r') {
            dataEnd--;
        }
        long actual = dataEnd - st;
        if (q < 0 || Math.abs(actual - length) > LENGTH_SLACK) {
            long real = file.find(st, Math.min(size, st + ENDSTREAM_SEARCH), "endstream");
            throw c.invalid("object " + num + "'s stream at offset " + st + " declares /Length " + length
                    + ", expected 'endstream' within " + LENGTH_SLACK + " bytes of offset " + (st + length)
                    + ", found " + (real < 0 ? "none within " + ENDSTREAM_SEARCH + " bytes" : "it at offset " + real));
        }
        s.warn("object " + num + "'s stream at offset " + st + " declares /Length " + length + ", but 'endstream' is"
                + " at offset " + q + "; used the actual length " + actual);
        lx.pos = q + 9;
        return new PdfStream(d, st, actual);
    }

    /** Just past 'endstream' if it follows {@code p} after white space, else -1. */
    private long endstreamAt(long p) {
        long q = p;
        while (q < size && Src.isWhite(file.at(q))) {
            q++;
        }
        return file.matches(q, "endstream") ? q + 9 : -1;
    }

    // ------------------------------------------------------------------------------ resolution

    PdfObject resolve(PdfObject v, int hops) {
        while (v instanceof PdfRef r) {
            if (++hops > MAX_HOPS) {
                throw c.invalid("resolving " + r + " takes more than " + MAX_HOPS + " nested look-ups");
            }
            v = load(r, hops);
        }
        return v;
    }

    private PdfObject load(PdfRef r, int hops) {
        int idx = xref.lookup(r.num());
        if (idx < 0 || xref.type[idx] == XrefTable.FREE
                || (xref.type[idx] == XrefTable.AT_OFFSET ? xref.f3[idx] : 0) != r.gen()) {
            return PdfNull.NULL;
        }
        PdfObject cached = scalarCache.get(r.num());
        if (cached != null) {
            return cached;
        }
        long savedValues = s.valuesInObject;
        PdfObject v;
        if (xref.type[idx] == XrefTable.AT_OFFSET) {
            long off = xref.f2[idx];
            if (off < 0 || off >= size) {
                throw pointsNowhere(r.num(), off);
            }
            PdfLexer lx = s.lexer(off, "object " + r.num());
            objectHeader(lx, r.num(), r.gen(), "object " + r.num() + "'s cross-reference entry points to offset " + off);
            s.valuesInObject = 0;
            v = lx.value(0);
        } else {
            ObjStm os = objStm((int) xref.f2[idx], hops);
            int i = (int) xref.f3[idx];
            checkInStream(r.num(), os.num, i, os.nums);
            s.valuesInObject = 0;
            v = os.lexer(i).value(0);
        }
        s.valuesInObject = savedValues;
        cacheScalar(r.num(), v);
        return v;
    }

    /** Numbers, names and the like of the objects in force, so that /Length look-ups parse once. */
    void cacheScalar(int num, PdfObject v) {
        if (!(v instanceof PdfArray) && !(v instanceof PdfDict) && scalarCache.size() < MAX_SCALAR_CACHE) {
            scalarCache.put(num, v);
        }
    }

    MediaRejectedException pointsNowhere(int num, long off) {
        return c.invalid("object " + num + "'s cross-reference entry points to offset " + off
                + ", past the end of the file at " + size);
    }

    void checkInStream(int num, int stream, long index, int[] nums) {
        if (index >= nums.length || nums[(int) index] != num) {
            throw c.invalid("object " + num + "'s cross-reference entry points to index " + index
                    + " of object stream " + stream + ", which holds "
                    + (index >= nums.length ? nums.length + " objects" : "object " + nums[(int) index] + " there"));
        }
    }

    // ------------------------------------------------------------------------------ object streams

    /** The object stream {@code num}, decoded (the last one is kept). */
    private ObjStm objStm(int num, int hops) {
        if (lastObjStm != null && lastObjStm.num == num) {
            return lastObjStm;
        }
        int idx = xref.lookup(num);
        if (idx < 0 || xref.type[idx] != XrefTable.AT_OFFSET) {
            throw c.invalid("object stream " + num + " is " + (idx < 0 || xref.type[idx] == XrefTable.FREE
                    ? "free or missing" : "itself compressed") + ", expected an object at an offset");
        }
        long off = xref.f2[idx];
        if (off >= size) {
            throw pointsNowhere(num, off);
        }
        PdfLexer lx = s.lexer(off, "object " + num);
        objectHeader(lx, num, (int) xref.f3[idx], "object " + num + "'s cross-reference entry points to offset " + off);
        long savedValues = s.valuesInObject;
        s.valuesInObject = 0;
        PdfObject v = lx.value(0);
        s.valuesInObject = savedValues;
        lx.next();
        if (!(v instanceof PdfDict d) || !lx.isKeyword("stream")) {
            throw c.invalid("object " + num + " holds compressed objects per the cross-reference, but it is "
                    + PdfObject.describe(v) + ", expected an object stream");
        }
        return decodeObjStm(num, streamData(lx, d, num, hops, false), hops);
    }

    /** Decodes object stream {@code num} and reads its header of object numbers and offsets. */
    ObjStm decodeObjStm(int num, PdfStream stream, int hops) {
        String what = "object stream " + num;
        PdfDict d = stream.dict();
        if (!d.hasName("Type", "ObjStm")) {
            throw c.invalid(what + " has /Type " + PdfObject.describe(d.get("Type")) + ", expected /ObjStm");
        }
        if (s.encrypted) {
            throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, PdfSession.FORMAT + ": the file is encrypted"
                    + " and keeps objects in object streams (" + what + "), which cannot be inspected for active content");
        }
        byte[] bytes = filters.decode(stream, what, v -> resolve(v, hops));
        Long n = PdfNumber.integerOf(d.get("N"));
        if (n == null || n < 0) {
            throw c.invalid(what + " has /N " + PdfObject.describe(d.get("N")) + ", expected a non-negative count");
        }
        Long first = PdfNumber.integerOf(d.get("First"));
        if (first == null || first < 0 || first > bytes.length) {
            throw c.invalid(what + " has /First " + PdfObject.describe(d.get("First")) + ", expected an offset within"
                    + " its " + bytes.length + " decoded bytes");
        }
        s.limits.checkEntries(PdfSession.FORMAT, n, what);
        if (n > (first + 1) / 4) {
            throw c.invalid(what + " declares " + n + " objects, but its header of " + first
                    + " bytes holds at most " + (first + 1) / 4);
        }
        objStmObjects += n;
        s.limits.checkEntries(PdfSession.FORMAT, objStmObjects, "object streams (objects in all)");
        if (objStmObjects > XrefTable.MAX_ENTRIES) {
            throw c.invalid("object streams hold more than " + XrefTable.MAX_ENTRIES + " objects");
        }
        int count = n.intValue();
        int[] nums = new int[count];
        int[] offs = new int[count];
        PdfLexer lx = new PdfLexer(s, new Src.Decoded(bytes, 0, first.intValue()), 0, what + "'s header");
        for (int i = 0; i < count; i++) {
            lx.next();
            long on = lx.num;
            boolean okNum = lx.type == PdfLexer.Token.INT && on >= 0 && on <= Integer.MAX_VALUE;
            lx.next();
            long oo = lx.num;
            boolean okOff = lx.type == PdfLexer.Token.INT && oo >= 0 && oo < bytes.length - first;
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
        if (lx.type != PdfLexer.Token.EOF) {
            throw c.invalid(what + ": expected " + count + " header pairs before /First " + first + ", found "
                    + lx.describe() + " after them at offset " + lx.start + " (decoded)");
        }
        ObjStm os = new ObjStm(num, bytes, first.intValue(), nums, offs);
        lastObjStm = os;
        return os;
    }

    /** An inflated object stream: object {@code nums[i]} is at {@code first + offs[i]}. */
    final class ObjStm {
        final int num;
        final int[] nums;
        private final byte[] bytes;
        private final int first;
        private final int[] offs;

        ObjStm(int num, byte[] bytes, int first, int[] nums, int[] offs) {
            this.num = num;
            this.bytes = bytes;
            this.first = first;
            this.nums = nums;
            this.offs = offs;
        }

        /** A lexer over the i-th object alone. */
        PdfLexer lexer(int i) {
            int from = first + offs[i];
            int to = i + 1 < offs.length ? first + offs[i + 1] : bytes.length;
            return new PdfLexer(s, new Src.Decoded(bytes, from, to), from,
                    "object " + nums[i] + " (in object stream " + num + ")");
        }
    }
}
