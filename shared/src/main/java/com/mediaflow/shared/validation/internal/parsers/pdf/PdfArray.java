package com.mediaflow.shared.validation.internal.parsers.pdf;

import java.util.List;

record PdfArray(List<PdfObject> items) implements PdfObject {
    int size() {
        return items.size();
    }

    PdfObject get(int i) {
        return items.get(i);
    }

    @Override
    public String describe() {
        if (items.size() <= 8) {
            StringBuilder sb = new StringBuilder("[");
            for (PdfObject o : items) {
                sb.append(sb.length() > 1 ? " " : "")
                        .append(o instanceof PdfArray || o instanceof PdfDict ? "..." : PdfObject.describe(o));
            }
            return sb.append(']').toString();
        }
        return "an array of " + items.size() + " values";
    }
}
