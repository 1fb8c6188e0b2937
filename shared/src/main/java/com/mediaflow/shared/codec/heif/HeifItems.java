package com.mediaflow.shared.codec.heif;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only model of a HEIF file's image items, as {@link HeifItemReader} found them: the
 * primary item, every item's type, where its data is, its properties in {@code ipma} order, and
 * its {@code dimg} references in order. Everything in here has been bounds-checked against the
 * file; nothing has been decoded.
 *
 * @param primaryId the {@code pitm} item
 * @param items by item id
 * @param idat the {@code idat} box's body (construction method 1), empty when there is none
 */
public record HeifItems(long primaryId, Map<Long, Item> items, byte[] idat) {

    public HeifItems {
        items = Map.copyOf(items);
    }

    public Item primary() {
        return items.get(primaryId);
    }

    public Optional<Item> item(long id) {
        return Optional.ofNullable(items.get(id));
    }

    /** One extent of an item's data: in the file (method 0) or in {@code idat} (method 1). */
    public record Extent(long offset, long length) {
    }

    /**
     * One item.
     *
     * @param type {@code hvc1}, {@code av01}, {@code grid}, {@code Exif}, {@code mime}, ...
     * @param constructionMethod 0 file offsets, 1 {@code idat} offsets
     * @param properties associated properties in {@code ipma} order (transformative ones apply in
     *     this order)
     * @param dimg the items this one is derived from ({@code iref} type {@code dimg}), in order:
     *     a grid's tiles, row-major
     * @param auxiliary whether another item names this one with {@code auxl} (alpha, depth)
     */
    public record Item(long id, String type, boolean hidden, int constructionMethod,
            List<Extent> extents, List<Property> properties, List<Long> dimg, boolean auxiliary) {

        public Item {
            extents = List.copyOf(extents);
            properties = List.copyOf(properties);
            dimg = List.copyOf(dimg);
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
    public sealed interface Property permits Hvcc, Av1c, Ispe, Irot, Imir, Clap, Nclx, Icc, Other {
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
    }

    /** {@code colr} of type {@code nclx}: the coded colour description. */
    public record Nclx(int primaries, int transfer, int matrix, boolean fullRange)
            implements Property {
    }

    /** {@code colr} of type {@code prof} or {@code rICC}: the embedded ICC profile's bytes. */
    public record Icc(byte[] profile) implements Property {
    }

    /** Any other property (pixi, auxC, colr of another type, ...): only its type. */
    public record Other(String type) implements Property {
    }
}
