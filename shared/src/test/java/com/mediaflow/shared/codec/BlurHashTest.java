package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BlurHashTest {

    @Test
    void encode_solidBlack_isTheReferenceHash() {
        // given a uniform black picture: every component is exactly zero
        int[] black = solid(32, 24, 0x000000);

        // when
        String hash = BlurHash.encode(black, 32, 24, 4, 3);

        // then the string every reference implementation gives (size flag 'L' = 3 + 2 * 9)
        assertThat(hash).isEqualTo("L00000fQfQfQfQfQfQfQfQfQfQfQ");
    }

    @Test
    void encode_onePixelRed_matchesTheHandComputedHash() {
        // given one red pixel: every basis function is 1 there, so DC = linear(red) = (1, 0, 0)
        // and every AC component = 2 * (1, 0, 0)
        // then: max AC 2 -> quantised max min(82, floor(2 * 166 - 0.5)) = 82 = '~', maximum
        // (82 + 1) / 166 = 0.5; DC 0xFF0000 = 16711680 = 29, 18, 70, 45 in base 83 = "TI:j";
        // each AC: sqrt(2 / 0.5) * 9 + 9.5 = 27.5 -> 18, then 9, 9 -> 18 * 361 + 9 * 19 + 9 =
        // 6678 = 80, 38 = "|c"
        String hash = BlurHash.encode(new int[] {0xFF0000}, 1, 1, 4, 3);

        assertThat(hash).isEqualTo("L~TI:j" + "|c".repeat(11));
    }

    @ParameterizedTest(name = "{0}x{1} components")
    @CsvSource({"1, 1, 6", "4, 3, 28", "3, 4, 28", "9, 9, 166"})
    void encode_length_isFourPlusTwoPerComponent(int nx, int ny, int length) {
        String hash = BlurHash.encode(solid(16, 16, 0x336699), 16, 16, nx, ny);

        assertThat(hash).hasSize(length).hasSize(BlurHash.length(nx, ny));
    }

    @ParameterizedTest(name = "#{0}")
    @CsvSource({"000000", "FFFFFF", "FF0000", "00FF00", "0000FF", "808080", "336699", "C0FFEE"})
    void encode_solidColour_dcDecodesBackToThatColour(String hex) {
        // given
        int colour = Integer.parseInt(hex, 16);

        // when
        String hash = BlurHash.encode(solid(20, 15, colour), 20, 15, 4, 3);

        // then
        assertThat(BlurHash.averageColor(hash)).containsExactly(colour >> 16 & 0xff,
                colour >> 8 & 0xff, colour & 0xff);
    }

    @Test
    void encode_solidWhite_hasWhiteDc() {
        // sampling cosines at x (not x + 0.5) leaves small AC terms even for uniform pictures,
        // so only the DC part ("TSUA" = 0xFFFFFF) is fixed across sizes
        String hash = BlurHash.encode(solid(32, 24, 0xFFFFFF), 32, 24, 4, 3);

        assertThat(hash.substring(0, 1)).isEqualTo("L");
        assertThat(hash.substring(2, 6)).isEqualTo("TSUA");
    }

    @Test
    void averageColor_ofAPublishedHash_isItsDcComponent() {
        // the hash on blurha.sh's front page; its DC digits "HV6n", by hand: H=17, V=31, 6=6,
        // n=49 -> ((17 * 83 + 31) * 83 + 6) * 83 + 49 = 9934485 = 0x979695
        assertThat(BlurHash.averageColor("LEHV6nWB2yk8pyo0adR*.7kCMdnj"))
                .containsExactly(0x97, 0x96, 0x95);
    }

    @Test
    void encode_badArguments_areRejected() {
        assertThatThrownBy(() -> BlurHash.encode(solid(4, 4, 0), 4, 4, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-9");
        assertThatThrownBy(() -> BlurHash.encode(solid(4, 4, 0), 4, 5, 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
        assertThatThrownBy(() -> BlurHash.averageColor("L0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int[] solid(int w, int h, int rgb) {
        int[] pixels = new int[w * h];
        Arrays.fill(pixels, rgb);
        return pixels;
    }
}
