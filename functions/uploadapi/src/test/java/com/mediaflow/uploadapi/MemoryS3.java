package com.mediaflow.uploadapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 calls the upload API makes (GET, PUT with If-None-Match, LIST, DELETE), on a map "bucket/key"
 * to bytes; anything else throws.
 */
final class MemoryS3 implements S3Client {
    final Map<String, byte[]> objects = new TreeMap<>();
    /** Called with "bucket/key" after each PUT: a test's hook to interleave another writer at a chosen point. */
    java.util.function.Consumer<String> afterPut = k -> { };

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
