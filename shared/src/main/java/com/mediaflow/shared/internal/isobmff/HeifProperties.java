package com.mediaflow.shared.internal.isobmff;

import static com.mediaflow.shared.internal.isobmff.BoxFields.fourcc;
import static com.mediaflow.shared.internal.isobmff.BoxFields.invalid;
import static com.mediaflow.shared.internal.isobmff.BoxFields.printable;
import static com.mediaflow.shared.internal.isobmff.BoxFields.u16;
import static com.mediaflow.shared.internal.isobmff.BoxFields.u32;
import static com.mediaflow.shared.internal.isobmff.BoxFields.u8;

import com.mediaflow.shared.internal.isobmff.HeifItems.Property;
import java.nio.ByteBuffer;

/** Reads one item property of {@code ipco} ({@link HeifMetaReader}'s part for properties). */
final class HeifProperties {
    private HeifProperties() {
    }

    /**
     * The property in box {@code type} with body {@code p}; one too short for its fields is
     * invalid, except the descriptive {@code auxC}, kept as {@link HeifItems.Other}.
     */
    static Property read(String type, ByteBuffer p, long at, String where) {
        return switch (type) {
            case "hvcC" -> new HeifItems.Hvcc(rest(p, 23, at, where));
            case "av1C" -> new HeifItems.Av1c(rest(p, 4, at, where));
            case "ispe" -> {
                version0(p, at, "ispe");
                need(p, 8, at, where);
                yield new HeifItems.Ispe(u32(p, at, where), u32(p, at, where));
            }
            case "irot" -> {
                need(p, 1, at, where);
                yield new HeifItems.Irot(p.get() & 3);
            }
            case "imir" -> {
                need(p, 1, at, where);
                yield new HeifItems.Imir(p.get() & 1);
            }
            case "clap" -> {
                need(p, 32, at, where);
                yield new HeifItems.Clap(p.getInt() & 0xFFFFFFFFL, p.getInt() & 0xFFFFFFFFL,
                        p.getInt() & 0xFFFFFFFFL, p.getInt() & 0xFFFFFFFFL, p.getInt(),
                        p.getInt() & 0xFFFFFFFFL, p.getInt(), p.getInt() & 0xFFFFFFFFL);
            }
            case "colr" -> colr(p, at, where);
            case "pixi" -> {
                version0(p, at, "pixi");
                int channels = (int) u8(p, at, where);
                need(p, channels, at, where + " (" + channels + " channels)");
                int[] bits = new int[channels];
                for (int i = 0; i < channels; i++) {
                    bits[i] = p.get() & 0xFF;
                }
                yield new HeifItems.Pixi(bits);
            }
            case "auxC" -> auxc(p);
            default -> new HeifItems.Other(printable(type));
        };
    }

    private static Property colr(ByteBuffer p, long at, String where) {
        need(p, 4, at, where);
        String colourType = fourcc(p, at, where);
        if (colourType.equals("nclx") && p.remaining() >= 7) {
            return new HeifItems.Nclx((int) u16(p, at, where), (int) u16(p, at, where), (int) u16(p, at, where),
                    (p.get() & 0x80) != 0);
        }
        if (colourType.equals("prof") || colourType.equals("rICC")) {
            byte[] profile = new byte[p.remaining()];
            p.get(profile);
            return new HeifItems.Icc(profile);
        }
        return new HeifItems.Other("colr/" + printable(colourType));
    }

    private static Property auxc(ByteBuffer p) {
        if (p.remaining() < 4) {
            return new HeifItems.Other("auxC");
        }
        p.getInt(); // version and flags
        StringBuilder urn = new StringBuilder();
        while (p.hasRemaining() && urn.length() < 255) {
            int ch = p.get() & 0xFF;
            if (ch == 0) {
                break;
            }
            urn.append(ch >= 0x20 && ch < 0x7F ? (char) ch : '?');
        }
        return new HeifItems.Auxc(urn.toString());
    }

    private static byte[] rest(ByteBuffer p, int min, long at, String where) {
        need(p, min, at, where);
        byte[] rec = new byte[p.remaining()];
        p.get(rec);
        return rec;
    }

    private static void version0(ByteBuffer p, long at, String what) {
        long vf = u32(p, at, "'" + what + "' version and flags");
        if (vf >>> 24 != 0) {
            throw invalid(at, "'" + what + "' at offset " + at + " has version " + (vf >>> 24) + ", expected 0..0");
        }
    }

    private static void need(ByteBuffer p, int n, long at, String where) {
        if (p.remaining() < n) {
            throw invalid(at, where + " is " + p.remaining() + " bytes, expected at least " + n);
        }
    }
}
