package com.mediaflow.shared.validation.internal.parsers.pdf;

/** A literal or hex string; its content is never needed, so it is not kept. */
record PdfString() implements PdfObject {
    static final PdfString ANY = new PdfString();

    @Override
    public String describe() {
        return "a string";
    }
}
