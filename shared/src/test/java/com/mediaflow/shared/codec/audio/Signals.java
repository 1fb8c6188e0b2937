package com.mediaflow.shared.codec.audio;

/** Test signals as planar float blocks, and a helper to push them through a consumer in pieces. */
final class Signals {

    private Signals() {
    }

    /** Amplitude (full scale 1.0) of a sine whose peak is {@code dbfs} dBFS. */
    static double amplitude(double dbfs) {
        return Math.pow(10, dbfs / 20);
    }

    /** One segment of a test signal: a sine (or silence when amplitude is 0) for some seconds. */
    record Segment(double seconds, double dbfs, double hz) {
        static Segment silence(double seconds) {
            return new Segment(seconds, Double.NEGATIVE_INFINITY, 0);
        }

        static Segment sine(double seconds, double dbfs) {
            return new Segment(seconds, dbfs, 1000);
        }
    }

    interface Sink {
        void feed(float[][] planar, int frames);
    }

    /**
     * Renders the segments one after the other (phase continuous, same in every channel) and
     * feeds them in blocks of {@code block} frames, which need not align with anything.
     */
    static long feed(Sink sink, int rate, int channels, int block, Segment... segments) {
        float[][] buf = new float[channels][block];
        long t = 0;
        int fill = 0;
        for (Segment s : segments) {
            long n = Math.round(s.seconds() * rate);
            double a = s.dbfs() == Double.NEGATIVE_INFINITY ? 0 : amplitude(s.dbfs());
            for (long i = 0; i < n; i++, t++) {
                float v = (float) (a * Math.sin(2 * Math.PI * s.hz() * t / rate));
                for (int c = 0; c < channels; c++) {
                    buf[c][fill] = v;
                }
                if (++fill == block) {
                    sink.feed(buf, fill);
                    fill = 0;
                }
            }
        }
        if (fill > 0) {
            sink.feed(buf, fill);
        }
        return t;
    }

    static Double lufs(int rate, int channels, Segment... segments) {
        LoudnessMeter m = new LoudnessMeter(rate, channels);
        feed(m::feed, rate, channels, 1237, segments);
        return m.integrated();
    }
}
