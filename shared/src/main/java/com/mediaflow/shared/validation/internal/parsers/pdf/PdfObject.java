package com.mediaflow.shared.validation.internal.parsers.pdf;

/**
 * A PDF value (ISO 32000 7.3) as the parser keeps it: only what the checks need, so strings keep no
 * content and real numbers no value. Java {@code null} stands for an absent dictionary entry, which
 * is not the same as the {@link PdfNull null object}.
 */
sealed interface PdfObject permits PdfDict, PdfArray, PdfName, PdfString, PdfNumber, PdfRef, PdfStream, PdfBool,
        PdfNull {

    /** How a message names this value: "a dictionary of 3 entries", "/Catalog", "5 0 R", ... */
    String describe();

    /** {@link #describe()}, or "absent" for a missing entry. */
    static String describe(PdfObject v) {
        return v == null ? "absent" : v.describe();
    }

    /** Printable ASCII of the first 64 characters, '?' for the rest, "..." when cut. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char ch = s.charAt(i);
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return s.length() > 64 ? sb.append("...").toString() : sb.toString();
    }
}
