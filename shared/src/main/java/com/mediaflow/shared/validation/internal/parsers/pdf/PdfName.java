package com.mediaflow.shared.validation.internal.parsers.pdf;

/** A name, {@code #xx} escapes decoded, without its slash. */
record PdfName(String value) implements PdfObject {
    @Override
    public String toString() {
        return "/" + value;
    }

    @Override
    public String describe() {
        return PdfObject.printable(toString());
    }
}
