package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

import com.mediaflow.shared.error.CodecException;

/**
 * Checks a stitched output against its source, so a parallel transcode that lost, duplicated or
 * shifted a segment, or drifted its audio, is caught before it is published.
 *
 * <p>How things are measured, the same way for both files:
 * <ul>
 * <li>Video, from packets without decoding (cheap for long videos): frames = packets of the best
 *     video stream; start = smallest PTS; end = largest PTS + that packet's duration (or one frame
 *     at the average frame rate when the container gives none); duration = end - start.
 * <li>Audio, by decoding the best audio stream (cheap next to video), so that encoder priming and
 *     edit lists are applied as a player applies them: start = first decoded frame's timestamp,
 *     end = last frame's timestamp + its samples / sample rate.
 * <li>One frame = the source's video duration / its frames.
 * </ul>
 * Checks: |duration difference| &lt;= one frame; frame counts equal; audio start and end relative
 * to the video start/end shifted by at most one frame compared with the source (an audio track
 * longer or shorter than the video in the source may stay so; audio before the first video frame
 * is expected to be cut, as {@link Stitcher} does); and an audio track in the output exactly when
 * the source has one.
 */
public final class StitchCheck {

    private StitchCheck() {
    }

    /** Measures both files and compares them; never throws for a mismatch, only for bad files. */
    public static SyncCheck verify(Path source, Path stitched) {
        Timing src = Timing.of(source);
        Timing out = Timing.of(stitched);
        if (src.frames == 0) {
            throw new CodecException("Cannot verify " + stitched + " against " + source
                    + ": expected source video frames, found none");
        }
        double frame = src.videoDuration() / src.frames;
        double durationDiff = out.videoDuration() - src.videoDuration();
        long frameDiff = out.frames - src.frames;
        List<String> failed = new ArrayList<>();
        if (Math.abs(durationDiff) > frame + 1e-6) {
            failed.add("duration");
        }
        if (frameDiff != 0) {
            failed.add("frame count");
        }
        double av = 0;
        if (src.hasAudio() != out.hasAudio()) {
            failed.add(src.hasAudio() ? "audio missing" : "unexpected audio");
        } else if (src.hasAudio()) {
            double srcStart = Math.max(src.audioStart, src.videoStart) - src.videoStart;
            double startShift = (out.audioStart - out.videoStart) - srcStart;
            double endShift = (out.audioEnd - out.videoEnd) - (src.audioEnd - src.videoEnd);
            av = Math.abs(startShift) >= Math.abs(endShift) ? startShift : endShift;
            if (Math.abs(av) > frame + 1e-6) {
                failed.add("A/V sync");
            }
        }
        String detail = String.format(Locale.ROOT, "%s: source %s; stitched %s; one frame %.4f s;"
                + " duration diff %+.4f s, frame diff %+d, A/V shift %+.4f s",
                failed.isEmpty() ? "ok" : "FAILED " + String.join(", ", failed), src, out, frame,
                durationDiff, frameDiff, av);
        return new SyncCheck(durationDiff, frameDiff, av, failed.isEmpty(), detail);
    }

    /** Start and end of the video and audio of one file, in seconds. */
    private record Timing(double videoStart, double videoEnd, long frames, double audioStart,
            double audioEnd) {

        boolean hasAudio() {
            return !Double.isNaN(audioStart);
        }

        double videoDuration() {
            return videoEnd - videoStart;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "video %.4f..%.4f s (%d frames), audio %s",
                    videoStart, videoEnd, frames, hasAudio()
                            ? String.format(Locale.ROOT, "%.4f..%.4f s", audioStart, audioEnd)
                            : "none");
        }

        static Timing of(Path file) {
            try (PacketFiles.Input in = PacketFiles.open(file)) {
                int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
                if (v < 0) {
                    throw new CodecException("Cannot verify " + file
                            + ": expected a video stream, found none");
                }
                int a = in.bestStream(AVMEDIA_TYPE_AUDIO);
                for (int i = 0; i < in.ctx.nb_streams(); i++) {
                    if (i != v && i != a) {
                        in.stream(i).discard(AVDISCARD_ALL);
                    }
                }
                AVRational vtb = in.stream(v).time_base();
                long fallback = Segmenter.frameTicks(in.stream(v));
                AVCodecContext dec = a < 0 ? null : PacketFiles.openDecoder(in, a);
                AudioSpan audio = new AudioSpan(dec, in.file);
                AVPacket pkt = PacketFiles.packet();
                long frames = 0;
                long start = Long.MAX_VALUE;
                long end = Long.MIN_VALUE;
                try {
                    while (in.read(pkt)) {
                        if (pkt.stream_index() == v) {
                            long pts = PacketFiles.pts(pkt, file);
                            start = Math.min(start, pts);
                            end = Math.max(end, pts + (pkt.duration() > 0 ? pkt.duration()
                                    : fallback));
                            frames++;
                        } else if (pkt.stream_index() == a) {
                            audio.decode(pkt);
                        }
                    }
                    audio.decode(null);
                } finally {
                    PacketFiles.free(pkt);
                    audio.close();
                }
                if (frames == 0) {
                    return new Timing(0, 0, 0, audio.start, audio.end);
                }
                return new Timing(PacketFiles.seconds(start, vtb), PacketFiles.seconds(end, vtb),
                        frames, audio.start, audio.end);
            }
        }
    }

    /** Decodes audio packets and keeps the first frame's start and the last one's end. */
    private static final class AudioSpan implements AutoCloseable {
        private final AVCodecContext dec;
        private final Path file;
        private final AVFrame frame = av_frame_alloc();
        double start = Double.NaN;
        double end = Double.NaN;

        AudioSpan(AVCodecContext dec, Path file) {
            this.dec = dec;
            this.file = file;
        }

        void decode(AVPacket pkt) {
            if (dec == null) {
                return;
            }
            PacketFiles.check(avcodec_send_packet(dec, pkt), "decode the audio of", file);
            while (true) {
                int ret = avcodec_receive_frame(dec, frame);
                if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
                    return;
                }
                PacketFiles.check(ret, "decode the audio of", file);
                long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE
                        ? frame.best_effort_timestamp() : frame.pts();
                if (ts != AV_NOPTS_VALUE && frame.sample_rate() > 0) {
                    double t = PacketFiles.seconds(ts, dec.pkt_timebase());
                    if (Double.isNaN(start)) {
                        start = t;
                    }
                    end = t + frame.nb_samples() / (double) frame.sample_rate();
                }
                av_frame_unref(frame);
            }
        }

        @Override
        public void close() {
            av_frame_free(frame);
            if (dec != null) {
                avcodec_free_context(dec);
            }
        }
    }
}
