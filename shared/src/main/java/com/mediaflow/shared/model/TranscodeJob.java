package com.mediaflow.shared.model;

/**
 * A job of the parallel path, on the transcode function's own queue: encode one segment for one
 * rung ({@code job = "segment"}), encode the source's audio once for every rung
 * ({@code job = "audio"}), or join the encoded segments and audio ({@code job = "stitch"}). A
 * plain {@link StepMessage} from validate has no {@code job} field.
 */
public record TranscodeJob(String job, String mediaId, String bucket, Integer segment, String target) implements Versioned {
    public static final String SEGMENT = "segment";
    public static final String STITCH = "stitch";
    public static final String AUDIO = "audio";

    public static TranscodeJob segment(String mediaId, String bucket, int segment, String target) {
        return new TranscodeJob(SEGMENT, mediaId, bucket, segment, target);
    }

    public static TranscodeJob audio(String mediaId, String bucket) {
        return new TranscodeJob(AUDIO, mediaId, bucket, null, null);
    }

    public static TranscodeJob stitch(String mediaId, String bucket) {
        return new TranscodeJob(STITCH, mediaId, bucket, null, null);
    }
}
