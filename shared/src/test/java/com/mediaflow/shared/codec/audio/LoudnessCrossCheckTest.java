package com.mediaflow.shared.codec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.mediaflow.shared.codec.Lavfi;

/**
 * Our meter against FFmpeg's own EBU R128 filter ({@code ebur128}), on pink noise with a loud
 * part, a silent second and a quiet part, so both gates matter. Everything runs in this JVM
 * through libavfilter (no {@code ffmpeg} program, no libavdevice): {@code anoisesrc} makes the
 * noise, written as 16-bit WAV; {@code amovie} reads that WAV back into {@code ebur128}.
 *
 * <p>The reference value: with {@code metadata=1}, ebur128 recomputes the integrated loudness
 * every 100 ms and attaches it ({@code lavfi.r128.I}, three decimals) to the frame in which that
 * step ended. The last such value is the one its end-of-stream summary prints
 * ("Integrated loudness: I:"), which the CLI version of this test parsed: both are the filter's
 * {@code integrated_loudness} after its last 100 ms step.
 *
 * <p>Tolerance {@value #TOLERANCE_LU} LU: we report one decimal (up to 0.05 of rounding);
 * ebur128 gates on a 0.01 LU histogram and measures 44.1 and 32 kHz after resampling to 48 kHz.
 * A 0.5 dB error in level or in a channel weight is outside it; see
 * {@link #crossCheck_detectsAHalfDecibelError()}.
 */
class LoudnessCrossCheckTest {

    static final double TOLERANCE_LU = 0.15;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} Hz, {1}")
    @CsvSource({
        "44100, stereo, c0=c0|c1=c0",
        "48000, mono,   c0=c0",
        "32000, 5.1,    c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0",
    })
    void integratedLoudness_matchesFfmpegEbur128(int rate, String layout, String pan) {
        Path wav = pinkNoise(rate, layout, pan);

        double reference = ebur128(wav, "");
        AudioAnalysis ours = new AudioTranscoder(AudioSettings.DEFAULTS).analyze(wav)
                .orElseThrow();

        System.out.printf("Loudness %d Hz %s: ours %.1f LUFS, ebur128 %.3f LUFS%n", rate, layout,
                ours.integratedLufs(), reference);
        assertThat(ours.channels()).isEqualTo(layout.equals("mono") ? 1
                : layout.equals("stereo") ? 2 : 6);
        assertThat(ours.sampleRate()).isEqualTo(rate);
        // pink noise at a=0.3 with a quarter-level tail: loud, far from both gates and from 0 LUFS
        assertThat(reference).as("ebur128 integrated loudness").isBetween(-30.0, -10.0);
        assertThat(ours.integratedLufs()).isCloseTo(reference, within(TOLERANCE_LU));
    }

    @Test
    void crossCheck_detectsAHalfDecibelError() {
        // given the stereo noise, measured by ebur128 as it is and 0.5 dB louder
        Path wav = pinkNoise(44100, "stereo", "c0=c0|c1=c0");
        double reference = ebur128(wav, "");
        double louder = ebur128(wav, "volume=0.5dB,");
        double ours = new AudioTranscoder(AudioSettings.DEFAULTS).analyze(wav).orElseThrow()
                .integratedLufs();

        // then: ebur128 follows the gain, and the comparison above would fail against it
        assertThat(louder - reference).isCloseTo(0.5, within(0.02));
        assertThat(Math.abs(ours - louder)).isGreaterThan(TOLERANCE_LU);
    }

    /** 6 s of pink noise: 2 s at full level, 1 s of silence, 3 s at a quarter (-12 dB). */
    private Path pinkNoise(int rate, String layout, String pan) {
        av_log_set_level(AV_LOG_ERROR);
        Path wav = dir.resolve("pink-" + rate + "-" + layout + ".wav");
        int channels = layout.equals("mono") ? 1 : layout.equals("stereo") ? 2 : 6;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(wav.toFile(), channels)) {
            rec.setFormat("wav");
            rec.setAudioCodecName("pcm_s16le");
            rec.setSampleRate(rate);
            rec.start();
            Lavfi.run("anoisesrc=d=6:c=pink:r=" + rate + ":a=0.3:seed=1,"
                    + "volume='if(lt(t,2),1,if(lt(t,3),0,0.25))':eval=frame,"
                    + "pan=" + layout + "|" + pan + ",aformat=sample_fmts=s16,abuffersink", f -> {
                        assertThat(f.ch_layout().nb_channels()).isEqualTo(channels);
                        int n = f.nb_samples();
                        ShortBuffer samples = new ShortPointer(f.data(0))
                                .capacity((long) n * channels).asBuffer();
                        try {
                            rec.recordSamples(rate, channels, samples);
                        } catch (FrameRecorder.Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("Cannot write " + wav + ": " + e.getMessage(), e);
        }
        return wav;
    }

    /**
     * FFmpeg's integrated loudness of a file: {@code amovie}, then {@code before} (filters ending
     * in a comma, or empty), then {@code ebur128=metadata=1}; the last {@code lavfi.r128.I}.
     */
    private static double ebur128(Path file, String before) {
        List<String> values = new ArrayList<>();
        Lavfi.run("amovie=filename=" + Lavfi.escape(file.toAbsolutePath().toString()) + ","
                + before + "ebur128=metadata=1,abuffersink", f -> {
                    AVDictionaryEntry e = av_dict_get(f.metadata(), "lavfi.r128.I", null, 0);
                    if (e != null && !e.isNull()) {
                        values.add(e.value().getString());
                    }
                });
        // 100 ms steps: about 60 of 6 s, each carried by the frame it ended in
        assertThat(values).as("lavfi.r128.I values from ebur128").hasSizeGreaterThan(20);
        return Double.parseDouble(values.get(values.size() - 1));
    }
}
