package com.mediaflow.shared.codec.video;

/**
 * Outcome of {@link StitchCheck#verify}: how far a stitched output is from its source.
 *
 * @param durationDiffSeconds stitched video duration minus the source's
 * @param frameDiff stitched video frames minus the source's
 * @param avOffsetSeconds the larger (by magnitude) of the audio-start and audio-end shifts
 *     relative to the video, compared with the source's; 0 when neither file has audio
 * @param ok true when the duration is within one frame, the frame count equal and the A/V shift
 *     within one frame
 * @param detail the measurements in words, naming each check that failed
 */
public record SyncCheck(double durationDiffSeconds, long frameDiff, double avOffsetSeconds,
        boolean ok, String detail) {
}
