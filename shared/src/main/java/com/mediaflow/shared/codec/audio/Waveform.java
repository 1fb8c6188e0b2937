package com.mediaflow.shared.codec.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The overview a voice-note player draws as bars: the audio cut into a fixed number of equal
 * buckets (64 by default), one number per bucket. Pure Java, fed with decoded float samples as
 * they stream by, so the total length need not be known in advance.
 *
 * <p>Each value is the bucket's <b>peak</b> absolute sample over all channels, on a <b>linear
 * scale of full scale</b>: 1.0 is 0 dBFS, 0.5 is about -6 dBFS, 0 is digital silence. It is not
 * normalised to the loudest bucket, so a quiet recording looks quiet; a UI that wants full-height
 * bars divides by the maximum. Values are rounded to two decimals (the closest double to k/100,
 * which JSON writes as at most four characters, e.g. {@code 0.37}), enough for a bar of 100 px.
 *
 * <p>Memory stays bounded: peaks are kept per chunk of frames (one frame at first); when
 * {@link #MAX_CHUNKS} chunks exist, neighbours are merged pairwise and the chunk doubles. Each
 * chunk then counts for the bucket holding its first frame, so up to 8192 frames the buckets are
 * exact, and beyond that a boundary is off by less than one chunk (under 1/4096 of the
 * length).
 */
final class Waveform {

    static final int MAX_CHUNKS = 8192;
    private static final int FIRST_CHUNK = 1;

    private final int buckets;
    private float[] peaks = new float[MAX_CHUNKS];
    private int chunks;
    private long chunk = FIRST_CHUNK;
    private long framesInChunk;
    private float chunkPeak;
    private long frames;

    public Waveform(int buckets) {
        if (buckets < 1 || buckets > 4096) {
            throw new IllegalArgumentException("Expected 1-4096 waveform buckets, found " + buckets);
        }
        this.buckets = buckets;
    }

    /** Adds {@code frames} samples of every channel: {@code planar[c][0..frames)}. */
    public void feed(float[][] planar, int count) {
        for (int i = 0; i < count; i++) {
            float peak = 0;
            for (float[] channel : planar) {
                float v = Math.abs(channel[i]);
                if (v > peak) {
                    peak = v;
                }
            }
            if (peak > chunkPeak) {
                chunkPeak = peak;
            }
            frames++;
            if (++framesInChunk == chunk) {
                closeChunk();
            }
        }
    }

    private void closeChunk() {
        if (chunks == MAX_CHUNKS) {
            for (int i = 0; i < MAX_CHUNKS / 2; i++) {
                peaks[i] = Math.max(peaks[2 * i], peaks[2 * i + 1]);
            }
            Arrays.fill(peaks, MAX_CHUNKS / 2, MAX_CHUNKS, 0f);
            chunks = MAX_CHUNKS / 2;
            chunk *= 2;
            // the chunk just filled had the old size: it becomes the first half of a chunk of
            // the new size, so keep filling it
            return;
        }
        peaks[chunks++] = chunkPeak;
        chunkPeak = 0;
        framesInChunk = 0;
    }

    /** Frames fed so far. */
    public long frames() {
        return frames;
    }

    /**
     * The bucket values, {@code buckets} of them, each in 0..1 rounded to 0.01. All zeros when no
     * sample (or only silence) was fed. Bucket {@code b} covers frames
     * {@code [b*N/buckets, (b+1)*N/buckets)}; when there are fewer frames than buckets, empty
     * buckets are 0.
     */
    public List<Double> values() {
        List<Double> out = new ArrayList<>(buckets);
        int full = chunks;
        boolean partial = framesInChunk > 0;
        int total = full + (partial ? 1 : 0);
        for (int b = 0; b < buckets; b++) {
            long from = frames * b / buckets;
            long until = frames * (b + 1) / buckets;
            float peak = 0;
            // chunks whose first frame lies in [from, until)
            long first = (from + chunk - 1) / chunk;
            long last = Math.min(total, (until + chunk - 1) / chunk) - 1;
            for (long c = first; c <= last; c++) {
                float p = c < full ? peaks[(int) c] : chunkPeak;
                if (p > peak) {
                    peak = p;
                }
            }
            out.add(round(peak));
        }
        return out;
    }

    /** Rounds to two decimals, clamped to 0..1 (floats above full scale count as 1). */
    static double round(double v) {
        double clamped = Math.max(0, Math.min(1, v));
        return Math.round(clamped * 100) / 100.0;
    }
}
