package com.mediaflow.shared.validation.io;

import com.mediaflow.shared.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * An S3 object read with ranged GETs of whole blocks, a few of which are kept, so that a parser
 * walking headers and indexes fetches only those regions. Pinned to one ETag: if the object is
 * replaced while it is read, the GET fails instead of mixing two objects' bytes.
 */
public final class S3ByteSource implements ByteSource {
    private static final int BLOCK = 64 * 1024;
    private static final int CACHED_BLOCKS = 64;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String etag;
    private final long size;
    private final Map<Long, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };
    private long read;
    private int requests;

    public S3ByteSource(S3Client s3, String bucket, String key, String etag, long size) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.etag = etag;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long offset, byte[] buf, int off, int len) throws IOException {
        if (offset < 0 || offset >= size || len <= 0) {
            return 0;
        }
        int total = (int) Math.min(len, size - offset);
        int done = 0;
        while (done < total) {
            long pos = offset + done;
            long blockIndex = pos / BLOCK;
            byte[] block = block(blockIndex);
            int within = (int) (pos - blockIndex * BLOCK);
            int n = Math.min(total - done, block.length - within);
            if (n <= 0) {
                break;
            }
            System.arraycopy(block, within, buf, off + done, n);
            done += n;
        }
        return done;
    }

    private byte[] block(long index) throws IOException {
        byte[] cached = cache.get(index);
        if (cached != null) {
            return cached;
        }
        long start = index * BLOCK;
        long end = Math.min(size, start + BLOCK) - 1;
        var req = GetObjectRequest.builder().bucket(bucket).key(key).range("bytes=" + start + "-" + end);
        if (etag != null) {
            req.ifMatch(etag.startsWith("\"") ? etag : "\"" + etag + "\"");
        }
        try (InputStream in = s3.getObject(req.build())) {
            byte[] data = in.readAllBytes();
            read += data.length;
            requests++;
            cache.put(index, data);
            return data;
        } catch (SdkException e) {
            throw new StorageException("ranged GET bytes=" + start + "-" + end + " of s3://" + bucket + "/" + key
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long bytesRead() {
        return read;
    }

    /** Ranged GETs made so far. */
    public int requests() {
        return requests;
    }
}
