package com.mediaflow.shared.codec.audio;

import static com.mediaflow.shared.codec.audio.Signals.Segment.silence;
import static com.mediaflow.shared.codec.audio.Signals.Segment.sine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Reference cases from EBU Tech 3341 (loudness metering, the EBU mode test signals), measured on
 * generated 1 kHz sines. "dBFS" is the sine's peak level, as in Tech 3341.
 */
class LoudnessMeterTest {

    @Test
    void stereoSineAtMinus23dBFS_readsMinus23Lufs() {
        // Tech 3341 case 1: 20 s of a -23 dBFS 1 kHz sine in both channels -> -23.0 +-0.1
        assertThat(Signals.lufs(48_000, 2, sine(20, -23))).isCloseTo(-23.0, within(0.1));
    }

    @Test
    void stereoSineAtMinus33dBFS_readsMinus33Lufs() {
        // Tech 3341 case 2
        assertThat(Signals.lufs(48_000, 2, sine(20, -33))).isCloseTo(-33.0, within(0.1));
    }

    @Test
    void monoSineAtMinus23dBFS_readsMinus26Lufs() {
        // BS.1770 sums channels with weight 1: one channel carries half the energy of two,
        // so a mono file reads 3.01 LU below the same sine in stereo (no dual-mono rule).
        assertThat(Signals.lufs(48_000, 1, sine(20, -23))).isCloseTo(-26.0, within(0.1));
    }

    @Test
    void sameSignal_at44100And48000_measuresTheSame() {
        Double at44 = Signals.lufs(44_100, 2, sine(10, -23));
        Double at48 = Signals.lufs(48_000, 2, sine(10, -23));
        Double at32 = Signals.lufs(32_000, 2, sine(10, -23));
        assertThat(at44).isCloseTo(-23.0, within(0.1));
        assertThat(at44).isCloseTo(at48, within(0.02));
        assertThat(at32).isCloseTo(at48, within(0.02));
    }

    @Test
    void quietPassages_areRemovedByTheRelativeGate() {
        // Tech 3341 case 3: -36 / -23 / -36 dBFS for 10 / 60 / 10 s -> -23.0 +-0.1. Without the
        // relative gate the -36 dBFS parts would pull the result to about -24.2.
        assertThat(Signals.lufs(48_000, 2, sine(10, -36), sine(60, -23), sine(10, -36)))
                .isCloseTo(-23.0, within(0.1));
    }

    @Test
    void nearSilence_isRemovedByTheAbsoluteGate() {
        // Tech 3341 case 4: -72 / -36 / -23 / -36 / -72 dBFS for 10 / 10 / 60 / 10 / 10 s
        assertThat(Signals.lufs(48_000, 2, sine(10, -72), sine(10, -36), sine(60, -23),
                sine(10, -36), sine(10, -72))).isCloseTo(-23.0, within(0.1));
    }

    @Test
    void levelChanges_averageByEnergy() {
        // Tech 3341 case 5: -26 / -20 / -26 dBFS for 20 / 20.1 / 20 s -> -23.0 +-0.1
        assertThat(Signals.lufs(48_000, 2, sine(20, -26), sine(20.1, -20), sine(20, -26)))
                .isCloseTo(-23.0, within(0.1));
    }

    @Test
    void silenceGaps_areGatedOut() {
        // Ungated, 10 s of silence in 30 s would read -24.8; gated, only the six blocks that
        // straddle a boundary lower the result (by about 0.06 LU).
        assertThat(Signals.lufs(48_000, 2, sine(10, -23), silence(10), sine(10, -23)))
                .isCloseTo(-23.0, within(0.1));
    }

    @Test
    void silence_hasNoLoudness() {
        assertThat(Signals.lufs(48_000, 2, silence(5))).isNull();
    }

    @Test
    void shorterThanOneBlock_hasNoLoudness() {
        LoudnessMeter m = new LoudnessMeter(48_000, 2);
        Signals.feed(m::feed, 48_000, 2, 512, sine(0.39, -23));
        assertThat(m.blocks()).isZero();
        assertThat(m.integrated()).isNull();
    }

    @Test
    void blocksOverlapBy75Percent() {
        LoudnessMeter m = new LoudnessMeter(44_100, 1);
        Signals.feed(m::feed, 44_100, 1, 1000, sine(2.0, -23));
        // 400 ms windows every 100 ms over 2 s: 20 steps -> 17 blocks
        assertThat(m.blocks()).isEqualTo(17);
    }

    @Test
    void lfeWeightZero_ignoresThatChannel() {
        LoudnessMeter withLfe = new LoudnessMeter(48_000, new double[] {1, 1, 0});
        float[][] block = new float[3][4800];
        for (int i = 0; i < 4800; i++) {
            float v = (float) (Signals.amplitude(-23) * Math.sin(2 * Math.PI * 1000 * i / 48_000.0));
            block[0][i] = v;
            block[1][i] = v;
            block[2][i] = 1.0f; // full-scale DC on the LFE: would dominate if it counted
        }
        for (int k = 0; k < 100; k++) {
            withLfe.feed(block, 4800);
        }
        assertThat(withLfe.integrated()).isCloseTo(-23.0, within(0.1));
    }

    @Test
    void wrongChannelCount_isRejected() {
        LoudnessMeter m = new LoudnessMeter(48_000, 2);
        assertThatThrownBy(() -> m.feed(new float[1][10], 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected 2 channels, found 1");
    }
}
