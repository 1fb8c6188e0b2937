package com.mediaflow.bench;

import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.video.EncodedAudio;
import com.mediaflow.shared.codec.video.Rung;
import com.mediaflow.shared.codec.video.Segment;
import com.mediaflow.shared.codec.video.Segmenter;
import com.mediaflow.shared.codec.video.StitchCheck;
import com.mediaflow.shared.codec.video.StitchResult;
import com.mediaflow.shared.codec.video.Stitcher;
import com.mediaflow.shared.codec.video.SyncCheck;
import com.mediaflow.shared.codec.video.Target;
import com.mediaflow.shared.codec.video.TranscodeProgress;
import com.mediaflow.shared.codec.video.TranscodeResult;
import com.mediaflow.shared.codec.video.VideoSettings;
import com.mediaflow.shared.codec.video.VideoTranscoder;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.Loader;

/**
 * Video transcoding with Mediaflow's shared code beside the ffmpeg CLI of the same JavaCV build,
 * with identical settings, in the same run; then the parallel path's wall time with 1, 2 and 4
 * workers against one encode of the whole clip.
 *
 * <ul>
 *   <li>Single encode: a 720p and a 1080p clip (30 fps, the moving test pattern with noise, H.264
 *       and AAC as a phone would send), each to the ladder's rung of its own size, video and
 *       audio, exactly as the transcode function calls {@link VideoTranscoder}. The CLI gets the
 *       same libx264 options ({@code VideoTranscoder}'s own list), the same AAC bit rate and
 *       faststart. One untimed warm-up each, then the median of the timed passes, which alternate
 *       between Mediaflow and the CLI.
 *   <li>Parallel path: a longer clip is split ({@link Segmenter}), its segments encoded by N
 *       threads in this JVM (each a segment job's work: video only, one rung) beside one audio
 *       job ({@link Stitcher#encodeAudio}), then stitched by packet copy and checked
 *       ({@link StitchCheck}). The split and the stitch are the serial parts: their share of the
 *       wall time is printed.
 * </ul>
 *
 * <p>Usage: {@code bench/run video [--seconds S] [--long-seconds L] [--passes P]} (defaults 10, 60, 3);
 * {@code --long-seconds 0} skips the parallel path. Mediaflow and the CLI passes alternate.
 */
public final class VideoTranscode {
    private static final int FPS = 30;

    public static void main(String[] args) throws Exception {
        double seconds = 10;
        double longSeconds = 60;
        int passes = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--long-seconds" -> longSeconds = Double.parseDouble(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --seconds S, --long-seconds L or --passes P");
            }
        }
        Path work = Path.of(System.getProperty("mediaflow.root", "."), "bench", "target", "video");
        Files.createDirectories(work);
        VideoSettings settings = VideoSettings.DEFAULTS;
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        boolean cli = runs(ffmpeg);
        System.out.printf(Locale.ROOT, "video: %d cores, %s; ffmpeg CLI %s%n", Runtime.getRuntime().availableProcessors(),
                settings, cli ? ffmpeg : "cannot run here: ratios skipped");

        List<String> ratios = new ArrayList<>();
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            Path src = source(work, size[0], size[1], seconds);
            Rung rung = settings.rungs().stream().filter(r -> r.shortSide() == size[1]).findFirst().orElseThrow();
            Target target = new Target(rung.name(), size[0], size[1], rung);
            long frames = Math.round(seconds * FPS);
            VideoTranscoder transcoder = new VideoTranscoder(settings);
            Work ours = () -> transcoder.transcode(src, List.of(target), work.resolve("ours"), true,
                    TranscodeProgress.NONE);
            ours.run(); // untimed warm-up
            if (!cli) {
                double t = median(passes, ours);
                System.out.printf(Locale.ROOT, "  %-5s Mediaflow  %6.1f fps  (%.2f s for %d frames)%n", rung.name(), frames / t, t, frames);
                continue;
            }
            List<String> cmd = cliCommand(ffmpeg, transcoder, rung, settings, src, work.resolve("cli-" + rung.name() + ".mp4"));
            exec(cmd); // untimed warm-up
            // alternating passes (ours, CLI, ours, CLI, ...) so a change in the machine's load hits both alike
            double[][] t = alternating(passes, ours, () -> exec(cmd));
            System.out.printf(Locale.ROOT, "  %-5s Mediaflow  %6.1f fps  (%.2f s for %d frames)%n", rung.name(), frames / t[0][passes / 2],
                    t[0][passes / 2], frames);
            System.out.printf(Locale.ROOT, "  %-5s ffmpeg CLI %6.1f fps  (%.2f s)   ratio %.2fx   (passes: ours %s, CLI %s)%n", rung.name(),
                    frames / t[1][passes / 2], t[1][passes / 2], t[1][passes / 2] / t[0][passes / 2], seconds(t[0]), seconds(t[1]));
            ratios.add(String.format(Locale.ROOT, "%s %.2fx", rung.name(), t[1][passes / 2] / t[0][passes / 2]));
        }
        if (longSeconds <= 0) {
            System.out.println("Mediaflow fps over the ffmpeg CLI's, same settings, same run: "
                    + (ratios.isEmpty() ? "not measured (no CLI)" : String.join(", ", ratios)) + "; parallel path skipped");
            return;
        }

        Path longClip = source(work, 640, 360, longSeconds);
        Rung small = settings.rungs().get(0);
        Target target = new Target(small.name(), 640, 360, small);
        VideoTranscoder transcoder = new VideoTranscoder(settings);
        long t0 = System.nanoTime();
        transcoder.transcode(longClip, List.of(target), work.resolve("whole"), true, TranscodeProgress.NONE);
        double whole = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "parallel path, %.0f s at 640x360 in 10 s segments; one encode of the whole clip: %.2f s%n",
                longSeconds, whole);
        for (int workers : new int[] {1, 2, 4}) {
            Path dir = work.resolve("parallel-" + workers);
            long s0 = System.nanoTime();
            List<Segment> segments = Segmenter.split(longClip, 10, dir.resolve("segments"));
            double split = (System.nanoTime() - s0) / 1e9;
            long e0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            // the audio is one more job beside the segments, as in the transcode step
            Future<java.util.Optional<EncodedAudio>> audio = pool.submit(() -> Stitcher.encodeAudio(longClip,
                    settings.audioBitrateKbps(), dir.resolve("audio.m4a")));
            List<Future<Path>> encoded = new ArrayList<>();
            for (Segment s : segments) {
                encoded.add(pool.submit(() -> new VideoTranscoder(settings).transcode(s.file(), List.of(target),
                        dir.resolve("enc-" + s.index()), false, TranscodeProgress.NONE).outputs().get(0).file()));
            }
            List<Path> parts = new ArrayList<>();
            for (Future<Path> f : encoded) {
                parts.add(f.get());
            }
            audio.get();
            pool.shutdown();
            double encode = (System.nanoTime() - e0) / 1e9;
            long j0 = System.nanoTime();
            Path encodedAudio = audio.get().map(EncodedAudio::file).orElse(null);
            StitchResult joined = Stitcher.stitch(parts, segments.stream().map(Segment::startSeconds).toList(), encodedAudio,
                    dir.resolve("stitched.mp4"));
            double stitch = (System.nanoTime() - j0) / 1e9;
            SyncCheck check = StitchCheck.verify(longClip, joined.file());
            double total = split + encode + stitch;
            System.out.printf(Locale.ROOT, "  %d worker%s: %.2f s (split %.2f + encode %.2f + stitch %.2f), %.2fx the single encode;"
                            + " serial share %.1f%%; check %s%n", workers, workers == 1 ? " " : "s", total, split, encode, stitch,
                    whole / total, 100 * (split + stitch) / total, check.ok() ? "ok" : "FAILED " + check.detail());
        }
        System.out.println("Mediaflow fps over the ffmpeg CLI's, same settings, same run: "
                + (ratios.isEmpty() ? "not measured (no CLI)" : String.join(", ", ratios)));
    }

    private static Path source(Path work, int w, int h, double seconds) {
        Path src = work.resolve(String.format(Locale.ROOT, "src-%dx%d-%.0fs.mp4", w, h, seconds));
        if (!Files.exists(src)) {
            System.out.printf(Locale.ROOT, "  generating %s...%n", src.getFileName());
            SyntheticMedia.mp4(src, w, h, seconds, FPS, true, 0);
        }
        return src;
    }

    static List<String> cliCommand(String ffmpeg, VideoTranscoder t, Rung rung, VideoSettings s, Path src, Path out) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-y", "-hide_banner", "-loglevel", "error", "-i", src.toString()));
        cmd.addAll(t.cliVideoArguments(rung, FPS));
        cmd.addAll(List.of("-c:a", "aac", "-profile:a", "aac_low", "-b:a", s.audioBitrateKbps() + "k",
                "-movflags", "+faststart", out.toString()));
        return cmd;
    }

    private interface Work {
        Object run() throws Exception;
    }

    /** Runs a then b, {@code passes} times; each row of the result sorted ascending (t[row][passes / 2] is the median). */
    private static double[][] alternating(int passes, Work a, Work b) throws Exception {
        double[][] t = new double[2][passes];
        Work[] work = {a, b};
        for (int i = 0; i < passes; i++) {
            for (int k = 0; k < 2; k++) {
                long s = System.nanoTime();
                work[k].run();
                t[k][i] = (System.nanoTime() - s) / 1e9;
            }
        }
        java.util.Arrays.sort(t[0]);
        java.util.Arrays.sort(t[1]);
        return t;
    }

    private static String seconds(double[] t) {
        StringBuilder sb = new StringBuilder();
        for (double v : t) {
            sb.append(sb.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return sb.toString();
    }

    private static double median(int passes, Work w) throws Exception {
        double[] t = new double[passes];
        for (int i = 0; i < passes; i++) {
            long s = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        java.util.Arrays.sort(t);
        return t[passes / 2];
    }

    private static boolean runs(String ffmpeg) {
        try {
            exec(List.of(ffmpeg, "-hide_banner", "-version"));
            return true;
        } catch (IOException | InterruptedException | IllegalStateException e) {
            return false;
        }
    }

    private static Object exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
