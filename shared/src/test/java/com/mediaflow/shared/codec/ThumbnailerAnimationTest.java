package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static com.mediaflow.shared.codec.TestImages.similarity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_WEBP;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.shared.codec.FrameScore.Verdict;
import com.mediaflow.shared.error.CodecException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
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

    /**
     * FFmpeg 8.0.1's webp decoder skips ANIM/ANMF chunks ("image data not found"): an animated
     * WebP is refused with a CodecException naming the file, as before.
     */
    @Test
    void thumbnail_animatedWebp_isRefusedWithCodecException() throws Exception {
        Path webp = tmp.resolve("webp-animated-160x120-3frames.webp");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(webp.toFile(), W, H, 0);
                Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("webp");
            rec.setVideoCodec(AV_CODEC_ID_WEBP);
            rec.setVideoCodecName("libwebp_anim");
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(5);
            rec.setVideoOption("loop", "0");
            rec.start();
            for (int i = 0; i < 3; i++) {
                paint(frame, i == 1); // consecutive frames differ, or libwebp merges them
                rec.record(frame, AV_PIX_FMT_RGB24);
            }
            rec.stop();
        }
        assertThat(ImageProperties.describe(webp, MediaProbe.probe(webp), ExifReader.read(webp))
                .frameCount()).as("the structural parser counts the ANMF frames").isEqualTo(3);

        assertThatThrownBy(() -> THUMBNAILER.imageThumbnails(webp, 1, List.of(160)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(webp.toAbsolutePath().toString());
    }

    private Path gif(String name, int frames, int blankFrames) {
        return SyntheticMedia.animatedGif(tmp.resolve(name), W, H, frames,
                (frame, i) -> paint(frame, i >= blankFrames));
    }

    /** White, or a black and white checkerboard of 10-pixel squares (exact in a GIF palette). */
    private static void paint(Frame frame, boolean checker) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        for (int y = 0; y < frame.imageHeight; y++) {
            for (int x = 0; x < frame.imageWidth; x++) {
                boolean white = !checker || ((x / 10) + (y / 10)) % 2 == 0;
                for (int c = 0; c < 3; c++) {
                    buf.put(y * frame.imageStride + x * 3 + c, (byte) (white ? 255 : 0));
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
