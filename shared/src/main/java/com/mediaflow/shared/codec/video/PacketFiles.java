package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_STREAM_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_error_string;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * Demuxer and muxer plumbing for the segment classes, on libavformat directly rather than JavaCV:
 * packet copy needs exact control over timestamps, codec tags and muxer options, which JavaCV's
 * {@code recordPacket} rescales and guesses on its own. Every context opened here is closed by the
 * matching {@code close} method in a {@code finally}.
 */
final class PacketFiles {

    static {
        // Loads the natives and silences the "Input #0" dumps, as FfmpegSupport does for codec/.
        av_log_set_level(AV_LOG_ERROR);
    }

    private PacketFiles() {
    }

    /** An opened input file with its stream info read. Close it with {@link #close(Input)}. */
    static final class Input implements AutoCloseable {
        final AVFormatContext ctx;
        final Path file;

        private Input(AVFormatContext ctx, Path file) {
            this.ctx = ctx;
            this.file = file;
        }

        /** Index of the best stream of that media type, or -1 when there is none. */
        int bestStream(int mediaType) {
            int idx = av_find_best_stream(ctx, mediaType, -1, -1, (PointerPointer<?>) null, 0);
            if (idx == AVERROR_STREAM_NOT_FOUND || idx < 0) {
                return -1;
            }
            return idx;
        }

        AVStream stream(int index) {
            return ctx.streams(index);
        }

        /**
         * Reads the next packet of any stream into {@code pkt} (unreferencing what it held).
         *
         * @return false at the end of the file
         */
        boolean read(AVPacket pkt) {
            av_packet_unref(pkt);
            int ret = av_read_frame(ctx, pkt);
            if (ret == AVERROR_EOF) {
                return false;
            }
            check(ret, "read a packet from", file);
            return true;
        }

        @Override
        public void close() {
            avformat_close_input(ctx);
        }
    }

    static Input open(Path file) {
        AVFormatContext ctx = new AVFormatContext(null);
        check(avformat_open_input(ctx, file.toString(), null, null), "open", file);
        try {
            check(avformat_find_stream_info(ctx, (PointerPointer<?>) null), "read the stream info of",
                    file);
        } catch (CodecException e) {
            avformat_close_input(ctx);
            throw e;
        }
        return new Input(ctx, file);
    }

    /** Allocates an output context for {@code formatName} ("matroska", "mp4") and opens the file. */
    static AVFormatContext create(Path file, String formatName) {
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_alloc_output_context2(oc, null, formatName, file.toString()),
                "create a " + formatName + " muxer for", file);
        if ((oc.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext pb = new AVIOContext(null);
            int ret = avio_open(pb, file.toString(), AVIO_FLAG_WRITE);
            if (ret < 0) {
                avformat_free_context(oc);
                throw new StorageException("Cannot open " + file + " for writing: expected a "
                        + "writable local file, FFmpeg returned " + errorText(ret), null);
            }
            oc.pb(pb);
        }
        return oc;
    }

    /** Closes the file of an output context from {@link #create} and frees it; null is ignored. */
    static void close(AVFormatContext oc) {
        if (oc == null) {
            return;
        }
        if ((oc.oformat().flags() & AVFMT_NOFILE) == 0 && oc.pb() != null) {
            avio_closep(oc.pb());
        }
        avformat_free_context(oc);
    }

    /**
     * Opens a decoder for stream {@code index} of {@code in}, with the stream's time base as
     * packet time base so frames carry timestamps in it. Free it with avcodec_free_context.
     */
    static AVCodecContext openDecoder(Input in, int index) {
        AVStream st = in.stream(index);
        AVCodec codec = avcodec_find_decoder(st.codecpar().codec_id());
        if (codec == null) {
            throw new CodecException("Cannot decode stream " + index + " of " + in.file
                    + ": expected a decoder for codec id " + st.codecpar().codec_id()
                    + ", found none in this FFmpeg build");
        }
        AVCodecContext dec = avcodec_alloc_context3(codec);
        try {
            check(avcodec_parameters_to_context(dec, st.codecpar()),
                    "set up the " + codec.name().getString() + " decoder for", in.file);
            dec.pkt_timebase(st.time_base());
            check(avcodec_open2(dec, codec, (PointerPointer<?>) null),
                    "open the " + codec.name().getString() + " decoder for", in.file);
            return dec;
        } catch (RuntimeException e) {
            avcodec_free_context(dec);
            throw e;
        }
    }

    static AVPacket packet() {
        AVPacket pkt = av_packet_alloc();
        if (pkt == null) {
            throw new CodecException("Cannot allocate an AVPacket: expected memory, found none");
        }
        return pkt;
    }

    static void free(AVPacket pkt) {
        if (pkt != null) {
            av_packet_free(pkt);
        }
    }

    static AVDictionary options(String... keyValues) {
        AVDictionary dict = new AVDictionary(null);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            org.bytedeco.ffmpeg.global.avutil.av_dict_set(dict, keyValues[i], keyValues[i + 1], 0);
        }
        return dict;
    }

    static double seconds(long ticks, AVRational tb) {
        return ticks * (double) tb.num() / tb.den();
    }

    static long ticks(double seconds, AVRational tb) {
        return Math.round(seconds * tb.den() / tb.num());
    }

    /** Presentation time of a packet, falling back to its DTS; fails when it has neither. */
    static long pts(AVPacket pkt, Path file) {
        long pts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
        if (pts == AV_NOPTS_VALUE) {
            throw new CodecException("Cannot place a packet of stream " + pkt.stream_index() + " in "
                    + file + ": expected a presentation or decoding timestamp, found neither");
        }
        return pts;
    }

    static String errorText(int code) {
        try (BytePointer buf = new BytePointer(256)) {
            av_make_error_string(buf, 256, code);
            return buf.getString() + " (" + code + ")";
        }
    }

    static void check(int ret, String action, Path file) {
        if (ret < 0) {
            throw new CodecException("Cannot " + action + " " + file
                    + ": expected success, FFmpeg returned " + errorText(ret));
        }
    }
}
