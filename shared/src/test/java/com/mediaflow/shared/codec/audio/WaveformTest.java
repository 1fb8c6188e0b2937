package com.mediaflow.shared.codec.audio;

import static com.mediaflow.shared.codec.audio.Signals.Segment.silence;
import static com.mediaflow.shared.codec.audio.Signals.Segment.sine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaveformTest {

    @Test
    void loudThenQuiet_givesHighBucketsThenLowOnes() {
        Waveform w = new Waveform(64);
        // 1 kHz at 48 kHz hits its peak exactly (sample 12 of 48); -1.94 dBFS = 0.8, -20 = 0.1
        Signals.feed(w::feed, 48_000, 2, 1000, sine(2, 20 * Math.log10(0.8)), sine(2, -20));
        List<Double> v = w.values();
        assertThat(v).hasSize(64);
        assertThat(v.subList(0, 32)).containsOnly(0.8);
        assertThat(v.subList(32, 64)).containsOnly(0.1);
    }

    @Test
    void silence_givesZeros() {
        Waveform w = new Waveform(64);
        Signals.feed(w::feed, 44_100, 1, 4096, silence(3));
        assertThat(w.values()).hasSize(64).containsOnly(0.0);
    }

    @Test
    void nothingFed_givesZeros() {
        assertThat(new Waveform(16).values()).hasSize(16).containsOnly(0.0);
    }

    @Test
    void fewerFramesThanBuckets_leavesEmptyBucketsAtZero() {
        Waveform w = new Waveform(64);
        w.feed(new float[][] {{0.5f, -0.25f, 0.125f, 1.5f}}, 4);
        List<Double> v = w.values();
        assertThat(v).hasSize(64);
        // bucket b covers [4b/64, 4(b+1)/64): only buckets 15, 31, 47 and 63 hold a frame
        assertThat(v.get(15)).isEqualTo(0.5);
        assertThat(v.get(31)).isEqualTo(0.25);
        assertThat(v.get(47)).isEqualTo(0.13);
        assertThat(v.get(63)).isEqualTo(1.0); // above full scale is clamped
        assertThat(v.stream().filter(x -> x > 0)).hasSize(4);
    }

    @Test
    void longInput_keepsClicksInTheirBuckets_afterChunksMerge() {
        // 10,000,000 frames: far beyond MAX_CHUNKS * 64, so chunks merge several times
        long total = 10_000_000L;
        long[] clicks = {0, 3_000_017, 5_100_000, total - 1}; // not on bucket boundaries
        Waveform w = new Waveform(64);
        float[][] block = new float[2][65_536];
        for (long start = 0; start < total; start += block[0].length) {
            int n = (int) Math.min(block[0].length, total - start);
            java.util.Arrays.fill(block[0], 0f);
            for (long c : clicks) {
                if (c >= start && c < start + n) {
                    block[1][(int) (c - start)] = -0.66f;
                }
            }
            w.feed(block, n);
            java.util.Arrays.fill(block[1], 0f);
        }
        List<Double> v = w.values();
        assertThat(w.frames()).isEqualTo(total);
        for (long c : clicks) {
            assertThat(v.get((int) (c * 64 / total))).as("bucket of click at %d", c)
                    .isEqualTo(0.66);
        }
        assertThat(v.stream().filter(x -> x > 0)).hasSize(clicks.length);
    }

    @Test
    void values_haveAtMostTwoDecimals() {
        Waveform w = new Waveform(64);
        Signals.feed(w::feed, 48_000, 1, 999, sine(1, -3.3), sine(1, -17.77), sine(1, -41));
        for (double x : w.values()) {
            assertThat(x * 100).isCloseTo(Math.rint(x * 100), org.assertj.core.api.Assertions.within(1e-9));
            assertThat(Double.toString(x).length()).isLessThanOrEqualTo(4);
        }
    }
}
