package com.mediaflow.shared.internal.isobmff;

import com.mediaflow.shared.internal.isobmff.IsoBmffException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Big-endian fields of a box body, each checked against what is left of its box. */
final class BoxFields {
    private BoxFields() {
    }

    static long u8(ByteBuffer b, long at, String what) {
        need(b, 1, at, what);
        return b.get() & 0xFF;
    }

    static long u16(ByteBuffer b, long at, String what) {
        need(b, 2, at, what);
        return b.getShort() & 0xFFFFL;
    }

    static long u32(ByteBuffer b, long at, String what) {
        need(b, 4, at, what);
        return b.getInt() & 0xFFFFFFFFL;
    }

    static long u64(ByteBuffer b, long at, String what) {
        need(b, 8, at, what);
        long v = b.getLong();
        if (v < 0) {
            throw invalid(at, what + " is larger than 2^63");
        }
        return v;
    }

    static String fourcc(ByteBuffer b, long at, String what) {
        need(b, 4, at, what);
        byte[] t = new byte[4];
        b.get(t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    static void need(ByteBuffer b, int n, long at, String what) {
        if (b.remaining() < n) {
            throw invalid(at, what + " needs " + n + " bytes, but its box at offset " + at + " has "
                    + b.remaining() + " left");
        }
    }

    static IsoBmffException invalid(long at, String message) {
        return new IsoBmffException(Kind.INVALID, at, message);
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    static String printable(String type) {
        StringBuilder sb = new StringBuilder();
        for (char ch : type.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }
}
