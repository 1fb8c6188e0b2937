package com.mediaflow.uploadapi;

/**
 * What the API keeps of one presigned upload, at {@code api/uploads/<upload id>.json} in the media
 * bucket ({@link com.mediaflow.shared.aws.Keys#apiUpload}): whose it is and where its bytes go, so
 * that {@code GET /uploads/{id}} finds its receipt and answers 404 to anyone else.
 *
 * @param caller the JWT {@code sub} of the caller who asked for it
 * @param key the object key in the ingest bucket the policy allows
 * @param multipartUploadId S3's upload id of a multipart upload (above MULTIPART_THRESHOLD_BYTES); null for a POST form
 * @param partSize the part size of a multipart upload; null for a POST form
 * @param completedAt when the API completed the multipart upload; null before (and for a POST form). What tells a
 *     completed upload from an aborted one once S3 no longer lists its parts: the function may not read the ingest
 *     bucket's objects, nor list it, so it cannot look
 */
record UploadRecord(String uploadId, String caller, String bucket, String key, String fileName, String contentType, long size,
        String createdAt, String expiresAt, String multipartUploadId, Long partSize, String completedAt) {
    UploadRecord(String uploadId, String caller, String bucket, String key, String fileName, String contentType, long size,
            String createdAt, String expiresAt) {
        this(uploadId, caller, bucket, key, fileName, contentType, size, createdAt, expiresAt, null, null, null);
    }

    UploadRecord completed(String at) {
        return new UploadRecord(uploadId, caller, bucket, key, fileName, contentType, size, createdAt, expiresAt,
                multipartUploadId, partSize, at);
    }

    boolean multipart() {
        return multipartUploadId != null;
    }
}
