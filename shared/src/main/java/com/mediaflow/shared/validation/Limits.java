package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.error.MediaRejectedException;

/**
 * Every resource limit, enforced from headers before anything is decoded. One table: each field
 * has an environment variable ({@link com.mediaflow.shared.config.Config}), a default here, and a
 * reason code; docs/validation.md lists them.
 *
 * @param maxBytes MAX_UPLOAD_BYTES, SIZE_LIMIT
 * @param maxPixels MAX_PIXELS, PIXEL_LIMIT: width x height of any one image, frame or grid
 * @param maxFrames MAX_FRAMES, FRAME_LIMIT: frames of an animation (GIF, WebP)
 * @param maxDurationSeconds MAX_DURATION_SECONDS, DURATION_LIMIT
 * @param maxTracks MAX_TRACKS, TRACK_LIMIT
 * @param maxDepth MAX_NESTING_DEPTH, DEPTH_LIMIT: boxes, EBML elements, PDF objects
 * @param maxSampleEntries MAX_SAMPLE_ENTRIES, SAMPLE_TABLE_LIMIT: entries of one sample table or index
 * @param maxFrameRate MAX_FRAME_RATE, FRAME_RATE_LIMIT: average frames per second of a video track
 * @param documents the document packages' ZIP limits, the text length and the document policies
 */
public record Limits(long maxBytes, long maxPixels, long maxFrames, long maxDurationSeconds, int maxTracks, int maxDepth,
                     long maxSampleEntries, long maxFrameRate, DocumentLimits documents) {

    public Limits {
        java.util.Objects.requireNonNull(documents, "documents");
    }

    /** The limits before documents had their rows; they take their defaults. */
    public Limits(long maxBytes, long maxPixels, long maxFrames, long maxDurationSeconds, int maxTracks, int maxDepth,
                  long maxSampleEntries, long maxFrameRate) {
        this(maxBytes, maxPixels, maxFrames, maxDurationSeconds, maxTracks, maxDepth, maxSampleEntries, maxFrameRate,
                DocumentLimits.DEFAULTS);
    }

    /** The limits before the frame rate had its own row; it takes its default. */
    public Limits(long maxBytes, long maxPixels, long maxFrames, long maxDurationSeconds, int maxTracks, int maxDepth,
                  long maxSampleEntries) {
        this(maxBytes, maxPixels, maxFrames, maxDurationSeconds, maxTracks, maxDepth, maxSampleEntries, DEFAULT_MAX_FRAME_RATE);
    }

    /** Phones record slow motion at 240 fps; 480 leaves room for high-speed cameras. */
    public static final long DEFAULT_MAX_FRAME_RATE = 480;

    /** Phones shoot 50-200 MP today: 16384 x 16384 (268 MP) leaves room and still stops a 100000 x 100000 PNG. */
    public static final Limits DEFAULTS = new Limits(4L * 1024 * 1024 * 1024, 16384L * 16384L, 10_000, 4 * 3600,
            16, 32, 10_000_000, DEFAULT_MAX_FRAME_RATE);

    /** These limits with other document rows. */
    public Limits withDocuments(DocumentLimits documents) {
        return new Limits(maxBytes, maxPixels, maxFrames, maxDurationSeconds, maxTracks, maxDepth, maxSampleEntries, maxFrameRate,
                documents);
    }

    public void checkPixels(String format, long width, long height) {
        if (width > 0 && height > 0 && width * height > maxPixels) {
            throw new MediaRejectedException(ReasonCode.PIXEL_LIMIT, format + " is " + width + "x" + height + " = "
                    + (width * height) + " pixels, expected at most " + maxPixels + " (MAX_PIXELS)");
        }
    }

    public void checkFrames(String format, long frames) {
        if (frames > maxFrames) {
            throw new MediaRejectedException(ReasonCode.FRAME_LIMIT, format + " has " + frames
                    + " frames, expected at most " + maxFrames + " (MAX_FRAMES)");
        }
    }

    public void checkDuration(String format, double seconds) {
        if (seconds > maxDurationSeconds) {
            throw new MediaRejectedException(ReasonCode.DURATION_LIMIT, format + " lasts " + String.format("%.1f", seconds)
                    + " s, expected at most " + maxDurationSeconds + " s (MAX_DURATION_SECONDS)");
        }
    }

    public void checkTracks(String format, long tracks) {
        if (tracks > maxTracks) {
            throw new MediaRejectedException(ReasonCode.TRACK_LIMIT, format + " has " + tracks
                    + " tracks, expected at most " + maxTracks + " (MAX_TRACKS)");
        }
    }

    public void checkDepth(String format, int depth, String where) {
        if (depth > maxDepth) {
            throw new MediaRejectedException(ReasonCode.DEPTH_LIMIT, format + ": " + where + " is nested " + depth
                    + " deep, expected at most " + maxDepth + " (MAX_NESTING_DEPTH)");
        }
    }

    public void checkEntries(String format, long entries, String table) {
        if (entries > maxSampleEntries) {
            throw new MediaRejectedException(ReasonCode.SAMPLE_TABLE_LIMIT, format + ": " + table + " declares " + entries
                    + " entries, expected at most " + maxSampleEntries + " (MAX_SAMPLE_ENTRIES)");
        }
    }

    public void checkFrameRate(String format, double framesPerSecond) {
        if (framesPerSecond > maxFrameRate) {
            throw new MediaRejectedException(ReasonCode.FRAME_RATE_LIMIT, format + " runs at " + String.format("%.1f", framesPerSecond)
                    + " frames per second, expected at most " + maxFrameRate + " (MAX_FRAME_RATE)");
        }
    }
}
