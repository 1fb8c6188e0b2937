package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThumbnailerVideoPosterTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);

    @TempDir
    Path tmp;

    @Test
    void videoPoster_syntheticMp4_isNotBlackAndHasThumbnails() {
        // given
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-aac-320x240-1s.mp4"), 320, 240, 1.0, 15,
                true, 0);

        // when
        List<Rendition> rs = THUMBNAILER.videoPoster(mp4, 1280, List.of(64, 160));

        // then
        assertThat(rs).extracting(Rendition::name)
                .containsExactly("poster.jpg", "thumb-64.jpg", "thumb-160.jpg");
        assertThat(rs).extracting(Rendition::kind)
                .containsExactly("poster", "thumbnail", "thumbnail");
        Rendition poster = rs.get(0);
        assertThat(new int[] {poster.width(), poster.height()}).as("never upscaled")
                .containsExactly(320, 240);
        assertThat(decode(poster.bytes()).meanLuma()).isGreaterThan(Thumbnailer.BLACK_LUMA);
        assertThat(rs).extracting(Rendition::width).containsExactly(320, 64, 160);
        assertThat(rs).extracting(Rendition::height).containsExactly(240, 48, 120);
        for (Rendition r : rs) {
            TestImages.Rgb got = decode(r.bytes());
            assertThat(new int[] {got.width(), got.height()})
                    .containsExactly(r.width(), r.height());
        }
    }

    @Test
    void videoPoster_maxPosterSide_scalesDown() {
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-320x240-0.5s.mp4"), 320, 240, 0.5, 10,
                false, 0);

        Rendition poster = THUMBNAILER.videoPoster(mp4, 160, List.of()).get(0);

        assertThat(new int[] {poster.width(), poster.height()}).containsExactly(160, 120);
    }

    /**
     * The stored picture has a white marker in its top-left corner; after the player's clockwise
     * rotation it sits in another corner. Rectangles are fractions of the upright poster.
     */
    @ParameterizedTest(name = "display rotation {0}")
    @CsvSource({
        "0,   320, 240, 0.09, 0.10, 0.22, 0.30",
        "90,  240, 320, 0.70, 0.09, 0.90, 0.22",
        "180, 320, 240, 0.78, 0.70, 0.91, 0.90",
        "270, 240, 320, 0.10, 0.78, 0.30, 0.91",
    })
    void videoPoster_rotatedVideo_isUpright(int rotation, int width, int height, double x0,
            double y0, double x1, double y1) {
        // given a 320x240 video with a display matrix
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-320x240-rot" + rotation + ".mp4"), 320,
                240, 0.5, 10, false, rotation);

        // when
        Rendition poster = THUMBNAILER.videoPoster(mp4, 640, List.of()).get(0);

        // then portrait for 90/270, and the marker is where the player shows it
        TestImages.Rgb got = decode(poster.bytes());
        assertThat(new int[] {poster.width(), poster.height(), got.width(), got.height()})
                .containsExactly(width, height, width, height);
        assertThat(got.meanLuma(x0, y0, x1, y1)).as("white marker").isGreaterThan(200);
        if (rotation != 0) {
            assertThat(got.meanLuma(0.09, 0.10, 0.22, 0.30)).as("not left top-left")
                    .isLessThan(200);
        }
    }

    @Test
    void videoPoster_blackOpening_skipsToABrightFrame() throws Exception {
        // given 2 s at 10 fps, black for the first 0.45 s: the 10% candidate (0.2 s) is black,
        // the 25% one (0.5 s) is not
        Path mp4 = tmp.resolve("h264-160x120-black-opening-2s.mp4");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(mp4.toFile(), 160, 120, 0);
                Frame frame = new Frame(160, 120, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(10);
            rec.setGopSize(5);
            rec.start();
            for (int i = 0; i < 20; i++) {
                fill(frame, i < 5 ? 0 : 180);
                rec.record(frame, AV_PIX_FMT_RGB24);
            }
            rec.stop();
        }

        // when
        Rendition poster = THUMBNAILER.videoPoster(mp4, 640, List.of()).get(0);

        // then
        assertThat(decode(poster.bytes()).meanLuma()).isGreaterThan(150);
    }

    @Test
    void videoPoster_noVideoStream_throwsCodecException() throws Exception {
        Path garbage = Files.write(tmp.resolve("not-a-video.mp4"), new byte[] {0, 0, 0, 8, 'f',
            't', 'y', 'p'});

        assertThatThrownBy(() -> THUMBNAILER.videoPoster(garbage, 640, List.of(64)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(garbage.toString());
    }

    private static void fill(Frame frame, int grey) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        for (int i = 0; i < frame.imageHeight * frame.imageStride; i++) {
            buf.put(i, (byte) grey);
        }
    }
}
