package com.mediaflow.uploadapi;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.pipeline.MediaDeletion;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /uploads/{id}}: the caller's upload goes, and its item with it when no other upload
 * refers to it ({@link MediaDeletion}). In this order, each step idempotent: the ingest object (so
 * that no validate run or sweeper re-drive starts again), the pipeline's uploads of its key, then
 * the API's record. The record goes last: while it is there a retried DELETE finds the upload and
 * finishes what a failed one left; once it is gone, the upload is 404.
 */
final class Deletes {
    private static final Logger LOG = LoggerFactory.getLogger(Deletes.class);
    static final String CONFLICT = "PROCESSING";

    private final ObjectStore store;
    private final String mediaBucket;
    private final MediaDeletion deletion;

    Deletes(ObjectStore store, String mediaBucket, MediaDeletion deletion) {
        this.store = store;
        this.mediaBucket = mediaBucket;
        this.deletion = deletion;
    }

    /**
     * @return false for an unknown id and for another caller's upload alike (404)
     * @throws ApiError 409 while the upload's item is still processing: its steps would write it again
     */
    boolean delete(Caller caller, String uploadId) {
        Optional<UploadRecord> found = Uploads.owned(store, mediaBucket, caller, uploadId);
        if (found.isEmpty()) {
            return false;
        }
        UploadRecord record = found.get();
        Optional<String> processing = deletion.processing(record.bucket(), record.key());
        if (processing.isPresent()) {
            throw new ApiError(409, CONFLICT, "upload " + uploadId + " is attached to media " + processing.get()
                    + ", which is still PROCESSING; expected a final state (READY, QUARANTINED, FAILED): retry once it has one");
        }
        store.delete(record.bucket(), record.key());
        List<MediaDeletion.Deleted> deleted = deletion.deleteKey(record.bucket(), record.key());
        store.delete(mediaBucket, Keys.apiUpload(uploadId));
        LOG.info("upload {} of {} deleted: {}", uploadId, caller.id(), deleted);
        return true;
    }
}
