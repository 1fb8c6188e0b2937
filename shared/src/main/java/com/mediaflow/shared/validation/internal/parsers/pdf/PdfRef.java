package com.mediaflow.shared.validation.internal.parsers.pdf;

/** An indirect reference {@code num gen R}. */
record PdfRef(int num, int gen) implements PdfObject {
    @Override
    public String toString() {
        return num + " " + gen + " R";
    }

    @Override
    public String describe() {
        return PdfObject.printable(toString());
    }
}
