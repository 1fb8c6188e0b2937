package com.mediaflow.shared.aws;

import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The S3 operations the pipeline uses, with failures turned into {@link StorageException}s that name the object. */
public final class ObjectStore {
    private final S3Client s3;

    public ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    public S3Client client() {
        return s3;
    }

    public ResponseInputStream<GetObjectResponse> open(String bucket, String key) {
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (SdkException e) {
            throw new StorageException("GET " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /** Opens the object only if it still has this ETag; empty when it is gone or was replaced. */
    public Optional<ResponseInputStream<GetObjectResponse>> openIfMatch(String bucket, String key, String etag) {
        try {
            var req = GetObjectRequest.builder().bucket(bucket).key(key);
            if (etag != null && !etag.isBlank()) {
                req.ifMatch(quoted(etag));
            }
            return Optional.of(s3.getObject(req.build()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StorageException("GET " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("GET " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    public Optional<HeadObjectResponse> head(String bucket, String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StorageException("HEAD " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("HEAD " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    public boolean exists(String bucket, String key) {
        return head(bucket, key).isPresent();
    }

    public <T> Optional<T> getJson(String bucket, String key, Class<T> type) {
        try {
            byte[] bytes = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asByteArray();
            return Optional.of(Json.read(bytes, type));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new StorageException("GET " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    public void putJson(String bucket, String key, Object value) {
        put(bucket, key, Json.bytes(value), "application/json");
    }

    /** Stores media bytes (a rendition, a part): they count in the step's {@code BytesOut} metric. */
    public void putBytes(String bucket, String key, byte[] bytes, String contentType) {
        put(bucket, key, bytes, contentType);
        StepMetrics.current().bytes(StepMetrics.BYTES_OUT, bytes.length);
    }

    /**
     * The {@code Cache-Control} of a rendition: its key is content-addressed (the media id is the
     * original's SHA-256) and a step writes the same bytes there every time, so CloudFront and
     * browsers may keep it a year without asking again.
     */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";

    /** Stores a rendition's bytes, {@link #IMMUTABLE}; they count in the step's {@code BytesOut} metric. */
    public void putRendition(String bucket, String key, byte[] bytes, String contentType) {
        put(bucket, key, bytes, contentType, IMMUTABLE);
        StepMetrics.current().bytes(StepMetrics.BYTES_OUT, bytes.length);
    }

    /** Uploads a rendition's file, {@link #IMMUTABLE}, as {@link #putFile} does. */
    public void putRenditionFile(String bucket, String key, Path file, String contentType) {
        putFile(bucket, key, file, contentType, IMMUTABLE);
    }

    private void put(String bucket, String key, byte[] bytes, String contentType) {
        put(bucket, key, bytes, contentType, null);
    }

    private void put(String bucket, String key, byte[] bytes, String contentType, String cacheControl) {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).cacheControl(cacheControl)
                            .build(),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new StorageException("PUT " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Uploads a file (a video rendition can be hundreds of MB: it is streamed, never held in memory);
     * its size counts in the step's {@code BytesOut} metric.
     */
    public void putFile(String bucket, String key, Path file, String contentType) {
        putFile(bucket, key, file, contentType, null);
    }

    private void putFile(String bucket, String key, Path file, String contentType, String cacheControl) {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).cacheControl(cacheControl)
                            .build(),
                    RequestBody.fromFile(file));
            StepMetrics.current().bytes(StepMetrics.BYTES_OUT, file.toFile().length());
        } catch (SdkException e) {
            throw new StorageException("PUT " + uri(bucket, key) + " from " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** A JSON document and its ETag, for a later {@link #putJsonIfMatch}. */
    public record Versioned<T>(T value, String etag) {
    }

    public <T> Optional<Versioned<T>> getJsonVersioned(String bucket, String key, Class<T> type) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Versioned<>(Json.read(bytes, type), in.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException | SdkException e) {
            throw new StorageException("GET " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes only if the object still has this ETag (S3 conditional writes): false when someone
     * wrote it in between, so a slow writer never overwrites a newer document. False too when no
     * answer came (a transport failure, after the SDK's retries) and the object is no longer that
     * version: the write may be this call's own, applied; the caller reads again either way.
     */
    public boolean putJsonIfMatch(String bucket, String key, Object value, String etag) {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json")
                    .ifMatch(quoted(etag)).build(), RequestBody.fromBytes(Json.bytes(value)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw new StorageException("conditional PUT " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            // No answer (a reset connection, a server that answered before reading the body and closed):
            // the write may have been applied, by this attempt or by one the SDK retried. If the object is
            // no longer the version the write was conditional on, it changed, whoever changed it: answer
            // as for a lost race, and the caller reads it again (finalize then finds its own final state
            // and publishes, rather than waiting for its message's retry, 9 minutes on AWS's timeouts).
            Optional<HeadObjectResponse> now;
            try {
                now = head(bucket, key);
            } catch (StorageException headFailed) {
                e.addSuppressed(headFailed);
                throw new StorageException("conditional PUT " + uri(bucket, key) + " failed: " + e.getMessage(), e);
            }
            if (now.isEmpty() || !quoted(now.get().eTag()).equals(quoted(etag))) {
                return false;
            }
            throw new StorageException("conditional PUT " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Creates the object only if the key has none (S3 conditional write, {@code If-None-Match: *}):
     * true when this call created it; false when an object was there (412), or another conditional
     * write to the key was under way (409, which S3 asks to retry: the caller reads and decides).
     * Of any number of concurrent calls for one key, at most one returns true.
     */
    public boolean putJsonIfAbsent(String bucket, String key, Object value) {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json")
                    .ifNoneMatch("*").build(), RequestBody.fromBytes(Json.bytes(value)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw new StorageException("conditional create PUT " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("conditional create PUT " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /** Keys under a prefix (all pages). */
    public List<String> list(String bucket, String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                    .contents().forEach(o -> keys.add(o.key()));
            return keys;
        } catch (SdkException e) {
            throw new StorageException("LIST " + uri(bucket, prefix) + " failed: " + e.getMessage(), e);
        }
    }

    /** One object of a listing: its key, ETag (unquoted) and when it was last written. */
    public record Listed(String key, String etag, java.time.Instant lastModified) {
    }

    /** One page of a listing, and the key to start the next one after; null after the last page. */
    public record Page(List<Listed> objects, String nextStartAfter) {
    }

    /**
     * One page of at most {@code maxKeys} keys under a prefix, in key order, after {@code startAfter}
     * (null: from the first). A caller that pages on across runs keeps {@link Page#nextStartAfter()}.
     */
    public Page listPage(String bucket, String prefix, String startAfter, int maxKeys) {
        try {
            var response = s3.listObjectsV2(b -> {
                b.bucket(bucket).prefix(prefix).maxKeys(Math.max(1, Math.min(1000, maxKeys)));
                if (startAfter != null && !startAfter.isEmpty()) {
                    b.startAfter(startAfter);
                }
            });
            List<Listed> objects = new ArrayList<>();
            response.contents().forEach(o -> objects.add(new Listed(o.key(), o.eTag() == null ? null : o.eTag().replace("\"", ""),
                    o.lastModified())));
            boolean more = Boolean.TRUE.equals(response.isTruncated()) && !objects.isEmpty();
            return new Page(objects, more ? objects.get(objects.size() - 1).key() : null);
        } catch (SdkException e) {
            throw new StorageException("LIST " + uri(bucket, prefix) + " after '" + startAfter + "' failed: " + e.getMessage(), e);
        }
    }

    /** Deletes every object under a prefix. */
    public void deletePrefix(String bucket, String prefix) {
        for (String key : list(bucket, prefix)) {
            delete(bucket, key);
        }
    }

    /**
     * Server-side copy, guarded by the source's ETag so that bytes replaced since they were hashed
     * are never stored under the old hash. Returns false when the source no longer matches.
     */
    public boolean copyIfMatch(String srcBucket, String srcKey, String srcEtag, String dstBucket, String dstKey, String contentType) {
        try {
            var req = CopyObjectRequest.builder()
                    .sourceBucket(srcBucket).sourceKey(srcKey)
                    .destinationBucket(dstBucket).destinationKey(dstKey)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType(contentType);
            if (srcEtag != null && !srcEtag.isBlank()) {
                req.copySourceIfMatch(quoted(srcEtag));
            }
            s3.copyObject(req.build());
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false;
            }
            throw new StorageException("COPY " + uri(srcBucket, srcKey) + " to " + uri(dstBucket, dstKey) + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("COPY " + uri(srcBucket, srcKey) + " to " + uri(dstBucket, dstKey) + " failed: " + e.getMessage(), e);
        }
    }

    public void delete(String bucket, String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new StorageException("DELETE " + uri(bucket, key) + " failed: " + e.getMessage(), e);
        }
    }

    /** Downloads to a file; the caller deletes it. Its size counts in the step's {@code BytesIn} metric. */
    public Path download(String bucket, String key, Path target) {
        try (InputStream in = open(bucket, key)) {
            StepMetrics.current().bytes(StepMetrics.BYTES_IN, Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING));
            return target;
        } catch (IOException e) {
            throw new StorageException("download of " + uri(bucket, key) + " to " + target + " failed: " + e.getMessage(), e);
        }
    }

    public static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }
}
