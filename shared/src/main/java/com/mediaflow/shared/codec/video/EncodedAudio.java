package com.mediaflow.shared.codec.video;

import java.nio.file.Path;

/**
 * A source's audio encoded once by {@link Stitcher#encodeAudio} as one continuous AAC-LC track, in
 * an MP4 audio file ({@code .m4a}) that {@link Stitcher#stitch(java.util.List, java.util.List,
 * Path, Path)} copies into every rung without decoding it again.
 *
 * @param file the {@code .m4a}
 * @param startSeconds where the first sample sits on the video's time line (0 = the source's
 *     first video frame); above 0 when the source's audio starts after its video
 * @param durationSeconds samples encoded / sample rate
 * @param sampleRate Hz of the AAC track
 * @param channels 1 or 2
 */
public record EncodedAudio(Path file, double startSeconds, double durationSeconds, int sampleRate,
        int channels) {
}
