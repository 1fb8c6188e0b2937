package com.mediaflow.shared.validation.internal.parsers;

import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.concat;
import static com.mediaflow.shared.validation.internal.parsers.ImageFixtures.putU32le;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebpParserTest {
    private static byte[] lossy;
    private static byte[] lossless;
    private static byte[] lossyAlpha;
    private static byte[] animated;

    private static StructureReport parse(byte[] bytes) {
        return ImageFixtures.parse(new WebpParser(), bytes, "WEBP");
    }

    /** WebP files written by FFmpeg with libwebp: lossy, lossless, lossy with alpha, and a 3-frame animation. */
    @BeforeAll
    static void writeWebps(@TempDir Path dir) throws Exception {
        lossy = webp(dir.resolve("webp-lossy-30x20.webp"), "libwebp", avutil.AV_PIX_FMT_YUV420P, false, 1);
        lossless = webp(dir.resolve("webp-lossless-30x20.webp"), "libwebp", avutil.AV_PIX_FMT_BGRA, true, 1);
        lossyAlpha = webp(dir.resolve("webp-lossy-alpha-30x20.webp"), "libwebp", avutil.AV_PIX_FMT_YUVA420P, false, 1);
        animated = webp(dir.resolve("webp-anim-3-frames-30x20.webp"), "libwebp_anim", avutil.AV_PIX_FMT_YUV420P, false, 3);
    }

    private static byte[] webp(Path out, String codec, int pixelFormat, boolean losslessMode, int frames) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), 30, 20, 0);
                Frame frame = new Frame(30, 20, Frame.DEPTH_UBYTE, 4)) {
            rec.setFormat("webp");
            rec.setVideoCodecName(codec);
            rec.setPixelFormat(pixelFormat);
            rec.setFrameRate(10);
            if (losslessMode) {
                rec.setVideoOption("lossless", "1");
            }
            if (frames > 1) {
                rec.setOption("loop", "0");
            }
            rec.start();
            for (int t = 0; t < frames; t++) {
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < 20; y++) {
                    for (int x = 0; x < 30; x++) {
                        int o = y * frame.imageStride + x * 4;
                        boolean square = x >= t * 10 && x < t * 10 + 10 && y >= 5 && y < 15;
                        buf.put(o, (byte) (square ? 40 : x * 8));          // B
                        buf.put(o + 1, (byte) (square ? 40 : y * 12));     // G
                        buf.put(o + 2, (byte) (square ? 230 : 120));       // R
                        buf.put(o + 3, (byte) (x * 255 / 29));             // A ramp
                    }
                }
                rec.record(frame, avutil.AV_PIX_FMT_BGRA);
            }
            rec.stop();
        }
        return Files.readAllBytes(out);
    }

    private static int chunkAt(byte[] webp, String id, int from) {
        int at = from;
        while (at + 8 <= webp.length) {
            if (new String(webp, at, 4, StandardCharsets.ISO_8859_1).equals(id)) {
                return at;
            }
            int size = (webp[at + 4] & 0xFF) | (webp[at + 5] & 0xFF) << 8 | (webp[at + 6] & 0xFF) << 16 | (webp[at + 7] & 0xFF) << 24;
            at += 8 + size + (size & 1);
        }
        return -1;
    }

    @Test
    void parse_lossyWebp_isAcceptedWithItsSize() {
        assertThat(chunkAt(lossy, "VP8 ", 12)).isEqualTo(12);

        StructureReport report = parse(lossy);

        assertThat(report.width()).isEqualTo(30);
        assertThat(report.height()).isEqualTo(20);
        assertThat(report.frames()).isEqualTo(1);
        assertThat(report.logicalEnd()).isEqualTo(lossy.length);
    }

    @Test
    void parse_losslessWebp_isAcceptedWithItsSize() {
        assertThat(chunkAt(lossless, "VP8L", 12)).as("VP8L chunk").isPositive();

        StructureReport report = parse(lossless);

        assertThat(report.width()).isEqualTo(30);
        assertThat(report.height()).isEqualTo(20);
        assertThat(report.logicalEnd()).isEqualTo(lossless.length);
    }

    @Test
    void parse_lossyWebpWithAlpha_isAccepted() {
        assertThat(chunkAt(lossyAlpha, "VP8X", 12)).isEqualTo(12);
        assertThat(chunkAt(lossyAlpha, "ALPH", 12)).isPositive();

        StructureReport report = parse(lossyAlpha);

        assertThat(report.width()).isEqualTo(30);
        assertThat(report.height()).isEqualTo(20);
        assertThat(report.logicalEnd()).isEqualTo(lossyAlpha.length);
    }

    @Test
    void parse_animatedWebp_countsItsFrames() {
        StructureReport report = parse(animated);

        assertThat(report.width()).isEqualTo(30);
        assertThat(report.height()).isEqualTo(20);
        assertThat(report.frames()).isEqualTo(3);
        assertThat(report.logicalEnd()).isEqualTo(animated.length);
    }

    @Test
    void parse_animatedWebpOverFrameLimit_isFrameLimit() {
        rejecting(() -> ImageFixtures.parse(new WebpParser(), animated, "WEBP", withMaxFrames(2)))
                .matches(e -> e.code() == ReasonCode.FRAME_LIMIT)
                .withMessageContaining("WEBP has 3 frames, expected at most 2");
    }

    @Test
    void parse_webpAnmfOutsideCanvas_isStructureInvalid() {
        // given: the first frame moved 2 pixels right
        byte[] bytes = animated.clone();
        int anmf = chunkAt(bytes, "ANMF", 12 + 8 + 10);
        bytes[anmf + 8] = 1; // X/2 = 1

        rejecting(() -> parse(bytes)).withMessageContaining("expected it inside the 30x20 canvas");
    }

    @Test
    void parse_webpRiffSizePastEof_isTruncated() {
        byte[] bytes = lossy.clone();
        putU32le(bytes, 4, lossy.length + 100);

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.TRUNCATED)
                .withMessageContaining("RIFF declares " + (lossy.length + 100));
    }

    @Test
    void parse_webpCutShort_isTruncated() {
        rejecting(() -> parse(slice(lossy, 0, lossy.length - 10))).matches(e -> e.code() == ReasonCode.TRUNCATED);
    }

    @Test
    void parse_webpChunkPastRiffEnd_isStructureInvalid() {
        byte[] bytes = concat(lossy, new byte[64]);
        putU32le(bytes, 16, lossy.length); // the VP8 chunk claims more than the RIFF holds

        rejecting(() -> parse(bytes))
                .matches(e -> e.code() == ReasonCode.STRUCTURE_INVALID)
                .withMessageContaining("remain in its parent");
    }

    @Test
    void parse_webpVp8WrongStartCode_isStructureInvalid() {
        byte[] bytes = lossy.clone();
        bytes[20 + 3] = 0x00;

        rejecting(() -> parse(bytes)).withMessageContaining("expected 9D 01 2A");
    }

    @Test
    void parse_webpVp8lVersion1_isStructureInvalid() {
        byte[] bytes = lossless.clone();
        int vp8l = chunkAt(bytes, "VP8L", 12);
        bytes[vp8l + 8 + 4] |= 0x20;

        rejecting(() -> parse(bytes)).withMessageContaining("has version 1, expected 0");
    }

    @Test
    void parse_webpVp8xCanvasDifferentFromBitstream_isStructureInvalid() {
        byte[] bytes = lossyAlpha.clone();
        bytes[12 + 8 + 4] = 99; // canvas width - 1 = 99

        rejecting(() -> parse(bytes)).withMessageContaining("is 30x20, expected the VP8X canvas size 100x20");
    }

    @Test
    void parse_notWebp_isStructureInvalid() {
        byte[] bytes = lossy.clone();
        bytes[8] = 'A';
        bytes[9] = 'V';
        bytes[10] = 'I';
        bytes[11] = ' ';

        rejecting(() -> parse(bytes)).withMessageContaining("expected form type 'WEBP'");
    }

    @Test
    void validate_webpWithZipAppended_isPolyglot() {
        byte[] bytes = concat(lossy, zip());

        Verdict verdict = new StructureValidator(Limits.DEFAULTS, f -> Optional.of(new WebpParser()))
                .validate(new ArrayByteSource(bytes), "image/webp", "webp-with-zip-appended.webp").verdict();

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reasons()).anyMatch(r -> r.code() == ReasonCode.POLYGLOT);
    }
}
