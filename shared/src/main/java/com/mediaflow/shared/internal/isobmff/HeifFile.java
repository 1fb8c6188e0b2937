package com.mediaflow.shared.internal.isobmff;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.internal.isobmff.HeifItems.Extent;
import com.mediaflow.shared.internal.isobmff.HeifItems.Item;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A HEIF/AVIF file on disk for the decoder and the metadata step: finds the top-level
 * {@code meta}, reads it with {@link HeifMetaReader} (the reader validation uses), checks the
 * primary picture with {@link HeifPicture}, and reads an item's data on request. Failures are
 * {@link CodecException}s naming the file; one from the item structure has the
 * {@link IsoBmffException} (kind, offset) as its cause.
 */
public final class HeifFile implements AutoCloseable {
    static final int MAX_TOP_LEVEL_BOXES = 10_000;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private HeifItems items;

    private HeifFile(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.fileSize = channel.size();
    }

    /** Opens the file; close it when done. */
    public static HeifFile open(Path file) {
        try {
            return new HeifFile(file, FileChannel.open(file, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new CodecException("Cannot read HEIF " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only channel: nothing to lose
        }
    }

    /** The items of the top-level {@code meta} box (read once). */
    public HeifItems items() {
        if (items == null) {
            try {
                items = readItems();
            } catch (IsoBmffException e) {
                throw fail(e);
            }
        }
        return items;
    }

    /** The primary picture, checked as validation checks it. */
    public HeifPicture picture(long maxPixels) {
        HeifItems all = items();
        try {
            return HeifPicture.of(all, (offset, length) -> readAt(offset, length, "a grid").array(), maxPixels);
        } catch (IsoBmffException e) {
            throw fail(e);
        }
    }

    /** The item's data, its extents concatenated ({@code idat} for construction method 1). */
    public byte[] data(Item item) {
        HeifItems all = items();
        long total;
        try {
            total = HeifPicture.dataLength(all, item);
        } catch (IsoBmffException e) {
            throw fail(e);
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (Extent e : item.extents()) {
            int len = (int) e.length();
            if (item.constructionMethod() == 1) {
                if (e.offset() < 0 || e.offset() > all.idat().length - e.length()) {
                    throw new CodecException("Cannot read HEIF " + file + ": item " + item.id()
                            + " has an extent at " + e.offset() + "+" + e.length() + " of 'idat', which holds "
                            + all.idat().length + " bytes");
                }
                System.arraycopy(all.idat(), (int) e.offset(), out, at, len);
            } else {
                readAt(e.offset(), len, "item " + item.id()).get(out, at, len);
            }
            at += len;
        }
        return out;
    }

    private HeifItems readItems() {
        long pos = 0;
        for (int n = 0; pos + 8 <= fileSize; n++) {
            if (n >= MAX_TOP_LEVEL_BOXES) {
                throw BoxFields.invalid(pos, "more than " + MAX_TOP_LEVEL_BOXES + " top-level boxes");
            }
            ByteBuffer h = readAt(pos, (int) Math.min(16, fileSize - pos), "a box header");
            long size = h.getInt() & 0xFFFFFFFFL;
            byte[] t = new byte[4];
            h.get(t);
            String type = new String(t, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (h.remaining() < 8) {
                    throw BoxFields.invalid(pos, "box '" + BoxFields.printable(type) + "' at offset "
                            + pos + " has a truncated 64-bit size");
                }
                size = h.getLong();
                header = 16;
            } else if (size == 0) {
                size = fileSize - pos;
            }
            if (size < header || size > fileSize - pos) {
                throw new IsoBmffException(size < header ? IsoBmffException.Kind.INVALID
                        : IsoBmffException.Kind.TRUNCATED, pos, "box '" + BoxFields.printable(type) + "' at offset "
                        + pos + " declares " + size + " bytes, expected " + header + ".." + (fileSize - pos));
            }
            if (type.equals("meta")) {
                if (size - header > HeifMetaReader.MAX_META_BYTES) {
                    throw BoxFields.invalid(pos, "'meta' at offset " + pos + " is " + (size - header)
                            + " bytes, expected at most " + HeifMetaReader.MAX_META_BYTES);
                }
                ByteBuffer meta = readAt(pos + header, (int) (size - header), "the 'meta' box");
                return HeifMetaReader.read(meta, pos + header, pos, fileSize);
            }
            pos += size;
        }
        throw BoxFields.invalid(0, "no top-level 'meta' box, expected one holding the image items");
    }

    private ByteBuffer readAt(long pos, int length, String what) {
        if (pos < 0 || pos > fileSize - length) {
            throw new CodecException("Cannot read HEIF " + file + ": " + what + " at offset " + pos + " of "
                    + length + " bytes passes the end of the file at " + fileSize);
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new CodecException("Cannot read HEIF " + file + ": " + what + " at offset " + pos
                            + " is cut off by the end of the file");
                }
            }
        } catch (IOException e) {
            throw new CodecException("Cannot read " + what + " of HEIF " + file + ": " + e.getMessage(), e);
        }
        return buf.flip();
    }

    private CodecException fail(IsoBmffException e) {
        return new CodecException("Cannot read HEIF " + file + ": " + e.describe(), e);
    }
}
