package com.mediaflow.shared.codec.still;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.internal.isobmff.HeifFile;
import com.mediaflow.shared.internal.isobmff.HeifItems;
import com.mediaflow.shared.internal.isobmff.HeifItems.Item;
import com.mediaflow.shared.internal.isobmff.HeifPicture;
import com.mediaflow.shared.validation.PixelLayout.ColourModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The picture facts of a HEIF (HEIC) or AVIF primary item, from the item reader validation and
 * {@code HeifDecoder} use ({@link HeifFile}), the way the decoder sees the picture:
 * <ul>
 *   <li>size: the checked primary picture ({@link HeifPicture}): a grid's output size (its
 *       descriptor), else the item's {@code ispe}; then its {@code clap} crop and {@code irot}
 *       quarter turns, in {@code ipma} order ({@code imir} does not change the size). EXIF
 *       orientation plays no part: the transforms are authoritative;
 *   <li>bit depth: the item's {@code pixi} (first channel), else its coded image's (the item,
 *       or a grid's first tile): {@code pixi}, then the {@code hvcC} luma bit depth or the
 *       {@code av1C} high-bitdepth / twelve-bit flags;
 *   <li>grey: {@code hvcC} chroma format 0 (4:0:0), or {@code av1C} monochrome;
 *   <li>alpha: an auxiliary item ({@code auxl}) of the primary whose {@code auxC} is an alpha URN.
 * </ul>
 */
final class HeifStill {
    private static final Set<String> ALPHA_URNS = Set.of("urn:mpeg:hevc:2015:auxid:1",
            "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha", "urn:mpeg:avc:2015:auxid:1");
    /** hvcC: chromaFormat at byte 16, bitDepthLumaMinus8 at 17 (ISO/IEC 14496-15 8.3.3.1.2). */
    private static final int HVCC_CHROMA_FORMAT = 16;
    private static final int HVCC_LUMA_DEPTH = 17;

    private HeifStill() {
    }

    /**
     * What the primary item says.
     *
     * @param width displayed width, or null when the size cannot be read
     * @param height displayed height, or null
     * @param bitDepth or null when no property says
     * @param colour GRAY or RGB; null when the coded image's configuration is unknown
     * @param codec "hevc" or "av1", or null for other item types
     * @param problems what could not be read, each a sentence with what was expected and found
     */
    record Facts(Integer width, Integer height, Integer bitDepth, ColourModel colour,
            boolean alpha, String codec, List<String> problems) {
    }

    /** @throws CodecException when the item structure itself cannot be read */
    static Facts read(Path file) {
        try (HeifFile heif = HeifFile.open(file)) {
            HeifItems items = heif.items();
            Item primary = items.primary();
            if (primary == null) {
                throw new CodecException("Cannot read HEIF " + file + ": its 'meta' has handler '"
                        + items.handler() + "' and no primary item, expected an image ('pict')");
            }
            List<String> problems = new ArrayList<>();
            Item coded = coded(items, primary, problems);
            HeifPicture picture = null;
            try {
                picture = heif.picture(Long.MAX_VALUE); // validation applied MAX_PIXELS
            } catch (CodecException e) {
                problems.add(e.getMessage());
            }
            Integer bitDepth = bitDepth(primary, coded);
            if (bitDepth == null) {
                problems.add("HEIF primary item " + primary.id() + " ('" + primary.type() + "'): no"
                        + " 'pixi', 'hvcC' or 'av1C' gives its bit depth");
            }
            return new Facts(picture == null ? null : picture.displayWidth(),
                    picture == null ? null : picture.displayHeight(), bitDepth, colour(coded),
                    alpha(items, primary), codec(coded), problems);
        }
    }

    /** The item whose coded data makes the picture: the primary, or a grid's first tile. */
    private static Item coded(HeifItems items, Item primary, List<String> problems) {
        if (!primary.type().equals("grid")) {
            return primary;
        }
        if (primary.dimg().isEmpty()) {
            problems.add("HEIF grid item " + primary.id() + " has no tiles ('dimg'), expected"
                    + " at least one");
            return null;
        }
        return items.item(primary.dimg().get(0)).orElse(null);
    }

    private static Integer bitDepth(Item primary, Item coded) {
        Optional<HeifItems.Pixi> pixi = primary.property(HeifItems.Pixi.class);
        if (pixi.isEmpty() && coded != null) {
            pixi = coded.property(HeifItems.Pixi.class);
        }
        if (pixi.isPresent() && pixi.get().bitsPerChannel().length > 0
                && pixi.get().bitsPerChannel()[0] > 0) {
            return pixi.get().bitsPerChannel()[0];
        }
        if (coded == null) {
            return null;
        }
        Optional<byte[]> hvcc = coded.property(HeifItems.Hvcc.class).map(HeifItems.Hvcc::record);
        if (hvcc.isPresent() && hvcc.get().length > HVCC_LUMA_DEPTH) {
            return 8 + (hvcc.get()[HVCC_LUMA_DEPTH] & 7);
        }
        Optional<byte[]> av1c = coded.property(HeifItems.Av1c.class).map(HeifItems.Av1c::record);
        if (av1c.isPresent() && av1c.get().length > 2) {
            int flags = av1c.get()[2] & 0xFF;
            boolean high = (flags & 0x40) != 0;
            boolean twelve = (flags & 0x20) != 0;
            return high ? (twelve ? 12 : 10) : 8;
        }
        return null;
    }

    private static ColourModel colour(Item coded) {
        if (coded == null) {
            return null;
        }
        Optional<byte[]> hvcc = coded.property(HeifItems.Hvcc.class).map(HeifItems.Hvcc::record);
        if (hvcc.isPresent() && hvcc.get().length > HVCC_CHROMA_FORMAT) {
            return (hvcc.get()[HVCC_CHROMA_FORMAT] & 3) == 0 ? ColourModel.GRAY : ColourModel.RGB;
        }
        Optional<byte[]> av1c = coded.property(HeifItems.Av1c.class).map(HeifItems.Av1c::record);
        if (av1c.isPresent() && av1c.get().length > 2) {
            return (av1c.get()[2] & 0x10) != 0 ? ColourModel.GRAY : ColourModel.RGB;
        }
        return null;
    }

    private static boolean alpha(HeifItems items, Item primary) {
        for (Item item : items.items().values()) {
            if (item.auxiliaryOf().contains(primary.id())
                    && item.property(HeifItems.Auxc.class)
                            .map(a -> ALPHA_URNS.contains(a.urn())).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static String codec(Item coded) {
        if (coded == null) {
            return null;
        }
        return switch (coded.type()) {
            case "hvc1" -> "hevc";
            case "av01" -> "av1";
            default -> null;
        };
    }
}
