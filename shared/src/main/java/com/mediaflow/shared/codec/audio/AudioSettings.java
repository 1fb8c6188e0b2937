package com.mediaflow.shared.codec.audio;

/**
 * What {@link AudioTranscoder} produces: bitrates of the two renditions and the waveform's
 * resolution.
 *
 * @param aacBitrateKbps AAC-LC bitrate of {@code audio.m4a} (kbit/s, whole file, not per
 *     channel)
 * @param opusBitrateKbps Opus bitrate of {@code audio.ogg} (kbit/s)
 * @param waveformBuckets number of waveform values in the analysis
 */
public record AudioSettings(int aacBitrateKbps, int opusBitrateKbps, int waveformBuckets) {

    /** 128 kbit/s AAC, 64 kbit/s Opus (the voice-note format), 64 waveform buckets. */
    public static final AudioSettings DEFAULTS = new AudioSettings(128, 64, 64);

    public AudioSettings {
        if (aacBitrateKbps < 16 || aacBitrateKbps > 512) {
            throw new IllegalArgumentException("Expected an AAC bitrate of 16-512 kbit/s, found "
                    + aacBitrateKbps);
        }
        if (opusBitrateKbps < 6 || opusBitrateKbps > 510) {
            throw new IllegalArgumentException("Expected an Opus bitrate of 6-510 kbit/s, found "
                    + opusBitrateKbps);
        }
        if (waveformBuckets < 1 || waveformBuckets > 4096) {
            throw new IllegalArgumentException("Expected 1-4096 waveform buckets, found "
                    + waveformBuckets);
        }
    }
}
