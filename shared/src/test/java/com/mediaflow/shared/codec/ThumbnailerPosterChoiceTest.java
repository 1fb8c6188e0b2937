package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static com.mediaflow.shared.codec.TestImages.similarity;
import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.codec.FrameScore.Verdict;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poster of a video is the best-scoring of five candidate frames: black, fade and uniform
 * frames lose to a frame with content, and an all-black video still gets one.
 */
class ThumbnailerPosterChoiceTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);
    private static final RenditionPlan PLAN =
            new RenditionPlan(List.of(64, 160), 96, 320, 80, 1024);
    private static final int W = 320;
    private static final int H = 240;
    private static final int FPS = 15;

    @TempDir
    Path tmp;

    @Test
    void frameScore_sectionsOfTheClip_areJudgedAsIntended() {
        try (Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3)) {
            paint(frame, 0);
            assertThat(FrameScore.of(frame, 3).verdict()).as("black").isEqualTo(Verdict.BLACK);
            paintPattern(frame, 0.22);
            assertThat(FrameScore.of(frame, 3).verdict()).as("fade-in at 22%")
                    .isEqualTo(Verdict.FADE);
            paint(frame, 128);
            assertThat(FrameScore.of(frame, 3).verdict()).as("grey card")
                    .isEqualTo(Verdict.UNIFORM);
            paint(frame, 250);
            assertThat(FrameScore.of(frame, 3).verdict()).as("washed-out white")
                    .isEqualTo(Verdict.FADE);
            paintPattern(frame, 1.0);
            FrameScore pattern = FrameScore.of(frame, 3);
            assertThat(pattern.verdict()).as("pattern %s", pattern).isEqualTo(Verdict.GOOD);
            assertThat(pattern.score()).isGreaterThan(0.5);
        }
    }

    @Test
    void frameScore_rejectedFrames_rankBelowGoodOnesAndGreyAboveBlack() {
        try (Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3)) {
            paint(frame, 0);
            double black = FrameScore.of(frame, 3).score();
            paint(frame, 128);
            double grey = FrameScore.of(frame, 3).score();
            paintPattern(frame, 1.0);
            double pattern = FrameScore.of(frame, 3).score();

            assertThat(black).isLessThan(grey);
            assertThat(grey).isLessThan(0).isLessThan(pattern);
            assertThat(pattern).isBetween(0.0, 1.0);
        }
    }

    @Test
    void poster_blackFadeGreyThenPattern_isAPatternFrame() {
        // given 5 s: 0-1 s black, 1-2 s fade-in of the pattern (quadratic), 2-3 s a grey card,
        // 3-5 s the pattern. The candidates (0.5, 1.5, 2.5, 3.5, 4.5 s) land in each section;
        // the old rule (first frame above black luma) would take the grey card at 2.5 s.
        Path mp4 = video("h264-320x240-black-fade-grey-pattern-5s.mp4", 5 * FPS, i -> {
            double t = (double) i / FPS;
            if (t < 1) {
                return new double[] {0};
            }
            if (t < 2) {
                return new double[] {-1, (t - 1) * (t - 1)};
            }
            if (t < 3) {
                return new double[] {128};
            }
            return new double[] {-1, 1.0};
        });

        // when
        ImageRenditions out = THUMBNAILER.videoRenditions(mp4, 640, PLAN);

        // then the poster scores as a good frame and looks like the pattern, not the grey card
        Rendition poster = out.renditions().get(0);
        assertThat(poster.name()).isEqualTo("poster.jpg");
        TestImages.Rgb got = decode(poster.bytes());
        FrameScore score = score(got);
        assertThat(score.verdict()).as("poster %s", score).isEqualTo(Verdict.GOOD);
        TestImages.Rgb pattern;
        TestImages.Rgb grey;
        try (Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3)) {
            paintPattern(frame, 1.0);
            pattern = rgb(frame);
            paint(frame, 128);
            grey = rgb(frame);
        }
        assertThat(similarity(got, pattern)).as("like the pattern").isGreaterThan(0.97);
        assertThat(similarity(got, grey)).as("unlike the grey card").isLessThan(0.85);
        // and the same thumbnails and placeholder as an image
        assertThat(out.renditions()).extracting(Rendition::name).containsExactly("poster.jpg",
                "thumb-square-96.jpg", "thumb-64.jpg", "thumb-160.jpg", "display.jpg",
                "display.webp", "placeholder.jpg");
        assertThat(out.placeholder()).isNotNull();
        TestImages.Rgb thumb = decode(out.renditions().get(3).bytes());
        assertThat(score(thumb).verdict()).isEqualTo(Verdict.GOOD);
    }

    @Test
    void poster_allBlackVideo_stillYieldsTheLeastBadFrame() {
        // given 2 s of black
        Path mp4 = video("h264-320x240-black-2s.mp4", 2 * FPS, i -> new double[] {0});

        // when
        ImageRenditions out = THUMBNAILER.videoRenditions(mp4, 640, PLAN);

        // then a black poster and every rendition, no error
        Rendition poster = out.renditions().get(0);
        assertThat(new int[] {poster.width(), poster.height()}).containsExactly(W, H);
        assertThat(score(decode(poster.bytes())).verdict()).isEqualTo(Verdict.BLACK);
        assertThat(out.renditions()).hasSize(7);
        assertThat(out.placeholder().blurHash()).isNotBlank();
    }

    /**
     * Writes an H.264 video; {@code content(i)} is {grey} for a flat frame or {-1, gain} for the
     * pattern multiplied by gain.
     */
    private Path video(String name, int frames, IntFunction<double[]> content) {
        return SyntheticMedia.mp4(tmp.resolve(name), W, H, frames, FPS, (frame, i) -> {
            double[] c = content.apply(i);
            if (c[0] < 0) {
                paintPattern(frame, c[1]);
            } else {
                paint(frame, (int) c[0]);
            }
        });
    }

    private static void paint(Frame frame, int grey) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        for (int i = 0; i < frame.imageHeight * frame.imageStride; i++) {
            buf.put(i, (byte) grey);
        }
    }

    /** Colour checkerboard over gradients, every channel multiplied by {@code gain}. */
    private static void paintPattern(Frame frame, double gain) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        for (int y = 0; y < frame.imageHeight; y++) {
            for (int x = 0; x < frame.imageWidth; x++) {
                boolean light = ((x / 20) + (y / 20)) % 2 == 0;
                int r = light ? 230 : 30 + x / 4;
                int g = light ? 200 - y / 2 : 40;
                int b = light ? 60 : 200 - x / 3;
                int o = y * frame.imageStride + x * 3;
                buf.put(o, (byte) Math.round(r * gain));
                buf.put(o + 1, (byte) Math.round(g * gain));
                buf.put(o + 2, (byte) Math.round(b * gain));
            }
        }
    }

    private static TestImages.Rgb rgb(Frame frame) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int[] argb = new int[frame.imageWidth * frame.imageHeight];
        for (int y = 0; y < frame.imageHeight; y++) {
            for (int x = 0; x < frame.imageWidth; x++) {
                int o = y * frame.imageStride + x * 3;
                argb[y * frame.imageWidth + x] = 0xff000000 | (buf.get(o) & 0xff) << 16
                        | (buf.get(o + 1) & 0xff) << 8 | (buf.get(o + 2) & 0xff);
            }
        }
        return new TestImages.Rgb(frame.imageWidth, frame.imageHeight, argb);
    }

    /** FrameScore of a decoded picture (ImageIO pixels packed as RGB24). */
    static FrameScore score(TestImages.Rgb img) {
        ByteBuffer buf = ByteBuffer.allocate(img.width() * img.height() * 3);
        for (int i = 0; i < img.argb().length; i++) {
            buf.put(i * 3, (byte) (img.argb()[i] >> 16));
            buf.put(i * 3 + 1, (byte) (img.argb()[i] >> 8));
            buf.put(i * 3 + 2, (byte) img.argb()[i]);
        }
        return FrameScore.of(buf, img.width(), img.height(), img.width() * 3, 3);
    }
}
