package com.mediaflow.shared.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A job of the parallel path, on the transcode function's own queue: encode one segment for one
 * rung ({@code job = "segment"}), encode the source's audio once for every rung
 * ({@code job = "audio"}), or join the encoded segments and audio ({@code job = "stitch"}). A
 * plain {@link StepMessage} from validate has no {@code job} field; {@link TranscodeWork#read} tells
 * them apart.
 *
 * <p>The JSON is one flat object whose {@code job} names the variant, in this field order:
 * {@code job, mediaId, bucket, segment, target, v} (segment and target only on a segment job).
 */
public sealed interface TranscodeJob extends TranscodeWork, Versioned
        permits TranscodeJob.Segment, TranscodeJob.Audio, TranscodeJob.Stitch {
    String SEGMENT = "segment";
    String STITCH = "stitch";
    String AUDIO = "audio";

    /** The variant's name in the JSON: {@link #SEGMENT}, {@link #AUDIO} or {@link #STITCH}. */
    @JsonProperty("job")
    String job();

    static Segment segment(String mediaId, String bucket, int segment, String target) {
        return new Segment(mediaId, bucket, segment, target);
    }

    static Audio audio(String mediaId, String bucket) {
        return new Audio(mediaId, bucket);
    }

    static Stitch stitch(String mediaId, String bucket) {
        return new Stitch(mediaId, bucket);
    }

    /**
     * Encode segment {@code segment} of the plan at its rung {@code target}.
     *
     * @param segment null when a message leaves it out; the job refuses it against the plan
     */
    @JsonPropertyOrder({"job", "mediaId", "bucket", "segment", "target"})
    record Segment(String mediaId, String bucket, Integer segment, String target) implements TranscodeJob {
        @Override
        public String job() {
            return SEGMENT;
        }
    }

    /** Encode the source's audio once, for every rung, and measure it. */
    @JsonPropertyOrder({"job", "mediaId", "bucket"})
    record Audio(String mediaId, String bucket) implements TranscodeJob {
        @Override
        public String job() {
            return AUDIO;
        }
    }

    /** Join the encoded segments of each rung and the encoded audio. */
    @JsonPropertyOrder({"job", "mediaId", "bucket"})
    record Stitch(String mediaId, String bucket) implements TranscodeJob {
        @Override
        public String job() {
            return STITCH;
        }
    }
}
