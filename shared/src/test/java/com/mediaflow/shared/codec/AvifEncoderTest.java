package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.FileByteSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An AVIF from libsvtav1, decoded back by our own HEIF/AVIF path ({@link HeifDecoder}, FFmpeg's AV1
 * decoder on the primary item) and accepted by validation as image/avif.
 *
 * <p>The PSNR bounds. The picture is smooth gradients, a white and a dark block and a saturated red
 * bar, encoded at CRF 32, 4:2:0. Luma PSNR measured 44.7 dB; bound 40 dB. Over R, G and B together it
 * measured 33.9 dB, and that is 4:2:0's doing, not the encoder's: the red bar's chroma edges cap it
 * (CRF 10 gives 34.2 dB; outside the bar the RGB PSNR is 39.7 dB), so the bound there is 30 dB. Both
 * leave room for encoder versions and stay far above what a wrong picture scores (the control: the
 * decoded picture read shifted by 8 pixels scores 22.7 dB luma and 23.2 dB RGB; with red and blue
 * swapped, under 20 dB RGB).
 */
class AvifEncoderTest {
    private static final int W = 320;
    private static final int H = 240;

    @TempDir
    Path tmp;

    @Test
    void thisFfmpegBuildHasTheAv1EncoderAndDecoder() {
        assertThat(AvifEncoder.available()).as("libsvtav1 in JavaCV's FFmpeg").isTrue();
        assertThat(HeifDecoder.canDecodeAv1()).isTrue();
    }

    @Test
    void encode_decodesBackClose_andValidationAcceptsItAsAvif() throws Exception {
        Frame src = pattern(W, H);
        Path avif = tmp.resolve("still.avif");

        long bytes = new AvifEncoder().encode(src, AV_PIX_FMT_RGB24, avif);

        assertThat(bytes).isEqualTo(Files.size(avif)).isLessThan(W * H * 3 / 20L); // well under a twentieth of raw
        byte[] head = Files.readAllBytes(avif);
        assertThat(Detector.detect(head)).isEqualTo(MediaFormat.AVIF);
        assertThat(HeifDecoder.isAvif(avif)).isTrue();

        StructureValidator.Result checked = new StructureValidator(Limits.DEFAULTS)
                .validate(new FileByteSource(avif), "image/avif", "still.avif");
        assertThat(checked.verdict().accepted()).as("%s", checked.verdict().reasons()).isTrue();
        assertThat(checked.verdict().detected()).isEqualTo(MediaFormat.AVIF);
        assertThat(checked.verdict().reasons()).isEmpty();
        assertThat(checked.structure().width()).isEqualTo(W);
        assertThat(checked.structure().height()).isEqualTo(H);

        try (Frame back = HeifDecoder.decodePrimary(avif)) {
            assertThat(back.imageWidth).isEqualTo(W);
            assertThat(back.imageHeight).isEqualTo(H);
            assertThat(lumaPsnr(src, back, 0)).as("luma PSNR, dB").isGreaterThan(40);
            assertThat(psnr(src, back, 0, false)).as("PSNR over RGB, dB").isGreaterThan(30);
            assertThat(lumaPsnr(src, back, 8)).as("luma, shifted by 8 pixels").isLessThan(30);
            // control: the metric tells a wrong picture apart
            assertThat(psnr(src, back, 0, true)).as("red and blue swapped").isLessThan(20);
            assertThat(psnr(src, back, 8, false)).as("shifted by 8 pixels").isLessThan(26);
        }
    }

    @Test
    void encode_sameStillTwice_sameBytes() throws Exception {
        Frame src = pattern(W, H);
        new AvifEncoder().encode(src, AV_PIX_FMT_RGB24, tmp.resolve("a.avif"));
        new AvifEncoder().encode(src, AV_PIX_FMT_RGB24, tmp.resolve("b.avif"));
        assertThat(Files.readAllBytes(tmp.resolve("b.avif"))).isEqualTo(Files.readAllBytes(tmp.resolve("a.avif")));
    }

    @Test
    void encode_lowerCrf_largerAndCloser() throws Exception {
        Frame src = pattern(W, H);
        long small = new AvifEncoder(50, 10).encode(src, AV_PIX_FMT_RGB24, tmp.resolve("q50.avif"));
        long large = new AvifEncoder(20, 10).encode(src, AV_PIX_FMT_RGB24, tmp.resolve("q20.avif"));
        assertThat(large).isGreaterThan(small);
        try (Frame lo = HeifDecoder.decodePrimary(tmp.resolve("q50.avif"));
                Frame hi = HeifDecoder.decodePrimary(tmp.resolve("q20.avif"))) {
            assertThat(psnr(src, hi, 0, false)).isGreaterThan(psnr(src, lo, 0, false));
        }
    }

    @Test
    void encode_belowTheEncodersSmallestPicture_namesTheLimit() {
        Frame tiny = pattern(32, 64);
        assertThatThrownBy(() -> new AvifEncoder().encode(tiny, AV_PIX_FMT_RGB24, tmp.resolve("tiny.avif")))
                .isInstanceOf(CodecException.class).hasMessageContaining("32x64").hasMessageContaining("at least 64x64");
    }

    /** Gradients in all three channels, a white and a dark block and a saturated red bar. */
    static Frame pattern(int w, int h) {
        Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 40 + 180 * x / w;
                int g = 30 + 190 * y / h;
                int bl = 200 - 150 * (x + y) / (w + h);
                if (x > w / 10 && x < w / 4 && y > h / 10 && y < h / 4) {
                    r = g = bl = 240;
                } else if (x > w * 3 / 4 && y > h * 3 / 4) {
                    r = g = bl = 20;
                } else if (y > h / 2 && y < h / 2 + h / 12) {
                    r = 220;
                    g = 30;
                    bl = 40;
                }
                int i = y * f.imageStride + x * 3;
                b.put(i, (byte) r).put(i + 1, (byte) g).put(i + 2, (byte) bl);
            }
        }
        return f;
    }

    /** PSNR in dB of the BT.601 luma of {@code a} against {@code b}, read shifted right by {@code shift}. */
    static double lumaPsnr(Frame a, Frame b, int shift) {
        ByteBuffer pa = (ByteBuffer) a.image[0];
        ByteBuffer pb = (ByteBuffer) b.image[0];
        double[] k = {0.299, 0.587, 0.114};
        double se = 0;
        long n = 0;
        for (int y = 0; y < a.imageHeight; y++) {
            for (int x = 0; x < a.imageWidth - shift; x++) {
                double ya = 0;
                double yb = 0;
                for (int c = 0; c < 3; c++) {
                    ya += k[c] * (pa.get(y * a.imageStride + x * 3 + c) & 0xff);
                    yb += k[c] * (pb.get(y * b.imageStride + (x + shift) * b.imageChannels + c) & 0xff);
                }
                se += (ya - yb) * (ya - yb);
                n++;
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / n));
    }

    /**
     * PSNR in dB over R, G and B of {@code a} (packed RGB) against {@code b} (packed RGB or RGBA),
     * optionally reading {@code b} shifted right by {@code shift} pixels or with red and blue swapped.
     */
    static double psnr(Frame a, Frame b, int shift, boolean swapRedBlue) {
        ByteBuffer pa = (ByteBuffer) a.image[0];
        ByteBuffer pb = (ByteBuffer) b.image[0];
        int cb = b.imageChannels;
        double se = 0;
        long n = 0;
        for (int y = 0; y < a.imageHeight; y++) {
            for (int x = 0; x < a.imageWidth - shift; x++) {
                for (int c = 0; c < 3; c++) {
                    int cc = swapRedBlue ? 2 - c : c;
                    int va = pa.get(y * a.imageStride + x * 3 + c) & 0xff;
                    int vb = pb.get(y * b.imageStride + (x + shift) * cb + cc) & 0xff;
                    se += (va - vb) * (double) (va - vb);
                    n++;
                }
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / n));
    }
}
