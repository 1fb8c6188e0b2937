package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.io.Cursor;
import java.util.Map;

/**
 * EBML elements as {@link EbmlParser} reads them: the Matroska element IDs it knows and their names
 * for messages, and the element reader: an ID is a 1-4 byte VINT (marker bit kept; all value bits
 * one, or zero, is reserved), a size a 1-8 byte VINT ("unknown", all ones, only for Segment and
 * Cluster), values unsigned integers of 0-8 bytes or short strings.
 */
final class EbmlElements {
    static final int MAX_STRING = 64;

    static final long EBML = 0x1A45DFA3L;
    static final long SEGMENT = 0x18538067L;
    static final long CLUSTER = 0x1F43B675L;
    static final long SEEK_HEAD = 0x114D9B74L;
    static final long INFO = 0x1549A966L;
    static final long TRACKS = 0x1654AE6BL;
    static final long CUES = 0x1C53BB6BL;
    static final long CHAPTERS = 0x1043A770L;
    static final long TAGS = 0x1254C367L;
    static final long ATTACHMENTS = 0x1941A469L;
    static final long VOID = 0xECL;
    static final long CRC32 = 0xBFL;

    static final long EBML_VERSION = 0x4286;
    static final long EBML_READ_VERSION = 0x42F7;
    static final long EBML_MAX_ID_LENGTH = 0x42F2;
    static final long EBML_MAX_SIZE_LENGTH = 0x42F3;
    static final long DOC_TYPE = 0x4282;
    static final long DOC_TYPE_VERSION = 0x4287;
    static final long DOC_TYPE_READ_VERSION = 0x4285;

    static final long TIMESTAMP_SCALE = 0x2AD7B1;
    static final long DURATION = 0x4489;
    static final long TRACK_ENTRY = 0xAE;
    static final long TRACK_NUMBER = 0xD7;
    static final long TRACK_TYPE = 0x83;
    static final long CODEC_ID = 0x86;
    static final long VIDEO = 0xE0;
    /** Nanoseconds per frame, when the track has a constant rate. */
    static final long DEFAULT_DURATION = 0x23E383;
    static final long PIXEL_WIDTH = 0xB0;
    static final long PIXEL_HEIGHT = 0xBA;
    static final long CLUSTER_TIMESTAMP = 0xE7;
    static final long SIMPLE_BLOCK = 0xA3;
    static final long BLOCK_GROUP = 0xA0;
    static final long BLOCK = 0xA1;

    private EbmlElements() {
    }

    /** An element ID: 1-4 bytes, the length marker kept in the value. */
    static long readId(Cursor c) {
        long at = c.position();
        int b = c.u8();
        int len = Integer.numberOfLeadingZeros(b) - 23;
        if (b == 0 || len > 4) {
            throw c.invalid(String.format("element ID at offset %d starts with 0x%02X, expected a length marker in "
                    + "its first 4 bits (IDs are 1-4 bytes)", at, b));
        }
        long id = b;
        for (int i = 1; i < len; i++) {
            id = (id << 8) | c.u8();
        }
        long valueMask = (1L << (7 * len)) - 1;
        if ((id & valueMask) == valueMask || (id & valueMask) == 0) {
            throw c.invalid("element ID " + hex(id) + " at offset " + at + " is reserved (all value bits "
                    + ((id & valueMask) == 0 ? "zero" : "one") + ")");
        }
        return id;
    }

    /** An element size: 1-8 bytes; -1 for "unknown", which only Segment and Cluster may have. */
    static long readSize(Cursor c, long id, long elementAt) {
        long at = c.position();
        int b = c.u8();
        if (b == 0) {
            throw c.invalid("size of " + name(id) + " at offset " + elementAt
                    + " starts with 0x00, expected a length marker in its first byte (sizes are 1-8 bytes)");
        }
        int len = Integer.numberOfLeadingZeros(b) - 23;
        long value = b & (0xFF >> len);
        for (int i = 1; i < len; i++) {
            value = (value << 8) | c.u8();
        }
        long allOnes = (1L << (7 * len)) - 1;
        if (value == allOnes) {
            if (id != SEGMENT && id != CLUSTER) {
                throw c.invalid(name(id) + " at offset " + elementAt + " has an unknown size (at offset " + at
                        + "), expected a known size: only Segment and Cluster may have one");
            }
            return -1;
        }
        return value;
    }

    static long uint(Cursor v, long size, long id, long at) {
        if (size > 8) {
            throw v.invalid(name(id) + " at offset " + at + " is " + size + " bytes, expected an unsigned integer of 0..8 bytes");
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            if ((value >>> 55) != 0) {
                throw v.invalid(name(id) + " at offset " + at + " is larger than 2^63");
            }
            value = (value << 8) | v.u8();
        }
        return value;
    }

    static String string(Cursor v, long size, String what, long at) {
        if (size > MAX_STRING) {
            throw v.invalid(what + " at offset " + at + " is " + size + " bytes, expected at most " + MAX_STRING);
        }
        String s = v.ascii((int) size, MAX_STRING, what);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(EBML, "EBML header"), Map.entry(SEGMENT, "Segment"), Map.entry(CLUSTER, "Cluster"),
            Map.entry(SEEK_HEAD, "SeekHead"), Map.entry(INFO, "Info"), Map.entry(TRACKS, "Tracks"),
            Map.entry(CUES, "Cues"), Map.entry(CHAPTERS, "Chapters"), Map.entry(TAGS, "Tags"),
            Map.entry(ATTACHMENTS, "Attachments"), Map.entry(VOID, "Void"), Map.entry(CRC32, "CRC-32"),
            Map.entry(EBML_VERSION, "EBMLVersion"), Map.entry(EBML_READ_VERSION, "EBMLReadVersion"),
            Map.entry(EBML_MAX_ID_LENGTH, "EBMLMaxIDLength"), Map.entry(EBML_MAX_SIZE_LENGTH, "EBMLMaxSizeLength"),
            Map.entry(DOC_TYPE, "DocType"), Map.entry(DOC_TYPE_VERSION, "DocTypeVersion"),
            Map.entry(DOC_TYPE_READ_VERSION, "DocTypeReadVersion"), Map.entry(TIMESTAMP_SCALE, "TimestampScale"),
            Map.entry(DURATION, "Duration"), Map.entry(TRACK_ENTRY, "TrackEntry"), Map.entry(TRACK_NUMBER, "TrackNumber"),
            Map.entry(TRACK_TYPE, "TrackType"), Map.entry(CODEC_ID, "CodecID"), Map.entry(VIDEO, "Video"),
            Map.entry(PIXEL_WIDTH, "PixelWidth"), Map.entry(PIXEL_HEIGHT, "PixelHeight"),
            Map.entry(CLUSTER_TIMESTAMP, "Timestamp"), Map.entry(SIMPLE_BLOCK, "SimpleBlock"),
            Map.entry(BLOCK_GROUP, "BlockGroup"), Map.entry(BLOCK, "Block"), Map.entry(0x67C8L, "SimpleTag"),
            Map.entry(0xB6L, "ChapterAtom"));

    /** A name for messages; unknown IDs print as hex. */
    static String name(long id) {
        String n = NAMES.get(id);
        return n != null ? n : "element " + hex(id);
    }

    static String hex(long id) {
        return String.format("0x%X", id);
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }
}
