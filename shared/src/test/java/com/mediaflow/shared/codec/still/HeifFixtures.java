package com.mediaflow.shared.codec.still;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper: variants of a real HEIF made by editing one box in place (same sizes, so no
 * offset moves): for pictures no public corpus holds, such as a grid photo turned by
 * {@code irot}.
 */
public final class HeifFixtures {

    private HeifFixtures() {
    }

    /**
     * A copy of {@code heic} whose first {@code irot} property in {@code meta/iprp/ipco} says
     * {@code quarterTurns} anti-clockwise quarter turns.
     *
     * @throws AssertionError when the file has no such property
     */
    public static Path withIrot(Path heic, int quarterTurns, Path out) {
        byte[] bytes = read(heic);
        int irot = find(bytes, "irot");
        bytes[irot + 8] = (byte) (quarterTurns & 3);
        return write(out, bytes);
    }

    /**
     * A copy of {@code heic} whose top-level {@code meta} box declares 20 bytes, cutting its first
     * child box ({@code hdlr}) in two: an item structure nothing can read.
     */
    public static Path withCorruptMeta(Path heic, Path out) {
        byte[] bytes = read(heic);
        int meta = find(bytes, "meta");
        ByteBuffer.wrap(bytes).putInt(meta, 20); // meta now holds only its header and 'hdlr''s start
        return write(out, bytes);
    }

    /** Offset of the first box of this type inside the file's top-level 'meta' (depth-first, boxes only). */
    private static int find(byte[] bytes, String type) {
        int at = search(bytes, 0, bytes.length, type, 0);
        if (at < 0) {
            throw new AssertionError("expected a '" + type + "' box in the HEIF, found none");
        }
        return at;
    }

    private static int search(byte[] b, int from, int to, String type, int depth) {
        int p = from;
        while (p + 8 <= to && depth < 6) {
            long size = ByteBuffer.wrap(b, p, 4).getInt() & 0xFFFFFFFFL;
            String t = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (size < 8 || p + size > to) {
                return -1;
            }
            if (t.equals(type)) {
                return p;
            }
            int body = switch (t) {
                case "meta" -> 12;
                case "iprp", "ipco" -> 8;
                default -> -1;
            };
            if (body > 0) {
                int inner = search(b, p + body, (int) (p + size), type, depth + 1);
                if (inner >= 0) {
                    return inner;
                }
            }
            p += (int) size;
        }
        return -1;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path out, byte[] bytes) {
        try {
            return Files.write(out, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
