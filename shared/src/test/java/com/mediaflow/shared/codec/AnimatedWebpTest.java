package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;

import com.mediaflow.testkit.SyntheticMedia.WebpEncoding;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Animated WebP written by FFmpeg's libwebp_anim encoder (lossy, lossy with ALPH, lossless with
 * alpha; small moving content, so libwebp emits offset sub-frames) decodes frame by frame to the
 * pictures that were encoded.
 */
class AnimatedWebpTest {

    static final int W = 96;
    static final int H = 64;
    private static final int FRAMES = 6;
    private static final int FPS = 10;

    @TempDir
    Path tmp;

    @Test
    void frames_lossyOpaque_matchThePaintedSourceFrames() throws Exception {
        Path webp = animation(tmp.resolve("webp-anim-lossy-96x64-6frames.webp"), WebpEncoding.LOSSY,
                FRAMES, (f, i) -> paint(f, i, false));

        assertMatchesSource(webp, false, 6.0);
        assertThat(anmfRects(webp)).as("libwebp wrote offset sub-frames")
                .anyMatch(r -> r[2] < W || r[3] < H);
    }

    @Test
    void frames_lossyWithAlpha_matchThePaintedSourceFramesAndAlpha() throws Exception {
        Path webp = animation(tmp.resolve("webp-anim-lossy-alph-96x64-6frames.webp"),
                WebpEncoding.LOSSY_ALPHA, FRAMES, (f, i) -> paint(f, i, true));

        assertThat(chunkIds(webp)).contains("ALPH");
        assertMatchesSource(webp, true, 6.0);
    }

    @Test
    void frames_losslessWithAlpha_areExactAndUseSubFrames() throws Exception {
        Path webp = animation(tmp.resolve("webp-anim-lossless-alpha-96x64-6frames.webp"),
                WebpEncoding.LOSSLESS, FRAMES, (f, i) -> paint(f, i, true));

        assertThat(chunkIds(webp)).contains("VP8L").doesNotContain("VP8 ");
        assertThat(anmfRects(webp)).anyMatch(r -> r[2] < W || r[3] < H);
        assertMatchesSource(webp, true, 0.01);
    }

    @Test
    void isAnimatedAndFrameCount_tellAnimationsFromStills() throws Exception {
        Path webp = animation(tmp.resolve("webp-anim-lossy-96x64-4frames.webp"), WebpEncoding.LOSSY, 4,
                (f, i) -> paint(f, i, false));
        Path still = tmp.resolve("webp-still-96x64.webp");
        try (Frame f = new Frame(W, H, Frame.DEPTH_UBYTE, 4)) {
            paint(f, 0, false);
            Files.write(still, FfmpegSupport.encodeStill(f, AV_PIX_FMT_RGBA, "libwebp",
                    AV_PIX_FMT_YUV420P, 80, still));
        }

        assertThat(AnimatedWebp.isAnimated(webp)).isTrue();
        assertThat(AnimatedWebp.isAnimated(still)).isFalse();
        assertThat(AnimatedWebp.frameCount(webp, 100)).isEqualTo(4);
        assertThatThrownBy(() -> AnimatedWebp.frameCount(webp, 3))
                .isInstanceOf(CodecException.class).hasMessageContaining("MAX_FRAMES");
        assertThatThrownBy(() -> AnimatedWebp.open(webp, 100, (long) W * H - 1))
                .isInstanceOf(CodecException.class).hasMessageContaining("MAX_PIXELS");
        assertThatThrownBy(() -> AnimatedWebp.frameCount(still, 100))
                .isInstanceOf(CodecException.class).hasMessageContaining("still");
    }

    @Test
    void next_corruptBitstreamInOneFrame_throwsCodecExceptionNamingThatFrame() throws Exception {
        Path webp = animation(tmp.resolve("webp-anim-lossy-corrupt-frame2.webp"), WebpEncoding.LOSSY,
                4, (f, i) -> paint(f, i, false));
        byte[] bytes = Files.readAllBytes(webp);
        int vp8 = nthChunk(bytes, "VP8 ", 2);
        // the key frame's start code 9D 01 2A sits 3 bytes into the payload
        bytes[vp8 + 8 + 3] = 0;
        bytes[vp8 + 8 + 4] = 0;
        Files.write(webp, bytes);

        try (AnimatedWebp anim = AnimatedWebp.open(webp, 100, Long.MAX_VALUE)) {
            anim.next();
            anim.next();
            assertThatThrownBy(anim::next).isInstanceOf(CodecException.class)
                    .hasMessageContaining("frame 2 of animated WebP")
                    .hasMessageContaining(webp.toAbsolutePath().toString());
        }
    }

    @Test
    void next_handBuiltFrames_disposeToBackgroundNoBlendAndAlphaBlendAsTheSpecSays()
            throws Exception {
        // given a 65x63 canvas (odd: JavaCV pads RGBA rows): frame 0 opaque red over all,
        // disposed to background afterwards;
        // frame 1 opaque blue 32x32 at 16,16, not blended; frame 2 green at alpha 128,
        // 32x32 at 0,0, alpha-blended
        byte[] red = stillChunks(65, 63, 0xff, 0, 0, 255);
        byte[] blue = stillChunks(32, 32, 0, 0, 0xff, 255);
        byte[] green = stillChunks(32, 32, 0, 0xff, 0, 128);
        Path webp = tmp.resolve("webp-anim-handmade-dispose-noblend-blend-65x63.webp");
        Files.write(webp, animatedFile(65, 63,
                anmf(0, 0, 65, 63, 80, false, true, red),
                anmf(16, 16, 32, 32, 80, false, false, blue),
                anmf(0, 0, 32, 32, 80, true, false, green)));

        try (AnimatedWebp anim = AnimatedWebp.open(webp, 10, Long.MAX_VALUE)) {
            // then frame 0: all red
            Frame f0 = anim.next().image();
            assertPixel(f0, 5, 5, 255, 0, 0, 255);
            assertPixel(f0, 64, 62, 255, 0, 0, 255);
            // frame 1: red disposed to transparent; blue square only
            AnimatedWebp.Composited c1 = anim.next();
            assertThat(c1.opaque()).isFalse();
            assertPixel(c1.image(), 5, 5, 0, 0, 0, 0);
            assertPixel(c1.image(), 30, 30, 0, 0, 255, 255);
            // frame 2: half green over blue where they overlap, half green over transparent
            Frame f2 = anim.next().image();
            assertPixel(f2, 20, 20, 0, 128, 127, 255);
            assertPixel(f2, 5, 5, 0, 255, 0, 128);
            assertPixel(f2, 40, 40, 0, 0, 255, 255);
            assertPixel(f2, 60, 5, 0, 0, 0, 0);
            assertPixel(f2, 64, 62, 0, 0, 0, 0);
            assertThat(anim.hasNext()).isFalse();
        }
    }

    /** RGBA at x,y within 4 levels (the colour bitstream is lossy); colour ignored at alpha 0. */
    private static void assertPixel(Frame f, int x, int y, int r, int g, int b, int a) {
        ByteBuffer buf = (ByteBuffer) f.image[0];
        int o = y * f.imageStride + x * 4;
        int[] got = {buf.get(o) & 0xff, buf.get(o + 1) & 0xff, buf.get(o + 2) & 0xff,
            buf.get(o + 3) & 0xff};
        assertThat(got[3]).as("alpha at %d,%d", x, y).isCloseTo(a, within(2));
        if (a > 0) {
            assertThat(got[0]).as("red at %d,%d", x, y).isCloseTo(r, within(4));
            assertThat(got[1]).as("green at %d,%d", x, y).isCloseTo(g, within(4));
            assertThat(got[2]).as("blue at %d,%d", x, y).isCloseTo(b, within(4));
        }
    }

    /** The chunks after 'WEBP' of a still lossy WebP of one colour (VP8X+ALPH+VP8 with alpha). */
    private static byte[] stillChunks(int w, int h, int r, int g, int b, int a) {
        try (Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 4)) {
            ByteBuffer buf = (ByteBuffer) f.image[0];
            for (int i = 0; i < h * f.imageStride; i += 4) {
                buf.put(i, (byte) r).put(i + 1, (byte) g).put(i + 2, (byte) b).put(i + 3, (byte) a);
            }
            byte[] still = FfmpegSupport.encodeStill(f, AV_PIX_FMT_RGBA, "libwebp",
                    a == 255 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUVA420P, 95, Path.of("test"));
            int from = 12;
            if (id(still, 12).equals("VP8X")) {
                from += 8 + size(still, 12); // ANMF holds ALPH and VP8, not VP8X
            }
            return java.util.Arrays.copyOfRange(still, from, still.length);
        }
    }

    private static byte[] anmf(int x, int y, int w, int h, int durationMs, boolean blend,
            boolean dispose, byte[] chunks) {
        ByteBuffer b = ByteBuffer.allocate(16 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
        putU24(b, x / 2);
        putU24(b, y / 2);
        putU24(b, w - 1);
        putU24(b, h - 1);
        putU24(b, durationMs);
        b.put((byte) ((blend ? 0 : 2) | (dispose ? 1 : 0)));
        b.put(chunks);
        return chunk("ANMF", b.array());
    }

    private static byte[] animatedFile(int w, int h, byte[]... frames) {
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put((byte) 0x12).put(new byte[3]);
        putU24(vp8x, w - 1);
        putU24(vp8x, h - 1);
        ByteBuffer anim = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        anim.putInt(0xffffffff).putShort((short) 0);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(chunk("VP8X", vp8x.array()));
        body.writeBytes(chunk("ANIM", anim.array()));
        for (byte[] f : frames) {
            body.writeBytes(f);
        }
        return chunk("RIFF", body.toByteArray());
    }

    private static byte[] chunk(String id, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length + (payload.length & 1))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload);
        return b.array();
    }

    private static void putU24(ByteBuffer b, int v) {
        b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }

    // --- helpers ----------------------------------------------------------------------------

    /** Writes an animated WebP of {@link #W}x{@link #H} at {@link #FPS}. */
    static Path animation(Path out, WebpEncoding mode, int frames, SyntheticMedia.Painter painter) {
        return SyntheticMedia.animatedWebp(out, W, H, frames, FPS, mode, painter);
    }

    /**
     * Frame {@code i} into packed RGBA: a smooth gradient with a 16x16 block moving 8 px a
     * frame; with alpha, the left quarter is transparent and a band is half transparent.
     */
    static void paint(Frame f, int i, boolean alpha) {
        ByteBuffer buf = (ByteBuffer) f.image[0];
        for (int y = 0; y < f.imageHeight; y++) {
            for (int x = 0; x < f.imageWidth; x++) {
                int o = y * f.imageStride + x * 4;
                boolean block = x >= 8 + 8 * i && x < 24 + 8 * i && y >= 20 && y < 36;
                int r = block ? 220 : 40 + x;
                int g = block ? 40 : 60 + y;
                int b = block ? 60 : 120;
                int a = 255;
                if (alpha && x < f.imageWidth / 4) {
                    a = 0;
                    r = g = b = 0;
                } else if (alpha && y >= 48) {
                    a = 128;
                }
                buf.put(o, (byte) r).put(o + 1, (byte) g).put(o + 2, (byte) b).put(o + 3, (byte) a);
            }
        }
    }

    /** Every composited frame against the painted source: mean abs diff of alpha-weighted RGB and A. */
    private static void assertMatchesSource(Path webp, boolean alpha, double maxMeanDiff) {
        try (AnimatedWebp anim = AnimatedWebp.open(webp, 100, Long.MAX_VALUE);
                Frame expected = new Frame(W, H, Frame.DEPTH_UBYTE, 4)) {
            assertThat(anim.frameCount()).isEqualTo(FRAMES);
            assertThat(anim.width()).isEqualTo(W);
            assertThat(anim.height()).isEqualTo(H);
            int n = 0;
            while (anim.hasNext()) {
                AnimatedWebp.Composited c = anim.next();
                assertThat(c.index()).isEqualTo(n);
                assertThat(c.durationMs()).isEqualTo(1000 / FPS);
                assertThat(c.timestampMs()).isEqualTo((long) n * 1000 / FPS);
                assertThat(c.opaque()).isEqualTo(!alpha);
                paint(expected, n, alpha);
                assertThat(meanAbsDiff(c.image(), expected)).as("frame %d", n)
                        .isLessThanOrEqualTo(maxMeanDiff);
                n++;
            }
            assertThat(n).isEqualTo(FRAMES);
        }
    }

    static double meanAbsDiff(Frame got, Frame want) {
        ByteBuffer a = (ByteBuffer) got.image[0];
        ByteBuffer b = (ByteBuffer) want.image[0];
        double sum = 0;
        for (int y = 0; y < want.imageHeight; y++) {
            for (int x = 0; x < want.imageWidth; x++) {
                int oa = y * got.imageStride + x * 4;
                int ob = y * want.imageStride + x * 4;
                int alphaA = a.get(oa + 3) & 0xff;
                int alphaB = b.get(ob + 3) & 0xff;
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs((a.get(oa + c) & 0xff) * alphaA
                            - (b.get(ob + c) & 0xff) * alphaB) / 255.0;
                }
                sum += Math.abs(alphaA - alphaB);
            }
        }
        return sum / (4.0 * want.imageWidth * want.imageHeight);
    }

    /** {x, y, w, h} of every ANMF frame, read straight from the bytes. */
    static List<int[]> anmfRects(Path webp) throws Exception {
        byte[] bytes = Files.readAllBytes(webp);
        List<int[]> rects = new ArrayList<>();
        for (int at : chunks(bytes, 12, bytes.length)) {
            if (id(bytes, at).equals("ANMF")) {
                ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                rects.add(new int[] {u24(b, at + 8) * 2, u24(b, at + 11) * 2,
                    u24(b, at + 14) + 1, u24(b, at + 17) + 1});
            }
        }
        return rects;
    }

    /** Ids of the top-level chunks and of the chunks inside each ANMF. */
    static List<String> chunkIds(Path webp) throws Exception {
        return chunkIdsOf(Files.readAllBytes(webp));
    }

    static List<String> chunkIdsOf(byte[] bytes) {
        List<String> ids = new ArrayList<>();
        for (int at : chunks(bytes, 12, bytes.length)) {
            ids.add(id(bytes, at));
            if (id(bytes, at).equals("ANMF")) {
                for (int sub : chunks(bytes, at + 8 + 16, at + 8 + size(bytes, at))) {
                    ids.add(id(bytes, sub));
                }
            }
        }
        return ids;
    }

    /** File offset of the n-th (from 0) chunk with this id inside the ANMF frames. */
    static int nthChunk(byte[] bytes, String id, int n) {
        int seen = 0;
        for (int at : chunks(bytes, 12, bytes.length)) {
            if (id(bytes, at).equals("ANMF")) {
                for (int sub : chunks(bytes, at + 8 + 16, at + 8 + size(bytes, at))) {
                    if (id(bytes, sub).equals(id) && seen++ == n) {
                        return sub;
                    }
                }
            }
        }
        throw new AssertionError("no chunk '" + id + "' number " + n);
    }

    private static List<Integer> chunks(byte[] bytes, int from, int to) {
        List<Integer> at = new ArrayList<>();
        for (int p = from; p + 8 <= to; p += 8 + size(bytes, p) + (size(bytes, p) & 1)) {
            at.add(p);
        }
        return at;
    }

    private static String id(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static int size(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 4);
    }

    private static int u24(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8 | (b.get(at + 2) & 0xff) << 16;
    }
}
