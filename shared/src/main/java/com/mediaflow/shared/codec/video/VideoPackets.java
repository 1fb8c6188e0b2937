package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import com.mediaflow.shared.error.CodecException;

/** The segments' video packets in order, re-timed onto the output track. */
final class VideoPackets implements AutoCloseable {
    /** The segment's video stream; a segment without one cannot be stitched. */
    static int videoStream(PacketFiles.Input in) {
        int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
        if (v < 0) {
            throw new CodecException("Cannot stitch " + in.file
                    + ": expected an encoded video segment, found no video stream");
        }
        return v;
    }

    private final List<Path> files;
    private final List<Double> starts;
    private final AVRational outTb;
    private final int outIndex;
    private long halfFrame;
    private int seg = -1;
    private PacketFiles.Input cur;
    private int curStream;
    private AVRational curTb;
    private long curFallback;
    private long firstPts;
    private long offset;
    private long segFrames;
    private long lastDts = Long.MIN_VALUE;
    private long prevEnd = Long.MIN_VALUE;
    private long minPts = Long.MAX_VALUE;
    private long maxEnd = Long.MIN_VALUE;
    long frames;

    VideoPackets(List<Path> files, List<Double> starts, AVStream out) {
        this.files = files;
        this.starts = starts;
        this.outTb = out.time_base();
        this.outIndex = out.index();
    }

    double durationSeconds() {
        return frames == 0 ? 0 : PacketFiles.seconds(maxEnd - minPts, outTb);
    }

    /** Fills {@code pkt} with the next packet on the output time line; false at the end. */
    boolean next(AVPacket pkt) {
        while (true) {
            if (cur == null) {
                if (++seg >= files.size()) {
                    return false;
                }
                openSegment();
            }
            if (!cur.read(pkt)) {
                if (segFrames == 0) {
                    throw new CodecException("Cannot stitch segment " + seg + " ("
                            + cur.file + "): expected video packets, found none");
                }
                cur.close();
                cur = null;
                prevEnd = maxEnd;
                continue;
            }
            if (pkt.stream_index() == curStream) {
                retime(pkt);
                return true;
            }
        }
    }

    private void openSegment() {
        cur = PacketFiles.open(files.get(seg));
        curStream = videoStream(cur);
        AVStream st = cur.stream(curStream);
        curTb = st.time_base();
        curFallback = Segmenter.frameTicks(st);
        if (seg == 0) {
            halfFrame = Math.max(1, av_rescale_q(curFallback, curTb, outTb) / 2);
        }
        segFrames = 0;
        offset = PacketFiles.ticks(starts.get(seg), outTb);
        if (prevEnd != Long.MIN_VALUE && offset < prevEnd - halfFrame) {
            throw new CodecException("Cannot stitch segment " + seg + " (" + cur.file
                    + "): expected it to start at or after the end of segment " + (seg - 1)
                    + " at " + PacketFiles.seconds(prevEnd, outTb) + " s, found a start of "
                    + starts.get(seg) + " s (overlap)");
        }
    }

    private void retime(AVPacket pkt) {
        long pts = PacketFiles.pts(pkt, cur.file);
        if (segFrames == 0) {
            if ((pkt.flags() & AV_PKT_FLAG_KEY) == 0) {
                throw new CodecException("Cannot stitch segment " + seg + " (" + cur.file
                        + "): expected it to start with a keyframe, found a non-key packet");
            }
            firstPts = pts;
        } else if (pts < firstPts) {
            throw new CodecException("Cannot stitch segment " + seg + " (" + cur.file
                    + "): expected a closed GOP (no frame shown before the first keyframe),"
                    + " found a frame at " + PacketFiles.seconds(pts - firstPts, curTb)
                    + " s (open GOP)");
        }
        long dts = pkt.dts() == AV_NOPTS_VALUE ? pts : pkt.dts();
        long outPts = av_rescale_q(pts - firstPts, curTb, outTb) + offset;
        long outDts = av_rescale_q(dts - firstPts, curTb, outTb) + offset;
        if (outDts <= lastDts) {
            outDts = lastDts + 1;
            if (outDts > outPts) {
                throw new CodecException("Cannot stitch segment " + seg + " (" + cur.file
                        + ") at " + starts.get(seg) + " s: expected decoding times to keep "
                        + "rising across the join, found a packet that would be decoded after "
                        + "it is shown (segments overlap or differ in reorder delay)");
            }
        }
        long duration = av_rescale_q(pkt.duration() > 0 ? pkt.duration() : curFallback,
                curTb, outTb);
        pkt.pts(outPts).dts(outDts).duration(duration);
        pkt.stream_index(outIndex);
        pkt.pos(-1);
        lastDts = outDts;
        minPts = Math.min(minPts, outPts);
        maxEnd = Math.max(maxEnd, outPts + duration);
        segFrames++;
        frames++;
    }

    @Override
    public void close() {
        if (cur != null) {
            cur.close();
            cur = null;
        }
    }
}
