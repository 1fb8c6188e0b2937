package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.format.TextEncoding;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * Plain text (txt, csv, md): at most MAX_TEXT_BYTES ({@link com.mediaflow.shared.validation.DocumentLimits#maxTextBytes()},
 * TEXT_LIMIT), then every byte read:
 * strict UTF-8 (an optional byte-order mark; no overlong forms, surrogates, or code points above
 * U+10FFFF; no sequence cut off at the end), or UTF-16 when a byte-order mark says so (an even
 * length, surrogates paired); no NUL, and no control character but tab, line feed, vertical tab,
 * form feed and carriage return ({@link TextEncoding}).
 */
public final class TextParser implements FormatParser {
    /** The default of MAX_TEXT_BYTES. */
    public static final long MAX_TEXT_BYTES = com.mediaflow.shared.validation.DocumentLimits.DEFAULT_MAX_TEXT_BYTES;
    private static final int CHUNK = 64 * 1024;

    /** A fixed limit, or 0: the one the limits table passes to {@link #parse}. */
    private final long fixedMaxBytes;

    /** Takes its limit from the limits table (MAX_TEXT_BYTES). */
    public TextParser() {
        this(0);
    }

    /** A fixed limit, whatever the limits table says (tests, fuzzing). */
    public TextParser(long maxBytes) {
        this.fixedMaxBytes = maxBytes;
    }

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        long maxBytes = fixedMaxBytes > 0 ? fixedMaxBytes : limits.documents().maxTextBytes();
        long size = c.remaining();
        if (size > maxBytes) {
            throw new MediaRejectedException(ReasonCode.TEXT_LIMIT, c.format() + ": the text is " + size
                    + " bytes, expected at most " + maxBytes + " (MAX_TEXT_BYTES)");
        }
        byte[] first = new byte[(int) Math.min(3, size)];
        for (int i = 0; i < first.length; i++) {
            first[i] = (byte) c.peek(c.position() + i);
        }
        int bom = TextEncoding.utf16Bom(first, first.length);
        if (bom != 0) {
            utf16(c, bom == 1);
        } else {
            utf8(c, first.length == 3 && (first[0] & 0xFF) == 0xEF && (first[1] & 0xFF) == 0xBB && (first[2] & 0xFF) == 0xBF);
        }
        return StructureReport.builder().logicalEnd(c.end()).build();
    }

    private static void utf8(Cursor c, boolean bom) {
        if (bom) {
            c.skip(3, "the byte-order mark");
        }
        TextEncoding.Utf8 decoder = new TextEncoding.Utf8();
        long sequence = c.position();
        while (c.hasRemaining()) {
            long at = c.position();
            byte[] chunk = c.bytes((int) Math.min(CHUNK, c.remaining()), CHUNK, "text");
            for (int i = 0; i < chunk.length; i++) {
                if (!decoder.pending()) {
                    sequence = at + i;
                }
                String problem = decoder.next(chunk[i] & 0xFF);
                if (problem != null) {
                    throw c.invalid("expected UTF-8 text, found " + problem + " at offset " + sequence);
                }
            }
        }
        if (decoder.pending()) {
            throw c.invalid("expected UTF-8 text, found a sequence cut off by the end of the file");
        }
    }

    private static void utf16(Cursor c, boolean little) {
        if ((c.remaining() & 1) != 0) {
            throw c.invalid("UTF-16 text is " + c.remaining() + " bytes, expected an even number");
        }
        c.skip(2, "the byte-order mark");
        boolean high = false;
        while (c.hasRemaining()) {
            long at = c.position();
            byte[] chunk = c.bytes((int) Math.min(CHUNK, c.remaining()), CHUNK, "text");
            for (int i = 0; i + 1 < chunk.length; i += 2) {
                int unit = little ? (chunk[i] & 0xFF) | (chunk[i + 1] & 0xFF) << 8 : (chunk[i] & 0xFF) << 8 | (chunk[i + 1] & 0xFF);
                String problem = TextEncoding.utf16Unit(unit, high);
                if (problem != null) {
                    throw c.invalid("expected UTF-16" + (little ? "LE" : "BE") + " text, found " + problem + " at offset " + (at + i));
                }
                high = unit >= 0xD800 && unit <= 0xDBFF;
            }
        }
        if (high) {
            throw c.invalid("expected UTF-16 text, found a high surrogate cut off by the end of the file");
        }
    }
}
