package com.mediaflow.infra.stack;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * S3Proxy's blob store with what neither emulator has: S3 event notifications. Every object
 * created through the S3 endpoint (PUT, COPY, or a completed multipart upload) in a bucket with a
 * notification configuration is announced to its queues once the object exists, as S3 does.
 */
public final class NotifyingBlobStore extends ForwardingBlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyingBlobStore.class);

    /** Where to send what: the template's QueueConfigurations of one bucket. */
    public record Target(String configurationId, String eventPattern, String prefix, String suffix, String queueUrl) {
        boolean matches(String eventName, String key) {
            String wanted = eventPattern.startsWith("s3:") ? eventPattern.substring(3) : eventPattern;
            boolean eventOk = wanted.endsWith(":*")
                    ? eventName.startsWith(wanted.substring(0, wanted.length() - 1))
                    : eventName.equals(wanted);
            return eventOk && (prefix == null || key.startsWith(prefix)) && (suffix == null || key.endsWith(suffix));
        }
    }

    /** Sends one message body to a queue URL. */
    public interface Sender {
        void send(String queueUrl, String body);
    }

    /** S3Proxy keeps an empty placeholder object per multipart upload; S3 has no such object to announce. */
    static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private final Map<String, List<Target>> targets = new ConcurrentHashMap<>();
    private final S3EventFactory events;
    private final Sender sender;

    public NotifyingBlobStore(BlobStore delegate, S3EventFactory events, Sender sender) {
        super(delegate);
        this.events = events;
        this.sender = sender;
    }

    public void configure(String bucket, List<Target> bucketTargets) {
        targets.put(bucket, List.copyOf(bucketTargets));
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        announce("ObjectCreated:Put", request.bucket(), request.key(), response.eTag());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        String etag = response.copyObjectResult() == null ? null : response.copyObjectResult().eTag();
        announce("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey(), etag);
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        announce("ObjectCreated:CompleteMultipartUpload", request.bucket(), request.key(), response.eTag());
        return response;
    }

    private void announce(String eventName, String bucket, String key, String etag) {
        List<Target> bucketTargets = targets.get(bucket);
        if (bucketTargets == null || bucketTargets.isEmpty() || key.startsWith(MULTIPART_STUB_PREFIX)) {
            return;
        }
        var head = delegate().blobMetadata(HeadObjectRequest.builder().bucket(bucket).key(key).build());
        long size = head.contentLength() == null ? 0 : head.contentLength();
        String tag = etag != null ? etag : head.eTag();
        for (Target t : bucketTargets) {
            if (t.matches(eventName, key)) {
                String body = events.objectCreated(eventName, t.configurationId(), bucket, key, size, tag == null ? "" : tag);
                sender.send(t.queueUrl(), body);
                LOG.debug("{} s3://{}/{} announced to {}", eventName, bucket, key, t.queueUrl());
            }
        }
    }
}
