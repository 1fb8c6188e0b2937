package com.mediaflow.shared.internal.isobmff;

import static com.mediaflow.shared.internal.isobmff.BoxFields.fourcc;
import static com.mediaflow.shared.internal.isobmff.BoxFields.invalid;
import static com.mediaflow.shared.internal.isobmff.BoxFields.printable;
import static com.mediaflow.shared.internal.isobmff.BoxFields.saturatingAdd;
import static com.mediaflow.shared.internal.isobmff.BoxFields.u16;
import static com.mediaflow.shared.internal.isobmff.BoxFields.u32;
import static com.mediaflow.shared.internal.isobmff.BoxFields.u64;
import static com.mediaflow.shared.internal.isobmff.BoxFields.u8;

import com.mediaflow.shared.internal.isobmff.HeifItems.Extent;
import com.mediaflow.shared.internal.isobmff.HeifItems.Item;
import com.mediaflow.shared.internal.isobmff.HeifItems.Property;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The one reader of a HEIF/AVIF top-level {@code meta} box ({@code hdlr}, {@code pitm},
 * {@code iinf}/{@code infe}, {@code iloc}, {@code iref}, {@code iprp}/{@code ipco}/{@code ipma},
 * {@code idat}) into {@link HeifItems}, with one set of limits. Validation ({@code IsoBmffParser}),
 * the decoder ({@code HeifDecoder}) and the metadata step ({@code HeifStill}) all read items
 * through it, so a file validation accepts has the items the decoder reads.
 *
 * <p>Untrusted bytes: every count is capped, every box checked against its parent, every file
 * extent against the end of the file; in a {@code pict} meta every item named anywhere must be in
 * {@code iinf} and every {@code idat} extent inside {@code idat}. Failures are
 * {@link IsoBmffException}s with the offset of the box at fault.
 */
public final class HeifMetaReader {
    /** The {@code meta} box is read into memory; phones write a few hundred KB at most. */
    public static final long MAX_META_BYTES = 16L * 1024 * 1024;
    /** Items of one {@code meta}; phones write a few hundred at most (bursts, grids of tiles). */
    public static final int MAX_ITEMS = 20_000;
    /** Extents of one item in {@code iloc}. */
    public static final int MAX_EXTENTS = 4_096;
    /** Extents of all items together, and properties associated with all items together. */
    public static final int MAX_EXTENTS_TOTAL = 4 * MAX_ITEMS;
    public static final int MAX_ASSOCIATIONS_TOTAL = 16 * MAX_ITEMS;
    /** Properties of the {@code ipco}. */
    public static final int MAX_PROPERTIES = 20_000;
    /** References in all of {@code iref}. */
    public static final int MAX_REFERENCES = 4 * MAX_ITEMS;
    /** Compressed data of one item: a tile or image; 256 MB is far above any camera's. */
    public static final long MAX_ITEM_BYTES = 256L * 1024 * 1024;
    private static final int MAX_WARNINGS = 20;

    private final long metaAt;
    private final long fileSize;
    private String handler;
    private long primary = -1;
    private final Map<Long, String> types = new LinkedHashMap<>();
    private final Set<Long> hidden = new HashSet<>();
    private final Map<Long, Location> locations = new LinkedHashMap<>();
    private final Map<Long, List<Long>> dimg = new HashMap<>();
    private final Map<Long, List<Long>> auxiliary = new HashMap<>();
    private List<Property> ipco;
    private final Map<Long, List<Property>> associations = new HashMap<>();
    private final List<Named> named = new ArrayList<>();
    private byte[] idat;
    private long referenceCount;
    private long extentsTotal;
    private long associationsTotal;
    private final List<String> warnings = new ArrayList<>();
    private int flags;

    private HeifMetaReader(long metaAt, long fileSize) {
        this.metaAt = metaAt;
        this.fileSize = fileSize;
    }

    /**
     * Reads a top-level {@code meta} box.
     *
     * @param body the box's body (after its header), at most {@link #MAX_META_BYTES}
     * @param bodyAt the file offset of the body
     * @param metaAt the file offset of the {@code meta} box
     * @param fileSize the size of the file, which every file extent must stay inside
     */
    public static HeifItems read(ByteBuffer body, long bodyAt, long metaAt, long fileSize) {
        return new HeifMetaReader(metaAt, fileSize).meta(body.slice(), bodyAt);
    }

    /** Where one item's data is ({@code iloc}). */
    private record Location(int method, int dataReference, List<Extent> extents, long at) {
    }

    /** An item id named by a box, for the check that the item exists. */
    private record Named(long id, String where, long at, String what) {
    }

    /** A child box: its type, offset, and its body as a buffer whose index 0 is at {@code bodyAt}. */
    private record Box(String type, long at, ByteBuffer body, long bodyAt) {
    }

    private HeifItems meta(ByteBuffer meta, long at) {
        // ISO's 'meta' is a full box, QuickTime's is not: its 'hdlr' then sits at offset 4
        boolean quickTime = meta.remaining() >= 8 && fourccAt(meta, 4).equals("hdlr");
        if (!quickTime) {
            fullBox(meta, metaAt, "meta", 0);
        }
        for (Box b : children(meta, at, "meta")) {
            switch (b.type) {
                case "hdlr" -> {
                    fullBox(b.body, b.at, "hdlr", 0);
                    u32(b.body, b.at, "'hdlr' pre_defined");
                    handler = fourcc(b.body, b.at, "'hdlr' handler type");
                }
                case "pitm" -> {
                    int v = fullBox(b.body, b.at, "pitm", 1);
                    primary = v == 0 ? u16(b.body, b.at, "'pitm'") : u32(b.body, b.at, "'pitm'");
                }
                case "iinf" -> iinf(b);
                case "iloc" -> iloc(b);
                case "iref" -> iref(b);
                case "iprp" -> {
                    for (Box p : children(b.body, b.bodyAt, "iprp")) {
                        if (p.type.equals("ipco")) {
                            ipco(p);
                        } else if (p.type.equals("ipma")) {
                            ipma(p);
                        }
                    }
                }
                case "idat" -> {
                    if (idat != null) {
                        throw invalid(b.at, "a second 'idat' at offset " + b.at + ", expected at most one");
                    }
                    idat = new byte[b.body.remaining()];
                    b.body.get(idat);
                }
                default -> {
                    // dinf, grpl, ...: not needed to read the items
                }
            }
        }
        if (idat == null) {
            idat = new byte[0];
        }
        if ("pict".equals(handler)) {
            crossCheck();
        }
        return build();
    }

    private void iinf(Box b) {
        int v = fullBox(b.body, b.at, "iinf", 1);
        long count = v == 0 ? u16(b.body, b.at, "'iinf' count") : u32(b.body, b.at, "'iinf' count");
        if (count > MAX_ITEMS) {
            throw invalid(b.at, "'iinf' at offset " + b.at + " declares " + count + " items, expected at most "
                    + MAX_ITEMS);
        }
        long found = 0;
        for (Box e : children(b.body, b.bodyAt, "iinf")) {
            if (!e.type.equals("infe")) {
                continue;
            }
            found++;
            int ev = fullBox(e.body, e.at, "infe", 3);
            long id;
            String type = "";
            if (ev >= 2) {
                id = ev == 2 ? u16(e.body, e.at, "'infe' item id") : u32(e.body, e.at, "'infe' item id");
                u16(e.body, e.at, "'infe' protection index");
                type = fourcc(e.body, e.at, "'infe' item type");
            } else {
                id = u16(e.body, e.at, "'infe' item id");
                u16(e.body, e.at, "'infe' protection index");
            }
            if (types.containsKey(id)) {
                throw invalid(e.at, "'infe' at offset " + e.at + " declares item " + id + " a second time");
            }
            if (types.size() >= MAX_ITEMS) {
                throw invalid(b.at, "'iinf' at offset " + b.at + " has more than " + MAX_ITEMS + " items");
            }
            types.put(id, type);
            if ((flags & 1) != 0) {
                hidden.add(id);
            }
        }
        if (found != count) {
            warn("'iinf' at offset " + b.at + " declares " + count + " items, found " + found + " 'infe' boxes");
        }
    }

    private void iloc(Box b) {
        String where = "'iloc' at offset " + b.at;
        int v = fullBox(b.body, b.at, "iloc", 2);
        if (ilocSeen) {
            throw invalid(b.at, "a second " + where + ", expected one");
        }
        ilocSeen = true;
        ByteBuffer x = b.body;
        int sizes = (int) u16(x, b.at, where + " field sizes");
        int offsetSize = sizes >>> 12;
        int lengthSize = (sizes >>> 8) & 0xF;
        int baseSize = (sizes >>> 4) & 0xF;
        int indexSize = v >= 1 ? sizes & 0xF : 0;
        for (int s : new int[] {offsetSize, lengthSize, baseSize, indexSize}) {
            if (s != 0 && s != 4 && s != 8) {
                throw invalid(b.at, where + " has field sizes " + offsetSize + "/" + lengthSize + "/" + baseSize
                        + "/" + indexSize + " (offset/length/base offset/index), expected each 0, 4 or 8");
            }
        }
        long count = v < 2 ? u16(x, b.at, where) : u32(x, b.at, where);
        if (count > MAX_ITEMS) {
            throw invalid(b.at, where + " declares " + count + " items, expected at most " + MAX_ITEMS);
        }
        for (long i = 0; i < count; i++) {
            long id = v < 2 ? u16(x, b.at, where) : u32(x, b.at, where);
            int method = 0;
            if (v >= 1) {
                method = (int) (u16(x, b.at, where) & 0xF);
                if (method > 2) {
                    throw invalid(b.at, where + ": item " + id + " has construction method " + method
                            + ", expected 0 (file), 1 (idat) or 2 (item)");
                }
            }
            int dataReference = (int) u16(x, b.at, where);
            long base = sized(x, baseSize, b.at, where + ": base offset of item " + id);
            int extentCount = (int) u16(x, b.at, where);
            extentsTotal += extentCount;
            if (extentsTotal > MAX_EXTENTS_TOTAL) {
                throw invalid(b.at, where + " has more than " + MAX_EXTENTS_TOTAL + " extents in all");
            }
            if (extentCount > MAX_EXTENTS) {
                throw invalid(b.at, where + " gives item " + id + " " + extentCount + " extents, expected at most "
                        + MAX_EXTENTS);
            }
            List<Extent> extents = new ArrayList<>(extentCount);
            for (int k = 0; k < extentCount; k++) {
                if (indexSize > 0) {
                    sized(x, indexSize, b.at, where + ": extent index of item " + id);
                }
                long offset = sized(x, offsetSize, b.at, where + ": extent offset of item " + id);
                long length = sized(x, lengthSize, b.at, where + ": extent length of item " + id);
                if (method == 0 && dataReference == 0) {
                    if (base > fileSize || offset > fileSize - base || length > fileSize - base - offset) {
                        throw invalid(b.at, where + ": item " + id + " extent " + (k + 1) + " at file offset "
                                + (base > fileSize || offset > fileSize ? "beyond " + fileSize : base + offset)
                                + " with " + length + " bytes passes the end of the file at " + fileSize
                                + ": it ends " + (saturatingAdd(saturatingAdd(base, offset), length) - fileSize)
                                + " bytes past the end of the file");
                    }
                    // length 0: "to the end of the file"
                    extents.add(new Extent(base + offset, length == 0 ? fileSize - base - offset : length));
                } else {
                    extents.add(new Extent(saturatingAdd(base, offset), length));
                }
            }
            if (locations.put(id, new Location(method, dataReference, extents, b.at)) != null) {
                throw invalid(b.at, where + " locates item " + id + " twice");
            }
        }
    }

    private boolean ilocSeen;

    private void iref(Box b) {
        int v = fullBox(b.body, b.at, "iref", 1);
        for (Box r : children(b.body, b.bodyAt, "iref")) {
            String where = "'iref' reference '" + printable(r.type) + "' at offset " + r.at;
            long from = v == 0 ? u16(r.body, r.at, where) : u32(r.body, r.at, where);
            int count = (int) u16(r.body, r.at, where);
            if (count == 0) {
                throw invalid(r.at, where + " from item " + from + " has 0 references, expected at least 1");
            }
            referenceCount += count;
            if (referenceCount > MAX_REFERENCES) {
                throw invalid(b.at, "'iref' at offset " + b.at + " has more than " + MAX_REFERENCES + " references");
            }
            named.add(new Named(from, where, r.at, "refers to"));
            List<Long> to = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long id = v == 0 ? u16(r.body, r.at, where) : u32(r.body, r.at, where);
                to.add(id);
                named.add(new Named(id, where, r.at, "refers to"));
            }
            if (r.type.equals("dimg")) {
                if (dimg.putIfAbsent(from, to) != null) {
                    throw invalid(r.at, where + ": item " + from + " has two 'dimg' reference boxes, expected one");
                }
            } else if (r.type.equals("auxl")) {
                auxiliary.computeIfAbsent(from, k -> new ArrayList<>()).addAll(to);
            }
        }
    }

    private void ipco(Box b) {
        if (ipco != null) {
            throw invalid(b.at, "a second 'ipco' at offset " + b.at + ", expected one");
        }
        ipco = new ArrayList<>();
        for (Box p : children(b.body, b.bodyAt, "ipco")) {
            if (ipco.size() >= MAX_PROPERTIES) {
                throw invalid(b.at, "'ipco' at offset " + b.at + " has more than " + MAX_PROPERTIES + " properties");
            }
            String where = "property " + (ipco.size() + 1) + " '" + printable(p.type) + "' at offset " + p.at;
            ipco.add(HeifProperties.read(p.type, p.body, p.at, where));
        }
    }

    private void ipma(Box b) {
        String where = "'ipma' at offset " + b.at;
        int v = fullBox(b.body, b.at, "ipma", 1);
        int f = flags;
        if (ipco == null) {
            throw invalid(b.at, where + " comes before 'ipco', expected 'ipco' first in 'iprp'");
        }
        ByteBuffer x = b.body;
        long count = u32(x, b.at, where);
        if (count > MAX_ITEMS) {
            throw invalid(b.at, where + " declares " + count + " items, expected at most " + MAX_ITEMS);
        }
        for (long i = 0; i < count; i++) {
            long id = v < 1 ? u16(x, b.at, where) : u32(x, b.at, where);
            int n = (int) u8(x, b.at, where);
            if (associations.size() >= MAX_ITEMS && !associations.containsKey(id)) {
                throw invalid(b.at, where + " associates more than " + MAX_ITEMS + " items");
            }
            named.add(new Named(id, where, b.at, "associates properties with"));
            associationsTotal += n;
            if (associationsTotal > MAX_ASSOCIATIONS_TOTAL) {
                throw invalid(b.at, where + " makes more than " + MAX_ASSOCIATIONS_TOTAL + " associations in all");
            }
            List<Property> props = associations.computeIfAbsent(id, k -> new ArrayList<>());
            for (int k = 0; k < n; k++) {
                int index = (f & 1) != 0 ? (int) (u16(x, b.at, where) & 0x7FFF) : (int) (u8(x, b.at, where) & 0x7F);
                if (index > ipco.size()) {
                    throw invalid(b.at, where + ": item " + id + " is associated with property " + index
                            + ", but 'ipco' holds " + ipco.size() + " (index out of range 1.." + ipco.size() + ")");
                }
                if (index > 0) {
                    props.add(ipco.get(index - 1));
                }
            }
        }
    }

    /** In an image: the primary item exists, every item named exists, every idat extent fits. */
    private void crossCheck() {
        if (primary < 0) {
            throw invalid(metaAt, "the image 'meta' has no 'pitm' (primary item), expected one");
        }
        if (!types.containsKey(primary)) {
            throw invalid(metaAt, "the primary item " + primary + " ('pitm') is missing from 'iinf' ("
                    + types.size() + " items)");
        }
        for (Map.Entry<Long, Location> e : locations.entrySet()) {
            if (!types.containsKey(e.getKey())) {
                throw invalid(e.getValue().at, "'iloc' locates item " + e.getKey() + ", which is missing from 'iinf'");
            }
        }
        for (Named n : named) {
            if (!types.containsKey(n.id)) {
                throw invalid(n.at, n.where + " " + n.what + " item " + n.id + ", which is missing from 'iinf'");
            }
        }
        for (Map.Entry<Long, Location> e : locations.entrySet()) {
            if (e.getValue().method != 1) {
                continue;
            }
            for (Extent x : e.getValue().extents) {
                long end = saturatingAdd(x.offset(), x.length());
                if (end > idat.length) {
                    throw invalid(e.getValue().at, "'iloc' puts item " + e.getKey() + " at bytes up to " + end
                            + " of 'idat', which holds " + idat.length);
                }
            }
        }
    }

    private HeifItems build() {
        Map<Long, Item> items = new HashMap<>();
        for (Map.Entry<Long, String> e : types.entrySet()) {
            long id = e.getKey();
            Location loc = locations.get(id);
            List<Extent> extents = new ArrayList<>();
            if (loc != null) {
                for (Extent x : loc.extents) {
                    // method 1, length 0: "to the end of idat"
                    boolean toEnd = loc.method == 1 && x.length() == 0 && x.offset() <= idat.length;
                    extents.add(toEnd ? new Extent(x.offset(), idat.length - x.offset()) : x);
                }
            }
            items.put(id, new Item(id, e.getValue(), hidden.contains(id), loc == null ? 0 : loc.method,
                    loc == null ? 0 : loc.dataReference, extents, associations.getOrDefault(id, List.of()),
                    dimg.getOrDefault(id, List.of()), auxiliary.containsKey(id),
                    auxiliary.getOrDefault(id, List.of())));
        }
        return new HeifItems(handler, primary, items, idat, warnings, metaAt);
    }

    // --- boxes and fields ------------------------------------------------------------------------

    /**
     * The child boxes of a body whose index 0 is at file offset {@code at}, read one at a time as
     * the loop asks (a hostile meta may hold millions of tiny boxes: none is kept).
     */
    private Iterable<Box> children(ByteBuffer parent, long at, String parentType) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (parent.remaining() >= 8) {
                    return true;
                }
                boolean zero = true;
                int stray = parent.remaining();
                while (parent.hasRemaining()) {
                    zero &= parent.get() == 0;
                }
                if (!zero) {
                    warn(stray + " stray bytes at the end of '" + printable(parentType) + "', too few for a box");
                }
                return false;
            }

            @Override
            public Box next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return child(parent, at, parentType);
            }
        };
    }

    private Box child(ByteBuffer parent, long at, String parentType) {
        int pos = parent.position();
        long boxAt = at + pos;
        long size = parent.getInt() & 0xFFFFFFFFL;
        String type = fourcc(parent, boxAt, "a box type");
        long header = 8;
        if (size == 1) {
            size = u64(parent, boxAt, "the 64-bit size of '" + printable(type) + "'");
            header = 16;
        } else if (size == 0) {
            throw invalid(boxAt, "box '" + printable(type) + "' at offset " + boxAt
                    + " has size 0 ('to the end of the file'), allowed only for the last top-level box");
        }
        if (type.equals("uuid")) {
            header += 16;
        }
        if (size < header) {
            throw invalid(boxAt, "box '" + printable(type) + "' at offset " + boxAt + " declares size " + size
                    + ", smaller than its " + header + "-byte header");
        }
        if (size > parent.limit() - pos) {
            throw invalid(boxAt, "box '" + printable(type) + "' at offset " + boxAt + " declares " + size
                    + " bytes, past the end of its parent '" + parentType + "' at offset " + (at + parent.limit())
                    + ", expected at most " + (parent.limit() - pos));
        }
        ByteBuffer body = parent.slice(pos + (int) header, (int) (size - header));
        parent.position(pos + (int) size);
        return new Box(type, boxAt, body, boxAt + header);
    }

    /** A full box's version and flags (in {@link #flags}); a version above {@code max} is invalid. */
    private int fullBox(ByteBuffer b, long at, String what, int max) {
        long vf = u32(b, at, "'" + what + "' version and flags");
        flags = (int) (vf & 0xFFFFFF);
        int v = (int) (vf >>> 24);
        if (v > max) {
            throw invalid(at, "'" + what + "' at offset " + at + " has version " + v + ", expected 0.." + max);
        }
        return v;
    }

    private long sized(ByteBuffer b, int bytes, long at, String what) {
        return switch (bytes) {
            case 0 -> 0;
            case 4 -> u32(b, at, what);
            default -> u64(b, at, what);
        };
    }

    private static String fourccAt(ByteBuffer b, int index) {
        byte[] t = new byte[4];
        b.get(b.position() + index, t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    private void warn(String message) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(message);
        }
    }
}
