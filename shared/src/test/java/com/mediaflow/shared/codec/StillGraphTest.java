package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StillGraph} gives the pixels JavaCV's {@code FFmpegFrameFilter} gives for the graphs the
 * renditions run, and starts no thread while it runs.
 */
class StillGraphTest {

    static Stream<Arguments> graphs() {
        return Stream.of(
                Arguments.of(Filters.scaleGraph(512, 384), AV_PIX_FMT_RGB24, 3),
                Arguments.of(Filters.cropGraph(1001, 751, 751) + "," + Filters.scaleGraph(160, 160), AV_PIX_FMT_RGB24, 3),
                Arguments.of(Filters.scaleGraph(333, 250) + ",transpose=clock,format=rgb24", AV_PIX_FMT_RGB24, 3),
                Arguments.of(Filters.flattenGraph(1001, 751), AV_PIX_FMT_RGBA, 3),
                Arguments.of(Filters.scaleGraph(640, 480, "rgba"), AV_PIX_FMT_RGBA, 4),
                Arguments.of("scale=w=32:h=32:flags=area+accurate_rnd,format=rgba", AV_PIX_FMT_RGBA, 4));
    }

    @ParameterizedTest
    @MethodSource("graphs")
    void theSamePixels_asJavaCvsFilter(String graph, int pixelFormat, int outBytesPerPixel) throws Exception {
        Frame in = noisyGradient(1001, 751, pixelFormat == AV_PIX_FMT_RGBA ? 4 : 3);
        try (StillGraph ours = new StillGraph(graph);
                FFmpegFrameFilter javacv = new FFmpegFrameFilter(graph, in.imageWidth, in.imageHeight)) {
            javacv.setPixelFormat(pixelFormat);
            javacv.start();
            javacv.push(in, pixelFormat);
            Frame expected = javacv.pull();
            if (expected == null) {
                javacv.push(null);
                expected = javacv.pull();
            }
            Frame actual = ours.run(in, pixelFormat);
            if (graph.contains("area")) {
                // swscale's area scaler reads past a row's end for its last column: zeros in
                // StillGraph's copy, whatever the heap held in FFmpegFrameFilter's
                expected = withoutLastColumn(expected);
                actual = withoutLastColumn(actual);
            }

            assertThat(actual).isNotNull();
            assertThat(new int[] {actual.imageWidth, actual.imageHeight, actual.imageStride, actual.imageChannels})
                    .isEqualTo(new int[] {expected.imageWidth, expected.imageHeight, expected.imageStride,
                        expected.imageChannels});
            assertThat(bytes(actual, outBytesPerPixel)).as("pixels of '%s'", graph)
                    .isEqualTo(bytes(expected, outBytesPerPixel));
        }
    }

    @ParameterizedTest
    @MethodSource("graphs")
    void aPaddedFrame_readInPlace_givesTheSamePixels(String graph, int pixelFormat, int outBytesPerPixel) throws Exception {
        Frame copied = noisyGradient(1001, 751, pixelFormat == AV_PIX_FMT_RGBA ? 4 : 3);
        Frame padded = padded(copied);
        try (StillGraph a = new StillGraph(graph); StillGraph b = new StillGraph(graph)) {
            Frame expected = a.run(copied, pixelFormat);
            Frame actual = b.run(padded, pixelFormat);
            // the area scaler's last column included: the copy's padding is zeros too
            assertThat(bytes(actual, outBytesPerPixel)).as("pixels of '%s'", graph)
                    .isEqualTo(bytes(expected, outBytesPerPixel));
        }
    }

    @Test
    void aPaddedFrame_isReferenced_anyOtherCopied() throws Exception {
        Frame plain = noisyGradient(1001, 751, 3);
        Frame padded = padded(plain);
        try (StillGraph a = new StillGraph("null"); StillGraph b = new StillGraph("null")) {
            // a graph that passes its picture through hands out its input's buffer
            assertThat(address(b.run(padded, AV_PIX_FMT_RGB24))).isEqualTo(address(padded));
            assertThat(address(a.run(plain, AV_PIX_FMT_RGB24))).isNotEqualTo(address(plain));
        }
    }

    private static Frame withoutLastColumn(Frame f) {
        Frame out = new Frame();
        out.imageWidth = f.imageWidth - 1;
        out.imageHeight = f.imageHeight;
        out.imageStride = f.imageStride;
        out.imageChannels = f.imageChannels;
        out.image = f.image;
        return out;
    }

    private static long address(Frame f) {
        try (BytePointer p = new BytePointer((ByteBuffer) f.image[0])) {
            return p.address() + p.position();
        }
    }

    /** The frame's pixels in the layout {@link StillGraph#PADDED} promises. */
    private static Frame padded(Frame f) {
        int rowBytes = f.imageWidth * f.imageChannels;
        int stride = (rowBytes + 63) / 64 * 64;
        ByteBuffer dst = ByteBuffer.allocateDirect(stride * f.imageHeight + 64 + 64);
        try (BytePointer at = new BytePointer(dst)) {
            int skew = (int) (-at.address() & 63);
            dst.position(skew);
            dst = dst.slice();
        }
        ByteBuffer src = (ByteBuffer) f.image[0];
        for (int y = 0; y < f.imageHeight; y++) {
            for (int i = 0; i < rowBytes; i++) {
                dst.put(y * stride + i, src.get(y * f.imageStride + i));
            }
        }
        Frame out = new Frame();
        out.imageWidth = f.imageWidth;
        out.imageHeight = f.imageHeight;
        out.imageDepth = f.imageDepth;
        out.imageChannels = f.imageChannels;
        out.imageStride = stride;
        out.image = new ByteBuffer[] {dst};
        out.opaque = StillGraph.PADDED;
        return out;
    }

    @Test
    void startsNoThread() throws Exception {
        Frame in = noisyGradient(1000, 750, 3);
        // FFmpeg's threads are native and take the name of the thread that starts them
        String me = Files.readString(Path.of("/proc/thread-self/comm")).strip();
        int before = threadsNamed(me);
        List<StillGraph> graphs = new ArrayList<>();
        try {
            Filters.runFilter(graphs, Filters.scaleGraph(512, 384), in, AV_PIX_FMT_RGB24, "test");
            Filters.runFilter(graphs, Filters.flattenGraph(1000, 750), noisyGradient(1000, 750, 4), AV_PIX_FMT_RGBA,
                    "test");
            assertThat(threadsNamed(me)).as("threads named '%s' with two graphs open", me).isEqualTo(before);
        } finally {
            Filters.closeAll(graphs);
        }
    }

    @Test
    void aGraphThatDoesNotParse_saysWhichAndWhy() {
        Frame in = noisyGradient(64, 48, 3);
        try (StillGraph g = new StillGraph("zscale=w=32:h=24:filter=nosuchfilter")) {
            assertThatThrownBy(() -> g.run(in, AV_PIX_FMT_RGB24))
                    .isInstanceOf(FrameFilter.Exception.class)
                    .hasMessageContaining("zscale=w=32:h=24:filter=nosuchfilter")
                    .hasMessageContaining("FFmpeg error");
        }
    }

    private static int threadsNamed(String name) throws IOException {
        int n = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().equals(name)) {
                        n++;
                    }
                } catch (IOException ended) {
                    // the thread ended while we looked
                }
            }
        }
        return n;
    }

    /** The picture's bytes without each row's padding. */
    private static byte[] bytes(Frame f, int bytesPerPixel) {
        ByteBuffer b = ((ByteBuffer) f.image[0]).duplicate();
        int rowBytes = f.imageWidth * bytesPerPixel;
        byte[] out = new byte[rowBytes * f.imageHeight];
        for (int y = 0; y < f.imageHeight; y++) {
            b.position(y * f.imageStride);
            b.get(out, y * rowBytes, rowBytes);
        }
        return out;
    }

    /** A gradient with per-pixel noise (and a varying alpha for 4 channels): every filter has work to do. */
    private static Frame noisyGradient(int w, int h, int channels) {
        Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, channels);
        ByteBuffer b = (ByteBuffer) f.image[0];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = y * f.imageStride + x * channels;
                b.put(o, (byte) (255 * x / w + rnd.nextInt(-12, 13)));
                b.put(o + 1, (byte) (255 * y / h + rnd.nextInt(-12, 13)));
                b.put(o + 2, (byte) (128 + rnd.nextInt(-40, 41)));
                if (channels == 4) {
                    b.put(o + 3, (byte) (255 * (x + y) / (w + h)));
                }
            }
        }
        return f;
    }
}
