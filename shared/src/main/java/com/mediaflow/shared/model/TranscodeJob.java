package com.mediaflow.shared.model;

/**
 * A job of the parallel path, on the transcode function's own queue: encode one segment for one
 * rung ({@code job = "segment"}), or join the encoded segments ({@code job = "stitch"}). A plain
 * {@link StepMessage} from validate has no {@code job} field.
 */
public record TranscodeJob(String job, String mediaId, String bucket, Integer segment, String target) {
    public static final String SEGMENT = "segment";
    public static final String STITCH = "stitch";

    public static TranscodeJob segment(String mediaId, String bucket, int segment, String target) {
        return new TranscodeJob(SEGMENT, mediaId, bucket, segment, target);
    }

    public static TranscodeJob stitch(String mediaId, String bucket) {
        return new TranscodeJob(STITCH, mediaId, bucket, null, null);
    }
}
