package com.mediaflow.shared.validation.internal.parsers.pdf;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The checks that make a PDF PDF_ACTIVE_CONTENT. Active content is found on parsed names (so
 * {@code /Java#53cript} counts, a string {@code (JavaScript)} or a comment does not): the keys or
 * values {@code /JavaScript}, {@code /JS}, {@code /AA}, {@code /Launch}, {@code /EmbeddedFile(s)},
 * {@code /RichMedia}, {@code /XFA}, the key {@code /EF}, and an {@code /OpenAction} whose action is
 * JavaScript or Launch. The first finding is kept and thrown at the next object boundary.
 */
final class RiskScanner {
    /** Active content by name, and what it is. */
    private static final Map<String, String> ACTIVE = Map.of(
            "JavaScript", "JavaScript",
            "JS", "JavaScript",
            "AA", "additional actions",
            "Launch", "a launch action",
            "EmbeddedFile", "an embedded file",
            "EmbeddedFiles", "embedded files",
            "RichMedia", "rich media",
            "XFA", "an XFA form");
    /** Active only as a dictionary key: a file specification's embedded file streams. */
    private static final Map<String, String> ACTIVE_KEYS = Map.of("EF", "an embedded file");

    private String finding;

    /** A name the lexer read, as a dictionary key or as a value, in {@code where} at {@code offset}. */
    void name(String name, boolean key, String where, long offset, boolean decoded) {
        if (finding != null) {
            return;
        }
        String what = ACTIVE.get(name);
        if (what == null && key) {
            what = ACTIVE_KEYS.get(name);
        }
        if (what != null) {
            finding = where + " has /" + name + " (" + what + ") as a dictionary " + (key ? "key" : "value")
                    + " at offset " + offset + (decoded ? " (decoded)" : "");
        }
    }

    /** Throws the first finding, if any. */
    void throwIfActive() {
        if (finding != null) {
            throw active(finding);
        }
    }

    /** The catalog's /OpenAction, when it runs JavaScript or launches something. */
    void openAction(PdfDict catalog, PdfRef catalogRef, UnaryOperator<PdfObject> resolve) {
        PdfObject oa = catalog.get("OpenAction");
        if (oa != null && resolve.apply(oa) instanceof PdfDict action
                && resolve.apply(action.get("S")) instanceof PdfName n
                && (n.value().equals("JavaScript") || n.value().equals("Launch"))) {
            throw active("the catalog (object " + catalogRef.num() + ") has an /OpenAction that runs a " + n
                    + " action" + (oa instanceof PdfRef ar ? " (object " + ar.num() + ")" : ""));
        }
    }

    private static MediaRejectedException active(String message) {
        return new MediaRejectedException(ReasonCode.PDF_ACTIVE_CONTENT, PdfSession.FORMAT + ": " + message);
    }
}
