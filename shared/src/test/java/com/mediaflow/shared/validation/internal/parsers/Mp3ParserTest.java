package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.EbmlParserTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp3ParserTest {
    @TempDir
    static Path dir;

    /** libmp3lame, 64 kbit/s mono 44.1 kHz, 0.5 s: an ID3v2.4 tag, a LAME Info frame, then audio frames. */
    static byte[] lame;
    /**
     * FFmpeg's mp3 demuxer reads the same LAME Info frame count: its duration (to the microsecond)
     * is the reference. How many frames libmp3lame writes for 0.5 s depends on the FFmpeg build.
     */
    static double ffmpegSeconds;

    @BeforeAll
    static void record() throws Exception {
        lame = RecordedMedia.record(dir, "mp3-lame-64k-mono-44k-0.5s.mp3", "mp3", 0, 0, 0, null, "libmp3lame", 44_100, 1, 0.5);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(dir.resolve("mp3-lame-64k-mono-44k-0.5s.mp3").toFile())) {
            g.start();
            ffmpegSeconds = g.getLengthInTime() / 1e6;
        }
    }

    @Test
    void parse_lameMp3_isAcceptedWithDurationFromInfoHeader() {
        StructureReport r = parse(lame);

        // a whole number of 1152-sample frames at 44100 Hz, as FFmpeg counts them
        assertThat(r.durationSeconds()).isCloseTo(ffmpegSeconds, within(1e-6));
        double frames = r.durationSeconds() * 44100 / 1152;
        assertThat(frames).isGreaterThan(10).isCloseTo(Math.rint(frames), within(1e-9));
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.logicalEnd()).isEqualTo(lame.length);
    }

    @Test
    void parse_lameMp3WithId3v1Tag_endsAfterTheTag() {
        byte[] bytes = Arrays.copyOf(lame, lame.length + 128);
        System.arraycopy("TAGtitle".getBytes(StandardCharsets.US_ASCII), 0, bytes, lame.length, 8);

        StructureReport r = parse(bytes);

        assertThat(r.durationSeconds()).isCloseTo(ffmpegSeconds, within(1e-6));
        assertThat(r.logicalEnd()).isEqualTo(bytes.length);
    }

    @Test
    void parse_lameMp3WithDataAppended_hasNoLogicalEnd() {
        byte[] bytes = Arrays.copyOf(lame, lame.length + 100);

        assertThat(parse(bytes).logicalEnd()).isEqualTo(-1);
    }

    @Test
    void parse_cbrFramesWithoutXing_estimatesDurationFromBitrate() {
        // 10 MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz, no padding: 417 bytes each
        byte[] bytes = frames(0xFFFB9000, 417, 10);

        StructureReport r = parse(bytes);

        assertThat(r.durationSeconds()).isCloseTo(4170 * 8 / 128_000.0, within(1e-9));
        assertThat(r.logicalEnd()).isEqualTo(-1);
    }

    @Test
    void parse_twoFramesEndingTheFile_isAccepted() {
        // MPEG-2 Layer III, 8 kbit/s, 22.05 kHz, mono: 72 * 8000 / 22050 = 26 bytes
        byte[] bytes = frames(0xFFF310C0, 26, 2);

        assertThat(parse(bytes).durationSeconds()).isCloseTo(52 * 8 / 8000.0, within(1e-9));
    }

    @Test
    void parse_mp3Id3SizePastEof_isTruncated() {
        byte[] bytes = lame.clone(); // mp3-id3-size-past-eof
        bytes[6] = 0x7F;
        bytes[7] = 0x7F;

        assertRejected(() -> parse(bytes), ReasonCode.TRUNCATED, "MP3: ID3v2 tag at offset 0 declares", "the file ends at");
    }

    @Test
    void parse_mp3NoFrameSync_isStructureInvalid() {
        byte[] bytes = lame.clone(); // mp3-no-frame-sync: text where the first frame should start
        int first = 10 + id3Size(bytes);
        System.arraycopy("HELLO WORLD".getBytes(StandardCharsets.US_ASCII), 0, bytes, first, 11);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "frame 0 at offset " + first + " starts 0x48454C4C",
                "expected an MPEG audio frame sync");
    }

    @Test
    void parse_utf16leTextNamedMp3_isStructureInvalid() {
        byte[] bytes = "\uFEFFDear diary, this is plain text saved as UTF-16 by Notepad.".getBytes(StandardCharsets.UTF_16LE);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "frame 0 at offset 0 starts 0xFFFE4400",
                "Layer I, expected Layer II or III");
    }

    @Test
    void parse_mp3ReservedSampleRate_isStructureInvalid() {
        byte[] bytes = lame.clone(); // mp3-reserved-sample-rate: sample rate index 3 in the first frame
        int first = 10 + id3Size(bytes);
        bytes[first + 2] |= 0x0C;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "frame 0 at offset " + first,
                "reserved sample rate index 3");
    }

    @Test
    void parse_secondFrameNotFollowingTheFirst_isStructureInvalid() {
        byte[] bytes = frames(0xFFFB9000, 417, 5);
        bytes[417] = 0;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "frame 1 at offset 417", "expected an MPEG audio frame sync");
    }

    @Test
    void parse_frameRunningPastTheEnd_isTruncated() {
        byte[] bytes = Arrays.copyOf(frames(0xFFFB9000, 417, 3), 417 * 2 + 100);

        assertRejected(() -> parse(bytes), ReasonCode.TRUNCATED, "frame 2 at offset 834 is 417 bytes");
    }

    // --- helpers ----------------------------------------------------------------------------

    static StructureReport parse(byte[] bytes) {
        return new Mp3Parser().parse(Cursor.over(new ArrayByteSource(bytes), "MP3"), Limits.DEFAULTS);
    }

    /** {@code count} frames, each the 4-byte {@code header} and a zero payload: valid frames for a parser. */
    static byte[] frames(int header, int length, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] frame = new byte[length];
            frame[0] = (byte) (header >>> 24);
            frame[1] = (byte) (header >>> 16);
            frame[2] = (byte) (header >>> 8);
            frame[3] = (byte) header;
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private static int id3Size(byte[] b) {
        assertThat(new String(b, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("ID3");
        return (b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9];
    }
}
