package com.mediaflow.shared.codec.audio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Manifest facts about a file's audio, measured on the decoded samples.
 *
 * @param durationSeconds decoded length: samples decoded / sample rate
 * @param integratedLufs EBU R128 integrated loudness, rounded to 0.1 LU; null when every 400 ms
 *     block is gated out (silence, or shorter than 400 ms)
 * @param waveform peak per bucket, linear 0..1 of full scale, two decimals (see {@link Waveform})
 * @param sampleRate of the source audio stream, Hz
 * @param channels of the source audio stream
 */
public record AudioAnalysis(double durationSeconds, Double integratedLufs, List<Double> waveform,
        int sampleRate, int channels) {

    public AudioAnalysis {
        waveform = List.copyOf(waveform);
    }

    /**
     * JSON-friendly keys for the manifest: durationSeconds (3 decimals), loudnessLufs (left out
     * when silent, as the project's {@code Json} leaves out nulls anyway), waveform, sampleRate,
     * channels.
     */
    public Map<String, Object> toMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("durationSeconds", Math.round(durationSeconds * 1000) / 1000.0);
        if (integratedLufs != null) {
            m.put("loudnessLufs", integratedLufs);
        }
        m.put("waveform", waveform);
        m.put("sampleRate", sampleRate);
        m.put("channels", channels);
        return m;
    }
}
