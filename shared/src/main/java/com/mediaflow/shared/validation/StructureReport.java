package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import java.util.List;

/**
 * What a structural parser found, once the structure passed its rules.
 *
 * @param width stored width of the primary image or video track (before any rotation), or null
 * @param height stored height, or null
 * @param frames frames of an animation, images of a still (1), or video samples; null if unknown
 * @param durationSeconds duration of audio or video, or null
 * @param tracks tracks of a container, or null
 * @param frameRate average frames per second of the primary video track, or null
 * @param logicalEnd the offset where the format's own structure ends; -1 when it has no clear end
 *     (then polyglot detection relies on the archive-directory check alone)
 * @param warnings findings that do not reject (broken optional metadata, say)
 * @param pixels how a still image stores its pixels (bit depth, colour, alpha), for parsers of
 *     image formats; null for other formats and when the headers do not say
 */
public record StructureReport(Integer width, Integer height, Long frames, Double durationSeconds, Integer tracks,
                              Double frameRate, long logicalEnd, List<Reason> warnings, PixelLayout pixels) {
    public StructureReport {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For parsers: fields are set as the structure is walked. */
    public static final class Builder {
        private Integer width;
        private Integer height;
        private Long frames;
        private Double duration;
        private Integer tracks;
        private Double frameRate;
        private long logicalEnd = -1;
        private final java.util.ArrayList<Reason> warnings = new java.util.ArrayList<>();
        private PixelLayout pixels;

        public Builder dimensions(long w, long h) {
            this.width = (int) Math.min(Integer.MAX_VALUE, w);
            this.height = (int) Math.min(Integer.MAX_VALUE, h);
            return this;
        }

        public Builder frames(long n) {
            this.frames = n;
            return this;
        }

        public Builder duration(double seconds) {
            this.duration = seconds;
            return this;
        }

        public Builder tracks(int n) {
            this.tracks = n;
            return this;
        }

        public Builder frameRate(double fps) {
            this.frameRate = fps;
            return this;
        }

        public Builder logicalEnd(long end) {
            this.logicalEnd = end;
            return this;
        }

        public Builder pixels(PixelLayout layout) {
            this.pixels = layout;
            return this;
        }

        public Builder warn(ReasonCode code, String message) {
            warnings.add(Reason.warning(code, message));
            return this;
        }

        public StructureReport build() {
            return new StructureReport(width, height, frames, duration, tracks, frameRate, logicalEnd, warnings,
                    pixels);
        }
    }
}
