package com.mediaflow.shared.validation;

import com.mediaflow.shared.error.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.io.FileByteSource;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAX_FRAME_RATE is a row of the limits table: judged from the headers, before any decoder. */
class FrameRateLimitTest {
    @TempDir
    Path dir;

    private static Limits withMaxFrameRate(long fps) {
        Limits d = Limits.DEFAULTS;
        return new Limits(d.maxBytes(), d.maxPixels(), d.maxFrames(), d.maxDurationSeconds(), d.maxTracks(), d.maxDepth(),
                d.maxSampleEntries(), fps);
    }

    @Test
    void mp4_above_maxFrameRate_isRejected_atOrBelow_passes() throws Exception {
        Path mp4 = SyntheticMedia.mp4(dir.resolve("h264-64x48-30fps-1s.mp4"), 64, 48, 1.0, 30, false, 0);

        var tight = validate(mp4, withMaxFrameRate(25), MediaFormat.MP4, "video/mp4");
        var fits = validate(mp4, withMaxFrameRate(30), MediaFormat.MP4, "video/mp4");

        assertThat(codes(tight)).containsExactly(ReasonCode.FRAME_RATE_LIMIT);
        assertThat(tight.verdict().reasons().get(0).message()).contains("30.0 frames per second").contains("MAX_FRAME_RATE");
        assertThat(fits.verdict().accepted()).isTrue();
        assertThat(fits.structure().frameRate()).isCloseTo(30.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void matroska_defaultDuration_isJudged() throws Exception {
        Path mkv = dir.resolve("h264-64x48-50fps.mkv");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(mkv.toFile(), 64, 48, 0)) {
            r.setFormat("matroska");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(50);
            r.start();
            for (int i = 0; i < 10; i++) {
                try (Frame f = new Frame(64, 48, Frame.DEPTH_UBYTE, 3)) {
                    ((java.nio.ByteBuffer) f.image[0]).put(0, (byte) (i * 20));
                    r.record(f);
                }
            }
        }

        var tight = validate(mkv, withMaxFrameRate(30), MediaFormat.MKV, "video/x-matroska");
        var fits = validate(mkv, withMaxFrameRate(60), MediaFormat.MKV, "video/x-matroska");

        assertThat(codes(tight)).containsExactly(ReasonCode.FRAME_RATE_LIMIT);
        assertThat(fits.verdict().accepted()).isTrue();
    }

    private static StructureValidator.Result validate(Path file, Limits limits, MediaFormat format, String declared) throws Exception {
        try (FileByteSource source = new FileByteSource(file)) {
            return new StructureValidator(limits).validate(source, format, declared, file.getFileName().toString());
        }
    }

    private static List<ReasonCode> codes(StructureValidator.Result r) {
        return r.verdict().reasons().stream().filter(Reason::rejects).map(Reason::code).toList();
    }
}
