package com.mediaflow.shared.validation.internal.parsers.pdf;

/** An integer, or a real number (whose value is never needed, so it is kept as 0). */
record PdfNumber(long value, boolean real) implements PdfObject {
    static final PdfNumber REAL = new PdfNumber(0, true);

    static PdfNumber integer(long value) {
        return new PdfNumber(value, false);
    }

    /** The integer {@code v} holds, or null when it is not an integer (absent, real, another type). */
    static Long integerOf(PdfObject v) {
        return v instanceof PdfNumber n && !n.real() ? n.value() : null;
    }

    @Override
    public String toString() {
        return real ? "0.0" : Long.toString(value);
    }

    @Override
    public String describe() {
        return toString();
    }
}
