package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

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
        VideoParams.checkSameParameters(encodedSegments);
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
                AVStream ist = first.stream(VideoPackets.videoStream(first));
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
}
