package com.mediaflow.shared.codec.video;

/**
 * Receives how far a transcode is, as the fraction (0..1) of the source's duration decoded so
 * far. Called from the transcoding thread, at most a few times a second.
 */
@FunctionalInterface
public interface TranscodeProgress {

    void update(double fractionDone);

    /** Ignores progress. */
    TranscodeProgress NONE = f -> { };
}
