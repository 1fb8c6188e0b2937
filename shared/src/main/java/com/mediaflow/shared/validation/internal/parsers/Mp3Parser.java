package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;

/**
 * MP3: optional ID3v2 tags, then MPEG audio frames (MPEG-1, 2 or 2.5; Layer II or III), then
 * optional APE and ID3v1 tags at the end. The first {@value #REQUIRED_FRAMES} frames must follow one
 * another exactly, by the lengths their headers give, and agree on version, layer and sample rate
 * (fewer only when the file ends cleanly after them). Layer I is refused: "FF FE", a UTF-16LE byte
 * order mark, reads as a Layer I frame header. The duration comes from a Xing/Info or VBRI header,
 * else from the first frame's bitrate and the audio's length. Only the first frames and the tags at
 * the end are read, never every frame.
 */
public final class Mp3Parser implements FormatParser {
    static final int REQUIRED_FRAMES = 3;
    /** Stacked ID3v2 tags accepted at the start. */
    private static final int MAX_ID3_TAGS = 4;
    /** Zero bytes tolerated between the ID3v2 tag and the first frame (padding beyond the tag's size). */
    private static final int MAX_ZERO_PADDING = 4096;

    private static final int[][] BITRATES_KBPS = {
        // MPEG-1 Layer II, MPEG-1 Layer III, MPEG-2/2.5 Layer II and III
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
    };
    private static final int[] SAMPLE_RATES_MPEG1 = {44_100, 48_000, 32_000};

    /** One decoded frame header. */
    record Frame(long offset, int version, int layer, int bitrateKbps, int sampleRate, int channelMode, boolean crc,
                 int samples, int length) {
        boolean sameStream(Frame o) {
            return version == o.version && layer == o.layer && sampleRate == o.sampleRate;
        }
    }

    @Override
    public StructureReport parse(Cursor c, Limits limits) {
        StructureReport.Builder report = StructureReport.builder();
        long size = c.sourceSize();

        // the tags at the end bound where the audio may run
        long audioEnd = trailingTags(c, size, report);

        long pos = 0;
        for (int i = 0; i < MAX_ID3_TAGS && pos + 10 <= audioEnd && c.peek(pos) == 'I' && c.peek(pos + 1) == 'D'
                && c.peek(pos + 2) == '3'; i++) {
            pos = id3v2(c, pos, audioEnd);
        }
        long zeros = 0;
        while (pos < audioEnd && c.peek(pos) == 0 && zeros < MAX_ZERO_PADDING) {
            pos++;
            zeros++;
        }
        long audioStart = pos;
        if (audioStart >= audioEnd) {
            throw c.truncated("no MPEG audio frame: the file has tags only and its audio would start at offset "
                    + audioStart + " of " + size);
        }

        Frame first = null;
        int seen = 0;
        while (seen < REQUIRED_FRAMES) {
            Frame f = frame(c, pos, audioEnd, seen);
            if (first == null) {
                first = f;
            } else if (!f.sameStream(first)) {
                throw c.invalid("frame " + seen + " at offset " + pos + " is " + describe(f) + ", expected "
                        + describe(first) + " like the first frame");
            }
            seen++;
            pos += f.length;
            if (pos > audioEnd) {
                throw c.truncated("frame " + (seen - 1) + " at offset " + f.offset + " is " + f.length
                        + " bytes, but the audio ends at offset " + audioEnd);
            }
            if (pos == audioEnd) {
                break; // the file ends cleanly after fewer frames
            }
        }

        Vbr vbr = vbr(c, first, report);
        long frames = vbr.frames;
        double duration;
        long logicalEnd = -1;
        if (frames > 0) {
            duration = frames * (double) first.samples / first.sampleRate;
        } else {
            duration = (audioEnd - audioStart) * 8.0 / (first.bitrateKbps * 1000.0);
        }
        if (vbr.bytes > 0 && audioStart + vbr.bytes == audioEnd) {
            logicalEnd = size; // the Xing/Info header accounts for every audio byte up to the end tags
        }
        return report.duration(duration).tracks(1).logicalEnd(logicalEnd).build();
    }

    /** What a Xing/Info or VBRI header declares: frames and bytes of the stream, 0 when absent. */
    private record Vbr(long frames, long bytes) {
    }

    /** Skips one ID3v2 tag at {@code at}; returns the offset after it. */
    private static long id3v2(Cursor c, long at, long audioEnd) {
        int major = c.peek(at + 3);
        int revision = c.peek(at + 4);
        int flags = c.peek(at + 5);
        if (major < 2 || major > 4 || revision == 0xFF) {
            throw c.invalid("ID3v2 tag at offset " + at + " has version 2." + major + "." + revision
                    + ", expected 2.2, 2.3 or 2.4");
        }
        long tagSize = syncsafe(c, at + 6, "ID3v2 tag size at offset " + (at + 6));
        boolean footer = major == 4 && (flags & 0x10) != 0;
        long end = at + 10 + tagSize + (footer ? 10 : 0);
        if (end > c.sourceSize()) {
            throw c.truncated("ID3v2 tag at offset " + at + " declares " + tagSize + " bytes, but the file ends at "
                    + c.sourceSize());
        }
        if (end > audioEnd) {
            throw c.invalid("ID3v2 tag at offset " + at + " ends at offset " + end + ", inside the tags at the end ("
                    + audioEnd + ")");
        }
        if ((flags & 0x40) != 0 && major >= 3) {
            // extended header: v2.3 gives its size after the size field (6 or 10), v2.4 a syncsafe size with itself
            long ext;
            if (major == 3) {
                ext = 4 + u32(c, at + 10);
                if (ext != 10 && ext != 14) {
                    throw c.invalid("ID3v2.3 extended header at offset " + (at + 10) + " is " + (ext - 4)
                            + " bytes, expected 6 or 10");
                }
            } else {
                ext = syncsafe(c, at + 10, "ID3v2.4 extended header size at offset " + (at + 10));
                if (ext < 6) {
                    throw c.invalid("ID3v2.4 extended header at offset " + (at + 10) + " is " + ext
                            + " bytes, expected at least 6");
                }
            }
            if (ext > tagSize) {
                throw c.invalid("ID3v2 extended header at offset " + (at + 10) + " is " + ext
                        + " bytes, larger than its tag (" + tagSize + ")");
            }
        }
        if (footer) {
            long f = end - 10;
            if (c.peek(f) != '3' || c.peek(f + 1) != 'D' || c.peek(f + 2) != 'I') {
                throw c.invalid("ID3v2.4 tag at offset " + at + " declares a footer, expected '3DI' at offset " + f);
            }
        }
        return end;
    }

    /** The offset where the audio ends: before an ID3v1 tag and an APE tag, if any. */
    private static long trailingTags(Cursor c, long size, StructureReport.Builder report) {
        long end = size;
        if (end >= 128 && c.peek(end - 128) == 'T' && c.peek(end - 127) == 'A' && c.peek(end - 126) == 'G') {
            end -= 128;
        }
        if (end >= 32 && matches(c, end - 32, "APETAGEX")) {
            long footer = end - 32;
            long tagSize = u32le(c, footer + 12);
            long flags = u32le(c, footer + 20);
            boolean header = (flags & 0x80000000L) != 0;
            long total = tagSize + (header ? 32 : 0);
            if (tagSize < 32 || total > end) {
                report.warn(ReasonCode.STRUCTURE_INVALID, "MP3: APE tag footer at offset " + footer + " declares "
                        + tagSize + " bytes, expected 32.." + (end - (header ? 32 : 0)) + "; ignored");
                return footer;
            }
            end -= total;
        }
        return end;
    }

    /** The frame header at {@code at}, checked; the frame must start inside the audio. */
    private static Frame frame(Cursor c, long at, long audioEnd, int index) {
        if (at + 4 > audioEnd) {
            throw c.truncated("frame " + index + " at offset " + at + " needs a 4-byte header, but the audio ends at "
                    + audioEnd);
        }
        long h = u32(c, at);
        String where = "frame " + index + " at offset " + at;
        if ((h & 0xFFE00000L) != 0xFFE00000L) {
            throw c.invalid(where + String.format(" starts 0x%08X, expected an MPEG audio frame sync (11 bits set)", h));
        }
        int versionBits = (int) (h >> 19) & 3;
        int layerBits = (int) (h >> 17) & 3;
        int bitrateIndex = (int) (h >> 12) & 15;
        int rateIndex = (int) (h >> 10) & 3;
        int padding = (int) (h >> 9) & 1;
        if (versionBits == 1) {
            throw c.invalid(where + " has the reserved MPEG version 01");
        }
        if (layerBits == 0) {
            throw c.invalid(where + " has the reserved layer 00");
        }
        if (layerBits == 3) {
            throw c.invalid(where + String.format(" starts 0x%08X: Layer I, expected Layer II or III "
                    + "(Layer I is how UTF-16 text looks)", h));
        }
        if (bitrateIndex == 0 || bitrateIndex == 15) {
            throw c.invalid(where + " has bitrate index " + bitrateIndex + ", expected 1..14 (free format is not accepted)");
        }
        if (rateIndex == 3) {
            throw c.invalid(where + " has the reserved sample rate index 3, expected 0..2");
        }
        int version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25; // 1, 2 or 2.5
        int layer = layerBits == 2 ? 2 : 3;
        int kbps = BITRATES_KBPS[version == 1 ? (layer == 2 ? 0 : 1) : 2][bitrateIndex];
        int rate = SAMPLE_RATES_MPEG1[rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4);
        int samples = layer == 3 && version != 1 ? 576 : 1152;
        int length = samples / 8 * kbps * 1000 / rate + padding;
        return new Frame(at, version, layer, kbps, rate, (int) (h >> 6) & 3, (h & 0x10000) == 0, samples, length);
    }

    /** The Xing/Info or VBRI header in the first frame, if any. */
    private static Vbr vbr(Cursor c, Frame f, StructureReport.Builder report) {
        boolean mono = f.channelMode == 3;
        int side = f.version == 1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        long xing = f.offset + 4 + side;
        for (long at : new long[] {xing, xing + 2}) {
            if (at + 16 <= f.offset + f.length && (matches(c, at, "Xing") || matches(c, at, "Info"))) {
                long flags = u32(c, at + 4);
                long p = at + 8;
                long frames = 0;
                long bytes = 0;
                if ((flags & 1) != 0) {
                    frames = u32(c, p);
                    p += 4;
                }
                if ((flags & 2) != 0 && p + 4 <= f.offset + f.length) {
                    bytes = u32(c, p);
                }
                if ((flags & 1) != 0 && frames == 0) {
                    report.warn(ReasonCode.STRUCTURE_INVALID, "MP3: Xing/Info header at offset " + at
                            + " declares 0 frames; duration estimated from the bitrate");
                }
                return new Vbr(frames, bytes);
            }
        }
        long vbri = f.offset + 36;
        if (vbri + 18 <= f.offset + f.length && matches(c, vbri, "VBRI")) {
            long frames = u32(c, vbri + 14);
            long bytes = u32(c, vbri + 10);
            if (frames == 0) {
                report.warn(ReasonCode.STRUCTURE_INVALID, "MP3: VBRI header at offset " + vbri
                        + " declares 0 frames; duration estimated from the bitrate");
            }
            return new Vbr(frames, bytes);
        }
        return new Vbr(0, 0);
    }

    private static String describe(Frame f) {
        return "MPEG-" + (f.version == 25 ? "2.5" : f.version) + " Layer " + (f.layer == 2 ? "II" : "III") + " at "
                + f.sampleRate + " Hz";
    }

    private static long syncsafe(Cursor c, long at, String what) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = c.peek(at + i);
            if (b < 0) {
                throw c.truncated(what + " ends at the end of the file");
            }
            if ((b & 0x80) != 0) {
                throw c.invalid(what + String.format(" has byte 0x%02X, expected a syncsafe integer (bytes below 0x80)", b));
            }
            v = (v << 7) | b;
        }
        return v;
    }

    private static long u32(Cursor c, long at) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = c.peek(at + i);
            if (b < 0) {
                throw c.truncated("a 32-bit value at offset " + at + " runs past the end of the file");
            }
            v = (v << 8) | b;
        }
        return v;
    }

    private static long u32le(Cursor c, long at) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            int b = c.peek(at + i);
            if (b < 0) {
                throw c.truncated("a 32-bit value at offset " + at + " runs past the end of the file");
            }
            v = (v << 8) | b;
        }
        return v;
    }

    private static boolean matches(Cursor c, long at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (c.peek(at + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
