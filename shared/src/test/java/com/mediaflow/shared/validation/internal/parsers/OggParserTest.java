package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.EbmlParserTest.assertRejected;
import static com.mediaflow.shared.validation.internal.parsers.EbmlParserTest.indexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OggParserTest {
    @TempDir
    static Path dir;

    static byte[] opus;
    static byte[] vorbis;
    static byte[] flac;

    @BeforeAll
    static void record() {
        opus = RecordedMedia.record(dir, "opus-mono-48k-0.5s.ogg", "ogg", 0, 0, 0, null, "libopus", 48_000, 1, 0.5);
        vorbis = RecordedMedia.record(dir, "vorbis-stereo-44k-0.5s.ogg", "ogg", 0, 0, 0, null, "vorbis", 44_100, 2, 0.5);
        flac = RecordedMedia.record(dir, "flac-mono-44k-0.3s.oga", "ogg", 0, 0, 0, null, "flac", 44_100, 1, 0.3);
    }

    @Test
    void parse_opusOgg_isAcceptedWithDurationMinusPreSkip() {
        StructureReport r = parse(opus);

        assertThat(r.durationSeconds()).isCloseTo(0.5, within(0.021)); // whole 20 ms Opus frames
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.logicalEnd()).isEqualTo(opus.length);
    }

    @Test
    void parse_vorbisOgg_isAccepted() {
        StructureReport r = parse(vorbis);

        assertThat(r.durationSeconds()).isCloseTo(0.5, within(0.03));
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.logicalEnd()).isEqualTo(vorbis.length);
    }

    @Test
    void parse_flacInOgg_isAccepted() {
        StructureReport r = parse(flac);

        assertThat(r.durationSeconds()).isCloseTo(0.3, within(0.001));
        assertThat(r.logicalEnd()).isEqualTo(flac.length);
    }

    @Test
    void parse_oggWithZipAppended_endsAfterTheLastPage() {
        byte[] bytes = Arrays.copyOf(opus, opus.length + 22);
        bytes[opus.length] = 'P';
        bytes[opus.length + 1] = 'K';
        bytes[opus.length + 2] = 5;
        bytes[opus.length + 3] = 6;

        assertThat(parse(bytes).logicalEnd()).isEqualTo(opus.length);
    }

    @Test
    void parse_oggBadPageCrc_isStructureInvalid() {
        byte[] bytes = opus.clone(); // ogg-bad-page-crc: one payload byte of page 2 flipped
        int page2 = pages(bytes).get(2);
        bytes[page2 + 27 + (bytes[page2 + 26] & 0xFF) + 3] ^= 0x40;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "OGG: page 2 at offset " + page2 + " has CRC");
    }

    @Test
    void parse_oggSegmentTablePastEof_isTruncated() {
        List<Integer> pages = pages(opus); // ogg-segment-table-past-eof: the file ends inside the last page's table
        int lastPage = pages.get(pages.size() - 1);
        assertThat(opus[lastPage + 26] & 0xFF).isGreaterThan(1);
        byte[] bytes = Arrays.copyOf(opus, lastPage + 28);

        assertRejected(() -> parse(bytes), ReasonCode.TRUNCATED, "page " + (pages.size() - 1) + " at offset " + lastPage
                + " segment table");
    }

    @Test
    void parse_oggNoOpusHead_isStructureInvalid() {
        byte[] bytes = opus.clone(); // ogg-no-opushead: the first packet renamed, CRC fixed
        int head = indexOf(bytes, "OpusHead".getBytes(StandardCharsets.US_ASCII));
        System.arraycopy("OpusBody".getBytes(StandardCharsets.US_ASCII), 0, bytes, head, 8);
        fixCrc(bytes, 0);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "page 0 at offset 0 (stream",
                "expected an OpusHead, Vorbis or FLAC header");
    }

    @Test
    void parse_oggZeroChannels_isStructureInvalid() {
        byte[] bytes = opus.clone(); // ogg-zero-channels: OpusHead's channel count 0, CRC fixed
        int head = indexOf(bytes, "OpusHead".getBytes(StandardCharsets.US_ASCII));
        bytes[head + 9] = 0;
        fixCrc(bytes, 0);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "OpusHead with 0 channels");
    }

    @Test
    void parse_vorbisZeroSampleRate_isStructureInvalid() {
        byte[] bytes = vorbis.clone();
        int head = indexOf(bytes, new byte[] {1, 'v', 'o', 'r', 'b', 'i', 's'});
        Arrays.fill(bytes, head + 12, head + 16, (byte) 0);
        fixCrc(bytes, 0);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "Vorbis with 2 channels at 0 Hz");
    }

    @Test
    void parse_pageSequenceGoingBack_isStructureInvalid() {
        byte[] bytes = opus.clone();
        int page2 = pages(bytes).get(2);
        Arrays.fill(bytes, page2 + 18, page2 + 22, (byte) 0);
        fixCrc(bytes, page2);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "page 2 at offset " + page2
                + " has sequence number 0, expected more than 1");
    }

    @Test
    void parse_pageOfAStreamWithoutBos_isStructureInvalid() {
        byte[] bytes = opus.clone();
        int page1 = pages(bytes).get(1);
        bytes[page1 + 14] ^= 1; // another serial number
        fixCrc(bytes, page1);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "page 1 at offset " + page1,
                "whose first page (with BOS) never came");
    }

    // --- helpers ----------------------------------------------------------------------------

    static StructureReport parse(byte[] bytes) {
        return new OggParser().parse(Cursor.over(new ArrayByteSource(bytes), "OGG"), Limits.DEFAULTS);
    }

    /** Offsets of every page, by their segment tables. */
    static List<Integer> pages(byte[] b) {
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos + 27 <= b.length) {
            out.add(pos);
            int segments = b[pos + 26] & 0xFF;
            int body = 0;
            for (int i = 0; i < segments; i++) {
                body += b[pos + 27 + i] & 0xFF;
            }
            pos += 27 + segments + body;
        }
        return out;
    }

    /** Recomputes the CRC of the page at {@code page}, as a muxer would have written it. */
    static void fixCrc(byte[] b, int page) {
        int segments = b[page + 26] & 0xFF;
        int length = 27 + segments;
        for (int i = 0; i < segments; i++) {
            length += b[page + 27 + i] & 0xFF;
        }
        Arrays.fill(b, page + 22, page + 26, (byte) 0);
        int crc = 0;
        for (int i = page; i < page + length; i++) {
            crc ^= (b[i] & 0xFF) << 24;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        b[page + 22] = (byte) crc;
        b[page + 23] = (byte) (crc >>> 8);
        b[page + 24] = (byte) (crc >>> 16);
        b[page + 25] = (byte) (crc >>> 24);
    }
}
