package com.mediaflow.shared.internal.isobmff;

import static com.mediaflow.shared.internal.isobmff.HeifMetaReader.MAX_ITEM_BYTES;

import com.mediaflow.shared.internal.isobmff.HeifItems.Extent;
import com.mediaflow.shared.internal.isobmff.HeifItems.Item;
import com.mediaflow.shared.internal.isobmff.HeifItems.Property;
import com.mediaflow.shared.internal.isobmff.IsoBmffException.Kind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The primary picture of a HEIF/AVIF image, as the decoder will build it, checked once for
 * validation and decoder alike: a coded item ({@code hvc1} or {@code av01}) or a {@code grid} of
 * them; each coded item with its size ({@code ispe}; for HEVC, the size the SPS in its
 * {@code hvcC} codes when it has one), its configuration ({@code hvcC} or {@code av1C}) and its
 * data ({@code iloc}); a grid's tiles present, alike in size and covering its output size; the
 * transformative properties ({@code clap}, {@code irot}) applicable. The coded data itself is
 * the decoder's to judge.
 *
 * @param primary the primary item
 * @param width stored width: the coded item's {@code ispe} or the grid's output width
 * @param height stored height
 * @param columns tiles per row (1 for a coded item)
 * @param tiles the coded items, row-major (the primary itself when it is not a grid)
 * @param tileWidth every tile's {@code ispe} width
 * @param tileHeight every tile's {@code ispe} height
 * @param displayWidth the width after {@code clap} and {@code irot}, in {@code ipma} order
 * @param displayHeight the height after them
 */
public record HeifPicture(Item primary, long width, long height, int columns, List<Item> tiles,
        long tileWidth, long tileHeight, int displayWidth, int displayHeight) {

    /** An RGBA canvas must fit one Java array (with a little room for headers). */
    public static final long MAX_RGBA_BYTES = Integer.MAX_VALUE - 64;

    public HeifPicture {
        tiles = List.copyOf(tiles);
    }

    /** Reads {@code length} bytes of the file at {@code offset} (inside the file: checked already). */
    @FunctionalInterface
    public interface FileBytes {
        byte[] read(long offset, int length);
    }

    /**
     * Checks the primary picture of {@code items}.
     *
     * @param file reads a grid's descriptor
     * @param maxPixels the most pixels of the picture and of each tile
     * @throws IsoBmffException when the decoder could not build the picture from these items
     */
    public static HeifPicture of(HeifItems items, FileBytes file, long maxPixels) {
        return at(items, () -> picture(items, file, maxPixels));
    }

    private static HeifPicture picture(HeifItems items, FileBytes file, long maxPixels) {
        if (!items.image()) {
            throw invalid("the 'meta' handler is '" + items.handler() + "', expected 'pict' (an image)");
        }
        Item primary = items.primary();
        long w;
        long h;
        int columns = 1;
        List<Item> tiles = new ArrayList<>();
        switch (primary.type()) {
            case "hvc1", "av01" -> {
                HeifItems.Ispe ispe = coded(primary, "the primary item " + primary.id());
                w = ispe.width();
                h = ispe.height();
                tiles.add(primary);
            }
            case "grid" -> {
                ByteBuffer d = ByteBuffer.wrap(head(items, primary, 12, file));
                long id = primary.id();
                if (d.remaining() < 8) {
                    throw invalid("grid item " + id + " has " + d.remaining() + " bytes of data, expected at least 8");
                }
                int version = d.get() & 0xFF;
                int flags = d.get() & 0xFF;
                if (version != 0) {
                    throw invalid("grid item " + id + " has version " + version + ", expected 0");
                }
                int rows = (d.get() & 0xFF) + 1;
                columns = (d.get() & 0xFF) + 1;
                if ((flags & 1) != 0 && d.remaining() < 8) {
                    throw invalid("grid item " + id + " has 32-bit sizes but " + (d.limit()) + " bytes, expected 12");
                }
                w = (flags & 1) != 0 ? d.getInt() & 0xFFFFFFFFL : d.getShort() & 0xFFFF;
                h = (flags & 1) != 0 ? d.getInt() & 0xFFFFFFFFL : d.getShort() & 0xFFFF;
                int n = primary.dimg().size();
                if (n != rows * columns) {
                    throw invalid("grid item " + id + " is " + rows + " x " + columns + " = " + (rows * columns)
                            + " tiles, but it has " + n + " 'dimg' references (tile count mismatch)");
                }
                checkSize(primary, w, h, maxPixels);
                HeifItems.Ispe first = null;
                for (long tileId : primary.dimg()) {
                    Item tile = items.item(tileId).orElseThrow(() -> invalid("grid item " + id
                            + " names tile " + tileId + ", which is missing from 'iinf'"));
                    HeifItems.Ispe ispe = coded(tile, "tile " + tileId + " of grid item " + id);
                    if (first == null) {
                        first = ispe;
                    } else if (!ispe.equals(first)) {
                        throw invalid("tile " + tileId + " is " + ispe.width() + "x" + ispe.height()
                                + ", expected every tile of grid item " + id + " to be " + first.width() + "x"
                                + first.height());
                    }
                    tiles.add(tile);
                }
                if (first.width() * columns < w || first.height() * rows < h) {
                    throw invalid("grid item " + id + " is " + columns + "x" + rows + " tiles of " + first.width()
                            + "x" + first.height() + ", too few for its output size " + w + "x" + h);
                }
            }
            default -> throw invalid("the primary item " + primary.id() + " is of type '"
                    + BoxFields.printable(primary.type()) + "', expected 'hvc1', 'av01' or 'grid'");
        }
        checkSize(primary, w, h, maxPixels);
        for (Item coded : tiles) {
            if (coded.type().equals("hvc1")) { // the framing of its configuration and data (HevcNals)
                String what = (tiles.size() == 1 ? "the primary item " : "tile ") + coded.id();
                int lengthSize = HevcNals.checkConfig(coded.property(HeifItems.Hvcc.class).orElseThrow().record(), what);
                HevcNals.checkData(items, coded, lengthSize, file, what);
            }
        }
        Item tile = tiles.get(0);
        HeifItems.Ispe t = tile.property(HeifItems.Ispe.class).orElseThrow();
        checkSize(tile, t.width(), t.height(), maxPixels);
        int[] shown = display(primary, (int) w, (int) h);
        return new HeifPicture(primary, w, h, columns, tiles, t.width(), t.height(), shown[0], shown[1]);
    }

    /** A coded item's size; it must have a configuration and data the decoder can read. */
    private static HeifItems.Ispe coded(Item item, String what) {
        String type = item.type();
        if (!type.equals("hvc1") && !type.equals("av01")) {
            throw invalid(what + " is of type '" + BoxFields.printable(type) + "', expected 'hvc1' or 'av01'");
        }
        HeifItems.Ispe ispe = item.property(HeifItems.Ispe.class).orElseThrow(() -> invalid(what
                + " ('" + type + "') has no 'ispe' (image size) property"));
        boolean configured = type.equals("hvc1") ? item.property(HeifItems.Hvcc.class).isPresent()
                : item.property(HeifItems.Av1c.class).isPresent();
        if (!configured) {
            throw invalid(what + " ('" + type + "') has no '" + (type.equals("hvc1") ? "hvcC" : "av1C")
                    + "' (decoder configuration)");
        }
        if (type.equals("hvc1")) {
            // without a readable SPS in hvcC the bitstream is the decoder's to judge, as is all coded data
            long[] coded = HevcSps.codedSize(item.property(HeifItems.Hvcc.class).orElseThrow().record());
            if (coded != null && (coded[0] != ispe.width() || coded[1] != ispe.height())) {
                throw invalid(what + " has 'ispe' " + ispe.width() + "x" + ispe.height()
                        + ", but the SPS in its 'hvcC' codes " + coded[0] + "x" + coded[1]
                        + ", which is what the decoder outputs");
            }
        }
        checkedLength(item);
        return ispe;
    }

    /** The size after {@code clap} and {@code irot} in their order; a clap must lie inside. */
    private static int[] display(Item item, int w, int h) {
        for (Property p : item.properties()) {
            if (p instanceof HeifItems.Clap clap) {
                int[] rect = clap.rect(w, h);
                if (rect == null) {
                    throw invalid("item " + item.id() + " has a 'clap' that is undefined (a zero denominator)"
                            + " or lies outside its " + w + "x" + h + " image");
                }
                w = rect[2];
                h = rect[3];
            } else if (p instanceof HeifItems.Irot irot && irot.quarterTurns() % 2 == 1) {
                int s = w;
                w = h;
                h = s;
            }
        }
        return new int[] {w, h};
    }

    private static void checkSize(Item item, long w, long h, long maxPixels) {
        if (w <= 0 || h <= 0) {
            throw invalid("item " + item.id() + " ('" + item.type() + "') is " + w + "x" + h
                    + ", expected both above 0");
        }
        if (w > MAX_RGBA_BYTES / 4 || h > MAX_RGBA_BYTES / 4 || w * h > maxPixels || w * h * 4 > MAX_RGBA_BYTES) {
            throw new IsoBmffException(Kind.PIXELS, -1, "item " + item.id() + " ('" + item.type() + "') is "
                    + w + "x" + h + ", expected 1.." + maxPixels + " pixels (MAX_PIXELS) and at most 2 GB as RGBA");
        }
    }

    /**
     * The length of an item's data, checked: in this file or in {@code idat}, at least one byte,
     * at most {@link HeifMetaReader#MAX_ITEM_BYTES}.
     */
    public static long dataLength(HeifItems items, Item item) {
        return at(items, () -> checkedLength(item));
    }

    private static long checkedLength(Item item) {
        String what = "item " + item.id() + " ('" + BoxFields.printable(item.type()) + "')";
        if (item.constructionMethod() > 1 || item.dataReference() != 0) {
            throw invalid(what + " has its data in construction method " + item.constructionMethod()
                    + " / data reference " + item.dataReference()
                    + ", expected it in the file (0 / 0) or in 'idat' (1)");
        }
        long total = 0;
        for (Extent e : item.extents()) {
            total = BoxFields.saturatingAdd(total, e.length());
        }
        if (total <= 0) {
            throw invalid(what + " has no data in 'iloc'");
        }
        if (total > MAX_ITEM_BYTES) {
            throw invalid(what + " has " + total + " bytes of data, expected at most " + MAX_ITEM_BYTES);
        }
        return total;
    }

    /** The first {@code max} bytes (or fewer) of an item's data, its extents concatenated. */
    private static byte[] head(HeifItems items, Item item, int max, FileBytes file) {
        int n = (int) Math.min(max, checkedLength(item));
        byte[] out = new byte[n];
        int at = 0;
        for (Extent e : item.extents()) {
            if (at == n) {
                break;
            }
            int len = (int) Math.min(n - at, e.length());
            if (item.constructionMethod() == 1) {
                System.arraycopy(items.idat(), (int) e.offset(), out, at, len);
            } else {
                System.arraycopy(file.read(e.offset(), len), 0, out, at, len);
            }
            at += len;
        }
        return out;
    }

    private static IsoBmffException invalid(String message) {
        return new IsoBmffException(Kind.INVALID, -1, message);
    }

    /** Runs a check; its errors point at the items' 'meta' box. */
    private static <T> T at(HeifItems items, Supplier<T> check) {
        try {
            return check.get();
        } catch (IsoBmffException e) {
            if (e.offset() >= 0) {
                throw e;
            }
            throw new IsoBmffException(e.kind(), items.metaOffset(), e.getMessage());
        }
    }
}
