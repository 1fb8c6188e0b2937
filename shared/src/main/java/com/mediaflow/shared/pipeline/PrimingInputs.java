package com.mediaflow.shared.pipeline;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Small, valid, deterministic inputs for SnapStart priming, made in memory with the JDK alone
 * (no codec, no file, no network), so priming runs the real detection and validation code.
 */
final class PrimingInputs {
    /** The media id of a priming item: a SHA-256-shaped id that no real upload will have. */
    static final String MEDIA_ID = "0".repeat(64);

    private PrimingInputs() {
    }

    /** An 8-bit RGB PNG of {@code width x height}: a gradient, one zlib stream in one IDAT. */
    static byte[] png(int width, int height) {
        if (width < 1 || height < 1 || width > 256 || height > 256) {
            throw new IllegalArgumentException("priming PNG is " + width + "x" + height + ", expected 1..256 each");
        }
        byte[] raw = new byte[height * (1 + 3 * width)];
        int at = 0;
        for (int y = 0; y < height; y++) {
            raw[at++] = 0; // filter type None
            for (int x = 0; x < width; x++) {
                raw[at++] = (byte) (x * 255 / Math.max(1, width - 1));
                raw[at++] = (byte) (y * 255 / Math.max(1, height - 1));
                raw[at++] = (byte) 0x80;
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] buf = new byte[1024];
            while (!deflater.finished()) {
                idat.write(buf, 0, deflater.deflate(buf));
            }
        } finally {
            deflater.end();
        }
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB; compression, filter and interlace stay 0
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(png, "IHDR", ihdr);
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** The S3 event notification body S3 puts on the ingest queue for one created object. */
    static String s3Notification(String bucket, String key, long size, String etag) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"" + key + "\",\"size\":" + size
                + ",\"eTag\":\"" + etag + "\",\"sequencer\":\"0\"}}}]}";
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] header = new byte[8];
        putInt(header, 0, data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 4, 4);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        byte[] trailer = new byte[4];
        putInt(trailer, 0, (int) crc.getValue());
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(trailer);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
