package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse_ptr;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avutil.AV_BUFFER_FLAG_READONLY;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_create;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_plane;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_linesizes;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.Free_Pointer_BytePointer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;

/**
 * One FFmpeg filter graph run on one packed frame, single-threaded: what JavaCV's
 * {@code FFmpegFrameFilter} does for a still (a buffer source named {@code in}, a buffer sink
 * named {@code out}, the description parsed between them; the output frame owned by the graph
 * until {@link #close()}), with the graph's {@code nb_threads} set to 1, and a {@link #PADDED}
 * input referenced rather than copied: <b>its pixels must stay valid until the graph is closed</b>,
 * and the output may share them (a crop, a format the input already has).
 *
 * <p>Why: {@code FFmpegFrameFilter} leaves {@code nb_threads} at auto and offers no hook to set it
 * before the graph's first filter is created, so every graph started a slice-thread pool, and
 * each of its swscale contexts one more (6 threads on a 2-core machine), and joined them all on
 * close. A photo's renditions run about eight graphs, each on a frame that one thread scales in
 * a few milliseconds: the thread starts cost about 8 % of a photo's rendition CPU, and 5-7 % of
 * the load bench's throughput (bench/README, 5 December). The pictures are the same: the same
 * filters run on the same pixels.
 */
final class StillGraph implements AutoCloseable {
    /** The labels of the source's output and the sink's input, as a description names them ({@code [in]}). */
    private static final BytePointer IN = new BytePointer("in");
    private static final BytePointer OUT = new BytePointer("out");

    /**
     * The free callback of the input's buffer reference: nothing, since the caller owns the pixels
     * (FFmpeg calls it once the graph drops its last reference, at the latest on {@link #close()}).
     */
    private static final Free_Pointer_BytePointer NOT_OURS = new Free_Pointer_BytePointer() {
        @Override
        public void call(Pointer opaque, BytePointer data) {
            // the caller frees its own memory
        }
    };

    /**
     * The {@code opaque} of a frame laid out as FFmpeg lays out its own, which a graph may read in
     * place: every row starts at a multiple of {@link #PADDING} bytes, the bytes between a row's end
     * and the next row's start are zero, and so are {@link #PADDING} bytes after each plane's last
     * row; a planar frame's planes lie in that order in one block.
     * swscale reads past a row's end (its area scaler's last column depends on those bytes: they
     * must be the zeros a copy would have, and must exist). Any other frame is copied in.
     */
    static final Object PADDED = new Object() {
        @Override
        public String toString() {
            return "rows padded for FFmpeg";
        }
    };

    /** The row alignment and the tail of a {@link #PADDED} frame, in bytes. */
    static final int PADDING = 64;

    private final String description;
    private AVFilterGraph graph;
    private AVFilterContext source;
    private AVFilterContext sink;
    private AVFrame output;

    StillGraph(String description) {
        this.description = description;
    }

    /**
     * Runs the graph on {@code in} (one packed plane, or three planes with one stride, in
     * {@code pixelFormat}) and returns its single
     * output picture, packed, valid until this graph is closed; null when the graph gave none.
     * Close the graph whatever happens, and keep a {@link #PADDED} {@code in}'s pixels until then.
     */
    Frame run(Frame in, int pixelFormat) throws FrameFilter.Exception {
        configure(in.imageWidth, in.imageHeight, pixelFormat);
        push(in, pixelFormat);
        return pull();
    }

    private void configure(int width, int height, int pixelFormat) throws FrameFilter.Exception {
        graph = avfilter_graph_alloc();
        if (graph == null) {
            throw new FrameFilter.Exception("Cannot allocate a filter graph for '" + description + "': out of memory");
        }
        graph.nb_threads(1); // before the first filter: that is when FFmpeg starts the graph's thread pool
        String args = String.format(Locale.ROOT, "video_size=%dx%d:pix_fmt=%d:time_base=1/30:pixel_aspect=1/1",
                width, height, pixelFormat);
        source = new AVFilterContext();
        check(avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args, null, graph),
                "create its buffer source (" + args + ")");
        sink = new AVFilterContext();
        check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph),
                "create its buffer sink");
        AVFilterInOut outputs = avfilter_inout_alloc();
        AVFilterInOut inputs = avfilter_inout_alloc();
        try {
            outputs.name(av_strdup(IN)).filter_ctx(source).pad_idx(0).next(null);
            inputs.name(av_strdup(OUT)).filter_ctx(sink).pad_idx(0).next(null);
            check(avfilter_graph_parse_ptr(graph, description, inputs, outputs, null), "parse it");
            check(avfilter_graph_config(graph, null), "configure it for " + width + "x" + height + " pixel format "
                    + pixelFormat);
        } finally {
            avfilter_inout_free(inputs);
            avfilter_inout_free(outputs);
        }
    }

    private void push(Frame in, int pixelFormat) throws FrameFilter.Exception {
        int planes = in.image == null ? 0 : in.image.length;
        if (planes != 1 && planes != 3) {
            throw new FrameFilter.Exception("Cannot run '" + description + "': expected one packed plane or three"
                    + " planes of bytes, found " + planes + " plane(s)");
        }
        BytePointer[] data = new BytePointer[planes];
        long[] addresses = new long[planes];
        for (int p = 0; p < planes; p++) {
            if (!(in.image[p] instanceof ByteBuffer bytes) || !bytes.isDirect()) {
                throw new FrameFilter.Exception("Cannot run '" + description + "': expected planes of bytes in native"
                        + " memory, found a " + in.image[p].getClass().getName() + " as plane " + p);
            }
            data[p] = new BytePointer(bytes).position(0); // views the buffer, owns nothing
            addresses[p] = data[p].address();
        }
        AVFrame frame = av_frame_alloc();
        try {
            frame.format(pixelFormat).width(in.imageWidth).height(in.imageHeight).pts(0); // the overlay of a flatten syncs on it
            for (int p = 0; p < planes; p++) {
                frame.data(p, data[p]);
                frame.linesize(p, in.imageStride);
            }
            long first = addresses[0];
            long end = addresses[planes - 1] + (long) in.imageStride * in.imageHeight + PADDING;
            AVBufferRef ref;
            if (in.opaque == PADDED && in.imageStride % PADDING == 0 && addresses[planes - 1] >= first) {
                // The caller's pixels (all planes, one block) as a read-only buffer that FFmpeg never
                // frees: the source takes a reference instead of a copy (a 9-12 MB copy, into a fresh
                // buffer, per graph for a 12 MP photo decoded at half size), and a filter that would
                // write copies first.
                ref = av_buffer_create(frame.data(0), end - first, NOT_OURS, null, AV_BUFFER_FLAG_READONLY);
            } else {
                ref = copyPadded(in, pixelFormat, planes, frame);
            }
            if (ref == null) {
                throw new FrameFilter.Exception("Cannot run '" + description + "': out of memory for its input picture");
            }
            frame.buf(0, ref); // av_frame_free below drops this reference; the graph keeps its own
            check(av_buffersrc_add_frame_flags(source, frame, AV_BUFFERSRC_FLAG_KEEP_REF), "take its input picture");
            check(av_buffersrc_add_frame_flags(source, null, 0), "end its input"); // one picture: flushes what waits
        } finally {
            av_frame_free(frame);
        }
    }

    /**
     * A copy of {@code in} in the {@link #PADDED} layout, zero padding included, with {@code frame}'s
     * data and line sizes pointed at it; null when out of memory. What FFmpeg's buffer source would
     * do with a frame it cannot reference, except that its new buffer's padding is whatever the
     * allocator held, and swscale's area scaler reads it (its last column changed with the heap's
     * contents: two runs of one graph on one picture could differ).
     */
    private static AVBufferRef copyPadded(Frame in, int pixelFormat, int planes, AVFrame frame) {
        int[] rowBytes = new int[4];
        if (av_image_fill_linesizes(rowBytes, pixelFormat, in.imageWidth) < 0) {
            return null;
        }
        int stride = 0;
        for (int p = 0; p < planes; p++) {
            stride = Math.max(stride, (rowBytes[p] + PADDING - 1) / PADDING * PADDING);
        }
        long planeBytes = (long) stride * in.imageHeight + PADDING;
        AVBufferRef ref = av_buffer_alloc(planes * planeBytes); // av_malloc: 64-byte aligned
        if (ref == null) {
            return null;
        }
        BytePointer block = ref.data();
        for (int p = 0; p < planes; p++) {
            BytePointer dst = new BytePointer(block).position(p * planeBytes);
            BytePointer src = frame.data(p);
            av_image_copy_plane(dst, stride, src, in.imageStride, rowBytes[p], in.imageHeight);
            if (stride > rowBytes[p]) {
                for (int y = 0; y < in.imageHeight; y++) {
                    Pointer.memset(new BytePointer(block).position(p * planeBytes + (long) y * stride + rowBytes[p]), 0,
                            stride - rowBytes[p]);
                }
            }
            Pointer.memset(new BytePointer(block).position(p * planeBytes + (long) stride * in.imageHeight), 0, PADDING);
            frame.data(p, new BytePointer(block).position(p * planeBytes));
            frame.linesize(p, stride);
        }
        return ref;
    }

    private Frame pull() throws FrameFilter.Exception {
        output = av_frame_alloc();
        if (av_buffersink_get_frame(sink, output) < 0 || output.data(0) == null) {
            return null; // end of stream, nothing came out
        }
        if (output.data(1) != null) {
            throw new FrameFilter.Exception("Cannot filter with '" + description
                    + "': expected a packed output picture, found a planar one (pixel format " + output.format() + ")");
        }
        // as FFmpegFrameFilter's pullImage makes it
        Frame out = new Frame();
        out.type = Frame.Type.VIDEO;
        out.imageWidth = output.width();
        out.imageHeight = output.height();
        out.imageDepth = Frame.DEPTH_UBYTE;
        out.imageStride = output.linesize(0);
        int size = out.imageHeight * Math.abs(out.imageStride);
        out.image = new ByteBuffer[] {output.data(0).capacity(size).asBuffer()};
        out.imageChannels = Math.abs(out.imageStride) / out.imageWidth;
        out.opaque = output;
        return out;
    }

    private void check(int ret, String what) throws FrameFilter.Exception {
        if (ret < 0) {
            throw new FrameFilter.Exception("Cannot " + what + " in the filter graph '" + description + "': FFmpeg error "
                    + ret + " (" + FfmpegSupport.errorText(ret) + ")");
        }
    }

    @Override
    public void close() {
        if (output != null) {
            av_frame_free(output);
            output = null;
        }
        if (graph != null) {
            avfilter_graph_free(graph);
            graph = null;
        }
    }
}
