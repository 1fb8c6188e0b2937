package com.mediaflow.shared.validation.internal.parsers.pdf;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import java.util.Arrays;

/**
 * The cross-reference entries of all sections; the newest entry of each object wins. Kept as
 * parallel arrays (a file may have millions of entries): kind 0 free, 1 at an offset (f2 the
 * offset, f3 the generation), 2 compressed (f2 the object stream, f3 the index in it).
 */
final class XrefTable {
    static final int FREE = 0;
    static final int AT_OFFSET = 1;
    static final int COMPRESSED = 2;
    /** Our own cap on cross-reference entries kept in memory (also index bits of a sort key). */
    static final int MAX_ENTRIES = 1 << 21;
    /** The bits of an entry's index in a sort key. */
    static final int INDEX_BITS = 22;

    int n;
    int[] num = new int[64];
    byte[] type = new byte[64];
    long[] f2 = new long[64];
    long[] f3 = new long[64];
    private short[] prio = new short[64];
    /** After {@link #build}: sort keys, see there. */
    long[] sorted;

    void add(long objNum, int kind, long field2, long field3, int priority) {
        if (n == MAX_ENTRIES) {
            throw new MediaRejectedException(ReasonCode.STRUCTURE_INVALID, PdfSession.FORMAT
                    + ": the cross-reference sections hold more than " + MAX_ENTRIES + " entries");
        }
        if (n == num.length) {
            int cap = Math.min(MAX_ENTRIES, n * 2);
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
            sorted[i] = ((long) num[i] << 31) | ((long) prio[i] << INDEX_BITS) | i;
        }
        Arrays.sort(sorted);
    }

    /** The object number of a sort key. */
    static int keyNum(long key) {
        return (int) (key >>> 31);
    }

    /** The entry index of a sort key. */
    static int keyIndex(long key) {
        return (int) (key & ((1 << INDEX_BITS) - 1));
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
            return keyIndex(sorted[lo]);
        }
        return -1;
    }

    /** Whether the entry in force for {@code objNum} is at {@code offset} (with generation {@code gen}, if >= 0). */
    boolean inForceAt(int objNum, long offset, long gen) {
        int e = lookup(objNum);
        return e >= 0 && type[e] == AT_OFFSET && f2[e] == offset && (gen < 0 || f3[e] == gen);
    }
}
