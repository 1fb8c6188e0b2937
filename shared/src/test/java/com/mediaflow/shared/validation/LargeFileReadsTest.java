package com.mediaflow.shared.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validating a large video reads its headers and indexes, never its media data: proven by
 * counting the bytes the structural pass fetches from a real ~60 MB MP4 (lossless H.264 of noise,
 * so the media data is as large as it looks).
 */
class LargeFileReadsTest {
    @TempDir
    static Path tmp;

    static Path large;

    @BeforeAll
    static void makeLargeMp4() throws Exception {
        large = tmp.resolve("h264-lossless-noise-640x480-120f.mp4");
        Random random = new Random(42);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(large.toFile(), 640, 480, 0);
                Frame frame = new Frame(640, 480, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(30);
            rec.setVideoOption("preset", "ultrafast");
            rec.setVideoOption("crf", "0");
            rec.start();
            byte[] row = new byte[640 * 3];
            for (int f = 0; f < 120; f++) {
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < 480; y++) {
                    random.nextBytes(row);
                    buf.position(y * frame.imageStride);
                    buf.put(row);
                }
                buf.rewind();
                rec.record(frame);
            }
            rec.stop();
        }
    }

    @Test
    void structuralPass_overLargeMp4_readsOnlyAFewPercent() throws Exception {
        long size = Files.size(large);
        assertThat(size).as("the test file must really be large").isGreaterThan(40_000_000L);

        try (FileByteSource source = new FileByteSource(large)) {
            StructureValidator.Result result = new StructureValidator(Limits.DEFAULTS).validate(source, "video/mp4", large.getFileName().toString());

            assertThat(result.verdict().accepted()).as(result.verdict().reasons().toString()).isTrue();
            assertThat(result.verdict().detected()).isEqualTo(MediaFormat.MP4);
            assertThat(result.structure().width()).isEqualTo(640);
            assertThat(source.bytesRead()).as("bytes read of " + size).isLessThan(size / 50);
        }
    }
}
