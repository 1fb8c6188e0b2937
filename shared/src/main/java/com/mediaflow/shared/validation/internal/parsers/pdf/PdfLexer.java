package com.mediaflow.shared.validation.internal.parsers.pdf;

import static com.mediaflow.shared.validation.internal.parsers.pdf.PdfObject.printable;

import com.mediaflow.shared.error.MediaRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens and values of 7.2-7.3 (comments, numbers, literal and hex strings, names with {@code #xx}
 * decoded, arrays, dictionaries, references) over any {@link Src}, bounded by {@link Src#at} and
 * the caps. Every name read is shown to the session's {@link RiskScanner}.
 */
final class PdfLexer {
    private static final long MAX_TOKENS = 100_000_000L;
    private static final int MAX_VALUES_PER_OBJECT = 1_000_000;
    private static final int MAX_TOKEN = 255;
    private static final int MAX_NAME = 1024;
    private static final int MAX_STRING = 4 * 1024 * 1024;
    /** A backstop for the recursion if MAX_NESTING_DEPTH is configured very high. */
    private static final int HARD_DEPTH = 256;

    enum Token { EOF, INT, REAL, NAME, STRING, ARRAY_OPEN, ARRAY_CLOSE, DICT_OPEN, DICT_CLOSE, KEYWORD, BRACE }

    private final PdfSession s;
    final Src src;
    String where;
    long pos;
    Token type = Token.EOF;
    long num;
    String text;
    long start;

    PdfLexer(PdfSession s, Src src, long pos, String where) {
        this.s = s;
        this.src = src;
        this.pos = pos;
        this.where = where;
    }

    MediaRejectedException invalid(String message) {
        return s.c.invalid(where + ": " + message + (src.decoded() ? " (decoded)" : ""));
    }

    /** Whether the token just read is the keyword {@code word}. */
    boolean isKeyword(String word) {
        return type == Token.KEYWORD && text.equals(word);
    }

    void next() {
        if (++s.tokens > MAX_TOKENS) {
            throw s.c.invalid("more than " + MAX_TOKENS + " tokens in all");
        }
        skipSpace();
        start = pos;
        text = null;
        int b = src.at(pos);
        switch (b) {
            case -1 -> type = Token.EOF;
            case '[' -> {
                pos++;
                type = Token.ARRAY_OPEN;
            }
            case ']' -> {
                pos++;
                type = Token.ARRAY_CLOSE;
            }
            case '{', '}' -> {
                pos++;
                type = Token.BRACE;
            }
            case '(' -> literal();
            case ')' -> throw invalid("unbalanced ')' at offset " + pos);
            case '<' -> {
                if (src.at(pos + 1) == '<') {
                    pos += 2;
                    type = Token.DICT_OPEN;
                } else {
                    hexString();
                }
            }
            case '>' -> {
                if (src.at(pos + 1) != '>') {
                    throw invalid("a lone '>' at offset " + pos);
                }
                pos += 2;
                type = Token.DICT_CLOSE;
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
            if (Src.isWhite(b)) {
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
        type = Token.STRING;
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
            if (Src.hex(b) < 0 && !Src.isWhite(b)) {
                throw invalid("the hex string at offset " + open + " has byte 0x" + Integer.toHexString(b)
                        + " at offset " + (pos - 1) + ", expected hex digits");
            }
            if (pos - open > MAX_STRING * 2L) {
                throw invalid("the hex string at offset " + open + " is longer than " + MAX_STRING * 2L + " bytes");
            }
        }
        type = Token.STRING;
    }

    private void name() {
        long open = pos++;
        byte[] buf = new byte[32];
        int n = 0;
        while (Src.isRegular(src.at(pos))) {
            int b = src.at(pos);
            if (b == '#') {
                int h = Src.hex(src.at(pos + 1));
                int l = Src.hex(src.at(pos + 2));
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
        type = Token.NAME;
        text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    private void regular() {
        long open = pos;
        StringBuilder sb = new StringBuilder();
        while (Src.isRegular(src.at(pos))) {
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
        String t = text;
        int i = 0;
        boolean neg = false;
        if (!t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
            neg = t.charAt(0) == '-';
            i = 1;
        }
        int digits = 0;
        int dots = 0;
        boolean other = false;
        for (int k = i; k < t.length(); k++) {
            char ch = t.charAt(k);
            if (ch >= '0' && ch <= '9') {
                digits++;
            } else if (ch == '.') {
                dots++;
            } else {
                other = true;
            }
        }
        if (other || digits == 0 || dots > 1) {
            type = Token.KEYWORD;
            return;
        }
        if (dots == 0 && digits <= 18) {
            long v = 0;
            for (int k = i; k < t.length(); k++) {
                v = v * 10 + (t.charAt(k) - '0');
            }
            num = neg ? -v : v;
            type = Token.INT;
        } else {
            type = Token.REAL;
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
            case BRACE -> "'{' or '}'";
        };
    }

    /** Reads the next value. */
    PdfObject value(int depth) {
        next();
        return current(depth);
    }

    /** The value that starts with the token just read. */
    private PdfObject current(int depth) {
        if (++s.valuesInObject > MAX_VALUES_PER_OBJECT) {
            throw invalid("more than " + MAX_VALUES_PER_OBJECT + " values in one object");
        }
        switch (type) {
            case INT: {
                long n = num;
                long save = pos;
                if (n >= 0 && n <= Integer.MAX_VALUE) {
                    next();
                    if (type == Token.INT && num >= 0 && num <= 65535) {
                        long g = num;
                        next();
                        if (isKeyword("R")) {
                            return new PdfRef((int) n, (int) g);
                        }
                    }
                    pos = save;
                }
                return PdfNumber.integer(n);
            }
            case REAL:
                return PdfNumber.REAL;
            case NAME:
                s.risks.name(text, false, where, start, src.decoded());
                return new PdfName(text);
            case STRING:
                return PdfString.ANY;
            case ARRAY_OPEN:
                return array(depth + 1);
            case DICT_OPEN:
                return dictionary(depth + 1);
            case KEYWORD:
                switch (text) {
                    case "true":
                        return PdfBool.TRUE;
                    case "false":
                        return PdfBool.FALSE;
                    case "null":
                        return PdfNull.NULL;
                    default:
                        throw invalid("unexpected " + describe() + " at offset " + start + ", expected a value");
                }
            default:
                throw invalid("unexpected " + describe() + " at offset " + start + ", expected a value");
        }
    }

    private void enter(int depth, String what) {
        s.limits.checkDepth(PdfSession.FORMAT, depth, where + ": the " + what + " at offset " + start
                + (src.decoded() ? " (decoded)" : ""));
        if (depth > HARD_DEPTH) {
            throw invalid("the " + what + " at offset " + start + " is nested deeper than " + HARD_DEPTH);
        }
    }

    private PdfArray array(int depth) {
        long open = start;
        enter(depth, "array");
        List<PdfObject> list = new ArrayList<>();
        while (true) {
            next();
            if (type == Token.ARRAY_CLOSE) {
                return new PdfArray(list);
            }
            if (type == Token.EOF) {
                throw invalid("the array opened at offset " + open + " is not closed");
            }
            list.add(current(depth));
        }
    }

    private PdfDict dictionary(int depth) {
        long open = start;
        enter(depth, "dictionary");
        Map<String, PdfObject> map = new LinkedHashMap<>();
        while (true) {
            next();
            if (type == Token.DICT_CLOSE) {
                return new PdfDict(map);
            }
            if (type != Token.NAME) {
                throw invalid("the dictionary opened at offset " + open + " has " + describe() + " at offset "
                        + start + ", expected a name key or '>>'");
            }
            String key = text;
            s.risks.name(key, true, where, start, src.decoded());
            next();
            if (type == Token.DICT_CLOSE || type == Token.EOF) {
                throw invalid("the dictionary opened at offset " + open + " has the key /" + printable(key)
                        + " without a value (" + describe() + " at offset " + start + ")");
            }
            map.put(key, current(depth));
        }
    }
}
