package com.mediaflow.shared.validation.internal.parsers.pdf;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * PDF (ISO 32000), parsed by us and strictly: a lenient reader repairs a broken file by guessing,
 * and two readers that guess differently are how active content slips past a check.
 *
 * <ul>
 *   <li>{@code %PDF-1.0}..{@code %PDF-2.0} at offset 0; {@code %%EOF} in the last 1024 bytes
 *       (TRUNCATED without); {@code startxref} pointing inside the file.</li>
 *   <li>Every cross-reference section along the {@code /Prev} chain (loops and more than
 *       100 sections rejected): a classic {@code xref} table of 20-byte entries
 *       and its {@code trailer}, or a cross-reference stream ({@code /W}, {@code /Index},
 *       FlateDecode with PNG predictors); hybrid files' {@code /XRefStm} too. A {@code /Root}.</li>
 *   <li>Every in-use entry of every section: the object at its offset must be {@code n g obj},
 *       with n and g as the entry says, one value (a tokenizer of 7.2-7.3: comments, numbers,
 *       literal and hex strings, names with {@code #xx} decoded, arrays, dictionaries, references),
 *       an optional stream, and {@code endobj}. Object streams are inflated (capped per stream,
 *       in total, and by ratio) and every object in them parsed; each compressed entry must name
 *       the object that its object stream holds at its index.</li>
 *   <li>Active content, found on parsed names (so {@code /Java#53cript} counts, a string
 *       {@code (JavaScript)} or a comment does not): the keys or values {@code /JavaScript},
 *       {@code /JS}, {@code /AA}, {@code /Launch}, {@code /EmbeddedFile(s)}, {@code /RichMedia},
 *       {@code /XFA}, the key {@code /EF}, and an {@code /OpenAction} whose action is JavaScript or
 *       Launch. Content streams are operators, not objects, and are not read.</li>
 * </ul>
 *
 * <p>A stream's {@code /Length} (direct, or a reference resolved through the cross-reference) must
 * lead to {@code endstream}; when it does not but {@code endstream} lies within
 * 32 bytes of where it says, the real length is used and a warning recorded
 * (writers that miscount an end-of-line); further off is STRUCTURE_INVALID, because then readers
 * disagree about where the stream ends. Encrypted files whose objects sit in object streams, and
 * object streams with filters other than FlateDecode, cannot be inspected: UNSUPPORTED_TYPE.
 *
 * <p>The parts, package-private: {@link PdfLexer} (tokens and values, as the sealed {@link PdfObject}),
 * {@link XrefReader} and {@link XrefTable} (the cross-reference chain), {@link ObjectStore}
 * (objects, streams, references, object streams), {@link StreamFilters} (decoding and its bounds),
 * {@link RiskScanner} (the active-content checks) and {@link DocumentReader} (the order of it all).
 */
public final class PdfParser implements FormatParser {
    @Override
    public StructureReport parse(Cursor cursor, Limits limits) {
        return new DocumentReader(cursor, limits).read();
    }
}
