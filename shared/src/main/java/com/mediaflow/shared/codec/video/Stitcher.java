package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_SKIP_SAMPLES;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_get_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;

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
 * <p>Audio: see {@link ContinuousAac}. Either encoded while stitching (the overload taking the
 * source and a bitrate), or, for the parallel path, encoded once beforehand by
 * {@link #encodeAudio} into an {@code .m4a} whose AAC packets every rung's stitch then copies
 * unchanged (the overload taking the encoded audio): both give the same packets at the same
 * times. Without audio the MP4 has no audio track at all. Output uses {@code movflags +faststart}.
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
        checkSegmentArguments(encodedSegments, segmentStarts, out);
        checkBitrate(audioBitrateKbps, out);
        return mux(encodedSegments, segmentStarts, out, oc -> audioSource == null ? null
                : LiveAac.open(audioSource, audioBitrateKbps,
                        (oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0));
    }

    /**
     * Writes {@code out} from the segments and an AAC track encoded beforehand by
     * {@link #encodeAudio}, whose packets are copied unchanged (no decode, no encode): the stitch
     * of every rung is then a pure packet copy, and the audio is encoded once, in parallel with
     * the segments, instead of once per rung inside the serial stitch.
     *
     * @param encodedAudio the {@code .m4a} from {@link #encodeAudio}, or null for a video-only
     *     output (a source without audio)
     * @throws CodecException as the other overload, and when {@code encodedAudio} holds no audio
     *     stream or one that is not AAC; the output is removed
     */
    public static StitchResult stitch(List<Path> encodedSegments, List<Double> segmentStarts,
            Path encodedAudio, Path out) {
        checkSegmentArguments(encodedSegments, segmentStarts, out);
        return mux(encodedSegments, segmentStarts, out,
                oc -> encodedAudio == null ? null : AacFile.open(encodedAudio));
    }

    /**
     * Encodes the audio of {@code source} once, as one continuous AAC-LC track aligned exactly as
     * {@link #stitch} aligns it (time 0 = the source's first video frame; see
     * {@link ContinuousAac}), into the MP4 audio file {@code out} for
     * {@link #stitch(List, List, Path, Path)}.
     *
     * @param audioBitrateKbps AAC bitrate
     * @return the file and its timing, or empty (and nothing written) when {@code source} has no
     *     audio stream
     * @throws CodecException when the audio cannot be decoded or encoded; {@code out} is removed
     */
    public static Optional<EncodedAudio> encodeAudio(Path source, int audioBitrateKbps,
            Path out) {
        checkBitrate(audioBitrateKbps, out);
        ContinuousAac aac = ContinuousAac.open(source, audioBitrateKbps, true);
        if (aac == null) {
            return Optional.empty();
        }
        AVFormatContext oc = null;
        AVPacket pkt = PacketFiles.packet();
        boolean written = false;
        try {
            createParent(out);
            oc = PacketFiles.create(out, "mp4");
            AVStream st = avformat_new_stream(oc, null);
            PacketFiles.check(avcodec_parameters_from_context(st.codecpar(), aac.encoder()),
                    "set up the audio track of", out);
            st.time_base(aac.encoder().time_base());
            // An audio start after the video becomes an empty edit in movie-timescale units:
            // the default 1/1000 s would move the track by up to half a millisecond.
            AVDictionary opts = PacketFiles.options("movie_timescale",
                    String.valueOf(aac.encoder().sample_rate()));
            try {
                PacketFiles.check(avformat_write_header(oc, opts), "write the header of", out);
            } finally {
                av_dict_free(opts);
            }
            while (aac.next(pkt)) {
                av_packet_rescale_ts(pkt, aac.encoder().time_base(), st.time_base());
                pkt.stream_index(st.index());
                PacketFiles.check(av_interleaved_write_frame(oc, pkt), "write audio to", out);
            }
            PacketFiles.check(av_write_trailer(oc), "finish", out);
            written = true;
            int rate = aac.encoder().sample_rate();
            return Optional.of(new EncodedAudio(out, aac.leadSamples() / (double) rate,
                    aac.samples() / (double) rate, rate, aac.encoder().ch_layout().nb_channels()));
        } finally {
            PacketFiles.free(pkt);
            aac.close();
            PacketFiles.close(oc);
            if (!written) {
                deleteQuietly(out);
            }
        }
    }

    private static void checkSegmentArguments(List<Path> encodedSegments,
            List<Double> segmentStarts, Path out) {
        if (encodedSegments.isEmpty() || encodedSegments.size() != segmentStarts.size()) {
            throw new IllegalArgumentException("Expected one start per segment and at least one "
                    + "segment, found " + encodedSegments.size() + " segments and "
                    + segmentStarts.size() + " starts for " + out);
        }
    }

    private static void checkBitrate(int audioBitrateKbps, Path out) {
        if (audioBitrateKbps <= 0) {
            throw new IllegalArgumentException("Expected a positive audio bitrate, found "
                    + audioBitrateKbps + " kb/s for " + out);
        }
    }

    /** The shared muxing loop: video packets copied, audio packets from {@code audioFor}. */
    private static StitchResult mux(List<Path> encodedSegments, List<Double> segmentStarts,
            Path out, Function<AVFormatContext, AudioPackets> audioFor) {
        checkSameParameters(encodedSegments);
        createParent(out);
        AVFormatContext oc = PacketFiles.create(out, "mp4");
        AudioPackets audio = null;
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
            audio = audioFor.apply(oc);
            if (audio != null) {
                ast = avformat_new_stream(oc, null);
                audio.describe(ast, out);
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
            boolean haveA = audio != null && audio.next(ap);
            while (haveV || haveA) {
                if (haveV && (!haveA || av_compare_ts(vp.dts(), vtb, ap.dts(),
                        audio.timeBase()) <= 0)) {
                    PacketFiles.check(av_interleaved_write_frame(oc, vp), "write video to", out);
                    haveV = video.next(vp);
                } else {
                    av_packet_rescale_ts(ap, audio.timeBase(), ast.time_base());
                    ap.stream_index(ast.index());
                    PacketFiles.check(av_interleaved_write_frame(oc, ap), "write audio to", out);
                    haveA = audio.next(ap);
                }
            }
            PacketFiles.check(av_write_trailer(oc), "finish", out);
            written = true;
            return new StitchResult(out, video.durationSeconds(),
                    audio == null ? 0 : audio.seconds(), video.frames);
        } finally {
            PacketFiles.free(vp);
            PacketFiles.free(ap);
            if (video != null) {
                video.close();
            }
            if (audio != null) {
                audio.close();
            }
            PacketFiles.close(oc);
            if (!written) {
                deleteQuietly(out);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the failure being thrown matters more than the clean-up
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
    /** Audio packets for {@link #mux}: encoded as the stitch runs, or read from a file. */
    private interface AudioPackets extends AutoCloseable {

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

    /** The source's audio, encoded while the stitch runs (the one-call overload). */
    private static final class LiveAac implements AudioPackets {
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

    /**
     * The packets of a pre-encoded AAC file, copied as they are. Its length is the span of its
     * packets less the encoder priming that the file's edit list skips (FFmpeg's MP4 demuxer hands
     * that back as the first packet's skip-samples side data; the MP4 muxer writes the edit list
     * again from the packets' timestamps, so the side data itself needs no copying).
     */
    private static final class AacFile implements AudioPackets {
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
}
