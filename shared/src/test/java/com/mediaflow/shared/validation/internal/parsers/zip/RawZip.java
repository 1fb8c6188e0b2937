package com.mediaflow.shared.validation.internal.parsers.zip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a ZIP byte by byte, so that tests can make the archives java.util.zip refuses to write:
 * two directory entries over one local header, a local header that disagrees with the directory,
 * a declared size smaller than the data, bytes between entries, ZIP64 markers.
 */
public final class RawZip {
    /** One entry; every field may be bent before {@link #bytes()}. */
    public static final class Entry {
        public String name;
        public String localName;
        public byte[] data;
        public int method;
        public byte[] stored;
        public long crc;
        public long size;
        public long compressedSize;
        public Long centralOffset;
        public Long localSize;
        public int flags = 0x800;
        public byte[] gapBefore = new byte[0];
        /** False: only the directory names it (its local header sits elsewhere, inside another entry say). */
        public boolean writeLocal = true;

        Entry(String name, byte[] data, boolean deflate) {
            this.name = name;
            this.localName = name;
            this.data = data;
            this.method = deflate ? 8 : 0;
            this.stored = deflate ? deflate(data) : data;
            CRC32 c = new CRC32();
            c.update(data);
            this.crc = c.getValue();
            this.size = data.length;
            this.compressedSize = stored.length;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    public int totalOverride = -1;
    public byte[] trailing = new byte[0];

    public RawZip stored(String name, byte[] data) {
        entries.add(new Entry(name, data, false));
        return this;
    }

    public RawZip stored(String name, String text) {
        return stored(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public RawZip deflated(String name, byte[] data) {
        entries.add(new Entry(name, data, true));
        return this;
    }

    public RawZip deflated(String name, String text) {
        return deflated(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bends the last entry added. */
    public RawZip bend(Consumer<Entry> change) {
        change.accept(entries.get(entries.size() - 1));
        return this;
    }

    public Entry entry(int i) {
        return entries.get(i);
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] offsets = new long[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (!e.writeLocal) {
                continue;
            }
            out.writeBytes(e.gapBefore);
            offsets[i] = out.size();
            out.writeBytes(local(e));
        }
        long cdStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            u32(out, 0x02014b50L);
            u16(out, 20);
            u16(out, 20);
            u16(out, e.flags);
            u16(out, e.method);
            u32(out, 0);
            u32(out, e.crc);
            u32(out, e.compressedSize);
            u32(out, e.size);
            u16(out, name.length);
            u16(out, 0);
            u16(out, 0);
            u16(out, 0);
            u16(out, 0);
            u32(out, 0);
            u32(out, e.centralOffset != null ? e.centralOffset : offsets[i]);
            out.writeBytes(name);
        }
        long cdSize = out.size() - cdStart;
        int total = totalOverride >= 0 ? totalOverride : entries.size();
        u32(out, 0x06054b50L);
        u16(out, 0);
        u16(out, 0);
        u16(out, total);
        u16(out, total);
        u32(out, cdSize);
        u32(out, cdStart);
        u16(out, 0);
        out.writeBytes(trailing);
        return out.toByteArray();
    }

    /** An entry's local header and data, as {@link #bytes()} writes them. */
    public static byte[] local(Entry e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] name = e.localName.getBytes(StandardCharsets.UTF_8);
        u32(out, 0x04034b50L);
        u16(out, 20);
        u16(out, e.flags);
        u16(out, e.method);
        u32(out, 0);
        u32(out, e.crc);
        u32(out, e.compressedSize);
        u32(out, e.localSize != null ? e.localSize : e.size);
        u16(out, name.length);
        u16(out, 0);
        out.writeBytes(name);
        out.writeBytes(e.stored);
        return out.toByteArray();
    }

    public static Entry entry(String name, byte[] data) {
        return new Entry(name, data, false);
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >> 8) & 0xFF);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v & 0xFFFF));
        u16(out, (int) ((v >> 16) & 0xFFFF));
    }
}
