package com.mediaflow.shared.codec.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Real audio files for the transcoder tests, written by the bundled FFmpeg through JavaCV from
 * {@link Signals} segments, and a decoder that reports what a written file really holds.
 */
final class AudioFixtures {

    private AudioFixtures() {
    }

    /**
     * @param format FFmpeg muxer ("mp3", "ipod", "ogg", "wav", "flac", "matroska")
     * @param codec encoder name ("libmp3lame", "aac", "libopus", "vorbis", "pcm_s16le", "flac")
     */
    static Path record(Path out, String format, String codec, int rate, int channels,
            Signals.Segment... segments) {
        av_log_set_level(AV_LOG_ERROR);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), channels)) {
            rec.setFormat(format);
            rec.setAudioCodecName(codec);
            rec.setSampleRate(rate);
            rec.setAudioOption("strict", "experimental"); // FFmpeg's own vorbis encoder
            if (format.equals("ipod")) {
                rec.setOption("movflags", "+faststart"); // so a truncated copy keeps its moov
            }
            if (!codec.startsWith("pcm") && !codec.equals("flac")) {
                rec.setAudioBitrate(channels * 96_000);
            }
            rec.start();
            Signals.feed((planar, n) -> {
                Buffer[] b = new Buffer[channels];
                for (int c = 0; c < channels; c++) {
                    b[c] = FloatBuffer.wrap(planar[c], 0, n);
                }
                try {
                    rec.recordSamples(rate, channels, b);
                } catch (FrameRecorder.Exception e) {
                    throw new IllegalStateException(e);
                }
            }, rate, channels, 1024, segments);
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("FFmpeg could not write " + format + "/" + codec
                    + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * An MP4 whose H.264 picture (64x48, 10 fps, grey) lasts {@code videoSeconds} and whose mono
     * 48 kHz AAC sound (a -23 dBFS 1 kHz sine) only {@code audioSeconds}.
     */
    static Path videoLongerThanAudio(Path out, double videoSeconds, double audioSeconds) {
        av_log_set_level(AV_LOG_ERROR);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), 64, 48, 1);
                Frame picture = new Frame(64, 48, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mp4");
            rec.setVideoCodecName("libx264");
            rec.setVideoOption("preset", "ultrafast");
            rec.setFrameRate(10);
            rec.setAudioCodecName("aac");
            rec.setSampleRate(48_000);
            rec.start();
            java.nio.ByteBuffer pixels = (java.nio.ByteBuffer) picture.image[0];
            for (int i = 0; i < pixels.capacity(); i++) {
                pixels.put(i, (byte) 128);
            }
            for (int i = 0; i < Math.round(videoSeconds * 10); i++) {
                rec.record(picture);
            }
            Signals.feed((planar, n) -> {
                try {
                    rec.recordSamples(48_000, 1, FloatBuffer.wrap(planar[0], 0, n));
                } catch (FrameRecorder.Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 48_000, 1, 1024, Signals.Segment.sine(audioSeconds, -23));
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("FFmpeg could not write " + out + ": "
                    + e.getMessage(), e);
        }
        return out;
    }

    /** What a file's first audio stream holds, by decoding all of it. */
    record Decoded(String format, String codec, int profile, int sampleRate, int channels,
            long samples, double containerSeconds) {
        double seconds() {
            return (double) samples / sampleRate;
        }
    }

    static Decoded decode(Path file) {
        av_log_set_level(AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            AVCodecParameters par = null;
            for (int i = 0; i < g.getFormatContext().nb_streams(); i++) {
                AVCodecParameters p = g.getFormatContext().streams(i).codecpar();
                if (p.codec_type() == org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO) {
                    par = p;
                    break;
                }
            }
            if (par == null) {
                throw new IllegalStateException("No audio stream in " + file);
            }
            String codec = g.getAudioCodecName();
            int profile = par.profile();
            long samples = 0;
            Frame f;
            while ((f = g.grabSamples()) != null) {
                if (f.samples != null) {
                    int planes = f.samples.length;
                    samples += f.samples[0].remaining() * planes / g.getAudioChannels();
                }
            }
            return new Decoded(g.getFormat(), codec, profile, g.getSampleRate(),
                    g.getAudioChannels(), samples, g.getLengthInTime() / 1e6);
        } catch (FrameGrabber.Exception e) {
            throw new IllegalStateException("FFmpeg could not decode " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
