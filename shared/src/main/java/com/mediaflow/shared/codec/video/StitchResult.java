package com.mediaflow.shared.codec.video;

import java.nio.file.Path;

/**
 * What {@link Stitcher#stitch} wrote.
 *
 * @param file the MP4
 * @param videoDurationSeconds end of the last video frame (pts + duration) minus the first pts
 * @param audioDurationSeconds audio samples encoded divided by the sample rate; 0 without audio
 * @param frames video packets (frames) written
 */
public record StitchResult(Path file, double videoDurationSeconds, double audioDurationSeconds,
        long frames) {
}
