package com.mediaflow.shared.validation.internal.parsers;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Tiny real audio/video files for the parser tests, written by the bundled FFmpeg through
 * JavaCV's FFmpegFrameRecorder: a moving grey ramp and a 440 Hz sine, deterministic.
 */
final class RecordedMedia {
    private RecordedMedia() {
    }

    /**
     * @param format FFmpeg muxer name ("webm", "matroska", "ogg", "flac", "mp3")
     * @param videoCodec encoder name, or null for audio only
     * @param audioCodec encoder name, or null for video only
     */
    static byte[] record(Path dir, String name, String format, int w, int h, int fps, String videoCodec,
            String audioCodec, int sampleRate, int channels, double seconds) {
        av_log_set_level(AV_LOG_ERROR);
        Path out = dir.resolve(name);
        int vw = videoCodec == null ? 0 : w;
        int vh = videoCodec == null ? 0 : h;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), vw, vh, audioCodec == null ? 0 : channels)) {
            rec.setFormat(format);
            if (videoCodec != null) {
                rec.setVideoCodecName(videoCodec);
                rec.setFrameRate(fps);
                rec.setGopSize(fps);
                rec.setVideoOption("threads", "1");
                if (videoCodec.startsWith("libvpx")) {
                    rec.setVideoOption("deadline", "realtime");
                    rec.setVideoOption("cpu-used", "8");
                } else if (videoCodec.equals("libx264")) {
                    rec.setVideoOption("preset", "ultrafast");
                }
            }
            if (audioCodec != null) {
                rec.setAudioCodecName(audioCodec);
                rec.setSampleRate(sampleRate);
                rec.setAudioChannels(channels);
                rec.setAudioOption("strict", "experimental");
                if (audioCodec.equals("libmp3lame")) {
                    rec.setAudioBitrate(64_000);
                }
            }
            rec.start();
            long written = 0;
            long totalSamples = Math.round(seconds * sampleRate);
            int videoFrames = videoCodec == null ? 0 : Math.max(1, (int) Math.round(seconds * fps));
            int steps = Math.max(videoFrames, (int) Math.ceil(seconds * 10));
            try (Frame frame = videoCodec == null ? null : new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
                for (int i = 0; i < steps; i++) {
                    if (frame != null && i < videoFrames) {
                        paint(frame, i);
                        rec.record(frame, AV_PIX_FMT_BGR24);
                    }
                    if (audioCodec != null) {
                        long until = totalSamples * (i + 1) / steps;
                        rec.recordSamples(sampleRate, channels, sine(written, until, sampleRate, channels));
                        written = until;
                    }
                }
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("FFmpeg could not write " + format + " with " + videoCodec + "/" + audioCodec
                    + ": " + e.getMessage(), e);
        }
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A moving pattern, so that frames differ; packed RGB24. */
    static void paint(Frame frame, int t) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        for (int y = 0; y < frame.imageHeight; y++) {
            for (int x = 0; x < frame.imageWidth; x++) {
                int o = y * frame.imageStride + x * 3;
                buf.put(o, (byte) (x * 4 + t * 8));
                buf.put(o + 1, (byte) (y * 4));
                buf.put(o + 2, (byte) ((x + y + t) * 2));
            }
        }
    }

    /** A 440 Hz tone, interleaved over {@code channels}. */
    static ShortBuffer sine(long from, long until, int rate, int channels) {
        int n = (int) (until - from);
        short[] s = new short[n * channels];
        for (int i = 0; i < n; i++) {
            short v = (short) Math.round(0.3 * Short.MAX_VALUE * Math.sin(2 * Math.PI * 440 * (from + i) / rate));
            for (int ch = 0; ch < channels; ch++) {
                s[i * channels + ch] = v;
            }
        }
        return ShortBuffer.wrap(s);
    }
}
