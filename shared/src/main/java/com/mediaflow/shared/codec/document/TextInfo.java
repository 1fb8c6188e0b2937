package com.mediaflow.shared.codec.document;

import com.mediaflow.shared.error.StorageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a text file that passed validation is: {@code encoding} ({@code UTF-8}, {@code UTF-16LE} or
 * {@code UTF-16BE}, as {@link com.mediaflow.shared.format.TextEncoding} tells them: UTF-16 only by
 * its byte-order mark), {@code byteOrderMark}, {@code lineCount} (line feeds, carriage returns
 * and CR LF pairs each end a line; a last line without one counts too) and {@code excerpt}, its
 * first {@link #EXCERPT_CODE_POINTS} code points, the mark left out and never half a surrogate
 * pair. One pass over the file, which validation bounded (TEXT_LIMIT).
 */
public final class TextInfo {
    public static final int EXCERPT_CODE_POINTS = 500;
    private static final int CHUNK = 64 * 1024;

    private TextInfo() {
    }

    public static Map<String, Object> read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            in.mark(3);
            byte[] bom = in.readNBytes(3);
            in.reset();
            String encoding;
            int skip;
            if (bom.length >= 2 && (bom[0] & 0xFF) == 0xFF && (bom[1] & 0xFF) == 0xFE) {
                encoding = "UTF-16LE";
                skip = 2;
            } else if (bom.length >= 2 && (bom[0] & 0xFF) == 0xFE && (bom[1] & 0xFF) == 0xFF) {
                encoding = "UTF-16BE";
                skip = 2;
            } else if (bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF) {
                encoding = "UTF-8";
                skip = 3;
            } else {
                encoding = "UTF-8";
                skip = 0;
            }
            in.skipNBytes(skip);
            Charset charset = Charset.forName(encoding);
            Reader reader = new InputStreamReader(in, charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            Map<String, Object> meta = new TreeMap<>();
            meta.put("encoding", encoding);
            meta.put("byteOrderMark", skip > 0);
            count(reader, meta);
            return meta;
        } catch (IOException e) {
            throw new StorageException("reading the text " + file + " failed: " + e.getMessage(), e);
        }
    }

    private static void count(Reader reader, Map<String, Object> meta) throws IOException {
        StringBuilder excerpt = new StringBuilder();
        int codePoints = 0;
        long lines = 0;
        boolean inLine = false;
        boolean afterCr = false;
        char[] buf = new char[CHUNK];
        int n;
        while ((n = reader.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                char ch = buf[i];
                if (codePoints < EXCERPT_CODE_POINTS) {
                    excerpt.append(ch);
                    if (!Character.isHighSurrogate(ch)) {
                        codePoints++;
                    }
                }
                if (ch == '\n') {
                    if (!afterCr) {
                        lines++;
                    }
                    inLine = false;
                    afterCr = false;
                } else if (ch == '\r') {
                    lines++;
                    inLine = false;
                    afterCr = true;
                } else {
                    inLine = true;
                    afterCr = false;
                }
            }
        }
        if (inLine) {
            lines++;
        }
        // the 500th code point may be a high surrogate whose low half was not taken: drop it
        if (excerpt.length() > 0 && Character.isHighSurrogate(excerpt.charAt(excerpt.length() - 1))) {
            excerpt.setLength(excerpt.length() - 1);
        }
        meta.put("lineCount", lines);
        meta.put("excerpt", excerpt.toString());
    }
}
