package com.mediaflow.shared.codec.video;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/** Audio packets for {@link Stitcher}: encoded as the stitch runs, or read from a file. */
interface AudioPackets extends AutoCloseable {

    /** Sets the output track's codec parameters and time base. */
    void describe(AVStream track, Path out);

    /** Time base of the packets {@link #next} returns. */
    AVRational timeBase();

    /** Fills {@code pkt} with the next packet; false at the end. */
    boolean next(AVPacket pkt);

    /** Audio length: samples / sample rate, priming and trailing padding left out. */
    double seconds();

    @Override
    void close();
}
