package com.mediaflow.uploadapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 calls the upload API makes (GET, PUT with If-None-Match, LIST, DELETE, and multipart: create,
 * list parts, complete, abort), on a map "bucket/key" to bytes; anything else throws. {@link #uploadPart}
 * is what a client's PUT to a presigned part URL does.
 */
final class MemoryS3 implements S3Client {
    final Map<String, byte[]> objects = new TreeMap<>();
    /** Called with "bucket/key" after each PUT: a test's hook to interleave another writer at a chosen point. */
    java.util.function.Consumer<String> afterPut = k -> { };
    /** Open multipart uploads by S3 upload id. */
    final Map<String, Upload> uploads = new TreeMap<>();
    final Map<String, String> contentTypes = new TreeMap<>();

    /** One open multipart upload: where it goes and the parts received, by number. */
    record Upload(String bucket, String key, String contentType, TreeMap<Integer, byte[]> parts) {
    }

    @Override
    public CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest request) {
        String id = "mpu-" + UUID.randomUUID();
        uploads.put(id, new Upload(request.bucket(), request.key(), request.contentType(), new TreeMap<>()));
        return CreateMultipartUploadResponse.builder().bucket(request.bucket()).key(request.key()).uploadId(id).build();
    }

    /** A part PUT as a client does to its presigned URL; returns its ETag (quoted, the MD5 of its bytes, as S3's). */
    String uploadPart(String uploadId, int partNumber, byte[] bytes) {
        Upload u = uploads.get(uploadId);
        if (u == null) {
            throw NoSuchUploadException.builder().message("no upload " + uploadId).statusCode(404).build();
        }
        u.parts().put(partNumber, bytes);
        return "\"" + etag(bytes) + "\"";
    }

    static String etag(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Upload open(String uploadId) {
        Upload u = uploads.get(uploadId);
        if (u == null) {
            throw NoSuchUploadException.builder().message("The specified upload does not exist: " + uploadId).statusCode(404).build();
        }
        return u;
    }

    @Override
    public ListPartsResponse listParts(ListPartsRequest request) {
        Upload u = open(request.uploadId());
        int after = request.partNumberMarker() == null ? 0 : request.partNumberMarker();
        List<Part> parts = u.parts().tailMap(after, false).entrySet().stream().map(e -> Part.builder().partNumber(e.getKey())
                .size((long) e.getValue().length).eTag("\"" + etag(e.getValue()) + "\"").build()).toList();
        return ListPartsResponse.builder().parts(parts).isTruncated(false).build();
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest request) {
        Upload u = open(request.uploadId());
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (CompletedPart p : request.multipartUpload().parts()) {
            byte[] bytes = u.parts().get(p.partNumber());
            if (bytes == null || !p.eTag().equals("\"" + etag(bytes) + "\"")) {
                throw S3Exception.builder().message("InvalidPart " + p.partNumber()).statusCode(400).build();
            }
            all.writeBytes(bytes);
        }
        uploads.remove(request.uploadId());
        objects.put(u.bucket() + "/" + u.key(), all.toByteArray());
        contentTypes.put(u.bucket() + "/" + u.key(), u.contentType());
        return CompleteMultipartUploadResponse.builder().bucket(u.bucket()).key(u.key()).build();
    }

    @Override
    public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
        open(request.uploadId());
        uploads.remove(request.uploadId());
        return AbortMultipartUploadResponse.builder().build();
    }

    @Override
    public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
        byte[] bytes = objects.get(request.bucket() + "/" + request.key());
        if (bytes == null) {
            throw NoSuchKeyException.builder().message("no " + request.key()).build();
        }
        return ResponseBytes.fromByteArray(GetObjectResponse.builder().build(), bytes);
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        if ("*".equals(request.ifNoneMatch()) && objects.containsKey(request.bucket() + "/" + request.key())) {
            throw (S3Exception) S3Exception.builder().statusCode(412).message("exists: " + request.key()).build();
        }
        try (var in = body.contentStreamProvider().newStream()) {
            objects.put(request.bucket() + "/" + request.key(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        afterPut.accept(request.bucket() + "/" + request.key());
        return PutObjectResponse.builder().build();
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        String prefix = request.bucket() + "/" + (request.prefix() == null ? "" : request.prefix());
        List<S3Object> found = objects.keySet().stream().filter(k -> k.startsWith(prefix))
                .map(k -> S3Object.builder().key(k.substring(request.bucket().length() + 1)).build()).toList();
        return ListObjectsV2Response.builder().contents(found).isTruncated(false).keyCount(found.size()).build();
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
        objects.remove(request.bucket() + "/" + request.key());
        return DeleteObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
    }
}
