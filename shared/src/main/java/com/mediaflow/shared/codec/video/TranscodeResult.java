package com.mediaflow.shared.codec.video;

import java.util.List;

/**
 * What a transcode produced and did to the picture.
 *
 * @param outputs one per target, smallest first
 * @param rotationApplied clockwise degrees (0, 90, 180, 270) the pixels were rotated by, from the
 *     source's display matrix; the outputs carry no rotation metadata
 * @param hdrToneMapped true when the source was PQ or HLG and was tone-mapped to SDR BT.709
 * @param animated true for GIF/animated WebP sources: the outputs are silent and meant to loop
 * @param hasAudio true when the outputs carry an AAC track
 * @param sourceDurationSeconds the source's duration (container, or decoded when unknown)
 * @param framesDecoded video frames decoded from the source
 */
public record TranscodeResult(List<VideoOutput> outputs, int rotationApplied,
        boolean hdrToneMapped, boolean animated, boolean hasAudio, double sourceDurationSeconds,
        long framesDecoded) {

    public TranscodeResult {
        outputs = List.copyOf(outputs);
    }
}
