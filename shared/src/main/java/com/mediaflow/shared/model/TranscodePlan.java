package com.mediaflow.shared.model;

import java.util.List;

/**
 * How a long video is cut and encoded, written once by the split at
 * {@code work/transcode/<id>/plan.json}; every segment and stitch job reads it.
 *
 * @param originalKey the original in the media bucket (for the audio and the final check)
 * @param rotation clockwise degrees of the source's display matrix, applied by every segment job
 *     (segments are stream copies and need not carry the matrix)
 * @param segments the cuts, in order
 * @param targets the rungs every segment is encoded to
 */
public record TranscodePlan(String mediaId, String originalKey, int rotation, double sourceDurationSeconds,
                            List<Cut> segments, List<Rendering> targets) {
    public TranscodePlan {
        segments = List.copyOf(segments);
        targets = List.copyOf(targets);
    }

    public record Cut(int index, double startSeconds, double durationSeconds, long frames) {
    }

    public record Rendering(String name, int width, int height, int shortSide, int crf, int maxrateKbps, int bufsizeKbps) {
    }

    /** Segment jobs in all: one per segment and rendering. */
    public int jobs() {
        return segments.size() * targets.size();
    }

    /** Every job before the stitch: the segment jobs and the one audio job. */
    public int jobsBeforeStitch() {
        return jobs() + 1;
    }
}
