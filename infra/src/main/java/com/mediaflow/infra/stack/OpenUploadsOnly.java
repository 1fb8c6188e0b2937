package com.mediaflow.infra.stack;

import java.io.InputStream;
import java.util.List;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * What S3 does with a multipart upload that is no longer open (completed, aborted) or never was:
 * UploadPart and ListParts answer {@code 404 NoSuchUpload}. S3Proxy 4.1.0 checks the upload id only
 * in CompleteMultipartUpload and AbortMultipartUpload: its UploadPart stores a part of any upload id
 * (200) and its ListParts lists none (200), so a client still PUTting parts of an upload the upload
 * API aborted would be told they arrived, and the API could not tell an aborted upload from an
 * empty one. Here both refuse an upload id the store does not list as open.
 */
final class OpenUploadsOnly extends ForwardingBlobStore {
    OpenUploadsOnly(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream input) {
        requireOpen(upload);
        return super.uploadMultipartPart(upload, request, input);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        requireOpen(upload);
        return super.listMultipartUpload(upload);
    }

    private void requireOpen(MultipartUpload upload) {
        boolean open = delegate().listMultipartUploads(upload.containerName()).stream()
                .anyMatch(u -> upload.id().equals(u.uploadId()));
        if (!open) {
            throw new S3ProxyException(S3ErrorCode.NO_SUCH_UPLOAD, "The specified upload does not exist: " + upload.id()
                    + " of s3://" + upload.containerName() + "/" + upload.blobName() + " (completed, aborted, or never created)");
        }
    }
}
