package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.codec.document.TextInfo;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The text reader ({@link TextInfo}: encoding, byte-order mark, line count, excerpt) reads the
 * uploaded text. Its contract: on any bytes (not only those validation accepts as text) it
 * returns its four keys and throws nothing (StorageException only when the file cannot be read,
 * which a scratch file can); the encoding is UTF-8, UTF-16LE or UTF-16BE, the line count is at
 * most one per byte, and the excerpt is at most {@link TextInfo#EXCERPT_CODE_POINTS} code points
 * and never ends in half a surrogate pair.
 * In {@code mvn verify}: the seeds in .../TextInfoFuzzTestInputs/parse. To fuzz:
 * {@code shared/fuzz TextInfoFuzzTest MINUTES}. See FuzzSupport.
 */
public class TextInfoFuzzTest {
    private static final Path FILE = FuzzSupport.scratchFile(".txt");
    private static final Set<String> ENCODINGS = Set.of("UTF-8", "UTF-16LE", "UTF-16BE");

    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** The entry point of Jazzer's command line, which shared/fuzz runs. */
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzSupport.write(FILE, data);
        Map<String, Object> meta = TextInfo.read(FILE);
        if (!meta.keySet().equals(Set.of("encoding", "byteOrderMark", "lineCount", "excerpt"))) {
            throw new IllegalStateException("expected encoding, byteOrderMark, lineCount and excerpt, found " + meta.keySet());
        }
        if (!ENCODINGS.contains(meta.get("encoding"))) {
            throw new IllegalStateException("expected UTF-8 or UTF-16, found " + meta.get("encoding"));
        }
        long lines = (Long) meta.get("lineCount");
        if (lines < 0 || lines > data.length) {
            throw new IllegalStateException("expected 0 to " + data.length + " lines in " + data.length + " bytes, found " + lines);
        }
        String excerpt = (String) meta.get("excerpt");
        int codePoints = excerpt.codePointCount(0, excerpt.length());
        if (codePoints > TextInfo.EXCERPT_CODE_POINTS) {
            throw new IllegalStateException("expected an excerpt of at most " + TextInfo.EXCERPT_CODE_POINTS
                    + " code points, found " + codePoints);
        }
        if (!excerpt.isEmpty() && Character.isHighSurrogate(excerpt.charAt(excerpt.length() - 1))) {
            throw new IllegalStateException("expected an excerpt that does not end in half a surrogate pair, found one of "
                    + excerpt.length() + " chars that does");
        }
    }
}
