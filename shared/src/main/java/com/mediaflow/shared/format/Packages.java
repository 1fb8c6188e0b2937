package com.mediaflow.shared.format;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** OOXML content types, for detection and for the package checks alike. */
public final class Packages {
    /** The most of {@code [Content_Types].xml} detection inflates from the head. */
    private static final int MAX_TYPES_TEXT = 256 * 1024;

    private Packages() {
    }

    /** The format a main part's content type makes an OOXML package, or null when it is none of ours. */
    public static MediaFormat ooxmlMainKind(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        if (!t.endsWith(".main+xml") && !t.endsWith(".main")) {
            return null;
        }
        boolean macros = t.contains("macroenabled");
        if (t.contains("wordprocessingml") || t.contains("ms-word")) {
            return macros ? MediaFormat.DOCM : MediaFormat.DOCX;
        }
        if (t.contains("spreadsheetml") || t.contains("ms-excel")) {
            return macros ? MediaFormat.XLSM : MediaFormat.XLSX;
        }
        if (t.contains("presentationml") || t.contains("ms-powerpoint")) {
            return macros ? MediaFormat.PPTM : MediaFormat.PPTX;
        }
        return null;
    }

    /** The first main-part content type found in the text of {@code [Content_Types].xml}, as a format; or null. */
    static MediaFormat ooxmlKind(String contentTypes) {
        if (contentTypes == null) {
            return null;
        }
        int at = 0;
        while ((at = contentTypes.indexOf(".main+xml", at)) >= 0) {
            int open = Math.max(contentTypes.lastIndexOf('"', at), contentTypes.lastIndexOf('\'', at));
            MediaFormat f = open < 0 ? null : ooxmlMainKind(contentTypes.substring(open + 1, at + ".main+xml".length()));
            if (f != null) {
                return f;
            }
            at++;
        }
        return null;
    }

    /** The text of a stored or deflated {@code [Content_Types].xml} from the head, as far as it goes; or null. */
    static String contentTypesText(byte[] b, int n, int data, int method, long compressed) {
        if (data >= n) {
            return null;
        }
        if (method == 0) {
            int len = (int) Math.min(Math.min(compressed, n - data), MAX_TYPES_TEXT);
            return new String(b, data, len, StandardCharsets.UTF_8);
        }
        if (method != 8) {
            return null;
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(b, data, n - data);
            byte[] out = new byte[MAX_TYPES_TEXT];
            int done = 0;
            while (done < out.length && !inflater.finished() && !inflater.needsInput() && !inflater.needsDictionary()) {
                int got = inflater.inflate(out, done, out.length - done);
                if (got == 0) {
                    break;
                }
                done += got;
            }
            return new String(out, 0, done, StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
