package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * Cuts the video stream of a source into segments at keyframes, by stream copy (no decoding, no
 * re-encoding), so that long videos can be encoded in parallel, one segment per job, and joined
 * again by {@link Stitcher}.
 *
 * <p>Cut rule: a new segment starts at the first keyframe whose time (from the source's first
 * video frame) is at or after the next multiple of {@code targetSeconds}. Segments are therefore
 * about {@code targetSeconds} long; a source whose keyframes are far apart gives longer segments
 * (a keyframe 12 s in with a 5 s target ends the first segment at 12 s, and the next cut is at the
 * first keyframe at or after 15 s), and one with a single keyframe gives one segment.
 *
 * <p>Output: {@code outDir/segment-00000.mkv} and so on, Matroska (which takes any video codec),
 * video only, audio and other streams dropped. Packets are copied byte for byte; their PTS and DTS
 * are re-based by the PTS of the segment's first keyframe, so the first frame is at 0. Matroska
 * stores millisecond timestamps, so a decoder of a segment sees them rounded to 1 ms; the exact
 * source times are in {@link Segment#startSeconds()} and {@link Segment#durationSeconds()}.
 *
 * <p>B-frames: in decode order the keyframe comes first but its DTS is below its PTS by the
 * reorder delay, so after re-basing the first DTS is negative (-2 frames for x264's defaults).
 * That is valid: Matroska stores presentation times only and FFmpeg's Matroska muxer shifts
 * timestamps by PTS, not DTS, so the first frame stays at 0 and the decoder reorders as in the
 * source. Every keyframe must start a closed GOP: a packet after the cut keyframe that is
 * presented before it (an open-GOP leading picture, e.g. x264 {@code open-gop} or HEVC RASL)
 * would reference the previous segment and cannot be decoded alone, so it is refused with a
 * {@link CodecException}, as is a stream whose first packet is not a keyframe.
 *
 * <p>Frames are counted as video packets (one frame each for H.264, HEVC, VP9, AV1 in MP4 or
 * Matroska); the segments' frames add up to the source's count by construction, since every
 * video packet goes to exactly one segment.
 */
public final class Segmenter {

    private static final String SEGMENT_FORMAT = "matroska";

    private Segmenter() {
    }

    /**
     * Splits {@code source} into video-only segments of about {@code targetSeconds} each.
     *
     * @return the segments in order; on failure nothing is left in {@code outDir}
     * @throws CodecException when the source has no video stream, does not start with a keyframe,
     *     has packets without timestamps or open GOPs, or cannot be read
     * @throws StorageException when a segment file cannot be written
     */
    public static List<Segment> split(Path source, double targetSeconds, Path outDir) {
        if (!(targetSeconds > 0) || Double.isInfinite(targetSeconds)) {
            throw new IllegalArgumentException("Expected a positive segment length, found "
                    + targetSeconds + " s for " + source);
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new StorageException("Cannot create segment directory " + outDir, e);
        }
        List<Segment> done = new ArrayList<>();
        Writer writer = null;
        try (PacketFiles.Input in = PacketFiles.open(source)) {
            int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
            if (v < 0) {
                throw new CodecException("Cannot split " + source
                        + ": expected a video stream, found none");
            }
            for (int i = 0; i < in.ctx.nb_streams(); i++) {
                if (i != v) {
                    in.stream(i).discard(AVDISCARD_ALL);
                }
            }
            AVStream ist = in.stream(v);
            AVRational tb = ist.time_base();
            long fallbackFrameTicks = frameTicks(ist);
            AVPacket pkt = PacketFiles.packet();
            try {
                long origin = AV_NOPTS_VALUE;
                long nextCut = 0;
                while (in.read(pkt)) {
                    if (pkt.stream_index() != v) {
                        continue;
                    }
                    long pts = PacketFiles.pts(pkt, source);
                    boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
                    if (origin == AV_NOPTS_VALUE) {
                        if (!key) {
                            throw new CodecException("Cannot split " + source + ": expected the "
                                    + "video stream to start with a keyframe, found a non-key "
                                    + "packet at " + PacketFiles.seconds(pts, tb) + " s");
                        }
                        origin = pts;
                    }
                    long rel = pts - origin;
                    if (key && (writer == null || rel >= PacketFiles.ticks(nextCut * targetSeconds,
                            tb))) {
                        if (writer != null) {
                            done.add(writer.finish(done.size()));
                        }
                        Path file = outDir.resolve(String.format("segment-%05d.mkv", done.size()));
                        writer = new Writer(file, ist, pts, origin, source);
                        nextCut = (long) Math.floor(PacketFiles.seconds(rel, tb) / targetSeconds
                                + 1e-9) + 1;
                    }
                    writer.write(pkt, fallbackFrameTicks);
                }
            } finally {
                PacketFiles.free(pkt);
            }
            if (writer == null) {
                throw new CodecException("Cannot split " + source
                        + ": expected video packets, found none");
            }
            done.add(writer.finish(done.size()));
            writer = null;
            return List.copyOf(done);
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.abort();
            }
            for (Segment s : done) {
                deleteQuietly(s.file());
            }
            throw e;
        }
    }

    /** One frame in stream ticks from the average frame rate, or 0 when it is unknown. */
    static long frameTicks(AVStream st) {
        AVRational fr = st.avg_frame_rate();
        if (fr.num() <= 0 || fr.den() <= 0) {
            fr = st.r_frame_rate();
        }
        if (fr.num() <= 0 || fr.den() <= 0) {
            return 0;
        }
        return Math.max(1, av_rescale_q(1, av_inv_q(fr), st.time_base()));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort clean-up after a failure that is already being reported
        }
    }

    /** Writes one segment file; keeps its frame count and time span in source ticks. */
    private static final class Writer {
        private final Path file;
        private final Path source;
        private final AVRational inTb;
        private final long startPts;
        private final long origin;
        private AVFormatContext oc;
        private AVStream ost;
        private long frames;
        private long endPts;

        Writer(Path file, AVStream ist, long startPts, long origin, Path source) {
            this.file = file;
            this.source = source;
            this.inTb = ist.time_base();
            this.startPts = startPts;
            this.origin = origin;
            this.endPts = startPts;
            oc = PacketFiles.create(file, SEGMENT_FORMAT);
            try {
                ost = avformat_new_stream(oc, null);
                PacketFiles.check(avcodec_parameters_copy(ost.codecpar(), ist.codecpar()),
                        "copy the codec parameters of " + source + " to", file);
                ost.codecpar().codec_tag(0); // let Matroska pick its own codec id
                ost.time_base(inTb);
                PacketFiles.check(avformat_write_header(oc, (AVDictionary) null),
                        "write the header of", file);
            } catch (RuntimeException e) {
                abort();
                throw e;
            }
        }

        void write(AVPacket pkt, long fallbackFrameTicks) {
            long pts = PacketFiles.pts(pkt, source);
            if (pts < startPts) {
                throw new CodecException("Cannot split " + source + " at the keyframe at "
                        + PacketFiles.seconds(startPts - origin, inTb) + " s: expected a closed "
                        + "GOP (no frame after the keyframe shown before it), found a frame at "
                        + PacketFiles.seconds(pts - origin, inTb) + " s (open GOP)");
            }
            long duration = pkt.duration() > 0 ? pkt.duration() : fallbackFrameTicks;
            endPts = Math.max(endPts, pts + duration);
            frames++;
            pkt.pts(pts - startPts);
            if (pkt.dts() != AV_NOPTS_VALUE) {
                pkt.dts(pkt.dts() - startPts);
            }
            pkt.stream_index(0);
            pkt.pos(-1);
            av_packet_rescale_ts(pkt, inTb, ost.time_base());
            PacketFiles.check(av_write_frame(oc, pkt), "write a packet to", file);
        }

        Segment finish(int index) {
            try {
                PacketFiles.check(av_write_trailer(oc), "finish", file);
            } finally {
                PacketFiles.close(oc);
                oc = null;
            }
            return new Segment(index, file, PacketFiles.seconds(startPts - origin, inTb),
                    PacketFiles.seconds(endPts - startPts, inTb), frames);
        }

        void abort() {
            PacketFiles.close(oc);
            oc = null;
            deleteQuietly(file);
        }
    }
}
