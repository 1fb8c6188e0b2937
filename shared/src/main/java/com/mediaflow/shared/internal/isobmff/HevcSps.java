package com.mediaflow.shared.internal.isobmff;

import java.io.ByteArrayOutputStream;

/**
 * The picture size an HEVC sequence parameter set codes (H.265 7.3.2.2), from the SPS in an
 * {@code hvcC} record (ISO/IEC 14496-15 8.3.3.1): {@code pic_width/height_in_luma_samples} less
 * the conformance window, which is what a decoder outputs. Validation compares it with the
 * item's {@code ispe}, as the decoder will.
 */
final class HevcSps {
    private static final int SPS = 33;
    /** hvcC: 22 bytes of fixed fields, then numOfArrays. */
    private static final int ARRAYS_AT = 22;

    private final byte[] rbsp;
    private int bit;

    private HevcSps(byte[] rbsp) {
        this.rbsp = rbsp;
    }

    /** {width, height} the first SPS of the record codes, or null when it has none or it is cut short. */
    static long[] codedSize(byte[] hvcC) {
        byte[] nal = firstSps(hvcC);
        if (nal == null) {
            return null;
        }
        try {
            return new HevcSps(unescape(nal)).size();
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            return null;
        }
    }

    private static byte[] firstSps(byte[] r) {
        if (r.length <= ARRAYS_AT) {
            return null;
        }
        int pos = ARRAYS_AT + 1;
        for (int a = 0, arrays = r[ARRAYS_AT] & 0xFF; a < arrays && pos + 3 <= r.length; a++) {
            int type = r[pos] & 0x3F;
            int count = ((r[pos + 1] & 0xFF) << 8) | (r[pos + 2] & 0xFF);
            pos += 3;
            for (int n = 0; n < count && pos + 2 <= r.length; n++) {
                int length = ((r[pos] & 0xFF) << 8) | (r[pos + 1] & 0xFF);
                pos += 2;
                if (length > r.length - pos) {
                    return null;
                }
                if (type == SPS && length > 2) {
                    byte[] nal = new byte[length - 2]; // without the 2-byte NAL unit header
                    System.arraycopy(r, pos + 2, nal, 0, nal.length);
                    return nal;
                }
                pos += length;
            }
        }
        return null;
    }

    /** Removes emulation prevention bytes (00 00 03). */
    private static byte[] unescape(byte[] nal) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nal.length);
        int zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out.write(b);
        }
        return out.toByteArray();
    }

    private long[] size() {
        bits(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = bits(3);
        bits(1); // sps_temporal_id_nesting_flag
        bits(32); // profile_tier_level: general profile (88 bits) and level (8)
        bits(32);
        bits(32);
        boolean[] profile = new boolean[maxSubLayersMinus1];
        boolean[] level = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profile[i] = bits(1) == 1;
            level[i] = bits(1) == 1;
        }
        if (maxSubLayersMinus1 > 0) {
            bits(2 * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profile[i]) {
                bits(32);
                bits(32);
                bits(24);
            }
            if (level[i]) {
                bits(8);
            }
        }
        ue(); // sps_seq_parameter_set_id
        long chroma = ue();
        boolean separate = chroma == 3 && bits(1) == 1;
        long width = ue();
        long height = ue();
        if (bits(1) == 1) {
            long subWidth = !separate && (chroma == 1 || chroma == 2) ? 2 : 1;
            long subHeight = !separate && chroma == 1 ? 2 : 1;
            width -= subWidth * (ue() + ue());
            height -= subHeight * (ue() + ue());
        }
        return new long[] {width, height};
    }

    private int bits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int b = (rbsp[bit >>> 3] >>> (7 - (bit & 7))) & 1;
            bit++;
            v = (v << 1) | b;
        }
        return v;
    }

    private long ue() {
        int zeros = 0;
        while (bits(1) == 0) {
            if (++zeros > 31) {
                throw new IllegalStateException("an Exp-Golomb code longer than 32 bits");
            }
        }
        return (1L << zeros) - 1 + (zeros == 0 ? 0 : Integer.toUnsignedLong(bits(zeros)));
    }
}
