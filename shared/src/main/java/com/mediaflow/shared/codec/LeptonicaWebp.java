package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;
import static org.bytedeco.leptonica.global.leptonica.lept_free;
import static org.bytedeco.leptonica.global.leptonica.pixCreate;
import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixGetData;
import static org.bytedeco.leptonica.global.leptonica.pixSetSpp;
import static org.bytedeco.leptonica.global.leptonica.pixWriteMemWebP;

import com.mediaflow.shared.error.CodecException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.leptonica.PIX;

/**
 * Lossy WebP through the libwebp statically linked into Leptonica's JavaCPP preset (the natives
 * {@link TurboJpeg} already loads), called as {@code WebPEncode} with libwebp's default config
 * (method 4) and the given quality: the same encoder sharp calls. FFmpeg's {@code libwebp}
 * wrapper over its own libwebp took about 1.6 times as long for the same 800x600 picture on this
 * machine (65 ms against 40; a swscale RGB to YUV 4:2:0 pass with accurate rounding before the
 * encoder, and a slower libwebp build), and the display WebP is the largest single encoder cost of
 * the thumbnail step. Alpha is kept when asked (libwebp drops an all-opaque alpha plane itself).
 *
 * <p>When Leptonica's natives are missing, FFmpeg's encoder is used, as before.
 */
final class LeptonicaWebp {
    private LeptonicaWebp() {
    }

    /**
     * @param pixFmt the frame's pixel format: RGB24, RGB0 or RGBA here, any other through FFmpeg's encoder
     * @param alpha whether to keep the frame's alpha (RGBA only)
     * @param quality libwebp quality, 1-100
     * @param file what the picture is made from, for messages
     */
    static byte[] encode(Frame frame, int pixFmt, boolean alpha, int quality, Path file) {
        int stride = pixFmt == AV_PIX_FMT_RGB24 ? 3 : pixFmt == AV_PIX_FMT_RGBA || pixFmt == AV_PIX_FMT_RGB0 ? 4 : 0;
        if (!TurboJpeg.available() || stride == 0) {
            return FfmpegSupport.encodeStill(frame, pixFmt, "libwebp", alpha ? AV_PIX_FMT_YUVA420P : AV_PIX_FMT_YUV420P,
                    quality, file);
        }
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        boolean keepAlpha = alpha && pixFmt == AV_PIX_FMT_RGBA;
        PIX pix = pixCreate(w, h, 32);
        if (pix == null) {
            throw new CodecException("Cannot encode a " + w + "x" + h + " WebP for " + file
                    + ": expected Leptonica to allocate the picture, found it could not");
        }
        try (PointerPointer<BytePointer> out = new PointerPointer<>(1); SizeTPointer size = new SizeTPointer(1)) {
            pixSetSpp(pix, keepAlpha ? 4 : 3);
            fill(pixGetData(pix).capacity((long) w * h).asBuffer(), frame, stride, keepAlpha);
            int status = pixWriteMemWebP(out, size, pix, quality, 0);
            BytePointer data = out.get(BytePointer.class, 0);
            if (status != 0 || data == null || data.isNull() || size.get() <= 0) {
                throw new CodecException("Cannot encode a " + w + "x" + h + " WebP for " + file
                        + ": expected libwebp to return the encoded picture, found status " + status);
            }
            try {
                byte[] bytes = new byte[Math.toIntExact(size.get())];
                data.capacity(size.get()).get(bytes);
                return bytes;
            } finally {
                lept_free(data);
            }
        } finally {
            pixDestroy(pix);
        }
    }

    /** Leptonica's 32-bit words: red in the high byte, then green, blue, alpha (opaque for RGB). */
    private static void fill(IntBuffer words, Frame frame, int channels, boolean keepAlpha) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        int rowBytes = frame.imageStride * Math.abs(frame.imageDepth) / 8;
        byte[] row = new byte[w * channels];
        int[] line = new int[w];
        for (int y = 0; y < h; y++) {
            src.position(y * rowBytes);
            src.get(row);
            for (int x = 0, o = 0; x < w; x++, o += channels) {
                int a = keepAlpha ? row[o + 3] & 0xff : 0xff;
                line[x] = (row[o] & 0xff) << 24 | (row[o + 1] & 0xff) << 16 | (row[o + 2] & 0xff) << 8 | a;
            }
            words.put(line);
        }
    }
}
