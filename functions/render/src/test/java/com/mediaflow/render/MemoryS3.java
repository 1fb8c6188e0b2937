package com.mediaflow.render;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** The S3 calls the render function makes (GET, PUT), on a map "bucket/key" to bytes; counts the GETs. */
final class MemoryS3 implements S3Client {
    final Map<String, byte[]> objects = new TreeMap<>();
    final Map<String, String> cacheControl = new TreeMap<>();
    int gets;
    int heads;

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
        gets++;
        byte[] bytes = objects.get(request.bucket() + "/" + request.key());
        if (bytes == null) {
            throw NoSuchKeyException.builder().message("no " + request.key()).build();
        }
        try {
            return transformer.transform(GetObjectResponse.builder().contentLength((long) bytes.length).build(),
                    AbortableInputStream.create(new ByteArrayInputStream(bytes)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public software.amazon.awssdk.services.s3.model.HeadObjectResponse headObject(
            software.amazon.awssdk.services.s3.model.HeadObjectRequest request) {
        heads++;
        byte[] bytes = objects.get(request.bucket() + "/" + request.key());
        if (bytes == null) {
            throw NoSuchKeyException.builder().message("no " + request.key()).build();
        }
        return software.amazon.awssdk.services.s3.model.HeadObjectResponse.builder().contentLength((long) bytes.length).build();
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
        return getObject(request, ResponseTransformer.toInputStream());
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        try (var in = body.contentStreamProvider().newStream()) {
            objects.put(request.bucket() + "/" + request.key(), in.readAllBytes());
            cacheControl.put(request.bucket() + "/" + request.key(), request.cacheControl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PutObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
    }
}
