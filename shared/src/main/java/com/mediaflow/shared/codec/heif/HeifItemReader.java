package com.mediaflow.shared.codec.heif;

import com.mediaflow.shared.codec.heif.HeifItems.Extent;
import com.mediaflow.shared.codec.heif.HeifItems.Item;
import com.mediaflow.shared.codec.heif.HeifItems.Property;
import com.mediaflow.shared.error.CodecException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the image items of a HEIF/AVIF file (the top-level {@code meta}: {@code pitm},
 * {@code iinf}, {@code iloc}, {@code iref}, {@code iprp}/{@code ipco}/{@code ipma},
 * {@code idat}) into a {@link HeifItems} model, and an item's data on request.
 *
 * <p>Untrusted bytes: only the {@code meta} box is read into memory (at most
 * {@link #MAX_META_BYTES}); every count is capped, every size checked against what remains of its
 * box, every extent against the end of the file (or of {@code idat}). Failures are
 * {@link CodecException}s naming the file and what was found.
 */
public final class HeifItemReader implements AutoCloseable {
    static final long MAX_META_BYTES = 16L * 1024 * 1024;
    static final int MAX_ITEMS = 20_000;
    static final int MAX_EXTENTS = 4_096;
    static final int MAX_PROPERTIES = 20_000;
    static final int MAX_TOP_LEVEL_BOXES = 10_000;
    /** Compressed data of one item: a tile or image; 256 MB is far above any camera's. */
    public static final long MAX_ITEM_BYTES = 256L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;

    private HeifItemReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.fileSize = channel.size();
    }

    /** Opens the file; close the reader when done. */
    public static HeifItemReader open(Path file) {
        try {
            return new HeifItemReader(file, FileChannel.open(file, StandardOpenOption.READ));
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

    /** Parses the top-level {@code meta} box into the item model. */
    public HeifItems items() {
        long pos = 0;
        ByteBuffer meta = null;
        for (int n = 0; pos + 8 <= fileSize; n++) {
            if (n >= MAX_TOP_LEVEL_BOXES) {
                throw fail("more than " + MAX_TOP_LEVEL_BOXES + " top-level boxes");
            }
            ByteBuffer h = readAt(pos, (int) Math.min(16, fileSize - pos), "a box header");
            long size = u32(h);
            String type = fourcc(h);
            int header = 8;
            if (size == 1) {
                if (h.remaining() < 8) {
                    throw fail("box '" + type + "' at offset " + pos + " has a truncated 64-bit size");
                }
                size = h.getLong();
                header = 16;
            } else if (size == 0) {
                size = fileSize - pos;
            }
            if (size < header || size > fileSize - pos) {
                throw fail("box '" + printable(type) + "' at offset " + pos + " declares " + size
                        + " bytes, expected " + header + ".." + (fileSize - pos));
            }
            if (type.equals("meta")) {
                if (size - header > MAX_META_BYTES) {
                    throw fail("'meta' at offset " + pos + " is " + (size - header)
                            + " bytes, expected at most " + MAX_META_BYTES);
                }
                meta = readAt(pos + header, (int) (size - header), "the 'meta' box");
                break;
            }
            pos += size;
        }
        if (meta == null) {
            throw fail("no top-level 'meta' box, expected one holding the image items");
        }
        return parseMeta(meta);
    }

    /** The item's data, its extents concatenated ({@code idat} for construction method 1). */
    public byte[] data(HeifItems items, Item item) {
        List<Extent> extents = new ArrayList<>(item.extents().size());
        long total = 0;
        for (Extent e : item.extents()) {
            long length = e.length();
            if (length < 0) { // "to the end of idat"
                length = items.idat().length - e.offset();
            }
            if (length < 0 || length > MAX_ITEM_BYTES) {
                throw fail("item " + item.id() + " has an extent of " + length + " bytes at offset "
                        + e.offset() + ", expected 0.." + MAX_ITEM_BYTES);
            }
            extents.add(new Extent(e.offset(), length));
            total += length;
        }
        if (extents.isEmpty() || total <= 0) {
            throw fail("item " + item.id() + " ('" + item.type() + "') has no data in 'iloc'");
        }
        if (total > MAX_ITEM_BYTES) {
            throw fail("item " + item.id() + " ('" + item.type() + "') has " + total
                    + " bytes of data, expected at most " + MAX_ITEM_BYTES);
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (Extent e : extents) {
            int len = (int) e.length();
            if (item.constructionMethod() == 1) {
                byte[] idat = items.idat();
                if (e.offset() < 0 || e.offset() + e.length() > idat.length) {
                    throw fail("item " + item.id() + " has an extent at " + e.offset() + "+" + e.length()
                            + " of 'idat', which holds " + idat.length + " bytes");
                }
                System.arraycopy(idat, (int) e.offset(), out, at, len);
            } else {
                if (e.offset() < 0 || e.offset() > fileSize - e.length()) {
                    throw fail("item " + item.id() + " has an extent at offset " + e.offset() + " of "
                            + e.length() + " bytes, past the end of the file at " + fileSize);
                }
                readAt(e.offset(), len, "item " + item.id()).get(out, at, len);
            }
            at += len;
        }
        return out;
    }

    /**
     * A grid's descriptor (ISO/IEC 23008-12 6.6.2.3): rows, columns and output size; checks that
     * the grid has exactly rows x columns {@code dimg} tiles.
     */
    public Grid grid(HeifItems items, Item item) {
        byte[] d = data(items, item);
        ByteBuffer b = ByteBuffer.wrap(d);
        if (d.length < 8) {
            throw fail("grid item " + item.id() + " has " + d.length + " bytes, expected at least 8");
        }
        int version = b.get() & 0xFF;
        int flags = b.get() & 0xFF;
        if (version != 0) {
            throw fail("grid item " + item.id() + " has version " + version + ", expected 0");
        }
        int rows = (b.get() & 0xFF) + 1;
        int columns = (b.get() & 0xFF) + 1;
        long w;
        long h;
        if ((flags & 1) != 0) {
            if (d.length < 12) {
                throw fail("grid item " + item.id() + " has 32-bit sizes but " + d.length
                        + " bytes, expected 12");
            }
            w = u32(b);
            h = u32(b);
        } else {
            w = b.getShort() & 0xFFFF;
            h = b.getShort() & 0xFFFF;
        }
        if (item.dimg().size() != rows * columns) {
            throw fail("grid item " + item.id() + " is " + rows + " x " + columns + " tiles, but it has "
                    + item.dimg().size() + " 'dimg' references");
        }
        if (w <= 0 || h <= 0) {
            throw fail("grid item " + item.id() + " has output size " + w + "x" + h
                    + ", expected both above 0");
        }
        return new Grid(rows, columns, w, h);
    }

    /** A grid's layout: tiles row-major, the canvas cropped to {@code width x height}. */
    public record Grid(int rows, int columns, long width, long height) {
    }

    // --- meta ----------------------------------------------------------------------------------

    private HeifItems parseMeta(ByteBuffer meta) {
        need(meta, 4, "'meta' version and flags");
        meta.getInt();
        long primary = -1;
        Map<Long, String> types = new LinkedHashMap<>();
        Set<Long> hidden = new HashSet<>();
        Map<Long, Object[]> locations = new HashMap<>(); // id -> {method, List<Extent>}
        Map<Long, List<Long>> dimg = new HashMap<>();
        Map<Long, List<Long>> auxiliary = new HashMap<>();
        List<Property> ipco = new ArrayList<>();
        Map<Long, List<Property>> associations = new HashMap<>();
        byte[] idat = new byte[0];
        while (meta.remaining() >= 8) {
            ByteBuffer box = child(meta, "meta");
            String type = lastType;
            switch (type) {
                case "pitm" -> {
                    int v = fullBox(box, "pitm");
                    primary = v == 0 ? u16(box) : u32(box);
                }
                case "iinf" -> iinf(box, types, hidden);
                case "iloc" -> iloc(box, locations);
                case "iref" -> iref(box, dimg, auxiliary);
                case "iprp" -> {
                    while (box.remaining() >= 8) {
                        ByteBuffer p = child(box, "iprp");
                        if (lastType.equals("ipco")) {
                            ipco(p, ipco);
                        } else if (lastType.equals("ipma")) {
                            ipma(p, ipco, associations);
                        }
                    }
                }
                case "idat" -> {
                    idat = new byte[box.remaining()];
                    box.get(idat);
                }
                default -> {
                    // hdlr, dinf, grpl, ...: not needed to decode
                }
            }
        }
        if (primary < 0) {
            throw fail("'meta' has no 'pitm' (primary item), expected one");
        }
        if (!types.containsKey(primary)) {
            throw fail("the primary item " + primary + " is missing from 'iinf' (" + types.size() + " items)");
        }
        Map<Long, Item> items = new HashMap<>();
        for (Map.Entry<Long, String> e : types.entrySet()) {
            long id = e.getKey();
            Object[] loc = locations.get(id);
            @SuppressWarnings("unchecked")
            List<Extent> extents = loc == null ? List.of() : (List<Extent>) loc[1];
            int method = loc == null ? 0 : (Integer) loc[0];
            items.put(id, new Item(id, e.getValue(), hidden.contains(id), method, extents,
                    associations.getOrDefault(id, List.of()), dimg.getOrDefault(id, List.of()),
                    auxiliary.containsKey(id), auxiliary.getOrDefault(id, List.of())));
        }
        return new HeifItems(primary, items, idat);
    }

    private void iinf(ByteBuffer box, Map<Long, String> types, Set<Long> hidden) {
        int v = fullBox(box, "iinf");
        long count = v == 0 ? u16(box) : u32(box);
        if (count > MAX_ITEMS) {
            throw fail("'iinf' declares " + count + " items, expected at most " + MAX_ITEMS);
        }
        for (long i = 0; i < count && box.remaining() >= 8; i++) {
            ByteBuffer infe = child(box, "iinf");
            if (!lastType.equals("infe")) {
                continue;
            }
            int iv = fullBox(infe, "infe");
            int flags = lastFlags;
            if (iv < 2) {
                continue; // version 0/1 entries carry no item type; not images
            }
            long id = iv == 2 ? u16(infe) : u32(infe);
            need(infe, 6, "'infe' of item " + id);
            infe.getShort(); // protection index
            String type = fourcc(infe);
            types.put(id, type);
            if ((flags & 1) != 0) {
                hidden.add(id);
            }
        }
    }

    private void iloc(ByteBuffer box, Map<Long, Object[]> locations) {
        int v = fullBox(box, "iloc");
        if (v > 2) {
            throw fail("'iloc' has version " + v + ", expected 0..2");
        }
        need(box, 2, "'iloc' field sizes");
        int a = box.get() & 0xFF;
        int b = box.get() & 0xFF;
        int offsetSize = a >>> 4;
        int lengthSize = a & 0xF;
        int baseSize = b >>> 4;
        int indexSize = v >= 1 ? b & 0xF : 0;
        long count = v < 2 ? u16(box) : u32(box);
        if (count > MAX_ITEMS) {
            throw fail("'iloc' declares " + count + " items, expected at most " + MAX_ITEMS);
        }
        for (long i = 0; i < count; i++) {
            long id = v < 2 ? u16(box) : u32(box);
            int method = 0;
            if (v >= 1) {
                method = (int) (u16(box) & 0xF);
            }
            long dataRef = u16(box);
            long base = sized(box, baseSize, "'iloc' base offset of item " + id);
            int extents = (int) u16(box);
            if (extents > MAX_EXTENTS) {
                throw fail("'iloc' gives item " + id + " " + extents + " extents, expected at most "
                        + MAX_EXTENTS);
            }
            List<Extent> list = new ArrayList<>(extents);
            for (int k = 0; k < extents; k++) {
                if (indexSize > 0) {
                    sized(box, indexSize, "'iloc' extent index of item " + id);
                }
                long off = sized(box, offsetSize, "'iloc' extent offset of item " + id);
                long len = sized(box, lengthSize, "'iloc' extent length of item " + id);
                long start = base + off;
                if (start < 0 || len < 0) {
                    throw fail("'iloc' gives item " + id + " an extent beyond 2^63");
                }
                if (len == 0) {
                    // "the rest of the file": resolve it here, bounded by the file
                    len = method == 0 ? fileSize - start : -1;
                }
                list.add(new Extent(start, len));
            }
            if (dataRef != 0 && method == 0) {
                throw fail("'iloc' puts item " + id + " in data reference " + dataRef
                        + ", expected 0 (this file)");
            }
            if (method > 1) {
                locations.put(id, new Object[] {method, List.of()});
                continue; // method 2 (item offsets) is not supported; decoding says so if needed
            }
            locations.put(id, new Object[] {method, list});
        }
    }

    private void iref(ByteBuffer box, Map<Long, List<Long>> dimg, Map<Long, List<Long>> auxiliary) {
        int v = fullBox(box, "iref");
        long total = 0;
        while (box.remaining() >= 8) {
            ByteBuffer ref = child(box, "iref");
            String type = lastType;
            long from = v == 0 ? u16(ref) : u32(ref);
            int count = (int) u16(ref);
            total += count;
            if (total > MAX_ITEMS * 4L) {
                throw fail("'iref' holds more than " + (MAX_ITEMS * 4L) + " references");
            }
            List<Long> to = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                to.add(v == 0 ? u16(ref) : u32(ref));
            }
            if (type.equals("dimg")) {
                if (dimg.containsKey(from)) {
                    throw fail("item " + from + " has two 'dimg' reference boxes, expected one");
                }
                dimg.put(from, to);
            } else if (type.equals("auxl")) {
                auxiliary.computeIfAbsent(from, k -> new ArrayList<>()).addAll(to);
            }
        }
    }

    private void ipco(ByteBuffer box, List<Property> out) {
        while (box.remaining() >= 8) {
            if (out.size() >= MAX_PROPERTIES) {
                throw fail("'ipco' holds more than " + MAX_PROPERTIES + " properties");
            }
            ByteBuffer p = child(box, "ipco");
            String type = lastType;
            int index = out.size() + 1;
            String where = "property " + index + " '" + printable(type) + "'";
            out.add(switch (type) {
                case "hvcC" -> {
                    need(p, 23, where);
                    byte[] rec = new byte[p.remaining()];
                    p.get(rec);
                    yield new HeifItems.Hvcc(rec);
                }
                case "av1C" -> {
                    need(p, 4, where);
                    byte[] rec = new byte[p.remaining()];
                    p.get(rec);
                    yield new HeifItems.Av1c(rec);
                }
                case "ispe" -> {
                    fullBox(p, "ispe");
                    yield new HeifItems.Ispe(u32(p), u32(p));
                }
                case "irot" -> {
                    need(p, 1, where);
                    yield new HeifItems.Irot(p.get() & 3);
                }
                case "imir" -> {
                    need(p, 1, where);
                    yield new HeifItems.Imir(p.get() & 1);
                }
                case "clap" -> {
                    need(p, 32, where);
                    yield new HeifItems.Clap(u32(p), u32(p), u32(p), u32(p), p.getInt(), u32(p),
                            p.getInt(), u32(p));
                }
                case "colr" -> {
                    need(p, 4, where);
                    String colourType = fourcc(p);
                    if (colourType.equals("nclx") && p.remaining() >= 7) {
                        yield new HeifItems.Nclx((int) u16(p), (int) u16(p), (int) u16(p),
                                (p.get() & 0x80) != 0);
                    }
                    if (colourType.equals("prof") || colourType.equals("rICC")) {
                        byte[] profile = new byte[p.remaining()];
                        p.get(profile);
                        yield new HeifItems.Icc(profile);
                    }
                    yield new HeifItems.Other("colr/" + printable(colourType));
                }
                // descriptive only: a malformed one is kept as Other, never fails decoding
                case "pixi" -> {
                    if (p.remaining() < 5 || p.remaining() < 5 + (p.get(p.position() + 4) & 0xFF)) {
                        yield new HeifItems.Other(type);
                    }
                    fullBox(p, "pixi");
                    int[] bits = new int[byte1(p)];
                    for (int i = 0; i < bits.length; i++) {
                        bits[i] = p.get() & 0xFF;
                    }
                    yield new HeifItems.Pixi(bits);
                }
                case "auxC" -> {
                    if (p.remaining() < 4) {
                        yield new HeifItems.Other(type);
                    }
                    fullBox(p, "auxC");
                    StringBuilder urn = new StringBuilder();
                    while (p.hasRemaining() && urn.length() < 255) {
                        int ch = p.get() & 0xFF;
                        if (ch == 0) {
                            break;
                        }
                        urn.append(ch >= 0x20 && ch < 0x7F ? (char) ch : '?');
                    }
                    yield new HeifItems.Auxc(urn.toString());
                }
                default -> new HeifItems.Other(printable(type));
            });
        }
    }

    private void ipma(ByteBuffer box, List<Property> ipco, Map<Long, List<Property>> out) {
        int v = fullBox(box, "ipma");
        int flags = lastFlags;
        long count = u32(box);
        if (count > MAX_ITEMS) {
            throw fail("'ipma' declares " + count + " items, expected at most " + MAX_ITEMS);
        }
        for (long i = 0; i < count; i++) {
            long id = v < 1 ? u16(box) : u32(box);
            need(box, 1, "'ipma' entry of item " + id);
            int n = box.get() & 0xFF;
            List<Property> props = out.computeIfAbsent(id, k -> new ArrayList<>());
            for (int k = 0; k < n; k++) {
                int index = (flags & 1) != 0 ? (int) (u16(box) & 0x7FFF) : (byte1(box) & 0x7F);
                if (index == 0) {
                    continue;
                }
                if (index > ipco.size()) {
                    throw fail("'ipma' associates item " + id + " with property " + index
                            + ", but 'ipco' holds " + ipco.size());
                }
                props.add(ipco.get(index - 1));
            }
        }
    }

    // --- bytes ---------------------------------------------------------------------------------

    private String lastType;
    private int lastFlags;

    /** The next child box of {@code parent} as its own buffer (body only); its type in lastType. */
    private ByteBuffer child(ByteBuffer parent, String parentType) {
        int at = parent.position();
        long size = u32(parent);
        String type = fourcc(parent);
        int header = 8;
        if (size == 1) {
            need(parent, 8, "the 64-bit size of '" + printable(type) + "' in '" + parentType + "'");
            size = parent.getLong();
            header = 16;
        } else if (size == 0) {
            size = parent.limit() - at;
        }
        if (size < header || size > parent.limit() - at) {
            throw fail("box '" + printable(type) + "' in '" + parentType + "' declares " + size
                    + " bytes, expected " + header + ".." + (parent.limit() - at));
        }
        ByteBuffer body = parent.slice(at + header, (int) size - header);
        parent.position(at + (int) size);
        lastType = type;
        return body;
    }

    private int fullBox(ByteBuffer b, String what) {
        need(b, 4, "'" + what + "' version and flags");
        int vf = b.getInt();
        lastFlags = vf & 0xFFFFFF;
        return vf >>> 24;
    }

    private long sized(ByteBuffer b, int bytes, String what) {
        return switch (bytes) {
            case 0 -> 0;
            case 4 -> u32(b);
            case 8 -> {
                need(b, 8, what);
                long v = b.getLong();
                if (v < 0) {
                    throw fail(what + " is beyond 2^63");
                }
                yield v;
            }
            default -> throw fail(what + " is " + bytes + " bytes wide, expected 0, 4 or 8");
        };
    }

    private int byte1(ByteBuffer b) {
        need(b, 1, "a byte");
        return b.get() & 0xFF;
    }

    private long u16(ByteBuffer b) {
        need(b, 2, "a 16-bit field");
        return b.getShort() & 0xFFFFL;
    }

    private long u32(ByteBuffer b) {
        need(b, 4, "a 32-bit field");
        return b.getInt() & 0xFFFFFFFFL;
    }

    private String fourcc(ByteBuffer b) {
        need(b, 4, "a four-character code");
        byte[] t = new byte[4];
        b.get(t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    private void need(ByteBuffer b, int n, String what) {
        if (b.remaining() < n) {
            throw fail(what + " needs " + n + " bytes, found " + b.remaining() + " left in its box");
        }
    }

    private ByteBuffer readAt(long pos, int length, String what) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    throw fail(what + " at offset " + pos + " is cut off by the end of the file");
                }
            }
        } catch (IOException e) {
            throw new CodecException("Cannot read " + what + " of HEIF " + file + ": " + e.getMessage(), e);
        }
        return buf.flip();
    }

    private CodecException fail(String message) {
        return new CodecException("Cannot read HEIF " + file + ": " + message);
    }

    private static String printable(String type) {
        StringBuilder sb = new StringBuilder();
        for (char ch : type.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }
}
