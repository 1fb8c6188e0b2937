package com.mediaflow.shared.validation.internal.parsers.zip;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Entry names: decoded strictly, and refused when they could escape the folder they unpack into. */
final class EntryNames {
    private EntryNames() {
    }

    /** UTF-8 when flag bit 11 says so or the name is ASCII; any other byte without the flag is refused. */
    static String decode(byte[] raw, int flags, Cursor c, int index) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw c.invalid("entry " + index + "'s name '" + printable(raw) + "' is not UTF-8"
                    + ((flags & 0x800) != 0 ? " though flag bit 11 says it is" : "")
                    + ", expected UTF-8 names (as OOXML, ODF and EPUB require)");
        }
    }

    static void check(String name, Cursor c, int maxDepth) {
        if (name.isEmpty()) {
            throw c.invalid("an entry has an empty name");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7F) {
                throw c.invalid("entry name '" + printable(name) + "' has control character 0x"
                        + Integer.toHexString(ch) + ", expected none");
            }
        }
        if (name.indexOf('\\') >= 0) {
            throw unsafe(c, name, "has a backslash, which some readers take as a folder separator");
        }
        if (name.startsWith("/")) {
            throw unsafe(c, name, "is an absolute path");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            throw unsafe(c, name, "starts with a drive letter");
        }
        String[] parts = name.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals("..") || part.equals(".")) {
                throw unsafe(c, name, "has a '" + part + "' segment");
            }
            if (part.isEmpty() && i < parts.length - 1) {
                throw unsafe(c, name, "has an empty segment ('//')");
            }
        }
        int depth = parts.length - (name.endsWith("/") ? 1 : 0);
        if (depth > maxDepth) {
            throw new MediaRejectedException(ReasonCode.DEPTH_LIMIT, c.format() + ": entry '" + name + "' is nested "
                    + depth + " folders deep, expected at most " + maxDepth + " (MAX_NESTING_DEPTH)");
        }
    }

    private static MediaRejectedException unsafe(Cursor c, String name, String why) {
        return new MediaRejectedException(ReasonCode.ARCHIVE_PATH_UNSAFE, c.format() + ": entry name '" + printable(name)
                + "' " + why + ", expected a relative path inside the package");
    }

    static String printable(byte[] raw) {
        return printable(new String(raw, StandardCharsets.ISO_8859_1));
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7F) {
                sb.append(String.format("\\x%02x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
