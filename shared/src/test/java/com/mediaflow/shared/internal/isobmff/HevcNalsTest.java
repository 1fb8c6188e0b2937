package com.mediaflow.shared.internal.isobmff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The framing of an hvcC record (its NAL data framing is pinned over the corpus by IsoBmffVerdictsTest). */
class HevcNalsTest {
    /** 22 fixed bytes (version 1, 4-byte NAL lengths), then the arrays. */
    private static byte[] hvcC(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] fixed = new byte[22];
        fixed[0] = 1;
        fixed[21] = 0x0F;
        out.writeBytes(fixed);
        out.write(arrays.length);
        for (byte[] a : arrays) {
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    /** One array of one NAL unit: type, count 1, length, a header of that type, a payload byte. */
    private static byte[] array(int arrayType, int nalType) {
        return new byte[] {(byte) (0x80 | arrayType), 0, 1, 0, 3, (byte) (nalType << 1), 1, 0x0C};
    }

    @Test
    void wellFramedRecord_givesItsNalLengthSize() {
        assertThat(HevcNals.checkConfig(hvcC(array(32, 32), array(33, 33), array(34, 34)), "item 1")).isEqualTo(4);
    }

    @Test
    void unitOfAnotherTypeThanItsArray_isRefused() {
        assertThatThrownBy(() -> HevcNals.checkConfig(hvcC(array(33, 34)), "item 1"))
                .hasMessage("item 1 has an 'hvcC' array of NAL type 33 holding a NAL unit of type 34, expected every unit of an"
                        + " array to be of its type");
    }

    @Test
    void unitLongerThanTheRecord_isRefused() {
        byte[] r = hvcC(array(33, 33));
        r[r.length - 4] = 9; // the unit's length: 3 -> 9, past the record's end

        assertThatThrownBy(() -> HevcNals.checkConfig(r, "tile 4")).hasMessage(
                "tile 4 has an 'hvcC' NAL unit of 9 bytes in array 0, expected 2 to 3 (the record's bytes left)");
    }

    @Test
    void forbiddenBit_trailingBytes_andALengthSizeOfThree_areRefused() {
        byte[] forbidden = hvcC(array(33, 33));
        forbidden[forbidden.length - 3] |= (byte) 0x80;
        byte[] trailing = java.util.Arrays.copyOf(hvcC(array(33, 33)), 33);
        byte[] three = hvcC();
        three[21] = 0x0E;

        assertThatThrownBy(() -> HevcNals.checkConfig(forbidden, "item 1")).hasMessageContaining("forbidden_zero_bit set");
        assertThatThrownBy(() -> HevcNals.checkConfig(trailing, "item 1"))
                .hasMessage("item 1 has 2 bytes after the NAL arrays of its 'hvcC', expected none");
        assertThatThrownBy(() -> HevcNals.checkConfig(three, "item 1")).hasMessageContaining("lengthSizeMinusOne 2");
    }
}
