package com.mediaflow.shared.validation.internal.parsers.pdf;

import com.mediaflow.shared.validation.io.Cursor;

/**
 * Bytes for the lexer: the file, or an inflated object stream. {@link #at} is -1 outside. Also the
 * character classes of 7.2.2-7.2.3.
 */
sealed interface Src permits Src.File, Src.Decoded {
    int at(long pos);

    long end();

    /** Whether offsets here are in decoded bytes (messages say so). */
    boolean decoded();

    /** The file, through its cursor. */
    final class File implements Src {
        private final Cursor c;
        private final long size;

        File(Cursor c) {
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

        @Override
        public boolean decoded() {
            return false;
        }

        boolean matches(long p, String word) {
            for (int i = 0; i < word.length(); i++) {
                if (at(p + i) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** The first {@code word} starting in [from, to - word length], or -1. */
        long find(long from, long to, String word) {
            for (long p = from; p + word.length() <= to; p++) {
                if (matches(p, word)) {
                    return p;
                }
            }
            return -1;
        }

        /** {@code n} decimal digits at {@code p}, or -1. */
        long digits(long p, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                int b = at(p + i);
                if (b < '0' || b > '9') {
                    return -1;
                }
                v = v * 10 + (b - '0');
            }
            return v;
        }

        /** Up to {@code n} bytes at {@code p} as ISO-8859-1 text, for messages. */
        String text(long p, int n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int b = at(p + i);
                if (b < 0) {
                    break;
                }
                sb.append((char) b);
            }
            return sb.toString();
        }
    }

    /** The range [from, to) of a decoded buffer; positions are indices into it. */
    final class Decoded implements Src {
        private final byte[] b;
        private final int from;
        private final int to;

        Decoded(byte[] b, int from, int to) {
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

        @Override
        public boolean decoded() {
            return true;
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
}
