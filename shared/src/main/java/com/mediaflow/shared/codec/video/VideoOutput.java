package com.mediaflow.shared.codec.video;

import java.nio.file.Path;

/**
 * One rendition written: {@code <name>.mp4} in the output folder, H.264 High / AAC-LC, faststart.
 *
 * @param durationSeconds duration of the video track written
 * @param frames video frames written
 * @param bytes file size
 */
public record VideoOutput(String name, Path file, int width, int height, double durationSeconds,
        long frames, long bytes) {
}
