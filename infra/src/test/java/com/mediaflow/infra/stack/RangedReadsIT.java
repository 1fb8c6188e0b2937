package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.S3ByteSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** On S3 the structural pass of a large video is a handful of ranged GETs, not a download. */
class RangedReadsIT {
    private static StackFixture fx;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void structuralPass_onS3_fetchesOnlyHeadersAndIndexes() throws Exception {
        Path mp4 = tmp.resolve("h264-lossless-noise-640x480-90f.mp4");
        Random random = new Random(7);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(mp4.toFile(), 640, 480, 0);
                Frame frame = new Frame(640, 480, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(30);
            rec.setVideoOption("preset", "ultrafast");
            rec.setVideoOption("crf", "0");
            rec.start();
            byte[] row = new byte[640 * 3];
            for (int f = 0; f < 90; f++) {
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
        long size = Files.size(mp4);
        assertThat(size).isGreaterThan(30_000_000L);
        String etag = fx.stack.s3().putObject(b -> b.bucket(fx.media).key("large.mp4"), RequestBody.fromFile(mp4)).eTag();

        try (S3ByteSource source = new S3ByteSource(fx.stack.s3(), fx.media, "large.mp4", etag, size)) {
            var result = new StructureValidator(Limits.DEFAULTS).validate(source, MediaFormat.MP4, "video/mp4", "large.mp4");

            assertThat(result.verdict().accepted()).as(result.verdict().reasons().toString()).isTrue();
            assertThat(source.bytesRead()).as("bytes fetched of " + size).isLessThan(size / 50);
            assertThat(source.requests()).as("ranged GETs").isLessThan(20);
        }
    }
}
