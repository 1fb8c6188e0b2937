package com.mediaflow.shared.validation.internal.parsers.pdf;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/** What one parse shares across its parts: the file, the limits, the budgets spent, the findings. */
final class PdfSession {
    static final String FORMAT = "PDF";
    private static final int MAX_WARNINGS = 10;

    final Cursor c;
    final Limits limits;
    final Src.File file;
    final long size;
    final StructureReport.Builder report = StructureReport.builder();
    final RiskScanner risks = new RiskScanner();
    /** Tokens read in all, against the lexer's cap. */
    long tokens;
    /** Values read in the object being parsed, against the lexer's cap; callers reset it per object. */
    long valuesInObject;
    /** Whether a trailer has /Encrypt. */
    boolean encrypted;
    private int warnings;

    PdfSession(Cursor c, Limits limits) {
        this.c = c;
        this.limits = limits;
        this.file = new Src.File(c);
        this.size = c.sourceSize();
    }

    /** Records a STRUCTURE_INVALID warning, the first {@value #MAX_WARNINGS} of them. */
    void warn(String message) {
        warnings++;
        if (warnings <= MAX_WARNINGS) {
            report.warn(ReasonCode.STRUCTURE_INVALID, FORMAT + ": " + message);
        } else if (warnings == MAX_WARNINGS + 1) {
            report.warn(ReasonCode.STRUCTURE_INVALID, FORMAT + ": more warnings were not recorded");
        }
    }

    /** A lexer over the file at {@code pos}. */
    PdfLexer lexer(long pos, String where) {
        return new PdfLexer(this, file, pos, where);
    }
}
