package com.mediaflow.shared.internal.isobmff;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a HEIF whose primary item is a grid of {@code hvc1} tiles that all share one coded
 * picture (its {@code hvcC} and data taken from a real file), with knobs to break it one way at a
 * time. Items: tiles 1..n, the grid n+1 (its descriptor in {@code idat}), then any extra items.
 */
final class HeifBuilder {
    final byte[] hvcC;
    final byte[] payload;
    long tileWidth;
    long tileHeight;
    int rows = 1;
    int columns = 2;
    long outputWidth;
    long outputHeight;
    /** Bytes of the {@code iloc} extent offset field: 4 or 8. */
    int offsetSize = 4;
    /** Added to the last tile's extent offset. */
    long lastTileShift;
    /** An extra {@code infe} declaring this item id again; 0 for none. */
    long duplicateId;
    /** Extra {@code mime} items declared in {@code iinf} (no data). */
    int extraItems;
    /** The grid's tiles as written in {@code dimg}; null for 1..rows*columns. */
    List<Long> dimg;

    HeifBuilder(byte[] hvcC, byte[] payload, long tileWidth, long tileHeight) {
        this.hvcC = hvcC;
        this.payload = payload;
        this.tileWidth = tileWidth;
        this.tileHeight = tileHeight;
        this.outputWidth = tileWidth * 2;
        this.outputHeight = tileHeight;
    }

    int tiles() {
        return rows * columns;
    }

    long gridId() {
        return tiles() + 1;
    }

    byte[] build() {
        byte[] ftyp = box("ftyp", bytes(ascii("heic"), u32(0), ascii("mif1"), ascii("heic")));
        long mdatData = ftyp.length + meta(0).length + 8;
        return bytes(ftyp, meta(mdatData), box("mdat", payload));
    }

    private byte[] meta(long mdatData) {
        byte[] hdlr = full("hdlr", 0, u32(0), ascii("pict"), u32(0), u32(0), u32(0), new byte[1]);
        byte[] pitm = full("pitm", 0, u16(gridId()));
        List<byte[]> infe = new ArrayList<>();
        for (long id = 1; id <= tiles(); id++) {
            infe.add(infe(id, "hvc1"));
        }
        infe.add(infe(gridId(), "grid"));
        if (duplicateId > 0) {
            infe.add(infe(duplicateId, "hvc1"));
        }
        for (int i = 0; i < extraItems; i++) {
            infe.add(infe(gridId() + 1 + i, "mime"));
        }
        byte[] iinf = full("iinf", 1, u32(infe.size()), bytes(infe.toArray(new byte[0][])));
        ByteArrayOutputStream iloc = new ByteArrayOutputStream();
        iloc.writeBytes(bytes(new byte[] {(byte) (offsetSize << 4 | 4), 0}, u16(tiles() + 1)));
        for (long id = 1; id <= tiles(); id++) {
            long offset = mdatData + (id == tiles() ? lastTileShift : 0);
            iloc.writeBytes(bytes(u16(id), u16(0), u16(0), u16(1), sized(offset), u32(payload.length)));
        }
        iloc.writeBytes(bytes(u16(gridId()), u16(1), u16(0), u16(1), sized(0), u32(8)));
        List<Long> tileRefs = dimg;
        if (tileRefs == null) {
            tileRefs = new ArrayList<>();
            for (long id = 1; id <= tiles(); id++) {
                tileRefs.add(id);
            }
        }
        ByteArrayOutputStream refs = new ByteArrayOutputStream();
        refs.writeBytes(bytes(u16(gridId()), u16(tileRefs.size())));
        tileRefs.forEach(id -> refs.writeBytes(u16(id)));
        byte[] iref = full("iref", 0, box("dimg", refs.toByteArray()));
        byte[] ipco = box("ipco", bytes(box("hvcC", hvcC), full("ispe", 0, u32(tileWidth), u32(tileHeight)),
                full("ispe", 0, u32(outputWidth), u32(outputHeight))));
        ByteArrayOutputStream ipma = new ByteArrayOutputStream();
        ipma.writeBytes(u32(tiles() + 1));
        for (long id = 1; id <= tiles(); id++) {
            ipma.writeBytes(bytes(u16(id), new byte[] {2, (byte) 0x81, 2}));
        }
        ipma.writeBytes(bytes(u16(gridId()), new byte[] {1, 3}));
        byte[] iprp = box("iprp", bytes(ipco, full("ipma", 0, ipma.toByteArray())));
        byte[] idat = box("idat", bytes(new byte[] {0, 0, (byte) (rows - 1), (byte) (columns - 1)},
                u16(outputWidth), u16(outputHeight)));
        return full("meta", 0, hdlr, pitm, iinf, full("iloc", 1, iloc.toByteArray()), iref, iprp, idat);
    }

    private byte[] sized(long v) {
        return offsetSize == 8 ? ByteBuffer.allocate(8).putLong(v).array() : u32(v);
    }

    private static byte[] infe(long id, String type) {
        return full("infe", 2, u16(id), u16(0), ascii(type), new byte[1]);
    }

    static byte[] full(String type, int version, byte[]... parts) {
        return box(type, bytes(u32((long) version << 24), bytes(parts)));
    }

    static byte[] box(String type, byte[] body) {
        return bytes(u32(8 + body.length), ascii(type), body);
    }

    static byte[] u32(long v) {
        return ByteBuffer.allocate(4).putInt((int) v).array();
    }

    static byte[] u16(long v) {
        return ByteBuffer.allocate(2).putShort((short) v).array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
