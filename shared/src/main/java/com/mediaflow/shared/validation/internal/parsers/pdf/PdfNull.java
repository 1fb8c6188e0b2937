package com.mediaflow.shared.validation.internal.parsers.pdf;

/** The null object, also what a reference to a free or missing object resolves to (7.3.10). */
record PdfNull() implements PdfObject {
    static final PdfNull NULL = new PdfNull();

    @Override
    public String describe() {
        return "null";
    }
}
