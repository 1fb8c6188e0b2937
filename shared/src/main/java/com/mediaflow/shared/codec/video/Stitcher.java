package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * Joins independently encoded video segments into one MP4 without re-encoding them, and adds the
 * source's audio encoded once as one continuous AAC-LC track (encoding audio per segment would put
 * an encoder delay and a rounding seam at every join).
 *
 * <p>Video: the packets of each segment are copied unchanged; segment {@code i}'s timestamps are
 * re-based so its first packet (a keyframe, which must also be the first frame shown: closed GOP)
 * is at {@code segmentStarts[i]}, PTS and DTS alike. Because every segment comes from the same
 * encoder settings, its DTS starts the same reorder delay below its PTS, so DTS keeps rising
 * across a join (the last DTS of a segment is one frame before the next segment's first). A DTS
 * that would still not rise (sub-tick rounding of the offsets) is moved one tick up as long as it
 * stays at or below its PTS; beyond that, or when a segment starts more than half a frame before
 * the previous one ended, the segments overlap and {@link CodecException} is thrown. The MP4's
 * single {@code avcC} comes from the first segment, so every segment must carry identical codec
 * parameters (codec, size, pixel format, profile, level, aspect, colour, and byte-identical
 * SPS/PPS extradata); x264's {@code stitchable=1} keeps the headers identical across segments.
 *
 * <p>Audio: see {@link ContinuousAac}. Without an audio source, or when it has no audio stream,
 * the MP4 has no audio track at all. Output uses {@code movflags +faststart}.
 */
public final class Stitcher {

    private Stitcher() {
    }

    /**
     * Writes {@code out} from the segments and the audio of {@code audioSource}.
     *
     * @param encodedSegments MP4 (or any container FFmpeg reads) files whose best video stream
     *     is used, each with timestamps from 0, in presentation order
     * @param segmentStarts where each segment starts in the output, in seconds
     *     ({@link Segment#startSeconds()})
     * @param audioSource the original upload, or null for a video-only output
     * @param audioBitrateKbps AAC bitrate
     * @throws CodecException when segments differ in codec parameters, do not start with a
     *     keyframe, overlap, or cannot be read; the output is removed
     */
    public static StitchResult stitch(List<Path> encodedSegments, List<Double> segmentStarts,
            Path audioSource, int audioBitrateKbps, Path out) {
        if (encodedSegments.isEmpty() || encodedSegments.size() != segmentStarts.size()) {
            throw new IllegalArgumentException("Expected one start per segment and at least one "
                    + "segment, found " + encodedSegments.size() + " segments and "
                    + segmentStarts.size() + " starts for " + out);
        }
        if (audioBitrateKbps <= 0) {
            throw new IllegalArgumentException("Expected a positive audio bitrate, found "
                    + audioBitrateKbps + " kb/s for " + out);
        }
        checkSameParameters(encodedSegments);
        createParent(out);
        AVFormatContext oc = PacketFiles.create(out, "mp4");
        ContinuousAac aac = null;
        VideoPackets video = null;
        AVPacket vp = PacketFiles.packet();
        AVPacket ap = PacketFiles.packet();
        boolean written = false;
        try {
            AVStream vst = avformat_new_stream(oc, null);
            try (PacketFiles.Input first = PacketFiles.open(encodedSegments.get(0))) {
                AVStream ist = first.stream(videoStream(first));
                PacketFiles.check(avcodec_parameters_copy(vst.codecpar(), ist.codecpar()),
                        "copy the codec parameters of " + first.file + " to", out);
                vst.codecpar().codec_tag(0);
                vst.time_base(ist.time_base());
            }
            AVStream ast = null;
            if (audioSource != null) {
                aac = ContinuousAac.open(audioSource, audioBitrateKbps,
                        (oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0);
            }
            if (aac != null) {
                ast = avformat_new_stream(oc, null);
                PacketFiles.check(avcodec_parameters_from_context(ast.codecpar(), aac.encoder()),
                        "set up the audio track of", out);
                ast.time_base(aac.encoder().time_base());
            }
            AVDictionary opts = PacketFiles.options("movflags", "+faststart");
            try {
                PacketFiles.check(avformat_write_header(oc, opts), "write the header of", out);
            } finally {
                av_dict_free(opts);
            }

            video = new VideoPackets(encodedSegments, segmentStarts, vst);
            AVRational vtb = vst.time_base();
            boolean haveV = video.next(vp);
            boolean haveA = aac != null && aac.next(ap);
            while (haveV || haveA) {
                if (haveV && (!haveA || av_compare_ts(vp.dts(), vtb, ap.dts(),
                        aac.encoder().time_base()) <= 0)) {
                    PacketFiles.check(av_interleaved_write_frame(oc, vp), "write video to", out);
                    haveV = video.next(vp);
                } else {
                    av_packet_rescale_ts(ap, aac.encoder().time_base(), ast.time_base());
                    ap.stream_index(ast.index());
                    PacketFiles.check(av_interleaved_write_frame(oc, ap), "write audio to", out);
                    haveA = aac.next(ap);
                }
            }
            PacketFiles.check(av_write_trailer(oc), "finish", out);
            written = true;
            double audioSeconds = aac == null ? 0
                    : aac.samples() / (double) aac.encoder().sample_rate();
            return new StitchResult(out, video.durationSeconds(), audioSeconds, video.frames);
        } finally {
            PacketFiles.free(vp);
            PacketFiles.free(ap);
            if (video != null) {
                video.close();
            }
            if (aac != null) {
                aac.close();
            }
            PacketFiles.close(oc);
            if (!written) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // the failure being thrown matters more than the clean-up
                }
            }
        }
    }

    private static void createParent(Path out) {
        Path parent = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StorageException("Cannot create the directory of " + out, e);
        }
    }

    private static int videoStream(PacketFiles.Input in) {
        int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
        if (v < 0) {
            throw new CodecException("Cannot stitch " + in.file
                    + ": expected an encoded video segment, found no video stream");
        }
        return v;
    }

    /** Throws unless every segment's video has the first one's codec parameters. */
    private static void checkSameParameters(List<Path> segments) {
        VideoParams reference = null;
        for (int i = 0; i < segments.size(); i++) {
            VideoParams p;
            try (PacketFiles.Input in = PacketFiles.open(segments.get(i))) {
                p = VideoParams.of(in.stream(videoStream(in)).codecpar());
            }
            if (reference == null) {
                reference = p;
            } else if (!p.equals(reference)) {
                throw new CodecException("Cannot stitch segment " + i + " (" + segments.get(i)
                        + ") after segment 0 (" + segments.get(0) + ") without re-encoding: "
                        + "expected identical codec parameters, found " + p.difference(reference));
            }
        }
    }

    /** The codec parameters that must match for packets to share one MP4 track. */
    private record VideoParams(String codec, int width, int height, String pixelFormat,
            int profile, int level, String aspect, String colour, byte[] extradata) {

        static VideoParams of(AVCodecParameters cp) {
            BytePointer name = avcodec_get_name(cp.codec_id());
            BytePointer pix = av_get_pix_fmt_name(cp.format());
            byte[] extra = new byte[Math.max(0, cp.extradata_size())];
            if (extra.length > 0) {
                cp.extradata().position(0).get(extra);
            }
            return new VideoParams(name == null ? "id " + cp.codec_id() : name.getString(),
                    cp.width(), cp.height(), pix == null ? "none" : pix.getString(),
                    cp.profile(), cp.level(),
                    cp.sample_aspect_ratio().num() + ":" + cp.sample_aspect_ratio().den(),
                    cp.color_range() + "/" + cp.color_primaries() + "/" + cp.color_trc() + "/"
                            + cp.color_space(), extra);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VideoParams p && difference(p) == null;
        }

        @Override
        public int hashCode() {
            return codec.hashCode() * 31 + width * 17 + height;
        }

        /** What differs from {@code ref}, as "width 160, expected 320"; null when nothing. */
        String difference(VideoParams ref) {
            if (!codec.equals(ref.codec)) {
                return "codec " + codec + ", expected " + ref.codec;
            }
            if (width != ref.width || height != ref.height) {
                return "size " + width + "x" + height + ", expected " + ref.width + "x"
                        + ref.height;
            }
            if (!pixelFormat.equals(ref.pixelFormat)) {
                return "pixel format " + pixelFormat + ", expected " + ref.pixelFormat;
            }
            if (profile != ref.profile || level != ref.level) {
                return "profile/level " + profile + "/" + level + ", expected " + ref.profile
                        + "/" + ref.level;
            }
            if (!aspect.equals(ref.aspect)) {
                return "sample aspect " + aspect + ", expected " + ref.aspect;
            }
            if (!colour.equals(ref.colour)) {
                return "colour range/primaries/transfer/matrix " + colour + ", expected "
                        + ref.colour;
            }
            if (!Arrays.equals(extradata, ref.extradata)) {
                return "extradata (SPS/PPS) " + HexFormat.of().formatHex(extradata)
                        + ", expected " + HexFormat.of().formatHex(ref.extradata);
            }
            return null;
        }
    }

    /** The segments' video packets in order, re-timed onto the output track. */
    private static final class VideoPackets implements AutoCloseable {
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
}
