package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.io.Cursor;

/** Reads a table's entries in blocks through the cursor: no allocation per entry. */
final class IsoBmffTable {
    private static final int BLOCK = 16 * 1024;
    private final Cursor region;
    private final String what;
    private byte[] buf = new byte[0];
    private int pos;
    private int nibble = -1;

    IsoBmffTable(Cursor region, String what) {
        this.region = region;
        this.what = what;
    }

    int u8() {
        if (pos == buf.length) {
            buf = region.bytes((int) Math.min(BLOCK, region.remaining()), BLOCK, what);
            pos = 0;
            if (buf.length == 0) {
                throw region.invalid(what + " ends early at offset " + region.position());
            }
        }
        return buf[pos++] & 0xFF;
    }

    long u32() {
        return ((long) u8() << 24) | ((long) u8() << 16) | ((long) u8() << 8) | u8();
    }

    long u64() {
        long hi = u32();
        long lo = u32();
        if ((hi & 0x80000000L) != 0) {
            throw region.invalid(what + ": a 64-bit offset is larger than 2^63");
        }
        return (hi << 32) | lo;
    }

    long size(int field) {
        switch (field) {
            case 32:
                return u32();
            case 16:
                return (u8() << 8) | u8();
            case 8:
                return u8();
            default:
                if (nibble >= 0) {
                    int v = nibble & 0xF;
                    nibble = -1;
                    return v;
                }
                int b = u8();
                nibble = b;
                return b >>> 4;
        }
    }
}
