package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** libwebp through Leptonica: the channels land where they belong, alpha only when asked. */
class LeptonicaWebpTest {
    private static final int W = 64;
    private static final int H = 48;
    /** Quadrants: red top left, green top right, blue bottom left, white bottom right. */
    private static final int[][] COLOURS = {{230, 20, 20}, {20, 200, 40}, {30, 40, 220}, {250, 250, 250}};

    @Test
    void nativesLoad_soTheFasterEncoderIsTheOneUnderTest() {
        assertThat(TurboJpeg.available()).as("Leptonica's natives load here (else the FFmpeg fallback runs)").isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void colours_stayInTheirQuadrants(int channels) {
        try (Frame f = quadrants(channels, 255)) {
            byte[] webp = LeptonicaWebp.encode(f, channels == 3 ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_RGB0, false, 90, Path.of("q"));
            assertThat(new String(webp, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WEBP");
            TestImages.Rgb img = rgba(webp);
            assertThat(img.width()).isEqualTo(W);
            assertThat(img.height()).isEqualTo(H);
            int[][] centres = {{W / 4, H / 4}, {3 * W / 4, H / 4}, {W / 4, 3 * H / 4}, {3 * W / 4, 3 * H / 4}};
            for (int q = 0; q < 4; q++) {
                int argb = img.argb()[centres[q][1] * W + centres[q][0]];
                int[] got = {argb >> 16 & 0xff, argb >> 8 & 0xff, argb & 0xff};
                for (int c = 0; c < 3; c++) {
                    assertThat(got[c]).as("quadrant %d channel %d", q, c).isCloseTo(COLOURS[q][c], org.assertj.core.data.Offset.offset(24));
                }
                assertThat(argb >>> 24).as("opaque").isEqualTo(255);
            }
        }
    }

    @Test
    void alpha_isKeptWhenAsked_andDroppedWhenNot() {
        try (Frame f = quadrants(4, 0)) { // left half transparent
            TestImages.Rgb kept = rgba(LeptonicaWebp.encode(f, AV_PIX_FMT_RGBA, true, 90, Path.of("a")));
            TestImages.Rgb dropped = rgba(LeptonicaWebp.encode(f, AV_PIX_FMT_RGBA, false, 90, Path.of("a")));
            assertThat(kept.argb()[(H / 4) * W + W / 8] >>> 24).as("left half transparent").isLessThan(16);
            assertThat(kept.argb()[(H / 4) * W + 7 * W / 8] >>> 24).as("right half opaque").isGreaterThan(240);
            assertThat(dropped.argb()[(H / 4) * W + W / 8] >>> 24).as("alpha not asked for: opaque").isEqualTo(255);
        }
    }

    /** The WebP decoded by FFmpeg (another libwebp than the encoder's) as ARGB words. */
    private static TestImages.Rgb rgba(byte[] webp) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new java.io.ByteArrayInputStream(webp))) {
            grabber.setFormat("webp_pipe");
            grabber.setPixelFormat(AV_PIX_FMT_RGBA);
            grabber.start();
            Frame f = grabber.grabImage();
            assertThat(f).as("FFmpeg decodes the WebP").isNotNull();
            ByteBuffer buf = (ByteBuffer) f.image[0];
            int[] argb = new int[f.imageWidth * f.imageHeight];
            for (int y = 0; y < f.imageHeight; y++) {
                for (int x = 0; x < f.imageWidth; x++) {
                    int o = y * f.imageStride + x * 4;
                    argb[y * f.imageWidth + x] = (buf.get(o + 3) & 0xff) << 24 | (buf.get(o) & 0xff) << 16
                            | (buf.get(o + 1) & 0xff) << 8 | buf.get(o + 2) & 0xff;
                }
            }
            TestImages.Rgb out = new TestImages.Rgb(f.imageWidth, f.imageHeight, argb);
            grabber.stop();
            return out;
        } catch (Exception e) {
            throw new AssertionError("Cannot decode the WebP with FFmpeg: " + e.getMessage(), e);
        }
    }

    /** Quadrant colours; with 4 channels, the left half has alpha {@code leftAlpha}, the right 255. */
    private static Frame quadrants(int channels, int leftAlpha) {
        Frame f = new Frame(W, H, Frame.DEPTH_UBYTE, channels);
        ByteBuffer buf = (ByteBuffer) f.image[0];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] c = COLOURS[(y < H / 2 ? 0 : 2) + (x < W / 2 ? 0 : 1)];
                int o = y * f.imageStride + x * channels;
                buf.put(o, (byte) c[0]).put(o + 1, (byte) c[1]).put(o + 2, (byte) c[2]);
                if (channels == 4) {
                    buf.put(o + 3, (byte) (x < W / 2 ? leftAlpha : 255));
                }
            }
        }
        return f;
    }
}
