package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * WAV: a RIFF file of chunks. The RIFF size must fit the file, every chunk inside it, {@code fmt }
 * before {@code data}, and the format fields must describe audio we can time.
 */
public final class WavParser implements FormatParser {
    private static final int MAX_CHUNKS = 10_000;

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        if (!c.fourcc().equals("RIFF")) {
            throw c.invalid("expected 'RIFF' at offset 0");
        }
        long riffSize = c.u32le();
        if (riffSize < 4) {
            throw c.invalid("RIFF size is " + riffSize + ", expected at least 4 for the 'WAVE' form type");
        }
        Cursor riff = c.region(Math.min(riffSize, c.remaining()), "RIFF body");
        if (riffSize > c.remaining()) {
            throw c.truncated("RIFF declares " + riffSize + " bytes after offset 8, but the file has " + c.remaining());
        }
        if (!riff.fourcc().equals("WAVE")) {
            throw c.invalid("expected form type 'WAVE' at offset 8");
        }
        long byteRate = 0;
        int blockAlign = 0;
        boolean fmt = false;
        Long dataBytes = null;
        int chunks = 0;
        while (riff.remaining() >= 8) {
            if (++chunks > MAX_CHUNKS) {
                throw c.invalid("more than " + MAX_CHUNKS + " chunks");
            }
            long at = riff.position();
            String id = riff.fourcc();
            long size = riff.u32le();
            Cursor chunk = riff.region(size, "chunk '" + printable(id) + "' at offset " + at);
            if (id.equals("fmt ")) {
                if (size < 16) {
                    throw c.invalid("'fmt ' chunk is " + size + " bytes, expected at least 16");
                }
                int formatTag = chunk.u16le();
                int channels = chunk.u16le();
                long sampleRate = chunk.u32le();
                byteRate = chunk.u32le();
                blockAlign = chunk.u16le();
                int bits = chunk.u16le();
                if (channels == 0 || sampleRate == 0 || byteRate == 0 || blockAlign == 0) {
                    throw c.invalid("'fmt ' declares " + channels + " channels, " + sampleRate + " Hz, " + byteRate
                            + " bytes/s, block " + blockAlign + "; expected all non-zero");
                }
                if (formatTag == 1 && (bits == 0 || bits > 64)) {
                    throw c.invalid("PCM with " + bits + " bits per sample, expected 1..64");
                }
                fmt = true;
            } else if (id.equals("data")) {
                if (!fmt) {
                    throw c.invalid("'data' chunk at offset " + at + " comes before 'fmt '");
                }
                dataBytes = size;
            }
            riff.skip(size, "chunk '" + printable(id) + "'");
            if ((size & 1) == 1 && riff.remaining() > 0) {
                riff.skip(1, "chunk pad byte");
            }
        }
        if (!fmt) {
            throw c.invalid("no 'fmt ' chunk");
        }
        if (dataBytes == null) {
            throw c.truncated("no 'data' chunk");
        }
        StructureReport.Builder report = StructureReport.builder()
                .duration(dataBytes / (double) byteRate)
                .tracks(1)
                .logicalEnd(8 + riffSize + (riffSize & 1));
        return report.build();
    }

    static String printable(String fourcc) {
        StringBuilder sb = new StringBuilder();
        for (char ch : fourcc.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }
}
