package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_AAC_LOW;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_drain;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert_frame;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;

import com.mediaflow.shared.error.CodecException;

/**
 * The audio of a source, decoded and encoded once as one continuous AAC-LC track, handed out one
 * packet at a time so the stitcher can interleave it with the copied video without holding
 * either in memory.
 *
 * <p>Timing: the track is placed on the video's time line, whose 0 is the source's first video
 * packet (as {@link Segmenter} defines it). If the first audio frame starts later, the track
 * starts that much later; if it starts earlier, the samples before 0 are dropped. After that the
 * samples are concatenated as decoded: timestamp gaps inside the source's audio are not filled.
 *
 * <p>Format: the source's sample rate when AAC allows it (else 48 kHz), mono or stereo kept,
 * more channels downmixed to stereo, planar float for FFmpeg's native AAC encoder.
 */
final class ContinuousAac implements AutoCloseable {

    private static final int[] AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
        22050, 16000, 12000, 11025, 8000, 7350};
    private static final int FALLBACK_RATE = 48000;

    private final PacketFiles.Input in;
    private final int stream;
    private final double originSeconds;
    private AVCodecContext dec;
    private AVCodecContext enc;
    private final AVChannelLayout outLayout = new AVChannelLayout();
    private final AVPacket inPkt = PacketFiles.packet();
    private final AVFrame decoded = av_frame_alloc();
    private final AVFrame converted = av_frame_alloc();
    private final AVFrame toEncode = av_frame_alloc();
    private SwrContext swr;
    private AVAudioFifo fifo;
    private boolean started;
    private long skip;
    private long nextPts;
    private long leadSamples;
    private long samples;
    private boolean decoderFlushed;
    private boolean inputDone;
    private boolean encoderFlushed;

    /**
     * Opens the audio of {@code source} and an AAC encoder for it, or returns null when the file
     * has no audio stream.
     *
     * @param globalHeader true when the muxer wants the codec configuration out of band (MP4)
     */
    static ContinuousAac open(Path source, int bitrateKbps, boolean globalHeader) {
        double origin = firstVideoSeconds(source);
        PacketFiles.Input in = PacketFiles.open(source);
        int a = in.bestStream(AVMEDIA_TYPE_AUDIO);
        if (a < 0) {
            in.close();
            return null;
        }
        ContinuousAac aac = new ContinuousAac(in, a, origin);
        try {
            aac.openCodecs(bitrateKbps, globalHeader);
            return aac;
        } catch (RuntimeException e) {
            aac.close();
            throw e;
        }
    }

    private ContinuousAac(PacketFiles.Input in, int stream, double originSeconds) {
        this.in = in;
        this.stream = stream;
        this.originSeconds = originSeconds;
        for (int i = 0; i < in.ctx.nb_streams(); i++) {
            if (i != stream) {
                in.stream(i).discard(AVDISCARD_ALL);
            }
        }
    }

    /** Time of the first video packet of {@code file} in seconds, or 0 when it has no video. */
    static double firstVideoSeconds(Path file) {
        try (PacketFiles.Input in = PacketFiles.open(file)) {
            int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
            if (v < 0) {
                return 0;
            }
            for (int i = 0; i < in.ctx.nb_streams(); i++) {
                if (i != v) {
                    in.stream(i).discard(AVDISCARD_ALL);
                }
            }
            AVPacket pkt = PacketFiles.packet();
            try {
                while (in.read(pkt)) {
                    if (pkt.stream_index() == v) {
                        return PacketFiles.seconds(PacketFiles.pts(pkt, file),
                                in.stream(v).time_base());
                    }
                }
                return 0;
            } finally {
                PacketFiles.free(pkt);
            }
        }
    }

    private void openCodecs(int bitrateKbps, boolean globalHeader) {
        dec = PacketFiles.openDecoder(in, stream);
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
        if (codec == null) {
            throw new CodecException("Cannot encode the audio of " + in.file
                    + ": expected FFmpeg's AAC encoder, found none");
        }
        int rate = FALLBACK_RATE;
        for (int r : AAC_RATES) {
            if (r == dec.sample_rate()) {
                rate = r;
            }
        }
        int channels = dec.ch_layout().nb_channels();
        av_channel_layout_default(outLayout, channels >= 1 && channels <= 2 ? channels : 2);
        enc = avcodec_alloc_context3(codec);
        enc.sample_fmt(AV_SAMPLE_FMT_FLTP).sample_rate(rate).bit_rate(bitrateKbps * 1000L);
        enc.profile(AV_PROFILE_AAC_LOW);
        enc.time_base(av_make_q(1, rate));
        PacketFiles.check(av_channel_layout_copy(enc.ch_layout(), outLayout),
                "set the AAC channel layout for", in.file);
        if (globalHeader) {
            enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        PacketFiles.check(avcodec_open2(enc, codec, (PointerPointer<?>) null),
                "open the AAC encoder (" + rate + " Hz, " + outLayout.nb_channels() + " ch, "
                        + bitrateKbps + " kb/s) for", in.file);
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, outLayout.nb_channels(),
                Math.max(enc.frame_size(), 1024) * 4);
    }

    AVCodecContext encoder() {
        return enc;
    }

    /** Samples handed to the encoder so far, at {@link #encoder()}'s sample rate. */
    long samples() {
        return samples;
    }

    /**
     * Samples of silence before the track starts on the video's time line (its first sample's
     * timestamp); 0 until the first packet is out, and when the audio starts with the video.
     */
    long leadSamples() {
        return leadSamples;
    }

    /**
     * Fills {@code out} with the next AAC packet, timestamps in the encoder's time base (1/rate).
     *
     * @return false when the track is complete
     */
    boolean next(AVPacket out) {
        while (true) {
            int ret = avcodec_receive_packet(enc, out);
            if (ret >= 0) {
                return true;
            }
            if (ret == AVERROR_EOF) {
                return false;
            }
            if (ret != AVERROR_EAGAIN()) {
                PacketFiles.check(ret, "encode AAC audio for", in.file);
            }
            if (!sendFrame() && !encoderFlushed) {
                PacketFiles.check(avcodec_send_frame(enc, null), "flush the AAC encoder for",
                        in.file);
                encoderFlushed = true;
            }
        }
    }

    /** Sends one frame of at most frame_size samples to the encoder; false when none is left. */
    private boolean sendFrame() {
        int frameSize = enc.frame_size() > 0 ? enc.frame_size() : 1024;
        while (av_audio_fifo_size(fifo) < frameSize && !inputDone) {
            pump();
        }
        int n = Math.min(frameSize, av_audio_fifo_size(fifo));
        if (n == 0) {
            return false;
        }
        av_frame_unref(toEncode);
        toEncode.nb_samples(n).format(AV_SAMPLE_FMT_FLTP).sample_rate(enc.sample_rate());
        PacketFiles.check(av_channel_layout_copy(toEncode.ch_layout(), outLayout),
                "set up an audio frame for", in.file);
        PacketFiles.check(av_frame_get_buffer(toEncode, 0), "allocate an audio frame for",
                in.file);
        av_audio_fifo_read(fifo, toEncode.extended_data(), n);
        toEncode.pts(nextPts);
        nextPts += n;
        samples += n;
        PacketFiles.check(avcodec_send_frame(enc, toEncode), "send audio to the AAC encoder for",
                in.file);
        return true;
    }

    /** Moves the decoding one step on: one decoded frame into the FIFO, or one packet in. */
    private void pump() {
        int ret = avcodec_receive_frame(dec, decoded);
        if (ret >= 0) {
            convert(decoded);
            av_frame_unref(decoded);
            return;
        }
        if (ret == AVERROR_EOF) {
            if (swr != null) {
                convert(null); // drain the resampler's delay
            }
            inputDone = true;
            return;
        }
        if (ret != AVERROR_EAGAIN()) {
            PacketFiles.check(ret, "decode the audio of", in.file);
        }
        boolean got = false;
        while (!decoderFlushed && (got = in.read(inPkt)) && inPkt.stream_index() != stream) {
            // skip packets of other streams (discarded, but a demuxer may still return some)
        }
        if (got) {
            PacketFiles.check(avcodec_send_packet(dec, inPkt), "decode the audio of", in.file);
        } else if (!decoderFlushed) {
            PacketFiles.check(avcodec_send_packet(dec, null), "flush the audio decoder of",
                    in.file);
            decoderFlushed = true;
        }
    }

    /** Resamples {@code frame} (null: flush) into the FIFO, placing the first one in time. */
    private void convert(AVFrame frame) {
        if (frame != null) {
            defaultLayout(frame);
        }
        if (!started) {
            if (frame == null) {
                return;
            }
            started = true;
            setUpResampler(frame);
            long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE
                    ? frame.best_effort_timestamp() : frame.pts();
            double start = ts == AV_NOPTS_VALUE ? 0
                    : PacketFiles.seconds(ts, in.stream(stream).time_base()) - originSeconds;
            long startSamples = Math.round(start * enc.sample_rate());
            if (startSamples >= 0) {
                nextPts = startSamples;
                leadSamples = startSamples;
            } else {
                skip = -startSamples;
            }
        }
        av_frame_unref(converted);
        converted.format(AV_SAMPLE_FMT_FLTP).sample_rate(enc.sample_rate());
        PacketFiles.check(av_channel_layout_copy(converted.ch_layout(), outLayout),
                "set up an audio frame for", in.file);
        int ret = swr_convert_frame(swr, converted, frame);
        if (ret < 0) {
            throw new CodecException("Cannot resample the audio of " + in.file + " to "
                    + enc.sample_rate() + " Hz planar float: expected the format of the first "
                    + "frame throughout, FFmpeg returned " + PacketFiles.errorText(ret));
        }
        int n = converted.nb_samples();
        if (n > 0) {
            av_audio_fifo_write(fifo, converted.extended_data(), n);
            if (skip > 0) {
                int drop = (int) Math.min(skip, av_audio_fifo_size(fifo));
                av_audio_fifo_drain(fifo, drop);
                skip -= drop;
            }
        }
        av_frame_unref(converted);
    }

    private void setUpResampler(AVFrame frame) {
        swr = new SwrContext(null);
        PacketFiles.check(swr_alloc_set_opts2(swr, outLayout, AV_SAMPLE_FMT_FLTP,
                enc.sample_rate(), frame.ch_layout(), frame.format(), frame.sample_rate(), 0,
                null), "configure the resampler for", in.file);
        PacketFiles.check(swr_init(swr), "start the resampler for", in.file);
    }

    /** Gives a frame whose channels have no declared layout the default one for its count. */
    private static void defaultLayout(AVFrame frame) {
        if (frame.ch_layout().order() == AV_CHANNEL_ORDER_UNSPEC) {
            int n = frame.ch_layout().nb_channels();
            av_channel_layout_uninit(frame.ch_layout());
            av_channel_layout_default(frame.ch_layout(), n);
        }
    }

    @Override
    public void close() {
        if (swr != null) {
            swr_free(swr);
        }
        if (fifo != null) {
            av_audio_fifo_free(fifo);
        }
        av_frame_free(decoded);
        av_frame_free(converted);
        av_frame_free(toEncode);
        PacketFiles.free(inPkt);
        if (dec != null) {
            avcodec_free_context(dec);
        }
        if (enc != null) {
            avcodec_free_context(enc);
        }
        av_channel_layout_uninit(outLayout);
        outLayout.close();
        in.close();
    }

}
