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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavParserTest {
    @TempDir
    static Path dir;

    /** FFmpeg's WAV: RIFF/WAVE with 'fmt ', a LIST/INFO chunk, then 'data'. */
    static byte[] ffmpegWav;

    @BeforeAll
    static void record() {
        ffmpegWav = RecordedMedia.record(dir, "pcm16-stereo-44k-0.5s.wav", "wav", 0, 0, 0, null, "pcm_s16le", 44_100, 2, 0.5);
    }

    @Test
    void parse_ffmpegWav_isAcceptedWithDuration() {
        StructureReport r = parse(ffmpegWav);

        assertThat(r.durationSeconds()).isCloseTo(0.5, within(1e-9));
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.logicalEnd()).isEqualTo(ffmpegWav.length);
    }

    @Test
    void parse_minimalPcmWav_isAccepted() {
        byte[] bytes = wav(fmt(1, 1, 8000, 16), data(1600));

        assertThat(parse(bytes).durationSeconds()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void parse_wavWithJpegAppended_endsAtTheRiffSize() {
        byte[] plain = wav(fmt(1, 1, 8000, 16), data(160));
        byte[] bytes = Arrays.copyOf(plain, plain.length + 4);
        bytes[plain.length] = (byte) 0xFF;
        bytes[plain.length + 1] = (byte) 0xD8;

        assertThat(parse(bytes).logicalEnd()).isEqualTo(plain.length);
    }

    @Test
    void parse_wavDataSizePastEof_isTruncated() {
        byte[] bytes = ffmpegWav.clone(); // wav-data-size-past-eof
        int data = indexOf(bytes, "data".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(data + 4, 10_000_000);

        assertRejected(() -> parse(bytes), ReasonCode.TRUNCATED, "chunk 'data' at offset " + data, "remain in the file");
    }

    @Test
    void parse_wavDataBeforeFmt_isStructureInvalid() {
        byte[] bytes = wav(data(16), fmt(1, 1, 8000, 16)); // wav-data-before-fmt

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "'data' chunk at offset 12 comes before 'fmt '");
    }

    @Test
    void parse_wavRiffSizeSmallerThanHeader_isStructureInvalid() {
        byte[] bytes = ffmpegWav.clone(); // wav-riff-size-smaller-than-header
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "RIFF size is 2, expected at least 4");
    }

    @Test
    void parse_wavZeroChannels_isStructureInvalid() {
        byte[] bytes = ffmpegWav.clone(); // wav-zero-channels
        int fmt = indexOf(bytes, "fmt ".getBytes(StandardCharsets.US_ASCII));
        bytes[fmt + 10] = 0;
        bytes[fmt + 11] = 0;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "'fmt ' declares 0 channels");
    }

    // --- helpers ----------------------------------------------------------------------------

    static StructureReport parse(byte[] bytes) {
        return new WavParser().parse(Cursor.over(new ArrayByteSource(bytes), "WAV"), Limits.DEFAULTS);
    }

    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        return chunk("fmt ", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) tag)
                .putShort((short) channels).putInt(rate).putInt(rate * align).putShort((short) align)
                .putShort((short) bits).array());
    }

    static byte[] data(int n) {
        return chunk("data", new byte[n]);
    }

    static byte[] chunk(String id, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body).array();
    }

    static byte[] wav(byte[]... chunks) {
        int length = 4;
        for (byte[] c : chunks) {
            length += c.length;
        }
        ByteBuffer b = ByteBuffer.allocate(8 + length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) {
            b.put(c);
        }
        return b.array();
    }
}
