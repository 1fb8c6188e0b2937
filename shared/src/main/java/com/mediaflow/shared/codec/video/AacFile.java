package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_SKIP_SAMPLES;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_get_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;
import com.mediaflow.shared.error.CodecException;

/**
 * The packets of a pre-encoded AAC file, copied as they are. Its length is the span of its
 * packets less the encoder priming that the file's edit list skips (FFmpeg's MP4 demuxer hands
 * that back as the first packet's skip-samples side data; the MP4 muxer writes the edit list
 * again from the packets' timestamps, so the side data itself needs no copying).
 */
final class AacFile implements AudioPackets {
    private final PacketFiles.Input in;
    private final int stream;
    private long first = Long.MIN_VALUE;
    private long end = Long.MIN_VALUE;
    private long primingSamples;

    private AacFile(PacketFiles.Input in, int stream) {
        this.in = in;
        this.stream = stream;
    }

    static AacFile open(Path file) {
        PacketFiles.Input in = PacketFiles.open(file);
        try {
            int a = in.bestStream(AVMEDIA_TYPE_AUDIO);
            if (a < 0) {
                throw new CodecException("Cannot stitch the audio of " + file
                        + ": expected a pre-encoded AAC track, found no audio stream");
            }
            int codec = in.stream(a).codecpar().codec_id();
            if (codec != AV_CODEC_ID_AAC) {
                BytePointer name = avcodec_get_name(codec);
                throw new CodecException("Cannot stitch the audio of " + file + " by packet"
                        + " copy: expected AAC, found " + (name == null ? "codec id " + codec
                                : name.getString()));
            }
            for (int i = 0; i < in.ctx.nb_streams(); i++) {
                if (i != a) {
                    in.stream(i).discard(AVDISCARD_ALL);
                }
            }
            return new AacFile(in, a);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public void describe(AVStream track, Path out) {
        AVStream ist = in.stream(stream);
        PacketFiles.check(avcodec_parameters_copy(track.codecpar(), ist.codecpar()),
                "copy the codec parameters of " + in.file + " to", out);
        track.codecpar().codec_tag(0);
        track.time_base(ist.time_base());
    }

    @Override
    public AVRational timeBase() {
        return in.stream(stream).time_base();
    }

    @Override
    public boolean next(AVPacket pkt) {
        while (in.read(pkt)) {
            if (pkt.stream_index() == stream) {
                long pts = PacketFiles.pts(pkt, in.file);
                if (first == Long.MIN_VALUE) {
                    first = pts;
                    primingSamples = skipSamples(pkt);
                }
                end = Math.max(end, pts + Math.max(0, pkt.duration()));
                pkt.pos(-1);
                return true;
            }
        }
        return false;
    }

    @Override
    public double seconds() {
        if (first == Long.MIN_VALUE) {
            return 0;
        }
        AVStream st = in.stream(stream);
        long priming = av_rescale_q(primingSamples,
                av_make_q(1, Math.max(1, st.codecpar().sample_rate())), st.time_base());
        return PacketFiles.seconds(end - first - priming, st.time_base());
    }

    /** Samples to skip at the start of {@code pkt}'s decoded audio; 0 without side data. */
    private static long skipSamples(AVPacket pkt) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            BytePointer sd = av_packet_get_side_data(pkt, AV_PKT_DATA_SKIP_SAMPLES, size);
            if (sd == null || sd.isNull() || size.get() < 4) {
                return 0;
            }
            byte[] b = new byte[4];
            sd.capacity(size.get()).position(0).get(b);
            return Integer.toUnsignedLong(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)
                    .getInt());
        }
    }

    @Override
    public void close() {
        in.close();
    }
}
