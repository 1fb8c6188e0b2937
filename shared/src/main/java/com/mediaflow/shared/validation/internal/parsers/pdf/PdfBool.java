package com.mediaflow.shared.validation.internal.parsers.pdf;

record PdfBool(boolean value) implements PdfObject {
    static final PdfBool TRUE = new PdfBool(true);
    static final PdfBool FALSE = new PdfBool(false);

    @Override
    public String describe() {
        return Boolean.toString(value);
    }
}
