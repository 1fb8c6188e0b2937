package com.mediaflow.shared.internal.isobmff;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only model of a HEIF file's image items, as {@link HeifMetaReader} found them: the
 * primary item, every item's type, where its data is, its properties in {@code ipma} order, and
 * its {@code dimg} references in order. Everything in here has been bounds-checked against the
 * file; nothing has been decoded.
 *
 * @param handler the {@code hdlr} handler type: {@code pict} for an image, null when absent
 * @param primaryId the {@code pitm} item, -1 when absent (only outside a {@code pict} meta)
 * @param items by item id
 * @param idat the {@code idat} box's body (construction method 1), empty when there is none
 * @param warnings soft findings (counts that disagree, stray bytes), at most a few
 * @param metaOffset the file offset of the {@code meta} box, where errors about items as a whole
 *     point
 */
public record HeifItems(String handler, long primaryId, Map<Long, Item> items, byte[] idat,
        List<String> warnings, long metaOffset) {

    public HeifItems {
        items = Map.copyOf(items);
        warnings = List.copyOf(warnings);
    }

    /** Whether the handler says image ({@code pict}). */
    public boolean image() {
        return "pict".equals(handler);
    }

    public Item primary() {
        return items.get(primaryId);
    }

    public Optional<Item> item(long id) {
        return Optional.ofNullable(items.get(id));
    }

    /**
     * One extent of an item's data: at an absolute file offset (method 0) or an offset in
     * {@code idat} (method 1); a length of 0 in {@code iloc} ("to the end") is resolved.
     */
    public record Extent(long offset, long length) {
    }

    /**
     * One item.
     *
     * @param type {@code hvc1}, {@code av01}, {@code grid}, {@code Exif}, {@code mime}, ...
     * @param constructionMethod 0 file offsets, 1 {@code idat} offsets, 2 item offsets
     * @param dataReference the {@code dref} entry of method 0 data; 0 is this file
     * @param properties associated properties in {@code ipma} order (transformative ones apply in
     *     this order)
     * @param dimg the items this one is derived from ({@code iref} type {@code dimg}), in order:
     *     a grid's tiles, row-major
     * @param auxiliary whether this item is an auxiliary image ({@code auxl}: alpha, depth)
     * @param auxiliaryOf the items this one is an auxiliary image of ({@code iref} type
     *     {@code auxl} from this item), in order; empty for other items
     */
    public record Item(long id, String type, boolean hidden, int constructionMethod,
            int dataReference, List<Extent> extents, List<Property> properties, List<Long> dimg, boolean auxiliary,
            List<Long> auxiliaryOf) {

        public Item {
            extents = List.copyOf(extents);
            properties = List.copyOf(properties);
            dimg = List.copyOf(dimg);
            auxiliaryOf = List.copyOf(auxiliaryOf);
        }

        /** Total bytes of the item's data. */
        public long dataLength() {
            long n = 0;
            for (Extent e : extents) {
                n += e.length();
            }
            return n;
        }

        /** The first associated property of this class, if any. */
        public <P extends Property> Optional<P> property(Class<P> type) {
            for (Property p : properties) {
                if (type.isInstance(p)) {
                    return Optional.of(type.cast(p));
                }
            }
            return Optional.empty();
        }
    }

    /** An item property from {@code ipco}; the ones this reader does not interpret are {@link Other}. */
    public sealed interface Property permits Hvcc, Av1c, Ispe, Irot, Imir, Clap, Nclx, Icc, Pixi,
            Auxc, Other {
    }

    /** The HEVC decoder configuration record (the body of {@code hvcC}), VPS/SPS/PPS inside. */
    public record Hvcc(byte[] record) implements Property {
    }

    /** The AV1 codec configuration record (the body of {@code av1C}). */
    public record Av1c(byte[] record) implements Property {
    }

    /** Image spatial extents: the coded (tile or image) size. */
    public record Ispe(long width, long height) implements Property {
    }

    /** Rotation anti-clockwise by {@code quarterTurns * 90} degrees. */
    public record Irot(int quarterTurns) implements Property {
    }

    /**
     * Mirroring (ISO/IEC 23008-12:2022 6.5.12): axis 0 exchanges top and bottom, axis 1 exchanges
     * left and right.
     */
    public record Imir(int axis) implements Property {
    }

    /** Clean aperture: a centred crop, as fractions. */
    public record Clap(long widthN, long widthD, long heightN, long heightD, long horizOffN,
            long horizOffD, long vertOffN, long vertOffD) implements Property {

        /** Whether a denominator is zero, so the aperture means nothing. */
        public boolean undefined() {
            return widthD == 0 || heightD == 0 || horizOffD == 0 || vertOffD == 0;
        }

        /**
         * The aperture inside a {@code w x h} image as {x, y, width, height}, with libheif's
         * rounding, clipped to the image; null when it is {@link #undefined()} or lies outside.
         */
        public int[] rect(int w, int h) {
            if (undefined()) {
                return null;
            }
            double cw = (double) widthN / widthD;
            double ch = (double) heightN / heightD;
            double pcX = (double) horizOffN / horizOffD + (w - 1) / 2.0;
            double pcY = (double) vertOffN / vertOffD + (h - 1) / 2.0;
            long left = (long) Math.floor(pcX - (cw - 1) / 2.0);
            long top = (long) Math.floor(pcY - (ch - 1) / 2.0);
            long right = left + Math.round(cw) - 1;
            long bottom = top + Math.round(ch) - 1;
            left = Math.max(0, left);
            top = Math.max(0, top);
            right = Math.min(w - 1, right);
            bottom = Math.min(h - 1, bottom);
            if (right < left || bottom < top) {
                return null;
            }
            return new int[] {(int) left, (int) top, (int) (right - left + 1),
                (int) (bottom - top + 1)};
        }
    }

    /** {@code colr} of type {@code nclx}: the coded colour description. */
    public record Nclx(int primaries, int transfer, int matrix, boolean fullRange)
            implements Property {
    }

    /** {@code colr} of type {@code prof} or {@code rICC}: the embedded ICC profile's bytes. */
    public record Icc(byte[] profile) implements Property {
    }

    /** Pixel information ({@code pixi}): bits per channel, one entry per channel (at most 255). */
    public record Pixi(int[] bitsPerChannel) implements Property {
    }

    /**
     * Auxiliary type ({@code auxC}): what an auxiliary image is, e.g.
     * {@code urn:mpeg:hevc:2015:auxid:1} or {@code urn:mpeg:mpegB:cicp:systems:auxiliary:alpha}
     * for alpha; at most 255 printable characters are kept.
     */
    public record Auxc(String urn) implements Property {
    }

    /** Any other property (colr of another type, ...): only its type. */
    public record Other(String type) implements Property {
    }
}
