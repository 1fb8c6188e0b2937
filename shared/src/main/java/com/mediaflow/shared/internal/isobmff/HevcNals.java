package com.mediaflow.shared.internal.isobmff;

import com.mediaflow.shared.internal.isobmff.HeifItems.Item;

/**
 * The framing of an HEVC image item, checked before any decoder sees it: its decoder
 * configuration ({@code hvcC}, ISO/IEC 14496-15 8.3.3.1) and its data, a run of NAL units each
 * prefixed with its length (H.265 7.3.1). A bit flipped in a length or a header, an {@code iloc}
 * extent moved onto other bytes, or a parameter set array that lies about its contents is refused
 * here with a reason, instead of being stored and then refused by the decoder. What lies inside a
 * parameter set or a slice (the coded picture) is the decoder's to judge.
 */
final class HevcNals {
    /** hvcC: 22 bytes of fixed fields, then numOfArrays. */
    private static final int ARRAYS_AT = 22;
    /** IRAP pictures (H.265 Table 7-1: BLA, IDR, CRA): what a still image item decodes from alone. */
    private static final int IRAP_FIRST = 16;
    private static final int IRAP_LAST = 21;

    private HevcNals() {
    }

    /**
     * Checks an {@code hvcC} record's framing.
     *
     * @return the size in bytes of the length before each NAL unit of the item's data (1, 2 or 4)
     * @throws IsoBmffException naming what was expected and what was found
     */
    static int checkConfig(byte[] r, String what) {
        if (r.length < ARRAYS_AT + 1) {
            throw invalid(what + " has an 'hvcC' of " + r.length + " bytes, expected at least " + (ARRAYS_AT + 1));
        }
        if ((r[0] & 0xFF) != 1) {
            throw invalid(what + " has 'hvcC' configurationVersion " + (r[0] & 0xFF) + ", expected 1");
        }
        int lengthSize = (r[21] & 0x03) + 1;
        if (lengthSize == 3) {
            throw invalid(what + " has 'hvcC' lengthSizeMinusOne 2, expected 0, 1 or 3 (NAL lengths of 1, 2 or 4 bytes)");
        }
        int pos = ARRAYS_AT + 1;
        for (int a = 0, arrays = r[ARRAYS_AT] & 0xFF; a < arrays; a++) {
            if (pos + 3 > r.length) {
                throw invalid(what + " has an 'hvcC' that ends inside NAL array " + a + " of " + arrays);
            }
            int type = r[pos] & 0x3F;
            int count = ((r[pos + 1] & 0xFF) << 8) | (r[pos + 2] & 0xFF);
            pos += 3;
            for (int n = 0; n < count; n++) {
                if (pos + 2 > r.length) {
                    throw invalid(what + " has an 'hvcC' that ends inside NAL unit " + n + " of array " + a);
                }
                int length = ((r[pos] & 0xFF) << 8) | (r[pos + 1] & 0xFF);
                pos += 2;
                if (length < 2 || length > r.length - pos) {
                    throw invalid(what + " has an 'hvcC' NAL unit of " + length + " bytes in array " + a + ", expected 2 to "
                            + (r.length - pos) + " (the record's bytes left)");
                }
                int nalType = header(r[pos], r[pos + 1], what + "'s 'hvcC' array " + a);
                if (nalType != type) {
                    throw invalid(what + " has an 'hvcC' array of NAL type " + type + " holding a NAL unit of type " + nalType
                            + ", expected every unit of an array to be of its type");
                }
                pos += length;
            }
        }
        if (pos != r.length) {
            throw invalid(what + " has " + (r.length - pos) + " bytes after the NAL arrays of its 'hvcC', expected none");
        }
        return lengthSize;
    }

    /**
     * Walks an item's data as length-prefixed NAL units: every length inside the data, the last
     * ending where the data ends, each header well formed, and the first slice an IRAP picture's
     * first slice.
     *
     * @param file reads the file's bytes (for data in the file rather than in {@code idat})
     */
    static void checkData(HeifItems items, Item item, int lengthSize, HeifPicture.FileBytes file, String what) {
        long total = HeifPicture.dataLength(items, item);
        long at = 0;
        int units = 0;
        boolean slice = false;
        while (at < total) {
            if (total - at < lengthSize + 2) {
                throw invalid(what + " has " + (total - at) + " bytes at data offset " + at + " of " + total
                        + ", too few for a NAL unit (a " + lengthSize + "-byte length and a 2-byte header)");
            }
            byte[] head = read(items, item, file, at, (int) Math.min(lengthSize + 3, total - at));
            long length = 0;
            for (int i = 0; i < lengthSize; i++) {
                length = (length << 8) | (head[i] & 0xFF);
            }
            if (length < 2 || length > total - at - lengthSize) {
                throw invalid(what + " has a NAL unit of " + length + " bytes at data offset " + at + ", expected 2 to "
                        + (total - at - lengthSize) + " (the item's data left): its NAL lengths do not frame its data");
            }
            int type = header(head[lengthSize], head[lengthSize + 1], what + "'s NAL unit " + units);
            if (type < 32 && !slice) {
                slice = true;
                if (type < IRAP_FIRST || type > IRAP_LAST) {
                    throw invalid(what + " starts with a slice of NAL type " + type + ", expected an IRAP picture (types "
                            + IRAP_FIRST + " to " + IRAP_LAST + "), which an image item decodes from alone");
                }
                if (length < 3 || (head[lengthSize + 2] & 0x80) == 0) {
                    throw invalid(what + "'s first slice does not set first_slice_segment_in_pic_flag, expected the first"
                            + " slice of a picture");
                }
            }
            at += lengthSize + length;
            units++;
        }
        if (!slice) {
            throw invalid(what + " has " + units + " NAL units and no slice, expected a coded picture");
        }
    }

    /** Checks a NAL unit header (H.265 7.3.1.2); returns its type. */
    private static int header(byte b0, byte b1, String what) {
        if ((b0 & 0x80) != 0) {
            throw invalid(what + " has forbidden_zero_bit set, expected 0");
        }
        if ((b1 & 0x07) == 0) {
            throw invalid(what + " has nuh_temporal_id_plus1 0, expected 1 to 7");
        }
        return (b0 >> 1) & 0x3F;
    }

    /** {@code length} bytes of an item's data from {@code offset}, across its extents. */
    private static byte[] read(HeifItems items, Item item, HeifPicture.FileBytes file, long offset, int length) {
        byte[] out = new byte[length];
        int got = 0;
        long start = 0;
        for (HeifItems.Extent e : item.extents()) {
            long end = start + e.length();
            if (got < length && offset + got < end) {
                long from = offset + got - start;
                int n = (int) Math.min(length - got, e.length() - from);
                if (item.constructionMethod() == 1) {
                    System.arraycopy(items.idat(), (int) (e.offset() + from), out, got, n);
                } else {
                    System.arraycopy(file.read(e.offset() + from, n), 0, out, got, n);
                }
                got += n;
            }
            start = end;
        }
        return out;
    }

    private static IsoBmffException invalid(String message) {
        return new IsoBmffException(IsoBmffException.Kind.INVALID, -1, message);
    }
}
