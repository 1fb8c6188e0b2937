package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.codec.audio.AudioTranscoder;
import com.mediaflow.shared.codec.video.VideoTranscoder;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.Lease;
import com.mediaflow.shared.lambda.SqsBatch;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.TranscodeJob;
import com.mediaflow.shared.model.TranscodeWork;

/**
 * The transcode step: H.264/AAC MP4 renditions of videos and animated GIFs and WebPs (silent,
 * looping; a still WebP or one-frame animation gets none), AAC and Opus renditions
 * of audio, with the audio's duration, loudness and waveform in the manifest.
 *
 * <p>Its queue carries two kinds of {@link TranscodeWork}, told apart once, as they are read. A
 * step message from validate runs through a {@link StepRunner}, as every step's does, with
 * {@link TranscodeStep} as its work: videos up to {@code SEGMENT_THRESHOLD_SECONDS} are encoded
 * there in one pass; longer ones are planned for the parallel path. A {@link TranscodeJob} of that
 * path (segment, audio, stitch) runs in {@link ParallelTranscode}, whose stitch writes the result.
 *
 * <p>Failures are of two classes. A {@link com.mediaflow.shared.error.CodecException} (the content
 * cannot be decoded) is permanent: the step's result records it and finalize quarantines the item;
 * the message is consumed, so it never bounces to the DLQ. Anything else (storage, throttling) is
 * thrown, and SQS retries that one message alone.
 */
public final class TranscodeService {
    public static final String STEP = TranscodeStep.STEP;

    private final String mediaBucket;
    private final StepRunner runner;
    private final ParallelTranscode parallel;

    public TranscodeService(Config config, ObjectStore store, Queue queue) {
        this.mediaBucket = config.mediaBucket();
        VideoTranscoder transcoder = new VideoTranscoder(config.videoSettings());
        AudioTranscoder audio = new AudioTranscoder(config.audioSettings());
        this.parallel = new ParallelTranscode(config, store, queue, transcoder, audio);
        this.runner = new StepRunner(new TranscodeStep(transcoder, audio, parallel, config.segmentThresholdSeconds(),
                config.limits()), config, store, queue);
    }

    /** One queue message: a step message from validate, or a segment, audio or stitch job. */
    public void handle(String body, Lease lease) {
        TranscodeWork work = TranscodeWork.read(body);
        Keys.checkMessage("transcode message", work.mediaId(), work.bucket(), mediaBucket);
        if (work instanceof TranscodeWork.Step step) {
            runner.run(step.message(), lease);
        } else if (work instanceof TranscodeJob job) {
            parallel.run(job, lease);
        } else {
            throw new IllegalStateException("a TranscodeWork of no known kind: " + work);
        }
    }

    /** Transcode's metrics: every message is an item (step messages and segment, audio and stitch jobs). */
    public StepMetrics metrics() {
        return runner.metrics();
    }

    /** What a message that fails for good records: its item marked FAILED (not for a shadow copy). */
    public SqsBatch.FailureRecorder failureRecorder() {
        return runner.failureRecorder();
    }
}
