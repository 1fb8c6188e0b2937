package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import com.mediaflow.testkit.SyntheticMedia;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticMediaTest {

    @TempDir
    Path tmp;

    @Test
    void jpeg_sameArguments_sameBytes() throws Exception {
        byte[] a = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("a.jpg"), 96, 64, 3));
        byte[] b = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("b.jpg"), 96, 64, 3));

        assertThat(a).isEqualTo(b);
    }

    @Test
    void jpeg_withOrientation_hasMinimalExifRightAfterSoi() throws Exception {
        // when
        byte[] plain = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("p.jpg"), 32, 32, 0));
        byte[] tagged = Files.readAllBytes(SyntheticMedia.jpeg(tmp.resolve("t.jpg"), 32, 32, 7));

        // then: SOI, APP1 of 34 bytes, "Exif\0\0", big-endian TIFF, one SHORT entry 0x0112 = 7
        byte[] expectedHead = {
            (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 34,
            'E', 'x', 'i', 'f', 0, 0,
            'M', 'M', 0, 42, 0, 0, 0, 8,
            0, 1, 1, 0x12, 0, 3, 0, 0, 0, 1, 0, 7, 0, 0,
            0, 0, 0, 0,
        };
        assertThat(Arrays.copyOf(tagged, expectedHead.length)).isEqualTo(expectedHead);
        assertThat(Arrays.copyOfRange(tagged, expectedHead.length, tagged.length))
                .as("the rest is the untagged JPEG after its SOI")
                .isEqualTo(Arrays.copyOfRange(plain, 2, plain.length));
    }

    @Test
    void jpeg_isANonFlatPattern() {
        TestImages.Rgb img = TestImages.decode(SyntheticMedia.jpeg(tmp.resolve("p.jpg"), 128, 96,
                0));

        assertThat(new int[] {img.width(), img.height()}).containsExactly(128, 96);
        assertThat(img.meanLuma(0.08, 0.08, 0.24, 0.3)).as("white marker").isGreaterThan(220);
        assertThat(img.meanLuma(0.65, 0.65, 0.8, 0.8)).as("dark disc").isLessThan(60);
    }

    @Test
    void pngWithAlpha_hasAnAlphaRampFromTransparentToOpaque() throws Exception {
        Path png = SyntheticMedia.pngWithAlpha(tmp.resolve("rgba-64x32.png"), 64, 32);

        BufferedImage img = ImageIO.read(png.toFile());

        assertThat(img.getColorModel().hasAlpha()).isTrue();
        assertThat(img.getRGB(0, 10) >>> 24).isZero();
        assertThat(img.getRGB(32, 10) >>> 24).isBetween(100, 160);
        assertThat(img.getRGB(63, 10) >>> 24).isEqualTo(255);
        assertThat(img.getRGB(0, 10) & 0xffffff).as("transparent pixels keep a colour")
                .isNotEqualTo(0xffffff);
    }

    @Test
    void mp4_framesMoveAndAreNotBlack() throws Exception {
        // given
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-160x120-1s.mp4"), 160, 120, 1.0, 10,
                false, 0);

        // when: first and last frames
        byte[] first;
        byte[] last = null;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toString())) {
            g.setPixelFormat(AV_PIX_FMT_RGB24);
            g.start();
            first = copy(g.grabImage());
            Frame f;
            while ((f = g.grabImage()) != null) {
                last = copy(f);
            }
        }

        // then
        assertThat(last).isNotNull();
        assertThat(first).isNotEqualTo(last);
        double mean = 0;
        for (byte b : first) {
            mean += b & 0xff;
        }
        assertThat(mean / first.length).isGreaterThan(60);
    }

    @Test
    void mp4_sameArguments_sameStream() throws Exception {
        // Not byte-identical: FFmpeg's encoders write different bytes on their first use in a JVM
        // (seen with FFmpeg 8.0.1 and 7.1). The stream they describe is the same.
        ProbeResult a = MediaProbe.probe(SyntheticMedia.mp4(tmp.resolve("a.mp4"), 64, 48, 0.5, 10, true, 90));
        ProbeResult b = MediaProbe.probe(SyntheticMedia.mp4(tmp.resolve("b.mp4"), 64, 48, 0.5, 10, true, 90));

        assertThat(b).isEqualTo(a);
        assertThat(a.frameCount()).isEqualTo(5);
        assertThat(a.rotation()).isEqualTo(90);
    }

    @Test
    void invalidArguments_areRejected() {
        assertThatThrownBy(() -> SyntheticMedia.jpeg(tmp.resolve("x.jpg"), 0, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x10");
        assertThatThrownBy(() -> SyntheticMedia.jpeg(tmp.resolve("x.jpg"), 10, 10, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 9");
        assertThatThrownBy(() -> SyntheticMedia.mp4(tmp.resolve("x.mp4"), 33, 10, 1, 10, false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33x10");
        assertThatThrownBy(() -> SyntheticMedia.mp4(tmp.resolve("x.mp4"), 32, 10, 1, 10, false,
                45)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("45");
    }

    private static byte[] copy(Frame f) {
        ByteBuffer buf = ((ByteBuffer) f.image[0]).duplicate();
        byte[] out = new byte[f.imageHeight * f.imageWidth * 3];
        for (int y = 0; y < f.imageHeight; y++) {
            buf.position(y * f.imageStride);
            buf.get(out, y * f.imageWidth * 3, f.imageWidth * 3);
        }
        return out;
    }
}
