package com.mediaflow.shared.codec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.testkit.SyntheticMedia.WebpEncoding;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Animated WebP (decoded by AnimatedWebp, not FFmpeg's demuxer) to silent looping H.264. */
class VideoTranscoderWebpTest {

    private static final VideoSettings SMALL = new VideoSettings(List.of(
            new Rung("120p", 120, 28, 400, 800), new Rung("240p", 240, 26, 800, 1600)),
            "veryfast", 2, 96, 1);
    private static final int W = 160;
    private static final int H = 120;
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @TempDir
    Path tmp;

    @Test
    void transcodeAnimatedWebp_losslessWithAlpha_silentLoopingMp4OfTheFramesOnWhite()
            throws Exception {
        // given 10 frames at 10 fps, a block moving over a gradient, left quarter transparent
        Path webp = SyntheticMedia.animatedWebp(tmp.resolve("webp-anim-lossless-alpha-160x120-10f.webp"),
                W, H, 10, 10, WebpEncoding.LOSSLESS, VideoTranscoderWebpTest::paint);
        List<Double> progress = new java.util.ArrayList<>();

        // when
        TranscodeResult r = new VideoTranscoder(SMALL).transcodeAnimatedWebp(webp,
                tmp.resolve("out"), NO_LIMIT, NO_LIMIT, progress::add);

        // then
        assertThat(r.animated()).isTrue();
        assertThat(r.hasAudio()).isFalse();
        assertThat(r.framesDecoded()).isEqualTo(10);
        assertThat(r.sourceDurationSeconds()).isCloseTo(1.0, within(0.001));
        assertThat(progress).isNotEmpty().isSorted().last().isEqualTo(1.0);
        assertThat(r.outputs()).isNotEmpty();
        for (VideoOutput o : r.outputs()) {
            Mp4Inspector.Info i = Mp4Inspector.probe(o.file());
            assertThat(i.videoCodec()).isEqualTo("h264");
            assertThat(i.videoProfile()).isEqualTo("High");
            assertThat(i.pixelFormat()).isEqualTo("yuv420p");
            assertThat(i.audioCodec()).isNull();
            assertThat(i.videoFrames()).isEqualTo(10);
            assertThat(i.videoDurationSeconds()).isCloseTo(1.0, within(0.05));
            assertThat(o.frames()).isEqualTo(10);
            assertThat(Mp4Inspector.faststart(o.file())).isTrue();
        }
        VideoOutput full = r.outputs().stream().filter(o -> o.width() == W).findFirst()
                .orElseThrow();
        for (int n : new int[] {0, 5, 9}) {
            assertThat(VideoFixtures.frame(full.file(), n).meanAbsDiff(expected(n)))
                    .as("frame %d", n).isLessThan(5);
        }
    }

    @Test
    void transcodeAnimatedWebp_longerLastFrame_isHeldSoTheLoopKeepsItsLength() throws Exception {
        // given frames 0, 1, 2, 2: libwebp merges the last two into one frame of 200 ms
        Path webp = SyntheticMedia.animatedWebp(tmp.resolve("webp-anim-lossy-last-200ms.webp"),
                W, H, 4, 10, WebpEncoding.LOSSY, (f, i) -> paint(f, Math.min(i, 2)));
        try (AnimatedWebp a = AnimatedWebp.open(webp, NO_LIMIT, NO_LIMIT)) {
            assertThat(a.durationsMs()).containsExactly(100, 100, 200);
        }

        TranscodeResult r = new VideoTranscoder(SMALL).transcodeAnimatedWebp(webp,
                tmp.resolve("out"), NO_LIMIT, NO_LIMIT, TranscodeProgress.NONE);

        assertThat(r.framesDecoded()).isEqualTo(3);
        for (VideoOutput o : r.outputs()) {
            Mp4Inspector.Info i = Mp4Inspector.probe(o.file());
            assertThat(i.videoFrames()).isEqualTo(4);
            assertThat(i.videoDurationSeconds()).isCloseTo(0.4, within(0.05));
        }
    }

    @Test
    void transcodeAnimatedWebp_tooManyFrames_codecExceptionAndNoOutput() {
        Path webp = SyntheticMedia.animatedWebp(tmp.resolve("webp-anim-lossy-5f.webp"), W, H, 5,
                10, WebpEncoding.LOSSY, VideoTranscoderWebpTest::paint);

        assertThatThrownBy(() -> new VideoTranscoder(SMALL).transcodeAnimatedWebp(webp,
                tmp.resolve("out"), 4, NO_LIMIT, TranscodeProgress.NONE))
                .isInstanceOf(CodecException.class).hasMessageContaining("MAX_FRAMES");
        assertThat(tmp.resolve("out")).isEmptyDirectory();
    }

    @Test
    void playbackTiming_shortDurationsPlayAs100msAndTheGridFitsTheDurations() {
        assertThat(AnimatedWebpTranscode.playbackDurations(new int[] {0, 10, 11, 40}))
                .containsExactly(100, 100, 11, 40);
        assertThat(AnimatedWebpTranscode.animationFps(new int[] {100, 100, 200})).isEqualTo(10.0);
        assertThat(AnimatedWebpTranscode.animationFps(new int[] {40, 80})).isEqualTo(25.0);
        assertThat(AnimatedWebpTranscode.animationFps(new int[] {11, 40})).isEqualTo(60.0);
        assertThat(AnimatedWebpTranscode.animationFps(new int[] {3000})).isEqualTo(1.0);
    }

    /** Packed RGBA: a gradient, a block moving 10 px a frame, left quarter transparent. */
    private static void paint(Frame f, int i) {
        ByteBuffer buf = (ByteBuffer) f.image[0];
        for (int y = 0; y < f.imageHeight; y++) {
            for (int x = 0; x < f.imageWidth; x++) {
                int o = y * f.imageStride + x * 4;
                int[] rgba = pixel(x, y, i);
                for (int c = 0; c < 4; c++) {
                    buf.put(o + c, (byte) rgba[c]);
                }
            }
        }
    }

    private static int[] pixel(int x, int y, int i) {
        if (x < W / 4) {
            return new int[] {0, 0, 0, 0};
        }
        boolean block = x >= 40 + 10 * i && x < 72 + 10 * i && y >= 40 && y < 72;
        return block ? new int[] {220, 40, 60, 255} : new int[] {x, 60 + y, 120, 255};
    }

    /** Frame {@code i} as the MP4 should show it: transparency flattened onto white. */
    private static VideoFixtures.Rgb expected(int i) {
        int[] px = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] p = pixel(x, y, i);
                px[y * W + x] = p[3] == 0 ? 0xffffff : p[0] << 16 | p[1] << 8 | p[2];
            }
        }
        return new VideoFixtures.Rgb(W, H, px);
    }
}
