package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.concat;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.imageIo;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.picture;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU16le;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.rejecting;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.slice;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.withMaxFrames;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GifParserTest {
    private static final byte[] STILL = imageIo(picture(24, 16, BufferedImage.TYPE_INT_RGB), "gif");
    private static byte[] animated;

    private static StructureReport parse(byte[] bytes) {
        return ImageFixtures.parse(new GifParser(), bytes, "GIF");
    }

    /** A 3-frame 32x24 animated GIF written by FFmpeg's GIF encoder and muxer. */
    @BeforeAll
    static void writeAnimatedGif(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("gif-3-frames-32x24.gif");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), 32, 24, 0);
                Frame frame = new Frame(32, 24, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("gif");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_GIF);
            rec.setPixelFormat(avutil.AV_PIX_FMT_RGB8);
            rec.setFrameRate(10);
            rec.start();
            for (int t = 0; t < 3; t++) {
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < 24; y++) {
                    for (int x = 0; x < 32; x++) {
                        int o = y * frame.imageStride + x * 3;
                        boolean square = x >= t * 8 && x < t * 8 + 8 && y >= 8 && y < 16;
                        buf.put(o, (byte) (square ? 230 : x * 7));
                        buf.put(o + 1, (byte) (square ? 40 : y * 9));
                        buf.put(o + 2, (byte) (square ? 40 : 120));
                    }
                }
                rec.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            rec.stop();
        }
        animated = Files.readAllBytes(out);
    }

    /** Offsets of the image descriptors (0x2C), walking the blocks as a decoder would. */
    static List<Integer> frameOffsets(byte[] gif) {
        List<Integer> frames = new ArrayList<>();
        int at = 13;
        if ((gif[10] & 0x80) != 0) {
            at += 3 << ((gif[10] & 7) + 1);
        }
        while (at < gif.length && gif[at] != 0x3B) {
            if (gif[at] == 0x21) {
                at += 2;
            } else {
                frames.add(at);
                int flags = gif[at + 9];
                at += 10;
                if ((flags & 0x80) != 0) {
                    at += 3 << ((flags & 7) + 1);
                }
                at += 1;
            }
            while (gif[at] != 0) {
                at += (gif[at] & 0xFF) + 1;
            }
            at++;
        }
        return frames;
    }

    @Test
    void parse_imageIoGif_isAcceptedWithOneFrame() {
        StructureReport report = parse(STILL);

        assertThat(report.width()).isEqualTo(24);
        assertThat(report.height()).isEqualTo(16);
        assertThat(report.frames()).isEqualTo(1);
        assertThat(report.logicalEnd()).isEqualTo(STILL.length);
    }

    @Test
    void parse_ffmpegAnimatedGif_countsItsFrames() {
        StructureReport report = parse(animated);

        assertThat(report.width()).isEqualTo(32);
        assertThat(report.height()).isEqualTo(24);
        assertThat(report.frames()).isEqualTo(3).isEqualTo(frameOffsets(animated).size());
        assertThat(report.logicalEnd()).isEqualTo(animated.length);
    }

    @Test
    void parse_gif87a_isAccepted() {
        byte[] bytes = STILL.clone();
        bytes[4] = '7';

        assertThat(parse(bytes).frames()).isEqualTo(1);
    }

    @Test
    void parse_gifZeroSizeFrame_isStructureInvalid() {
        // given: the WhatsApp bug (CVE-2019-11932): a frame 0 pixels wide
        byte[] bytes = animated.clone();
        int second = frameOffsets(bytes).get(1);
        putU16le(bytes, second + 5, 0);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("GIF: frame 2 at offset " + second + " is 0x")
                .withMessageContaining("expected width and height above 0");
    }

    @Test
    void parse_gifFrameOutsideLogicalScreen_isStructureInvalid() {
        byte[] bytes = STILL.clone();
        int frame = frameOffsets(bytes).get(0);
        putU16le(bytes, frame + 1, 1); // left = 1 with the full width

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("is 24x16 at 1,0, expected it inside the 24x16 logical screen");
    }

    @Test
    void parse_gifZeroSizeLogicalScreen_isStructureInvalid() {
        byte[] bytes = STILL.clone();
        putU16le(bytes, 8, 0);

        rejecting(() -> parse(bytes)).withMessageContaining("logical screen is 24x0");
    }

    @Test
    void parse_gifLzwCodeSize12_isStructureInvalid() {
        byte[] bytes = STILL.clone();
        int frame = frameOffsets(bytes).get(0);
        int codeSizeAt = frame + 10 + ((bytes[frame + 9] & 0x80) != 0 ? 3 << ((bytes[frame + 9] & 7) + 1) : 0);
        bytes[codeSizeAt] = 12;

        rejecting(() -> parse(bytes)).withMessageContaining("LZW minimum code size 12, expected 2..8");
    }

    @Test
    void parse_gifWithoutTrailer_isTruncated() {
        byte[] bytes = slice(animated, 0, animated.length - 1);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("after 3 frame(s), expected more blocks and the trailer");
    }

    @Test
    void parse_gifCutInsideImageData_isTruncated() {
        int frame = frameOffsets(animated).get(1);
        byte[] bytes = slice(animated, 0, frame + 14);

        rejecting(() -> parse(bytes)).matches(e -> e.code() == ReasonCode.TRUNCATED);
    }

    @Test
    void parse_gifUnknownBlock_isStructureInvalid() {
        byte[] bytes = STILL.clone();
        bytes[bytes.length - 1] = 0x42;

        rejecting(() -> parse(bytes)).withMessageContaining("unknown block 0x42 at offset " + (bytes.length - 1));
    }

    @Test
    void parse_gifWithoutFrames_isStructureInvalid() {
        int frame = frameOffsets(STILL).get(0);
        byte[] bytes = concat(slice(STILL, 0, frame), new byte[] {0x3B});

        rejecting(() -> parse(bytes)).withMessageContaining("the GIF has no frame");
    }

    @Test
    void parse_gifOverFrameLimit_isFrameLimit() {
        rejecting(() -> ImageFixtures.parse(new GifParser(), animated, "GIF", withMaxFrames(2)))
                .matches(e -> e.code() == ReasonCode.FRAME_LIMIT)
                .withMessageContaining("GIF has 3 frames, expected at most 2");
    }

    @Test
    void parse_gifWithGarbageHeader_isStructureInvalid() {
        rejecting(() -> parse("GIF90a\0\0\0\0\0\0\0\0".getBytes()))
                .withMessageContaining("expected header 'GIF87a' or 'GIF89a' at offset 0, found 'GIF90a'");
    }

    @Test
    void parse_gifHeaderOnly_isTruncated() {
        rejecting(() -> parse("GIF89a\1\0".getBytes())).matches(e -> e.code() == ReasonCode.TRUNCATED);
    }

    @Test
    void validate_gifWithZipAppended_isPolyglot() throws IOException {
        byte[] bytes = concat(STILL, zip());

        Verdict verdict = new StructureValidator(Limits.DEFAULTS, f -> Optional.of(new GifParser()))
                .validate(new ArrayByteSource(bytes), "image/gif", "gif-with-zip-appended.gif").verdict();

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reasons()).anyMatch(r -> r.code() == ReasonCode.POLYGLOT);
    }
}
