package com.mediaflow.uploadapi;

import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.error.StorageException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 side of a large upload: CreateMultipartUpload with the Content-Type pinned, one presigned
 * UploadPart URL per part (SigV4 query signing by the SDK's {@link S3Presigner}, with the part's
 * {@code Content-Length} among the signed headers, so S3 refuses a part of another length), the
 * parts received (ListParts), CompleteMultipartUpload and AbortMultipartUpload. Failures are
 * {@link StorageException}s naming the object.
 */
final class MultipartUploads {
    /** S3's smallest part but the last. */
    static final long MIN_PART_BYTES = 5L << 20;
    /** S3's most parts of one upload. */
    static final int MAX_PARTS = 10_000;

    /** Multipart off: every upload is a POST form. */
    static final MultipartUploads OFF = new MultipartUploads(null, null, Long.MAX_VALUE, MIN_PART_BYTES);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final long threshold;
    private final long partBytes;

    /**
     * @param threshold uploads declared larger than this are multipart
     * @param partBytes the part size, at least {@link #MIN_PART_BYTES}
     */
    MultipartUploads(S3Client s3, S3Presigner presigner, long threshold, long partBytes) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("part size " + partBytes + " bytes, expected at least " + MIN_PART_BYTES);
        }
        this.s3 = s3;
        this.presigner = presigner;
        this.threshold = threshold;
        this.partBytes = partBytes;
    }

    boolean applies(long size) {
        return s3 != null && size > threshold;
    }

    /** The part size for an upload of this size: the configured one, or larger (whole MiB) to stay within {@link #MAX_PARTS}. */
    long partSize(long size) {
        long least = (size + MAX_PARTS - 1) / MAX_PARTS;
        long mib = 1L << 20;
        return Math.max(partBytes, (least + mib - 1) / mib * mib);
    }

    /** How long part {@code n} (1-based) of an upload of {@code size} bytes in parts of {@code partSize} is. */
    static long partLength(long size, long partSize, int n) {
        return Math.min(partSize, size - (n - 1) * partSize);
    }

    static int partCount(long size, long partSize) {
        return (int) ((size + partSize - 1) / partSize);
    }

    /** CreateMultipartUpload; returns S3's upload id. */
    String create(String bucket, String key, String contentType) {
        try {
            return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        } catch (SdkException e) {
            throw new StorageException("CreateMultipartUpload " + ObjectStore.uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /** One presigned UploadPart: its number, URL and the exact length it must have (signed). */
    record PartUrl(int partNumber, long size, URL url) {
    }

    List<PartUrl> presign(String bucket, String key, String uploadId, long size, long partSize, Duration expiry) {
        List<PartUrl> out = new ArrayList<>();
        int count = partCount(size, partSize);
        for (int n = 1; n <= count; n++) {
            int number = n;
            long length = partLength(size, partSize, n);
            var signed = presigner.presignUploadPart(p -> p.signatureDuration(expiry).uploadPartRequest(u -> u.bucket(bucket).key(key)
                    .uploadId(uploadId).partNumber(number).contentLength(length)));
            out.add(new PartUrl(number, length, signed.url()));
        }
        return out;
    }

    /** One part S3 holds: its number, length and ETag (unquoted). */
    record Received(int partNumber, long size, String etag) {
    }

    /** The parts received so far, by number; empty when the upload is no longer open (completed, aborted or expired). */
    Optional<List<Received>> received(String bucket, String key, String uploadId) {
        List<Received> out = new ArrayList<>();
        Integer marker = null;
        try {
            while (true) {
                Integer after = marker;
                ListPartsResponse page = s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumberMarker(after));
                page.parts().forEach(p -> out.add(new Received(p.partNumber(), p.size(), unquoted(p.eTag()))));
                if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextPartNumberMarker() == null) {
                    break;
                }
                marker = page.nextPartNumberMarker();
            }
        } catch (NoSuchUploadException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StorageException("ListParts " + ObjectStore.uri(bucket, key) + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("ListParts " + ObjectStore.uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Received::partNumber));
        return Optional.of(out);
    }

    /** CompleteMultipartUpload of these parts, in order. */
    void complete(String bucket, String key, String uploadId, List<Received> parts) {
        List<CompletedPart> completed = parts.stream().sorted(Comparator.comparingInt(Received::partNumber))
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag("\"" + p.etag() + "\"").build()).toList();
        try {
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw new StorageException("CompleteMultipartUpload " + ObjectStore.uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /** AbortMultipartUpload: its parts deleted, nothing stored. An upload already gone is fine. */
    void abort(String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // gone already: nothing to abort
        } catch (SdkException e) {
            throw new StorageException("AbortMultipartUpload " + ObjectStore.uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
