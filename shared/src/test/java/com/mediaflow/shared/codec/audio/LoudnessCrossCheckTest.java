package com.mediaflow.shared.codec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our meter against FFmpeg's own EBU R128 filter ({@code ebur128}, the libebur128 algorithm),
 * run by the {@code ffmpeg} binary that ships in the JavaCV jar, on pink noise with a loud part,
 * a silent second and a quiet part, so both gates matter. ebur128 prints one decimal and so do
 * we: the two may differ by one step of rounding.
 */
class LoudnessCrossCheckTest {
    /**
     * The JavaCV jar's ffmpeg binary links libpulse, which a bare machine (CI) may lack: then this
     * cross-check is skipped, visibly. The meter's own reference cases (EBU Tech 3341) in
     * LoudnessMeterTest run everywhere, so no behaviour rests on this class alone.
     */
    @org.junit.jupiter.api.BeforeAll
    static void ffmpegCliRuns() throws IOException, InterruptedException {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ran = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(ran, () -> "the bundled ffmpeg CLI cannot run on this machine ("
                + out.lines().findFirst().orElse("no output") + "); ebur128 cross-check skipped");
    }


    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} Hz, {1}")
    @CsvSource({
        "44100, stereo, c0=c0|c1=c0",
        "48000, mono,   c0=c0",
        "32000, 5.1,    c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0",
    })
    void integratedLoudness_matchesFfmpegEbur128(int rate, String layout, String pan)
            throws Exception {
        Path wav = dir.resolve("pink-" + rate + "-" + layout + ".wav");
        run(List.of("-y", "-filter_complex", "anoisesrc=d=6:c=pink:r=" + rate
                + ":a=0.3:seed=1,volume='if(lt(t,2),1,if(lt(t,3),0,0.25))':eval=frame,"
                + "pan=" + layout + "|" + pan, "-c:a", "pcm_s16le", wav.toString()));
        String log = run(List.of("-nostats", "-i", wav.toString(), "-af", "ebur128",
                "-f", "null", "-"));
        // the summary, not the per-100 ms "I:" lines logged before it
        Matcher m = Pattern.compile("Integrated loudness:\\s+I:\\s+(-?[0-9.]+) LUFS")
                .matcher(log);
        assertThat(m.find()).as("ebur128 summary in:%n%s", log).isTrue();
        double reference = Double.parseDouble(m.group(1));

        AudioAnalysis ours = new AudioTranscoder(AudioSettings.DEFAULTS).analyze(wav)
                .orElseThrow();

        assertThat(ours.channels()).isEqualTo(layout.equals("mono") ? 1
                : layout.equals("stereo") ? 2 : 6);
        assertThat(ours.integratedLufs()).isCloseTo(reference, within(0.15));
    }

    private static String run(List<String> args) throws IOException, InterruptedException {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        List<String> cmd = new java.util.ArrayList<>(List.of(ffmpeg, "-hide_banner"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffmpeg %s:%n%s", args, out).isZero();
        return out;
    }
}
