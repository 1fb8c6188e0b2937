package com.mediaflow.shared.codec;

import com.mediaflow.shared.error.CodecException;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The poster frame of a video: the best {@link FrameScore} among a few instants spread over it. */
final class VideoPoster {
    private static final Logger LOG = LoggerFactory.getLogger(VideoPoster.class);
    /** Poster candidates spread over a video's duration. */
    static final int POSTER_CANDIDATES = 5;

    private VideoPoster() {
    }

    /**
     * {@value #POSTER_CANDIDATES} instants spread evenly over the duration, the first at 10%
     * (openings are often black or a fade), each in the middle of its fifth; just the start
     * when the duration is unknown.
     */
    static long[] posterCandidates(long durationUs) {
        if (durationUs <= 0) {
            return new long[] {0};
        }
        long[] ts = new long[POSTER_CANDIDATES];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = (long) (durationUs * (i + 0.5) / POSTER_CANDIDATES);
        }
        return ts;
    }

    /**
     * The candidate frame with the best {@link FrameScore} (a copy the caller closes). When no
     * candidate decodes (a video shorter than its declared duration, a broken index), the first
     * frame from the start.
     *
     * @throws CodecException when not a single frame decodes
     */
    static Frame bestPosterFrame(FFmpegFrameGrabber grabber, String file) {
        Frame best = null;
        FrameScore bestScore = null;
        for (long ts : posterCandidates(grabber.getLengthInTime())) {
            Frame frame = grabAt(grabber, ts, file);
            if (frame == null) {
                continue;
            }
            FrameScore score = FrameScore.of(frame, 4);
            LOG.debug("Poster candidate at {} us of {}: {}", ts, file, score);
            if (bestScore == null || score.score() > bestScore.score()) {
                if (best != null) {
                    best.close();
                }
                best = frame.clone();
                bestScore = score;
            }
        }
        if (best == null) {
            Frame first = grabAt(grabber, 0, file);
            if (first == null) {
                throw new CodecException("Cannot make a poster of " + file
                        + ": expected at least one decodable video frame, found none");
            }
            return first.clone();
        }
        return best;
    }

    /** Seeks (frame-accurately) and decodes; null when nothing decodes there. */
    private static Frame grabAt(FFmpegFrameGrabber grabber, long ts, String file) {
        try {
            if (ts > 0 || grabber.getTimestamp() > 0) {
                grabber.setTimestamp(ts);
            }
            Frame frame = grabber.grabImage();
            return frame == null || frame.image == null ? null : frame;
        } catch (FrameGrabber.Exception e) {
            LOG.warn("Cannot decode a frame at {} us of {}: {}", ts, file, e.getMessage());
            return null;
        }
    }
}
