package com.mediaflow.infra.stack;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Hides what S3 never shows: S3Proxy's nio2 stores write an object to {@code <key>-<random UUID>}
 * beside it and rename it into place (AbstractNio2BlobStore.putBlob; its own TODO asks whether
 * listings should filter these), so a listing made during a write names that file as an object,
 * whose read is empty or torn. Receipts, outbox records and transcode parts are found by listing,
 * so the embedded stack would see phantom uploads, events and parts. A listed key is hidden when it
 * is such a name of a key that is being written at that moment.
 */
final class InFlightWritesHidden extends ForwardingBlobStore {
    private static final Pattern TEMP_SUFFIX = Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    /** bucket + '/' + key of every write under way, with how many. */
    private final Map<String, Integer> writing = new ConcurrentHashMap<>();

    InFlightWritesHidden(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        return during(request.bucket(), request.key(), () -> super.putBlob(request, input));
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        return during(request.destinationBucket(), request.destinationKey(), () -> super.copyBlob(request));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        return during(request.bucket(), request.key(), () -> super.completeMultipartUpload(upload, request));
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        ListObjectsV2Response response = super.list(request);
        if (writing.isEmpty() || response.contents() == null) {
            return response;
        }
        List<S3Object> shown = response.contents().stream().filter(o -> !inFlightTemp(request.bucket(), o.key())).toList();
        return shown.size() == response.contents().size() ? response
                : response.toBuilder().contents(shown).keyCount(shown.size() + (response.commonPrefixes() == null ? 0
                        : response.commonPrefixes().size())).build();
    }

    /** True for {@code <key>-<uuid>} while {@code key} is being written in that bucket. */
    boolean inFlightTemp(String bucket, String listedKey) {
        var m = TEMP_SUFFIX.matcher(listedKey);
        return m.find() && writing.containsKey(bucket + "/" + listedKey.substring(0, m.start()));
    }

    private <T> T during(String bucket, String key, Supplier<T> write) {
        String id = bucket + "/" + key;
        writing.merge(id, 1, Integer::sum);
        try {
            return write.get();
        } finally {
            writing.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
        }
    }
}
