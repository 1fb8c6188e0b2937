package com.mediaflow.shared.codec.audio;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AudioTranscoder#process} made of one audio file: the renditions (M4A first, then
 * Ogg Opus) and the analysis for the manifest, all from a single decode.
 */
public record AudioResult(List<AudioOutput> outputs, AudioAnalysis analysis) {

    public AudioResult {
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(analysis, "analysis");
    }
}
