package com.mediaflow.shared.validation.internal.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EbmlParserTest {
    @TempDir
    static Path dir;

    static byte[] vp8Opus;
    static byte[] vp9Vorbis;
    static byte[] h264Aac;
    static byte[] live;

    @BeforeAll
    static void record() throws Exception {
        vp8Opus = RecordedMedia.record(dir, "vp8-opus-64x48-0.5s.webm", "webm", 64, 48, 10, "libvpx", "libopus", 48_000, 1, 0.5);
        vp9Vorbis = RecordedMedia.record(dir, "vp9-vorbis-64x48-0.5s.webm", "webm", 64, 48, 10, "libvpx-vp9", "vorbis", 44_100, 2, 0.5);
        h264Aac = RecordedMedia.record(dir, "h264-aac-64x48-0.5s.mkv", "matroska", 64, 48, 10, "libx264", "aac", 44_100, 1, 0.5);
        live = recordLive(dir.resolve("vp8-opus-live-32x24.webm"));
    }

    // --- real files -------------------------------------------------------------------------

    @Test
    void parse_vp8OpusWebm_isAcceptedWithDimensionsDurationTracks() {
        StructureReport r = parse(vp8Opus, "WEBM");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(48);
        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.durationSeconds()).isBetween(0.45, 1.6); // the muxer's Duration, which ffprobe prints too
        assertThat(r.logicalEnd()).isEqualTo(vp8Opus.length);
    }

    @Test
    void parse_vp9VorbisWebm_isAccepted() {
        StructureReport r = parse(vp9Vorbis, "WEBM");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(48);
        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.durationSeconds()).isBetween(0.45, 1.6); // the muxer's Duration, which ffprobe prints too
        assertThat(r.logicalEnd()).isEqualTo(vp9Vorbis.length);
    }

    @Test
    void parse_h264AacMatroska_isAccepted() {
        StructureReport r = parse(h264Aac, "MKV");

        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(48);
        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.durationSeconds()).isBetween(0.45, 1.6); // the muxer's Duration, which ffprobe prints too
        assertThat(r.logicalEnd()).isEqualTo(h264Aac.length);
    }

    @Test
    void parse_liveWebmWithUnknownSegmentSize_isAcceptedWithDurationFromClusters() {
        assertThat(live[indexOf(live, SEGMENT_ID) + 4] & 0xFF).isEqualTo(0x01); // 8-byte all-ones size
        StructureReport r = parse(live, "WEBM");

        assertThat(r.width()).isEqualTo(32);
        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.durationSeconds()).isBetween(0.5, 1.0);
        assertThat(r.logicalEnd()).isEqualTo(live.length);
    }

    @Test
    void parse_webmClusterWithUnknownSize_endsAtTheNextCluster() {
        byte[] unknownCluster = live.clone();
        int cluster = indexOf(unknownCluster, CLUSTER_ID);
        assertThat(unknownCluster[cluster + 4] & 0xC0).isEqualTo(0x40); // a 2-byte size
        unknownCluster[cluster + 4] = 0x7F;
        unknownCluster[cluster + 5] = (byte) 0xFF;

        StructureReport r = parse(unknownCluster, "WEBM");

        assertThat(r.tracks()).isEqualTo(2);
        assertThat(r.durationSeconds()).isBetween(0.5, 1.0);
    }

    @Test
    void parse_webmWithZipAppended_endsAtTheSegment() {
        byte[] polyglot = Arrays.copyOf(vp8Opus, vp8Opus.length + 30);
        polyglot[vp8Opus.length] = 'P';
        polyglot[vp8Opus.length + 1] = 'K';
        polyglot[vp8Opus.length + 2] = 3;
        polyglot[vp8Opus.length + 3] = 4;

        assertThat(parse(polyglot, "WEBM").logicalEnd()).isEqualTo(vp8Opus.length);
    }

    // --- hostile files ----------------------------------------------------------------------

    @Test
    void parse_webmElementSizePastEof_isTruncated() {
        byte[] bytes = vp8Opus.clone(); // webm-element-size-past-eof: the Segment declares more than the file
        int size = indexOf(bytes, SEGMENT_ID) + 4;
        bytes[size + 6] = 0x7F;

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.TRUNCATED, "Segment at offset", "remain in the file");
    }

    @Test
    void parse_webmTruncatedInACluster_isTruncated() {
        byte[] bytes = Arrays.copyOf(vp8Opus, vp8Opus.length - 100);

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.TRUNCATED, "WEBM: Segment at offset");
    }

    @Test
    void parse_webmNestedTooDeep_isDepthLimit() {
        byte[] bytes = vp8Opus.clone(); // webm-nested-too-deep: Tags holds SimpleTag in SimpleTag ... 35 deep
        int tags = lastIndexOf(bytes, TAGS_ID);
        int sizeAt = tags + 4;
        int sizeLength = Integer.numberOfLeadingZeros(bytes[sizeAt] & 0xFF) - 23;
        long size = bytes[sizeAt] & (0xFF >> sizeLength);
        for (int i = 1; i < sizeLength; i++) {
            size = (size << 8) | (bytes[sizeAt + i] & 0xFF);
        }
        byte[] nest = nestedSimpleTags((int) size);
        System.arraycopy(nest, 0, bytes, sizeAt + sizeLength, nest.length);

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.DEPTH_LIMIT, "SimpleTag at offset", "expected at most 32");
    }

    @Test
    void parse_webmDocTypeNotMatroska_isStructureInvalid() {
        byte[] bytes = vp8Opus.clone(); // webm-doctype-not-matroska
        int docType = indexOf(bytes, "webm".getBytes(StandardCharsets.US_ASCII));
        System.arraycopy("riff".getBytes(StandardCharsets.US_ASCII), 0, bytes, docType, 4);

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID,
                "DocType is \"riff\", expected \"webm\" or \"matroska\"");
    }

    @Test
    void parse_webmPixelWidthZero_isStructureInvalid() {
        byte[] bytes = vp8Opus.clone(); // webm-pixelwidth-zero
        int pixelWidth = indexOf(bytes, new byte[] {(byte) 0xB0, (byte) 0x81, 64});
        bytes[pixelWidth + 2] = 0;

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID, "PixelWidth at offset", "is 0, expected > 0");
    }

    @Test
    void parse_webmDurationNaN_isStructureInvalid() {
        byte[] bytes = vp8Opus.clone(); // webm-duration-nan
        int duration = indexOf(bytes, new byte[] {0x44, (byte) 0x89, (byte) 0x88});
        byte[] nan = {0x7F, (byte) 0xF8, 0, 0, 0, 0, 0, 0};
        System.arraycopy(nan, 0, bytes, duration + 3, 8);

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID, "Duration at offset", "is NaN");
    }

    @Test
    void parse_webmVintInvalidLength_isStructureInvalid() {
        byte[] bytes = vp8Opus.clone(); // webm-vint-invalid-length: the Segment's size starts 0x00
        bytes[indexOf(bytes, SEGMENT_ID) + 4] = 0;

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID, "size of Segment at offset", "starts with 0x00");
    }

    @Test
    void parse_webmElementIdAllOnes_isStructureInvalid() {
        byte[] bytes = vp8Opus.clone(); // the Tracks ID replaced by 0x1FFFFFFF, a reserved 4-byte ID
        int tracks = lastIndexOf(bytes, TRACKS_ID);
        bytes[tracks] = 0x1F;
        bytes[tracks + 1] = (byte) 0xFF;
        bytes[tracks + 2] = (byte) 0xFF;
        bytes[tracks + 3] = (byte) 0xFF;

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID, "element ID 0x1FFFFFFF at offset", "reserved");
    }

    @Test
    void parse_webmTracksWithUnknownSize_isStructureInvalid() {
        byte[] bytes = vp8Opus.clone();
        int size = lastIndexOf(bytes, TRACKS_ID) + 4;
        int sizeLength = Integer.numberOfLeadingZeros(bytes[size] & 0xFF) - 23;
        bytes[size] = (byte) (0xFF >> (sizeLength - 1));
        for (int i = 1; i < sizeLength; i++) {
            bytes[size + i] = (byte) 0xFF;
        }

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID, "Tracks at offset", "has an unknown size");
    }

    @Test
    void parse_webmTracksWithoutTrackEntry_isStructureInvalid() {
        byte[] bytes = vp8Opus.clone(); // every TrackEntry (0xAE) turned into a Void element (0xEC)
        int tracks = lastIndexOf(bytes, TRACKS_ID);
        int sizeLength = Integer.numberOfLeadingZeros(bytes[tracks + 4] & 0xFF) - 23;
        int pos = tracks + 4 + sizeLength;
        while ((bytes[pos] & 0xFF) == 0xAE) {
            bytes[pos] = (byte) 0xEC;
            int len = Integer.numberOfLeadingZeros(bytes[pos + 1] & 0xFF) - 23;
            long size = bytes[pos + 1] & (0xFF >> len);
            for (int i = 1; i < len; i++) {
                size = (size << 8) | (bytes[pos + 1 + i] & 0xFF);
            }
            pos += 1 + len + (int) size;
        }

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID, "a Tracks element without a TrackEntry");
    }

    @Test
    void parse_notEbml_isStructureInvalid() {
        byte[] bytes = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII);

        assertRejected(() -> parse(bytes, "WEBM"), ReasonCode.STRUCTURE_INVALID, "expected the EBML header ID");
    }

    // --- helpers ----------------------------------------------------------------------------

    static final byte[] SEGMENT_ID = {0x18, 0x53, (byte) 0x80, 0x67};
    static final byte[] CLUSTER_ID = {0x1F, 0x43, (byte) 0xB6, 0x75};
    static final byte[] TRACKS_ID = {0x16, 0x54, (byte) 0xAE, 0x6B};
    static final byte[] TAGS_ID = {0x12, 0x54, (byte) 0xC3, 0x67};

    static StructureReport parse(byte[] bytes, String format) {
        return new EbmlParser().parse(Cursor.over(new ArrayByteSource(bytes), format), Limits.DEFAULTS);
    }

    static void assertRejected(ThrowingCallable call, ReasonCode code, String... fragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MediaRejectedException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.getMessage()).contains(fragments);
        });
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    /** The last occurrence: the element itself, not the SeekHead's reference to it. */
    static int lastIndexOf(byte[] hay, byte[] needle) {
        for (int i = hay.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }

    /** Exactly {@code length} bytes of SimpleTag (0x67C8) elements, each inside the previous one. */
    static byte[] nestedSimpleTags(int length) {
        int levels = length / 4 - 1;
        int inner = length - levels * 4; // 4..7 bytes: one Void element
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < levels; i++) {
            int content = length - (i + 1) * 4;
            out.write(0x67);
            out.write(0xC8);
            out.write(0x40 | (content >> 8));
            out.write(content & 0xFF);
        }
        out.write(0xEC);
        out.write(0x80 | (inner - 2));
        for (int i = 0; i < inner - 2; i++) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** What a live muxer (a browser's MediaRecorder, say) writes: a Segment of unknown size. */
    private static byte[] recordLive(Path out) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), 32, 24, 1);
                Frame frame = new Frame(32, 24, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("webm");
            rec.setVideoCodecName("libvpx");
            rec.setVideoOption("deadline", "realtime");
            rec.setAudioCodecName("libopus");
            rec.setSampleRate(48_000);
            rec.setFrameRate(10);
            rec.setOption("live", "1");
            rec.setOption("cluster_time_limit", "100");
            rec.start();
            for (int i = 0; i < 10; i++) {
                rec.record(frame);
                rec.recordSamples(48_000, 1, java.nio.ShortBuffer.wrap(new short[4800]));
            }
            rec.stop();
        }
        return java.nio.file.Files.readAllBytes(out);
    }
}
