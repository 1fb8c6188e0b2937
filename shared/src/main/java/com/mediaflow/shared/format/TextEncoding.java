package com.mediaflow.shared.format;

/**
 * What counts as text, for detection and for the text parser alike: UTF-8 (with or without a
 * byte-order mark) or UTF-16 with a byte-order mark, no NUL, and no control character but tab,
 * line feed, vertical tab, form feed and carriage return.
 */
public final class TextEncoding {
    private TextEncoding() {
    }

    /** Whether a code point below U+0080 may appear in text. */
    public static boolean allowed(int codePoint) {
        return codePoint >= 0x20 && codePoint != 0x7F || codePoint >= 0x09 && codePoint <= 0x0D || codePoint > 0x7F;
    }

    /** UTF-16 by its byte-order mark: 1 little-endian, 2 big-endian, 0 none. */
    public static int utf16Bom(byte[] b, int n) {
        if (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return 1;
        }
        if (n >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return 2;
        }
        return 0;
    }

    /**
     * Whether the first {@code n} bytes are text. A multi-byte sequence or surrogate pair cut off
     * by the end of the head still counts: the parser judges the whole file.
     */
    public static boolean looksLikeText(byte[] b, int n) {
        int bom = utf16Bom(b, n);
        if (bom != 0) {
            return utf16(b, n, bom == 1);
        }
        int i = n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        Utf8 u = new Utf8();
        for (; i < n; i++) {
            if (u.next(b[i] & 0xFF) != null) {
                return false;
            }
        }
        return true;
    }

    private static boolean utf16(byte[] b, int n, boolean little) {
        boolean high = false;
        for (int i = 2; i + 1 < n; i += 2) {
            int unit = little ? (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 : (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
            String problem = utf16Unit(unit, high);
            if (problem != null) {
                return false;
            }
            high = unit >= 0xD800 && unit <= 0xDBFF;
        }
        return true;
    }

    /** What is wrong with a UTF-16 code unit after a high surrogate (or not), or null. */
    public static String utf16Unit(int unit, boolean afterHigh) {
        boolean low = unit >= 0xDC00 && unit <= 0xDFFF;
        if (afterHigh && !low) {
            return "a high surrogate not followed by a low one";
        }
        if (!afterHigh && low) {
            return "a low surrogate without a high one";
        }
        if (unit < 0x80 && !allowed(unit)) {
            return unit == 0 ? "a NUL character" : String.format("control character U+%04X", unit);
        }
        return null;
    }

    /** A strict UTF-8 decoder, a byte at a time: no overlong forms, surrogates or code points above U+10FFFF. */
    public static final class Utf8 {
        private int need;
        private int cp;
        private int min;

        /** Feeds one byte; returns what is wrong, or null. */
        public String next(int b) {
            if (need == 0) {
                if (b < 0x80) {
                    return allowed(b) ? null : b == 0 ? "a NUL byte" : String.format("control character 0x%02X", b);
                } else if (b >= 0xC2 && b <= 0xDF) {
                    start(1, b & 0x1F, 0x80);
                } else if (b >= 0xE0 && b <= 0xEF) {
                    start(2, b & 0x0F, 0x800);
                } else if (b >= 0xF0 && b <= 0xF4) {
                    start(3, b & 0x07, 0x10000);
                } else {
                    return String.format("byte 0x%02X, which starts no UTF-8 sequence", b);
                }
                return null;
            }
            if ((b & 0xC0) != 0x80) {
                need = 0;
                return String.format("byte 0x%02X where a UTF-8 continuation byte belongs", b);
            }
            cp = cp << 6 | (b & 0x3F);
            if (--need == 0 && (cp < min || cp >= 0xD800 && cp <= 0xDFFF || cp > 0x10FFFF)) {
                return String.format("the sequence for U+%X, an overlong form, surrogate or out of range", cp);
            }
            return null;
        }

        /** Whether a sequence was started and not finished. */
        public boolean pending() {
            return need != 0;
        }

        private void start(int need, int cp, int min) {
            this.need = need;
            this.cp = cp;
            this.min = min;
        }
    }
}
