package com.mediaflow.shared.codec.audio;

import java.util.Arrays;

/**
 * Integrated loudness (LUFS) per EBU R128 / ITU-R BS.1770-4, in pure Java, fed with decoded float
 * samples in blocks of any size.
 *
 * <p>Why our own: it is small, runs on the samples the transcoder already decodes (one decode
 * feeds everything), and is testable against the EBU Tech 3341 reference cases without parsing
 * FFmpeg log output.
 *
 * <p>How: each channel is K-weighted (a high shelf then a high pass, two biquads whose
 * coefficients are derived from the analogue prototype for any sample rate, as libebur128 does,
 * so 44.1 kHz and 48 kHz measure the same), mean squares are gathered in 100 ms steps and
 * combined into 400 ms blocks overlapping by 75 %. A block's loudness is
 * {@code -0.691 + 10 log10(sum_i G_i * z_i)}; blocks below -70 LUFS (absolute gate) are dropped,
 * then blocks more than 10 LU below the loudness of the remaining ones (relative gate). Channel
 * weights {@code G_i} default to 1 (mono, stereo); a single channel is measured as itself, not as
 * dual mono, so a mono -23 dBFS 1 kHz sine reads about -26 LUFS.
 */
final class LoudnessMeter {

    private static final double ABSOLUTE_GATE_LUFS = -70.0;
    private static final double RELATIVE_GATE_LU = -10.0;

    private final int sampleRate;
    private final double[] weights;
    private final Biquad[] shelf;
    private final Biquad[] highPass;
    /** Weighted sums of squares of the last four 100 ms steps, and their sample counts. */
    private final double[] stepEnergy = new double[4];
    private final long[] stepFrames = new long[4];
    private int stepsDone;
    private long framesTotal;
    private long stepEnd;
    private double currentEnergy;
    private long currentFrames;
    /** Mean weighted energy of each complete 400 ms block. */
    private double[] blocks = new double[256];
    private int blockCount;

    /** A meter for {@code channels} channels, each weighted 1 (mono and stereo per BS.1770). */
    public LoudnessMeter(int sampleRate, int channels) {
        this(sampleRate, ones(channels));
    }

    /**
     * A meter with explicit BS.1770 channel weights, e.g. {@code {1, 1, 1, 0, 1.41, 1.41}} for
     * 5.1 in FFmpeg's order (L R C LFE Ls Rs): the LFE channel is not measured.
     */
    public LoudnessMeter(int sampleRate, double[] channelWeights) {
        if (sampleRate < 8_000 || sampleRate > 768_000) {
            throw new IllegalArgumentException("Expected a sample rate of 8-768 kHz, found "
                    + sampleRate);
        }
        if (channelWeights.length < 1) {
            throw new IllegalArgumentException("Expected at least one channel, found none");
        }
        this.sampleRate = sampleRate;
        this.weights = channelWeights.clone();
        this.shelf = new Biquad[weights.length];
        this.highPass = new Biquad[weights.length];
        for (int c = 0; c < weights.length; c++) {
            shelf[c] = Biquad.highShelf(sampleRate);
            highPass[c] = Biquad.highPass(sampleRate);
        }
        this.stepEnd = stepBoundary(1);
    }

    public int channels() {
        return weights.length;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Adds {@code frames} samples of every channel: {@code planar[c][0..frames)}, full scale
     * +-1.0.
     */
    public void feed(float[][] planar, int frames) {
        if (planar.length != weights.length) {
            throw new IllegalArgumentException("Expected " + weights.length
                    + " channels, found " + planar.length);
        }
        int done = 0;
        while (done < frames) {
            int n = (int) Math.min(frames - done, stepEnd - framesTotal);
            double energy = 0;
            for (int c = 0; c < weights.length; c++) {
                if (weights[c] == 0) {
                    continue;
                }
                energy += weights[c] * filteredSumOfSquares(c, planar[c], done, n);
            }
            currentEnergy += energy;
            currentFrames += n;
            framesTotal += n;
            done += n;
            if (framesTotal == stepEnd) {
                finishStep();
            }
        }
    }

    private double filteredSumOfSquares(int c, float[] x, int from, int n) {
        Biquad s = shelf[c];
        Biquad h = highPass[c];
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            double y = h.process(s.process(x[i]));
            sum += y * y;
        }
        return sum;
    }

    private void finishStep() {
        int slot = stepsDone % 4;
        stepEnergy[slot] = currentEnergy;
        stepFrames[slot] = currentFrames;
        stepsDone++;
        currentEnergy = 0;
        currentFrames = 0;
        stepEnd = stepBoundary(stepsDone + 1);
        if (stepsDone >= 4) {
            double e = 0;
            long f = 0;
            for (int i = 0; i < 4; i++) {
                e += stepEnergy[i];
                f += stepFrames[i];
            }
            if (blockCount == blocks.length) {
                blocks = Arrays.copyOf(blocks, blocks.length * 2);
            }
            blocks[blockCount++] = e / f;
        }
    }

    /** Frame index where 100 ms step {@code k} ends: floor(k * rate / 10), exact for any rate. */
    private long stepBoundary(long k) {
        return k * sampleRate / 10;
    }

    /** Complete 400 ms blocks measured so far. */
    public int blocks() {
        return blockCount;
    }

    /**
     * Gated integrated loudness in LUFS over everything fed so far, or null when no block passes
     * the absolute gate (silence, or less than 400 ms of audio).
     */
    public Double integrated() {
        double sum = 0;
        int n = 0;
        double absolute = energyOf(ABSOLUTE_GATE_LUFS);
        for (int i = 0; i < blockCount; i++) {
            if (blocks[i] > absolute) {
                sum += blocks[i];
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        double relative = energyOf(loudness(sum / n) + RELATIVE_GATE_LU);
        sum = 0;
        n = 0;
        for (int i = 0; i < blockCount; i++) {
            if (blocks[i] > absolute && blocks[i] > relative) {
                sum += blocks[i];
                n++;
            }
        }
        return n == 0 ? null : loudness(sum / n);
    }

    private static double loudness(double energy) {
        return -0.691 + 10 * Math.log10(energy);
    }

    private static double energyOf(double lufs) {
        return Math.pow(10, (lufs + 0.691) / 10);
    }

    private static double[] ones(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("Expected at least one channel, found " + channels);
        }
        double[] w = new double[channels];
        Arrays.fill(w, 1.0);
        return w;
    }

    /** Direct form I biquad, normalised (a0 = 1). */
    private static final class Biquad {
        private final double b0;
        private final double b1;
        private final double b2;
        private final double a1;
        private final double a2;
        private double x1;
        private double x2;
        private double y1;
        private double y2;

        private Biquad(double b0, double b1, double b2, double a1, double a2) {
            this.b0 = b0;
            this.b1 = b1;
            this.b2 = b2;
            this.a1 = a1;
            this.a2 = a2;
        }

        double process(double x) {
            double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            return y;
        }

        /** BS.1770 stage 1 (head effects: +4 dB shelf above ~1.7 kHz), bilinear for any rate. */
        static Biquad highShelf(int rate) {
            double f0 = 1681.974450955533;
            double gainDb = 3.999843853973347;
            double q = 0.7071752369554196;
            double k = Math.tan(Math.PI * f0 / rate);
            double vh = Math.pow(10, gainDb / 20);
            double vb = Math.pow(vh, 0.4996667741545416);
            double a0 = 1 + k / q + k * k;
            return new Biquad((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0,
                    (vh - vb * k / q + k * k) / a0, 2 * (k * k - 1) / a0,
                    (1 - k / q + k * k) / a0);
        }

        /** BS.1770 stage 2 (RLB high pass at ~38 Hz). */
        static Biquad highPass(int rate) {
            double f0 = 38.13547087602444;
            double q = 0.5003270373238773;
            double k = Math.tan(Math.PI * f0 / rate);
            double a0 = 1 + k / q + k * k;
            return new Biquad(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        }
    }
}
