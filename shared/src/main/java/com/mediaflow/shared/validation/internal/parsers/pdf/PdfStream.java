package com.mediaflow.shared.validation.internal.parsers.pdf;

/** A stream object: its dictionary and where its (still encoded) data lies in the file. */
record PdfStream(PdfDict dict, long start, long length) implements PdfObject {
    @Override
    public String describe() {
        return "a stream of " + length + " bytes";
    }
}
