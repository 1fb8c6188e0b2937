package com.mediaflow.shared.validation.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file, read with positioned reads (seeks), never loaded whole. */
public final class FileByteSource implements ByteSource {
    private final FileChannel channel;
    private final long size;
    private long read;

    public FileByteSource(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
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
        ByteBuffer bb = ByteBuffer.wrap(buf, off, (int) Math.min(len, size - offset));
        int total = 0;
        while (bb.hasRemaining()) {
            int n = channel.read(bb, offset + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        read += total;
        return total;
    }

    @Override
    public long bytesRead() {
        return read;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
