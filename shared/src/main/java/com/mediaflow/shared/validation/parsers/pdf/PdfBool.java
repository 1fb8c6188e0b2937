package com.mediaflow.shared.validation.parsers.pdf;

record PdfBool(boolean value) implements PdfObject {
    @Override
    public String describe() {
        return Boolean.toString(value);
    }
}
