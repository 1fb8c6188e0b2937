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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlacParserTest {
    @TempDir
    static Path dir;

    /** FFmpeg's FLAC: STREAMINFO, VORBIS_COMMENT, PADDING, then frames. */
    static byte[] flac;

    @BeforeAll
    static void record() {
        flac = RecordedMedia.record(dir, "flac-mono-44k-0.5s.flac", "flac", 0, 0, 0, null, "flac", 44_100, 1, 0.5);
    }

    @Test
    void parse_realFlac_isAcceptedWithDuration() {
        StructureReport r = parse(flac);

        assertThat(r.durationSeconds()).isCloseTo(0.5, within(1e-9)); // 22050 samples at 44100 Hz
        assertThat(r.tracks()).isEqualTo(1);
        assertThat(r.logicalEnd()).isEqualTo(-1);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void parse_flacWithPicture_isAccepted() {
        byte[] bytes = withBlockAfterStreamInfo(flac, 6, picture(9, 5, 8, 8));

        assertThat(parse(bytes).durationSeconds()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void parse_flacPictureDataPastItsBlock_isStructureInvalid() {
        byte[] bytes = withBlockAfterStreamInfo(flac, 6, picture(9, 5, 8, 1000));

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "metadata block 1 (type 6) at offset 42",
                "PICTURE data of 1000 bytes, but only 8 remain in the block");
    }

    @Test
    void parse_flacPictureMimeTooLong_isStructureInvalid() {
        byte[] bytes = withBlockAfterStreamInfo(flac, 6, picture(0x7FFFFFFF, 5, 8, 8));

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "PICTURE MIME type of 2147483647 bytes");
    }

    @Test
    void parse_flacStreamInfoNotFirst_isStructureInvalid() {
        byte[] bytes = flac.clone(); // flac-streaminfo-not-first: the first block's type made PADDING
        bytes[4] = 1;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "metadata block 0 (type 1) at offset 4 comes first",
                "expected STREAMINFO");
    }

    @Test
    void parse_flacBlockLengthPastEof_isTruncated() {
        byte[] bytes = flac.clone(); // flac-block-length-past-eof: the VORBIS_COMMENT block declares 16 MB
        bytes[43] = (byte) 0xFF;

        assertRejected(() -> parse(bytes), ReasonCode.TRUNCATED, "metadata block 1 (type 4) at offset 42 declares",
                "remain in the file");
    }

    @Test
    void parse_flacSampleRateZero_isStructureInvalid() {
        byte[] bytes = flac.clone(); // flac-sample-rate-zero: STREAMINFO's 20-bit rate at offset 18
        bytes[18] = 0;
        bytes[19] = 0;
        bytes[20] &= 0x0F;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "sample rate 0");
    }

    @Test
    void parse_flacReservedBlockType_isStructureInvalid() {
        byte[] bytes = flac.clone();
        bytes[42] = 127;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "has type 127, expected 0..6");
    }

    @Test
    void parse_flacWithoutFrameSync_isStructureInvalid() {
        byte[] bytes = flac.clone();
        int frame = firstFrame(bytes);
        bytes[frame] = 0;

        assertRejected(() -> parse(bytes), ReasonCode.STRUCTURE_INVALID, "first frame at offset " + frame,
                "expected the sync 0xFFF8 or 0xFFF9");
    }

    @Test
    void parse_flacMetadataOnly_isTruncated() {
        byte[] bytes = Arrays.copyOf(flac, firstFrame(flac));

        assertRejected(() -> parse(bytes), ReasonCode.TRUNCATED, "expected a frame header at offset");
    }

    @Test
    void parse_brokenVorbisComment_isOnlyAWarning() {
        byte[] bytes = flac.clone();
        bytes[46] = (byte) 0xFF; // the vendor string's length, little-endian, now far beyond the block
        bytes[47] = (byte) 0xFF;

        StructureReport r = parse(bytes);

        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("VORBIS_COMMENT vendor string"));
    }

    // --- helpers ----------------------------------------------------------------------------

    static StructureReport parse(byte[] bytes) {
        return new FlacParser().parse(Cursor.over(new ArrayByteSource(bytes), "FLAC"), Limits.DEFAULTS);
    }

    /** A PICTURE block body whose MIME, description and data lengths are as given (the bytes are 8 of data). */
    static byte[] picture(int mimeLength, int descriptionLength, int actualData, int declaredData) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 9 + 4 + 5 + 16 + 4 + actualData);
        b.putInt(3).putInt(mimeLength).put("image/png".getBytes(StandardCharsets.US_ASCII));
        b.putInt(descriptionLength).put("cover".getBytes(StandardCharsets.US_ASCII));
        b.putInt(1).putInt(1).putInt(24).putInt(0).putInt(declaredData).put(new byte[actualData]);
        return b.array();
    }

    static byte[] withBlockAfterStreamInfo(byte[] f, int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(f, 0, 42);
        out.write(type);
        out.write(body.length >> 16);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        out.write(f, 42, f.length - 42);
        return out.toByteArray();
    }

    static int firstFrame(byte[] b) {
        int pos = 4;
        while (true) {
            int header = b[pos] & 0xFF;
            pos += 4 + (((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF));
            if ((header & 0x80) != 0) {
                return pos;
            }
        }
    }
}
