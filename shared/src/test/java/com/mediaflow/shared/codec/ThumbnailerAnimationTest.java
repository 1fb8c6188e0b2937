package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static com.mediaflow.shared.codec.TestImages.similarity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import com.mediaflow.shared.codec.FrameScore.Verdict;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The still of an animation comes from a representative frame, not a blank first one. */
class ThumbnailerAnimationTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);
    private static final int W = 160;
    private static final int H = 120;

    @TempDir
    Path tmp;

    @Test
    void thumbnail_animatedGifWithBlankOpening_showsALaterFrame() {
        // given frames 0-2 plain white, 3-5 a checkerboard
        Path gif = gif("gif-160x120-white-then-checker-6frames.gif", 6, 3);

        // when
        Rendition thumb = THUMBNAILER.imageThumbnails(gif, 1, List.of(160)).get(0);

        // then
        TestImages.Rgb got = decode(thumb.bytes());
        FrameScore score = ThumbnailerPosterChoiceTest.score(got);
        assertThat(score.verdict()).as("thumbnail %s", score).isEqualTo(Verdict.GOOD);
        assertThat(similarity(got, checker())).isGreaterThan(0.95);
    }

    @Test
    void thumbnail_contentOnlyAfterTheDecodeBound_keepsTheLeastBadEarlyFrame() {
        // given white for more frames than are ever decoded, then the checkerboard
        int blank = Thumbnailer.ANIMATION_FRAMES + 2;
        Path gif = gif("gif-160x120-white-" + blank + "-then-checker.gif", blank + 3, blank);

        // when
        Rendition thumb = THUMBNAILER.imageThumbnails(gif, 1, List.of(160)).get(0);

        // then a white still (the bound held), not an error
        assertThat(decode(thumb.bytes()).meanLuma()).isGreaterThan(245);
    }

    @Test
    void perceptualHash_animatedGifWithBlankOpening_hashesTheSameFrameAsTheThumbnail() {
        Path gif = gif("gif-160x120-white-then-checker-6frames.gif", 6, 3);
        Path stillChecker = gif("gif-160x120-checker-1frame.gif", 1, 0);

        assertThat(PerceptualHash.of(gif, 1)).isEqualTo(PerceptualHash.of(stillChecker, 1));
    }

    @Test
    void thumbnail_animatedWebpWithBlankOpening_showsALaterFrame() throws Exception {
        // given three flat frames (white, light grey, grey: distinct, so libwebp keeps them),
        // then the checkerboard
        Path webp = blankThenCheckerWebp("webp-anim-lossy-160x120-flat3-then-checker.webp");
        assertThat(AnimatedWebp.frameCount(webp, 100)).isEqualTo(4);

        // when
        Rendition thumb = THUMBNAILER.imageThumbnails(webp, 1, List.of(160)).get(0);

        // then
        TestImages.Rgb got = decode(thumb.bytes());
        FrameScore score = ThumbnailerPosterChoiceTest.score(got);
        assertThat(score.verdict()).as("thumbnail %s", score).isEqualTo(Verdict.GOOD);
        assertThat(similarity(got, checker())).isGreaterThan(0.95);
    }

    @Test
    void perceptualHash_animatedWebpWithBlankOpening_hashesTheCheckerboard() throws Exception {
        // lossless: a checkerboard's hash is all near-median coefficients, lossy noise flips them
        Path webp = blankThenCheckerWebp("webp-anim-lossless-160x120-flat3-then-checker.webp",
                SyntheticMedia.WebpEncoding.LOSSLESS);
        // a PNG, not a GIF: GIF's 3-3-2 palette makes white 252, enough to flip hash bits
        Path stillChecker = tmp.resolve("png-160x120-checker.png");
        try (Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3)) {
            paint(frame, true);
            Files.write(stillChecker, FfmpegSupport.encodeStill(frame, AV_PIX_FMT_RGB24,
                    AV_CODEC_ID_PNG, AV_PIX_FMT_RGB24, 0, stillChecker));
        }

        assertThat(PerceptualHash.of(webp, 1)).isEqualTo(PerceptualHash.of(stillChecker, 1));
    }

    @Test
    void renditions_animatedWebpWithTransparency_flattenJpegsOntoWhiteAndKeepAlphaInWebp()
            throws Exception {
        // given a lossless animation whose left quarter stays transparent
        Path webp = AnimatedWebpTest.animation(tmp.resolve("webp-anim-lossless-alpha.webp"),
                SyntheticMedia.WebpEncoding.LOSSLESS, 6, (f, i) -> AnimatedWebpTest.paint(f, i, true));

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(webp, 1,
                new RenditionPlan(List.of(96), 0, 96, 80, 4096));

        // then the JPEG is white where the animation is transparent
        Rendition jpeg = made.renditions().stream().filter(r -> r.name().equals("thumb-96.jpg"))
                .findFirst().orElseThrow();
        TestImages.Rgb got = decode(jpeg.bytes());
        assertThat(got.width()).isEqualTo(AnimatedWebpTest.W);
        assertThat(got.luma(5, 30)).isGreaterThan(245);
        assertThat(got.luma(60, 10)).isLessThan(200);
        // and the display WebP keeps an alpha channel
        Rendition display = made.renditions().stream()
                .filter(r -> r.name().equals("display.webp")).findFirst().orElseThrow();
        assertThat(AnimatedWebpTest.chunkIdsOf(display.bytes())).contains("ALPH");
        assertThat(made.placeholder()).isNotNull();
    }

    @Test
    void thumbnail_animatedWebpWhoseFirstFrameIsCorrupt_isRefusedNamingFileAndFrame()
            throws Exception {
        Path webp = blankThenCheckerWebp("webp-anim-corrupt-frame0.webp");
        byte[] bytes = Files.readAllBytes(webp);
        int vp8 = AnimatedWebpTest.nthChunk(bytes, "VP8 ", 0);
        bytes[vp8 + 8 + 3] = 0; // VP8 key frame start code 9D 01 2A
        Files.write(webp, bytes);

        assertThatThrownBy(() -> THUMBNAILER.imageThumbnails(webp, 1, List.of(160)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("frame 0 of animated WebP")
                .hasMessageContaining(webp.toAbsolutePath().toString());
    }

    private Path blankThenCheckerWebp(String name) throws Exception {
        return blankThenCheckerWebp(name, SyntheticMedia.WebpEncoding.LOSSY);
    }

    private Path blankThenCheckerWebp(String name, SyntheticMedia.WebpEncoding mode) throws Exception {
        int[] flat = {255, 200, 150};
        return SyntheticMedia.animatedWebp(tmp.resolve(name), W, H, 4, 10, mode,
                (frame, i) -> {
                    paint(frame, i >= flat.length);
                    if (i < flat.length) {
                        ByteBuffer buf = (ByteBuffer) frame.image[0];
                        for (int o = 0; o < frame.imageHeight * frame.imageStride; o++) {
                            if (o % 4 != 3) {
                                buf.put(o, (byte) flat[i]);
                            }
                        }
                    }
                });
    }

    private Path gif(String name, int frames, int blankFrames) {
        return SyntheticMedia.animatedGif(tmp.resolve(name), W, H, frames,
                (frame, i) -> paint(frame, i >= blankFrames));
    }

    /**
     * White, or a black and white checkerboard of 10-pixel squares (exact in a GIF palette),
     * into packed RGB24 or (4 channels) opaque RGBA.
     */
    private static void paint(Frame frame, boolean checker) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int channels = frame.imageChannels;
        for (int y = 0; y < frame.imageHeight; y++) {
            for (int x = 0; x < frame.imageWidth; x++) {
                boolean white = !checker || ((x / 10) + (y / 10)) % 2 == 0;
                for (int c = 0; c < channels; c++) {
                    buf.put(y * frame.imageStride + x * channels + c,
                            (byte) (white || c == 3 ? 255 : 0));
                }
            }
        }
    }

    private static TestImages.Rgb checker() {
        int[] argb = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                argb[y * W + x] = ((x / 10) + (y / 10)) % 2 == 0 ? 0xffffffff : 0xff000000;
            }
        }
        return new TestImages.Rgb(W, H, argb);
    }
}
