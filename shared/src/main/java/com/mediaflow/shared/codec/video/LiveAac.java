package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/** The source's audio, encoded while the stitch runs (the one-call overload). */
final class LiveAac implements AudioPackets {
    private final ContinuousAac aac;

    private LiveAac(ContinuousAac aac) {
        this.aac = aac;
    }

    static LiveAac open(Path source, int kbps, boolean globalHeader) {
        ContinuousAac aac = ContinuousAac.open(source, kbps, globalHeader);
        return aac == null ? null : new LiveAac(aac);
    }

    @Override
    public void describe(AVStream track, Path out) {
        PacketFiles.check(avcodec_parameters_from_context(track.codecpar(), aac.encoder()),
                "set up the audio track of", out);
        track.time_base(aac.encoder().time_base());
    }

    @Override
    public AVRational timeBase() {
        return aac.encoder().time_base();
    }

    @Override
    public boolean next(AVPacket pkt) {
        return aac.next(pkt);
    }

    @Override
    public double seconds() {
        return aac.samples() / (double) aac.encoder().sample_rate();
    }

    @Override
    public void close() {
        aac.close();
    }
}
