package com.mediaflow.shared.codec.video;

import java.nio.file.Path;

/**
 * One piece of a long video cut by {@link Segmenter} for parallel encoding: a video-only Matroska
 * file holding the source's packets unchanged, timestamps re-based so its first frame is at 0.
 *
 * @param index position in the source, from 0
 * @param file the segment file
 * @param startSeconds exact source time of the segment's first frame, relative to the source's
 *     first video frame (from the source's own time base, not the file's millisecond one); pass
 *     it to {@link Stitcher#stitch} as the segment's offset
 * @param durationSeconds presentation span: end of its last frame (pts + frame duration) minus
 *     {@code startSeconds}
 * @param frames number of video frames (packets) in the segment
 */
public record Segment(int index, Path file, double startSeconds, double durationSeconds,
        long frames) {
}
