package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse2;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_link;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

import com.mediaflow.shared.codec.FfmpegSupport;
import com.mediaflow.shared.error.CodecException;

/**
 * A libavfilter graph with one video input and N outputs, driven with native {@link AVFrame}s
 * through FFmpeg's C API (via JavaCPP) rather than JavaCV's {@code FFmpegFrameFilter}, which only
 * carries the first plane of planar YUV frames. Frames enter by reference (no copy) and leave as
 * refcounted frames owned by the caller.
 *
 * <p>The description uses the label {@code [in]} for the input and {@code [out0]}, {@code [out1]},
 * ... for the outputs, e.g. {@code [in]split=2[a][b];[a]scale=640:360[out0];[b]null[out1]}.
 */
final class VideoFilterGraph implements AutoCloseable {

    private final AVFilterGraph graph;
    private final AVFilterContext source;
    private final List<AVFilterContext> sinks = new ArrayList<>();
    private final String description;

    /**
     * @param bufferArgs the buffer source's options, e.g.
     *     {@code video_size=320x240:pix_fmt=0:time_base=1/1000000:pixel_aspect=1/1}
     * @param description graph text with {@code [in]} and {@code [out0..N-1]}
     * @param outputs N
     * @param what names the file in error messages
     */
    VideoFilterGraph(String bufferArgs, String description, int outputs, String what) {
        this.description = description;
        graph = avfilter_graph_alloc();
        if (graph == null) {
            throw new CodecException("Cannot allocate a filter graph for " + what);
        }
        AVFilterInOut inputs = new AVFilterInOut();
        AVFilterInOut outs = new AVFilterInOut();
        try {
            source = new AVFilterContext();
            check(avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in",
                    bufferArgs, null, graph), "create the buffer source (" + bufferArgs + ")", what);
            for (int i = 0; i < outputs; i++) {
                AVFilterContext sink = new AVFilterContext();
                check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"),
                        "out" + i, null, null, graph), "create buffer sink " + i, what);
                sinks.add(sink);
            }
            check(avfilter_graph_parse2(graph, description, inputs, outs), "parse the graph", what);
            // 'inputs' lists the graph's unconnected input pads, 'outs' its unconnected outputs.
            int linkedInputs = 0;
            for (AVFilterInOut io = inputs; io != null && !io.isNull(); io = io.next()) {
                if (!"in".equals(label(io))) {
                    throw new CodecException("Filter graph for " + what + ": expected only the "
                            + "input [in], found [" + label(io) + "] in " + description);
                }
                check(avfilter_link(source, 0, io.filter_ctx(), io.pad_idx()), "link [in]", what);
                linkedInputs++;
            }
            boolean[] linked = new boolean[outputs];
            for (AVFilterInOut io = outs; io != null && !io.isNull(); io = io.next()) {
                String name = label(io);
                int index = name != null && name.matches("out\\d+") ? Integer.parseInt(
                        name.substring(3)) : -1;
                if (index < 0 || index >= outputs || linked[index]) {
                    throw new CodecException("Filter graph for " + what + ": expected outputs "
                            + "[out0]..[out" + (outputs - 1) + "], found [" + name + "] in "
                            + description);
                }
                check(avfilter_link(io.filter_ctx(), io.pad_idx(), sinks.get(index), 0),
                        "link [" + name + "]", what);
                linked[index] = true;
            }
            for (int i = 0; i < outputs; i++) {
                if (!linked[i]) {
                    throw new CodecException("Filter graph for " + what + ": output [out" + i
                            + "] is missing from " + description);
                }
            }
            if (linkedInputs != 1) {
                throw new CodecException("Filter graph for " + what + ": expected one [in], found "
                        + linkedInputs + " in " + description);
            }
            check(avfilter_graph_config(graph, null), "configure the graph", what);
        } catch (RuntimeException e) {
            avfilter_graph_free(graph);
            throw e;
        } finally {
            avfilter_inout_free(inputs);
            avfilter_inout_free(outs);
        }
    }

    private static String label(AVFilterInOut io) {
        BytePointer name = io.name();
        return name == null || name.isNull() ? null : name.getString();
    }

    /** Adds a frame by reference (the caller keeps its own); null signals the end of input. */
    void push(AVFrame frame, String what) {
        check(av_buffersrc_add_frame_flags(source, frame, frame == null ? 0
                : AV_BUFFERSRC_FLAG_KEEP_REF), "push a frame into " + description, what);
    }

    /**
     * Moves the next frame of output {@code index} into {@code into} (which must be unreferenced).
     *
     * @return true when a frame came out; false when the graph needs more input or is finished
     */
    boolean pull(int index, AVFrame into, String what) {
        int ret = av_buffersink_get_frame(sinks.get(index), into);
        if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
            return false;
        }
        check(ret, "pull a frame from " + description, what);
        return true;
    }

    int outputs() {
        return sinks.size();
    }

    @Override
    public void close() {
        avfilter_graph_free(graph);
    }

    static void check(int ret, String action, String what) {
        if (ret < 0) {
            throw new CodecException("Cannot " + action + " for " + what
                    + ": expected success, FFmpeg returned " + FfmpegSupport.errorText(ret));
        }
    }
}
