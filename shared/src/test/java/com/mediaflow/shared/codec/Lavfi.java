package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse2;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Test helper: runs a self-contained libavfilter graph in this JVM, the in-process counterpart of
 * {@code ffmpeg -f lavfi -i ...} without the {@code ffmpeg} program or libavdevice (whose lavfi
 * "device" is what the CLI uses; the program links libpulse and libxcb, which bare machines and
 * AWS Lambda lack).
 *
 * <p>The description starts with source filters ({@code anoisesrc}, {@code testsrc2},
 * {@code amovie}, ...), has no open inputs or outputs, and ends in exactly one
 * {@code abuffersink} or {@code buffersink}, e.g.
 * {@code testsrc2=size=320x240:rate=1:duration=1,format=rgb24,buffersink}. Every frame that
 * reaches the sink is handed to the consumer, then unreferenced: copy what you need.
 */
public final class Lavfi {

    private Lavfi() {
    }

    /** Runs the graph to its end (the sources' EOF) and hands over each frame of its sink. */
    public static void run(String description, Consumer<AVFrame> each) {
        AVFilterGraph graph = avfilter_graph_alloc();
        AVFilterInOut inputs = new AVFilterInOut();
        AVFilterInOut outputs = new AVFilterInOut();
        AVFrame frame = av_frame_alloc();
        try {
            check(avfilter_graph_parse2(graph, description, inputs, outputs), "parse", description);
            if (!inputs.isNull() || !outputs.isNull()) {
                throw new IllegalArgumentException("Expected a graph without open inputs or "
                        + "outputs, ending in one (a)buffersink, found open pads in " + description);
            }
            check(avfilter_graph_config(graph, null), "configure", description);
            AVFilterContext sink = sink(graph, description);
            int ret;
            while ((ret = av_buffersink_get_frame(sink, frame)) >= 0) {
                try {
                    each.accept(frame);
                } finally {
                    av_frame_unref(frame);
                }
            }
            if (ret != AVERROR_EOF) {
                check(ret, "pull a frame from", description);
            }
        } finally {
            av_frame_free(frame);
            avfilter_inout_free(inputs);
            avfilter_inout_free(outputs);
            avfilter_graph_free(graph);
        }
    }

    /**
     * Escapes an option value (a file name, say) for a graph description: first for the filter's
     * option list ({@code \ ' :}), then for the graph ({@code \ ' [ ] , ;}), as FFmpeg's
     * "Notes on filtergraph escaping" describe.
     */
    public static String escape(String value) {
        return escapeChars(escapeChars(value, "\\':"), "\\'[],;");
    }

    private static String escapeChars(String s, String special) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (special.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static AVFilterContext sink(AVFilterGraph graph, String description) {
        AVFilterContext found = null;
        for (int i = 0; i < graph.nb_filters(); i++) {
            AVFilterContext f = graph.filters(i);
            String name = f.filter().name().getString();
            if (name.equals("abuffersink") || name.equals("buffersink")) {
                if (found != null) {
                    throw new IllegalArgumentException("Expected one (a)buffersink, found more in "
                            + description);
                }
                found = f;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("Expected the graph to end in abuffersink or "
                    + "buffersink, found neither in " + description);
        }
        return found;
    }

    private static void check(int ret, String action, String description) {
        if (ret < 0) {
            throw new IllegalStateException("Cannot " + action + " the filter graph "
                    + description + ": FFmpeg returned " + FfmpegSupport.errorText(ret));
        }
    }
}
