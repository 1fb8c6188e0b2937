package com.mediaflow.shared.codec.audio;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_BACK_CENTER;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_BACK_LEFT;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_BACK_RIGHT;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_LOW_FREQUENCY;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_LOW_FREQUENCY_2;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_SIDE_LEFT;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_SIDE_RIGHT;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_SURROUND_DIRECT_LEFT;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_SURROUND_DIRECT_RIGHT;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_WIDE_LEFT;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHAN_WIDE_RIGHT;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_channel_from_index;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.ProbeResult;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * Turns any audio file (MP3, AAC/M4A, Ogg Opus/Vorbis, WAV, FLAC) or the audio track of a video
 * into the two renditions every audio item gets, plus the manifest analysis:
 * <ul>
 * <li>{@code audio.m4a}: AAC-LC (FFmpeg's native encoder) in an MP4 with {@code +faststart},
 * 44.1 kHz when the source rate is a multiple of 11025 Hz, else 48 kHz; mono stays mono, more
 * than two channels are downmixed to stereo;</li>
 * <li>{@code audio.ogg}: Opus (libopus) in Ogg, 48 kHz, same channel rule: the voice-note
 * format;</li>
 * <li>an {@link AudioAnalysis}: decoded duration, EBU R128 integrated loudness
 * ({@link LoudnessMeter}) and a peak waveform ({@link Waveform}).</li>
 * </ul>
 *
 * <p>One decode feeds everything: the source is decoded once to planar float at its own sample
 * rate and channel count; each block goes to the meter (all channels, BS.1770 weights from the
 * channel layout, LFE excluded), the waveform and both encoders, which resample (and downmix
 * more than two channels to stereo) with swresample inside {@link FFmpegFrameRecorder}.
 *
 * <p>Errors: a file FFmpeg cannot open, without an audio stream (for {@link #process}), that
 * decodes to nothing, or that ends well before its container's declared duration (truncated)
 * raises {@link CodecException} naming the file; a source that cannot be read or an output
 * folder that cannot be written raises {@link StorageException}. On any failure the partial
 * renditions are deleted. Instances hold only settings and may be shared between threads.
 */
public final class AudioTranscoder {

    /** A decode that stops this far (and 10 %) short of the declared duration is truncated. */
    private static final double TRUNCATION_SLACK_SECONDS = 0.25;

    private final AudioSettings settings;

    public AudioTranscoder(AudioSettings settings) {
        this.settings = settings == null ? AudioSettings.DEFAULTS : settings;
    }

    /**
     * Writes {@code audio.m4a} and {@code audio.ogg} into {@code outDir} (created if missing,
     * existing files replaced) and analyses the source, from one decode.
     *
     * @throws CodecException when the source has no decodable audio stream, naming the file
     * @throws StorageException when the source cannot be read or outDir cannot be written
     */
    public AudioResult process(Path source, Path outDir) {
        checkReadable(source);
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new StorageException("Cannot create the output folder " + outDir
                    + " for the renditions of " + source + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(outDir)) {
            throw new StorageException("Cannot write renditions of " + source + ": expected "
                    + outDir + " to be a writable folder, found it is not", null);
        }
        Path m4a = outDir.resolve(AudioOutput.M4A);
        Path ogg = outDir.resolve(AudioOutput.OGG);
        boolean done = false;
        try {
            AudioAnalysis analysis = decode(source, m4a, ogg)
                    .orElseThrow(() -> new CodecException("Cannot transcode " + source
                            + ": expected an audio stream, found none"));
            List<AudioOutput> outputs = List.of(
                    describe(AudioOutput.M4A, m4a, "audio/mp4", source),
                    describe(AudioOutput.OGG, ogg, "audio/ogg", source));
            done = true;
            return new AudioResult(outputs, analysis);
        } finally {
            if (!done) {
                deleteQuietly(m4a);
                deleteQuietly(ogg);
            }
        }
    }

    /**
     * Analyses a file's first audio stream without writing anything: for the audio track of a
     * video. Empty when the file has no audio stream at all.
     *
     * @throws CodecException when FFmpeg cannot open the file, or its audio cannot be decoded
     * @throws StorageException when the source cannot be read
     */
    public Optional<AudioAnalysis> analyze(Path source) {
        checkReadable(source);
        return decode(source, null, null);
    }

    // --- the single decode --------------------------------------------------------------

    private Optional<AudioAnalysis> decode(Path source, Path m4a, Path ogg) {
        av_log_set_level(AV_LOG_ERROR);
        String path = source.toAbsolutePath().toString();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(path)) {
            g.setOption("protocol_whitelist", "file");
            g.setSampleFormat(AV_SAMPLE_FMT_FLTP);
            try {
                g.start();
            } catch (FrameGrabber.Exception e) {
                throw new CodecException("Cannot decode " + path + ": expected an audio or video "
                        + "file FFmpeg can open, found: " + e.getMessage(), e);
            }
            if (!g.hasAudio()) {
                return Optional.empty();
            }
            int rate = g.getSampleRate();
            int sourceChannels = g.getAudioChannels();
            if (rate <= 0 || sourceChannels <= 0) {
                throw new CodecException("Cannot decode " + path + ": expected an audio stream "
                        + "with a sample rate and channels, found " + rate + " Hz, "
                        + sourceChannels + " channels");
            }
            int channels = sourceChannels;
            double declared = declaredSeconds(g);

            try (Encoders enc = m4a == null ? null : new Encoders(m4a, ogg, rate,
                    Math.min(2, channels), settings, path)) {
                LoudnessMeter meter = new LoudnessMeter(rate, channelWeights(g, channels));
                Waveform waveform = new Waveform(settings.waveformBuckets());
                float[][] planar = new float[channels][0];
                Frame frame;
                while ((frame = grab(g, path)) != null) {
                    int n = toPlanar(frame, channels, planar, path);
                    if (n == 0) {
                        continue;
                    }
                    meter.feed(planar, n);
                    waveform.feed(planar, n);
                    if (enc != null) {
                        enc.record(rate, planar, n);
                    }
                }
                long frames = waveform.frames();
                double decoded = (double) frames / rate;
                if (frames == 0) {
                    throw new CodecException("Cannot decode " + path + ": expected audio samples, "
                            + "the " + g.getAudioCodecName() + " stream decoded to none");
                }
                if (declared > 0 && decoded < declared * 0.9 - TRUNCATION_SLACK_SECONDS) {
                    throw new CodecException(String.format(java.util.Locale.ROOT,
                            "Cannot decode %s: the container declares %.3f s of audio, only "
                            + "%.3f s decoded (truncated or corrupt)", path, declared, decoded));
                }
                if (enc != null) {
                    enc.finish();
                }
                Double lufs = meter.integrated();
                Double rounded = lufs == null ? null : Math.round(lufs * 10) / 10.0;
                return Optional.of(new AudioAnalysis(decoded, rounded, waveform.values(), rate,
                        sourceChannels));
            }
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot decode " + path + ": FFmpeg failed to release it: "
                    + e.getMessage(), e);
        }
    }

    private static Frame grab(FFmpegFrameGrabber g, String path) {
        try {
            return g.grabSamples();
        } catch (FrameGrabber.Exception e) {
            throw new CodecException("Cannot decode the audio of " + path + ": expected a valid "
                    + g.getAudioCodecName() + " stream, found: " + e.getMessage(), e);
        }
    }

    /**
     * BS.1770-4 channel weights from the audio stream's channel layout (FFmpeg's default layout
     * for the count when the file does not say): LFE channels 0, surround channels (side, back,
     * wide) 1.41, all others 1.
     */
    private static double[] channelWeights(FFmpegFrameGrabber g, int channels) {
        AVStream audio = audioStream(g.getFormatContext());
        AVChannelLayout layout = audio == null ? null : audio.codecpar().ch_layout();
        double[] w = new double[channels];
        try (AVChannelLayout fallback = new AVChannelLayout()) {
            if (layout == null || layout.order() == AV_CHANNEL_ORDER_UNSPEC
                    || layout.nb_channels() != channels) {
                av_channel_layout_default(fallback, channels);
                layout = fallback;
            }
            for (int c = 0; c < channels; c++) {
                w[c] = weight(av_channel_layout_channel_from_index(layout, c));
            }
        }
        return w;
    }

    private static double weight(int channel) {
        return switch (channel) {
            case AV_CHAN_LOW_FREQUENCY, AV_CHAN_LOW_FREQUENCY_2 -> 0.0;
            case AV_CHAN_BACK_LEFT, AV_CHAN_BACK_RIGHT, AV_CHAN_BACK_CENTER, AV_CHAN_SIDE_LEFT,
                    AV_CHAN_SIDE_RIGHT, AV_CHAN_WIDE_LEFT, AV_CHAN_WIDE_RIGHT,
                    AV_CHAN_SURROUND_DIRECT_LEFT, AV_CHAN_SURROUND_DIRECT_RIGHT -> 1.41;
            default -> 1.0;
        };
    }

    /**
     * The audio stream's declared duration (from the container's index or headers), or 0 when
     * unknown or merely estimated from the bitrate (an MP3 without a Xing/LAME header), where a
     * truncation check would be guesswork. The audio stream's own duration, not the file's: in
     * a video the picture may legitimately outlast the sound. The file's duration counts only
     * when the audio is its sole stream.
     */
    private static double declaredSeconds(FFmpegFrameGrabber g) {
        AVFormatContext fc = g.getFormatContext();
        if (fc == null || fc.duration_estimation_method() == AVFMT_DURATION_FROM_BITRATE) {
            return 0;
        }
        AVStream audio = audioStream(fc);
        if (audio != null && audio.duration() != AV_NOPTS_VALUE && audio.duration() > 0) {
            return audio.duration() * av_q2d(audio.time_base());
        }
        long us = g.getLengthInTime();
        return fc.nb_streams() == 1 && us > 0 ? us / 1_000_000.0 : 0;
    }

    private static AVStream audioStream(AVFormatContext fc) {
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            if (fc.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                return fc.streams(i);
            }
        }
        return null;
    }

    /**
     * Copies a grabbed audio frame into {@code planar} (reallocated when too small), returning the
     * frames per channel. Accepts planar (one buffer per channel) or interleaved float buffers.
     */
    private static int toPlanar(Frame frame, int channels, float[][] planar, String path) {
        Buffer[] samples = frame.samples;
        if (samples == null || samples.length == 0) {
            return 0;
        }
        for (Buffer b : samples) {
            if (!(b instanceof FloatBuffer)) {
                throw new CodecException("Cannot decode " + path + ": expected float samples "
                        + "from the resampler, found " + b.getClass().getSimpleName());
            }
        }
        if (samples.length == channels) {
            int n = samples[0].remaining();
            ensure(planar, n);
            for (int c = 0; c < channels; c++) {
                FloatBuffer fb = ((FloatBuffer) samples[c]).duplicate();
                fb.get(planar[c], 0, n);
            }
            return n;
        }
        if (samples.length == 1) {
            FloatBuffer fb = ((FloatBuffer) samples[0]).duplicate();
            int n = fb.remaining() / channels;
            ensure(planar, n);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    planar[c][i] = fb.get();
                }
            }
            return n;
        }
        throw new CodecException("Cannot decode " + path + ": expected " + channels
                + " sample planes, found " + samples.length);
    }

    private static void ensure(float[][] planar, int n) {
        for (int c = 0; c < planar.length; c++) {
            if (planar[c].length < n) {
                planar[c] = new float[n];
            }
        }
    }

    private static AudioOutput describe(String name, Path file, String contentType, Path source) {
        ProbeResult p = MediaProbe.probe(file);
        if (!p.hasAudio() || p.sampleRate() == null || p.audioChannels() == null
                || p.durationSeconds() == null) {
            throw new CodecException("Cannot transcode " + source + ": expected " + file
                    + " to probe as audio with a duration, found " + p);
        }
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new StorageException("Cannot read the size of " + file + ": " + e.getMessage(),
                    e);
        }
        return new AudioOutput(name, file, contentType, p.audioCodec(), p.sampleRate(),
                p.audioChannels(), p.durationSeconds(), bytes);
    }

    private static void checkReadable(Path source) {
        if (!Files.isRegularFile(source) || !Files.isReadable(source)) {
            throw new StorageException("Cannot read " + source + ": expected a readable file, "
                    + "found " + (Files.exists(source) ? "one that cannot be read" : "none"),
                    null);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the caller's error is the one that matters
        }
    }

    /** Sample rate of the AAC rendition: 44.1 kHz for the 11025 Hz family, else 48 kHz. */
    static int aacSampleRate(int sourceRate) {
        return sourceRate % 11_025 == 0 ? 44_100 : 48_000;
    }

    // --- the two encoders ---------------------------------------------------------------

    /** Both rendition recorders, started together, fed together, released together. */
    private static final class Encoders implements AutoCloseable {
        private final FFmpegFrameRecorder aac;
        private final FFmpegFrameRecorder opus;
        private final String path;

        /** {@code channels}: of the renditions; a source with more is downmixed by swresample. */
        Encoders(Path m4a, Path ogg, int rate, int channels, AudioSettings s, String path) {
            this.path = path;
            aac = new FFmpegFrameRecorder(m4a.toFile(), channels);
            aac.setFormat("ipod"); // the MP4 muxer with the M4A brand
            aac.setAudioCodec(AV_CODEC_ID_AAC);
            aac.setAudioOption("profile", "aac_low");
            aac.setSampleRate(aacSampleRate(rate));
            aac.setAudioBitrate(s.aacBitrateKbps() * 1000);
            aac.setOption("movflags", "+faststart");
            opus = new FFmpegFrameRecorder(ogg.toFile(), channels);
            opus.setFormat("ogg");
            opus.setAudioCodecName("libopus");
            opus.setSampleRate(48_000);
            opus.setAudioBitrate(s.opusBitrateKbps() * 1000);
            try {
                aac.start();
                opus.start();
            } catch (FrameRecorder.Exception e) {
                close();
                throw new CodecException("Cannot transcode " + path + ": expected FFmpeg to open "
                        + "the AAC and Opus encoders, found: " + e.getMessage(), e);
            }
        }

        void record(int rate, float[][] planar, int n) {
            try {
                aac.recordSamples(rate, planar.length, buffers(planar, n));
                opus.recordSamples(rate, planar.length, buffers(planar, n));
            } catch (FrameRecorder.Exception e) {
                throw new CodecException("Cannot transcode " + path + ": expected the encoders "
                        + "to take " + n + " samples, found: " + e.getMessage(), e);
            }
        }

        private static Buffer[] buffers(float[][] planar, int n) {
            Buffer[] b = new Buffer[planar.length];
            for (int c = 0; c < planar.length; c++) {
                b[c] = FloatBuffer.wrap(planar[c], 0, n);
            }
            return b;
        }

        /** Flushes the encoders and writes the trailers (moov moved to the front). */
        void finish() {
            try {
                aac.stop();
                opus.stop();
            } catch (FrameRecorder.Exception e) {
                throw new CodecException("Cannot transcode " + path + ": expected FFmpeg to "
                        + "finish the renditions, found: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            releaseQuietly(aac);
            releaseQuietly(opus);
        }

        private static void releaseQuietly(FFmpegFrameRecorder r) {
            try {
                r.release();
            } catch (FrameRecorder.Exception e) {
                // releasing native memory only; the rendition's fate is decided by finish()
            }
        }
    }
}
