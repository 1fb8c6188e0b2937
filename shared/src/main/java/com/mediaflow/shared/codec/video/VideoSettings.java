package com.mediaflow.shared.codec.video;

import java.util.Comparator;
import java.util.List;

/**
 * Encoder settings shared by every job: the ladder and the libx264/AAC options. Two jobs with the
 * same settings and the same rung configure the encoder identically (same preset, profile, GOP
 * length, closed GOPs, thread count), so independently encoded segments of one source can be
 * joined.
 *
 * @param rungs the ladder, any order (the transcoder sorts by short side)
 * @param preset libx264 preset, e.g. "veryfast"
 * @param gopSeconds key frame interval in seconds; keyint = round(gopSeconds x frame rate)
 * @param audioBitrateKbps AAC-LC bit rate
 * @param encoderThreads libx264 "threads" per rendition. Fixed rather than "auto" because the
 *     thread count changes x264's output: segments encoded on machines with different core
 *     counts must still match.
 */
public record VideoSettings(List<Rung> rungs, String preset, int gopSeconds, int audioBitrateKbps,
        int encoderThreads) {

    /** Default libx264 threads per rendition (see {@link #encoderThreads}). */
    public static final int DEFAULT_ENCODER_THREADS = 2;

    /** 360p/720p/1080p, veryfast, 2 s GOPs, 128 kbps AAC, 2 encoder threads per rendition. */
    public static final VideoSettings DEFAULTS = new VideoSettings(List.of(
            new Rung("360p", 360, 26, 1000, 2000),
            new Rung("720p", 720, 24, 3000, 6000),
            new Rung("1080p", 1080, 23, 6000, 12000)), "veryfast", 2, 128);

    public VideoSettings {
        if (rungs == null || rungs.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one rung, found " + rungs);
        }
        rungs = rungs.stream().sorted(Comparator.comparingInt(Rung::shortSide)).toList();
        if (rungs.stream().map(Rung::name).distinct().count() != rungs.size()) {
            throw new IllegalArgumentException("Rung names must be unique (they name the files), "
                    + "found " + rungs.stream().map(Rung::name).toList());
        }
        if (preset == null || !preset.matches("[a-z]{1,16}")) {
            throw new IllegalArgumentException("Expected a libx264 preset name, found " + preset);
        }
        if (gopSeconds < 1 || gopSeconds > 60) {
            throw new IllegalArgumentException("GOP must be 1..60 s, found " + gopSeconds);
        }
        if (audioBitrateKbps < 16 || audioBitrateKbps > 512) {
            throw new IllegalArgumentException("AAC bit rate must be 16..512 kbps, found "
                    + audioBitrateKbps);
        }
        if (encoderThreads < 1 || encoderThreads > 64) {
            throw new IllegalArgumentException("Encoder threads must be 1..64, found "
                    + encoderThreads);
        }
    }

    /** Settings with {@link #DEFAULT_ENCODER_THREADS} encoder threads per rendition. */
    public VideoSettings(List<Rung> rungs, String preset, int gopSeconds, int audioBitrateKbps) {
        this(rungs, preset, gopSeconds, audioBitrateKbps, DEFAULT_ENCODER_THREADS);
    }
}
