package com.mediaflow.shared.validation.io;

/** Bytes already in memory: tests, fuzzing, small objects. */
public final class ArrayByteSource implements ByteSource {
    private final byte[] data;
    private long read;

    public ArrayByteSource(byte[] data) {
        this.data = data;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public int read(long offset, byte[] buf, int off, int len) {
        if (offset < 0 || offset >= data.length || len <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, data.length - offset);
        System.arraycopy(data, (int) offset, buf, off, n);
        read += n;
        return n;
    }

    @Override
    public long bytesRead() {
        return read;
    }
}
