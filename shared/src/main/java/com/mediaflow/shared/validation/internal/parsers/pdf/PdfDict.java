package com.mediaflow.shared.validation.internal.parsers.pdf;

import java.util.Map;

/** A dictionary, keys without their slash, in file order; a repeated key keeps its last value. */
record PdfDict(Map<String, PdfObject> entries) implements PdfObject {
    /** The value of {@code key}, or null when absent. */
    PdfObject get(String key) {
        return entries.get(key);
    }

    /** Whether {@code key} is there and is the name {@code /value}. */
    boolean hasName(String key, String value) {
        return get(key) instanceof PdfName n && n.value().equals(value);
    }

    @Override
    public String describe() {
        return "a dictionary of " + entries.size() + " entries";
    }
}
