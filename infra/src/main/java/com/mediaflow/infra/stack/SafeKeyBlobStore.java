package com.mediaflow.infra.stack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Lets S3Proxy's file store hold every key S3 accepts. The file store writes key {@code a/b/c} of
 * bucket {@code B} to the file {@code ROOT/B/a/b/c}, so a key whose file path the filesystem refuses
 * (a path component over 255 bytes, a path over 4096 bytes) failed with a 500. Such keys are stored
 * instead under a hashed name, {@value #HASHED_PREFIX}{@code <sha256 of the key>}, with the original
 * key beside it in {@code <sha256>.key}; every operation takes and returns the original key.
 *
 * <p>A key is mapped when its path would not fit: any path component longer than
 * {@value #MAX_COMPONENT_BYTES} bytes in UTF-8 (255, less the {@code -<uuid>} suffix of the temporary
 * file the store writes next to it), a whole path longer than 4095 bytes, a component that a
 * filesystem reads differently ({@code .}, {@code ..}, an empty component other than a trailing
 * slash), a NUL character, or a key inside the hashed area itself. Every other key is stored as is,
 * so the data folder stays readable.
 *
 * <p>Listing merges the two: the plain keys from the store and the mapped keys named back, in
 * order, with prefix, delimiter, start-after, continuation and max-keys applied to the merged list.
 * The hashed area never shows. When no mapped key of a bucket falls under the listed prefix, the
 * store's own listing is used as it is; otherwise the prefix is listed whole to merge (a cost that
 * grows with the objects under the prefix, fine for a local stack).
 */
public final class SafeKeyBlobStore extends ForwardingBlobStore {
    /** Where mapped keys are stored in their bucket. */
    public static final String HASHED_PREFIX = ".mediaflow-hashed-keys/";
    static final String KEY_SUFFIX = ".key";
    /** NAME_MAX (255) less the "-" + UUID (37 bytes) the file store appends to its temporary files. */
    static final int MAX_COMPONENT_BYTES = 255 - 37;
    /** PATH_MAX (4096) less the terminating NUL and the temporary file's suffix. */
    static final int MAX_PATH_BYTES = 4095 - 37;

    private final int rootBytes;
    /** Per bucket: hash to original key, for every mapped key ever stored (loaded lazily from the .key files). */
    private final Map<String, Map<String, String>> originals = new ConcurrentHashMap<>();

    /** @param root the file store's root folder, for the whole-path limit */
    public SafeKeyBlobStore(BlobStore delegate, Path root) {
        super(delegate);
        this.rootBytes = utf8(root.toAbsolutePath().toString());
    }

    // ------------------------------------------------------------------ the mapping

    /** True when the key cannot be stored as a file under its own name. */
    boolean needsMapping(String bucket, String key) {
        if (key.startsWith(HASHED_PREFIX) || key.indexOf('\0') >= 0) {
            return true;
        }
        if (rootBytes + 1 + utf8(bucket) + 1 + utf8(key) > MAX_PATH_BYTES) {
            return true;
        }
        String[] parts = key.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if ((p.isEmpty() && !(last && i > 0)) || p.equals(".") || p.equals("..") || utf8(p) > MAX_COMPONENT_BYTES) {
                return true;
            }
        }
        return false;
    }

    /** The key the file store sees. */
    String storedKey(String bucket, String key) {
        return needsMapping(bucket, key) ? HASHED_PREFIX + sha256(key) : key;
    }

    /** Maps the key, recording the original beside the hashed object first (so a crash leaves no nameless object). */
    private String mapForWrite(String bucket, String key) {
        String stored = storedKey(bucket, key);
        if (!stored.equals(key)) {
            String hash = stored.substring(HASHED_PREFIX.length());
            Map<String, String> index = index(bucket);
            if (!key.equals(index.get(hash))) {
                byte[] name = key.getBytes(StandardCharsets.UTF_8);
                delegate().putBlob(PutObjectRequest.builder().bucket(bucket).key(stored + KEY_SUFFIX)
                        .contentType("text/plain; charset=utf-8").contentLength((long) name.length).build(), new ByteArrayInputStream(name));
                index.put(hash, key);
            }
        }
        return stored;
    }

    private Map<String, String> index(String bucket) {
        return originals.computeIfAbsent(bucket, this::load);
    }

    private Map<String, String> load(String bucket) {
        Map<String, String> index = new ConcurrentHashMap<>();
        String token = null;
        do {
            ListObjectsV2Response page = delegate().list(ListObjectsV2Request.builder().bucket(bucket).prefix(HASHED_PREFIX)
                    .continuationToken(token).build());
            for (S3Object o : page.contents()) {
                if (o.key().endsWith(KEY_SUFFIX)) {
                    String hash = o.key().substring(HASHED_PREFIX.length(), o.key().length() - KEY_SUFFIX.length());
                    try (InputStream in = delegate().getBlob(GetObjectRequest.builder().bucket(bucket).key(o.key()).build())) {
                        index.put(hash, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not read the original key of s3://" + bucket + "/" + o.key(), e);
                    }
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return index;
    }

    /** The original key of a stored key (itself when it is not hashed); null for the store's bookkeeping files. */
    private String originalOf(String bucket, String stored) {
        if (!stored.startsWith(HASHED_PREFIX)) {
            return stored;
        }
        if (stored.endsWith(KEY_SUFFIX)) {
            return null;
        }
        return index(bucket).get(stored.substring(HASHED_PREFIX.length()));
    }

    // ------------------------------------------------------------------ objects

    @Override
    public boolean blobExists(String bucket, String key) {
        return super.blobExists(bucket, storedKey(bucket, key));
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        String stored = mapForWrite(request.bucket(), request.key());
        return super.putBlob(stored.equals(request.key()) ? request : request.toBuilder().key(stored).build(), input);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        String source = storedKey(request.sourceBucket(), request.sourceKey());
        String destination = mapForWrite(request.destinationBucket(), request.destinationKey());
        return super.copyBlob(request.toBuilder().sourceKey(source).destinationKey(destination).build());
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        return super.blobMetadata(request.toBuilder().key(storedKey(request.bucket(), request.key())).build());
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        return super.getBlob(request.toBuilder().key(storedKey(request.bucket(), request.key())).build());
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        // the .key file stays: harmless, and a put racing this delete may need it
        return super.removeBlob(request.toBuilder().key(storedKey(request.bucket(), request.key())).build());
    }

    @Override
    public ObjectCannedACL getBlobAccess(String bucket, String key) {
        return super.getBlobAccess(bucket, storedKey(bucket, key));
    }

    @Override
    public ObjectCannedACL getBlobAccess(String bucket, String key, String versionId) {
        return super.getBlobAccess(bucket, storedKey(bucket, key), versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        return super.getBlobAcl(request.toBuilder().key(storedKey(request.bucket(), request.key())).build());
    }

    @Override
    public void setBlobAccess(String bucket, String key, ObjectCannedACL access) {
        super.setBlobAccess(bucket, storedKey(bucket, key), access);
    }

    @Override
    public void setBlobAccess(String bucket, String key, ObjectCannedACL access, String versionId) {
        super.setBlobAccess(bucket, storedKey(bucket, key), access, versionId);
    }

    // ------------------------------------------------------------------ multipart

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        String stored = mapForWrite(request.bucket(), request.key());
        if (stored.equals(request.key())) {
            return super.initiateMultipartUpload(request);
        }
        MultipartUpload upload = super.initiateMultipartUpload(request.toBuilder().key(stored).build());
        return new MultipartUpload(upload.id(), request, upload.response());
    }

    private MultipartUpload stored(MultipartUpload upload) {
        String bucket = upload.containerName();
        String stored = storedKey(bucket, upload.blobName());
        if (stored.equals(upload.blobName())) {
            return upload;
        }
        return new MultipartUpload(upload.id(), upload.request().toBuilder().key(stored).build(), upload.response());
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        super.abortMultipartUpload(stored(upload));
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream input) {
        MultipartUpload s = stored(upload);
        return super.uploadMultipartPart(s, request.toBuilder().key(s.blobName()).build(), input);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        return super.listMultipartUpload(stored(upload));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        MultipartUpload s = stored(upload);
        if (s == upload) {
            return super.completeMultipartUpload(upload, request);
        }
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(s, request.toBuilder().key(s.blobName()).build());
        return response.toBuilder().key(request.key()).build();
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String bucket) {
        List<software.amazon.awssdk.services.s3.model.MultipartUpload> out = new ArrayList<>();
        for (var u : super.listMultipartUploads(bucket)) {
            String original = u.key() == null ? null : originalOf(bucket, u.key());
            if (original != null) {
                out.add(original.equals(u.key()) ? u : u.toBuilder().key(original).build());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ listing

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        String bucket = request.bucket();
        String prefix = request.prefix() == null ? "" : request.prefix();
        boolean mappedUnderPrefix = index(bucket).values().stream().anyMatch(k -> k.startsWith(prefix));
        if (!mappedUnderPrefix) {
            return withoutHashedArea(super.list(request));
        }
        // every object under the prefix, by original key, then the S3 listing rules over that
        TreeMap<String, S3Object> all = new TreeMap<>();
        for (String p : List.of(prefix, HASHED_PREFIX)) {
            String token = null;
            do {
                ListObjectsV2Response page = super.list(ListObjectsV2Request.builder().bucket(bucket).prefix(p)
                        .continuationToken(token).fetchOwner(request.fetchOwner()).build());
                for (S3Object o : page.contents()) {
                    String original = originalOf(bucket, o.key());
                    if (original != null && original.startsWith(prefix) && (p.equals(HASHED_PREFIX) || !o.key().startsWith(HASHED_PREFIX))) {
                        all.put(original, original.equals(o.key()) ? o : o.toBuilder().key(original).build());
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        }
        return page(request, prefix, all);
    }

    /** One page of a sorted listing: start-after or continuation token (the last key or prefix returned), delimiter, max-keys. */
    static ListObjectsV2Response page(ListObjectsV2Request request, String prefix, TreeMap<String, S3Object> all) {
        String after = request.continuationToken() != null ? request.continuationToken() : request.startAfter();
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        int max = request.maxKeys() == null ? 1000 : request.maxKeys();
        List<S3Object> contents = new ArrayList<>();
        List<CommonPrefix> prefixes = new ArrayList<>();
        String last = null;
        boolean truncated = false;
        for (Map.Entry<String, S3Object> e : (after == null ? all : all.tailMap(after, false)).entrySet()) {
            String key = e.getKey();
            String rolledUp = null;
            if (delimiter != null) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    rolledUp = key.substring(0, at + delimiter.length());
                    if (rolledUp.equals(last) || (after != null && after.startsWith(rolledUp))) {
                        continue;
                    }
                }
            }
            if (contents.size() + prefixes.size() >= max) {
                truncated = true;
                break;
            }
            if (rolledUp != null) {
                prefixes.add(CommonPrefix.builder().prefix(rolledUp).build());
                last = rolledUp;
            } else {
                contents.add(e.getValue());
                last = key;
            }
        }
        return ListObjectsV2Response.builder().name(request.bucket()).prefix(request.prefix()).delimiter(request.delimiter())
                .maxKeys(max).startAfter(request.startAfter()).continuationToken(request.continuationToken())
                .encodingType(request.encodingType()).contents(contents).commonPrefixes(prefixes)
                .keyCount(contents.size() + prefixes.size()).isTruncated(truncated)
                .nextContinuationToken(truncated ? last : null).build();
    }

    private static ListObjectsV2Response withoutHashedArea(ListObjectsV2Response r) {
        boolean hidden = r.contents().stream().anyMatch(o -> o.key().startsWith(HASHED_PREFIX))
                || r.commonPrefixes().stream().anyMatch(p -> p.prefix().startsWith(HASHED_PREFIX));
        if (!hidden) {
            return r;
        }
        List<S3Object> contents = r.contents().stream().filter(o -> !o.key().startsWith(HASHED_PREFIX)).toList();
        List<CommonPrefix> prefixes = r.commonPrefixes().stream().filter(p -> !p.prefix().startsWith(HASHED_PREFIX)).toList();
        return r.toBuilder().contents(contents).commonPrefixes(prefixes).keyCount(contents.size() + prefixes.size()).build();
    }

    // ------------------------------------------------------------------ helpers

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
