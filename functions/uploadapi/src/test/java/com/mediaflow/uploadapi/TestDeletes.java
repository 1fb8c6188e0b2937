package com.mediaflow.uploadapi;

import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.pipeline.MediaDeletion;
import java.time.Clock;

/** The upload API's deletions on the in-memory S3 and SQS, no CDN: for handler tests about other routes. */
final class TestDeletes {
    private TestDeletes() {
    }

    static Deletes on(MemoryS3 s3, String mediaBucket) {
        return new Deletes(new ObjectStore(s3), mediaBucket, new MediaDeletion(new ObjectStore(s3), new Queue(new MemorySqs()),
                mediaBucket, "quarantine", "completion", MediaDeletion.Cdn.NONE, Clock.systemUTC()));
    }
}
