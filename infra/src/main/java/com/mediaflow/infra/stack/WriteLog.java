package com.mediaflow.infra.stack;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * When each object was written, to the millisecond, by the store itself: the time a PUT, COPY or
 * completed multipart upload returned from the blob store, on the system clock (the clock that
 * stamps the stack's S3 event times). S3Proxy cannot say it: its {@code Last-Modified} header and
 * ListObjects' {@code LastModified} are whole seconds. Observes only; the last {@value #KEEP}
 * writes are kept, for benchmarks and tests ({@link EmbeddedStack#writes()}).
 */
public final class WriteLog extends ForwardingBlobStore {
    static final int KEEP = 20_000;

    /** One completed write; the ETag without quotes. */
    public record Write(String bucket, String key, String etag, long epochMillis) {
    }

    private final Deque<Write> writes = new ArrayDeque<>();

    WriteLog(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        record(request.bucket(), request.key(), response.eTag());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        record(request.destinationBucket(), request.destinationKey(),
                response.copyObjectResult() == null ? null : response.copyObjectResult().eTag());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        record(request.bucket(), request.key(), response.eTag());
        return response;
    }

    private void record(String bucket, String key, String etag) {
        Write w = new Write(bucket, key, etag == null ? null : etag.replace("\"", ""), System.currentTimeMillis());
        synchronized (writes) {
            if (writes.size() == KEEP) {
                writes.removeFirst();
            }
            writes.addLast(w);
        }
    }

    /** The writes kept, oldest first. */
    public List<Write> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    /** The last write of this object with this ETag (quotes ignored); empty when it is not kept. */
    public Optional<Write> find(String bucket, String key, String etag) {
        String tag = etag == null ? null : etag.replace("\"", "");
        synchronized (writes) {
            var it = writes.descendingIterator();
            while (it.hasNext()) {
                Write w = it.next();
                if (w.bucket().equals(bucket) && w.key().equals(key) && (tag == null || tag.equals(w.etag()))) {
                    return Optional.of(w);
                }
            }
        }
        return Optional.empty();
    }
}
