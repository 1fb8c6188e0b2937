package com.mediaflow.bench;

import com.mediaflow.infra.load.PhotoLike;
import com.mediaflow.infra.packaging.LambdaPackager;
import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.ImageRenditions;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.codec.RenditionPlan;
import com.mediaflow.shared.codec.Thumbnailer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * 512-pixel thumbnails of 12-megapixel JPEGs (and the corpus's HEIC files) with Mediaflow's
 * shared code, beside sharp, vipsthumbnail and ImageMagick on the same files in the same run;
 * and Mediaflow's peak RSS while it makes every rendition of one 50-megapixel JPEG.
 *
 * <ul>
 *   <li>Mediaflow: {@link Thumbnailer#imageRenditions} with the EXIF orientation read by
 *       {@link ExifReader}, exactly what the thumbnail function calls, at the template's JPEG
 *       quality (75), one box of 512. In a forked JVM (Lambda's JIT flags, {@code -Xmx768m}), so
 *       its peak RSS (VmHWM) is its own: one thread, one untimed warm-up pass, then timed passes.
 *   <li>sharp ({@code bench/node/thumbs.js}): one Node process, {@code sharp.concurrency(1)}, one
 *       untimed warm-up pass, then timed passes; peak RSS from {@code process.resourceUsage()}.
 *   <li>vipsthumbnail and ImageMagick ({@code mogrify -define jpeg:size=1024x1024 -thumbnail
 *       512x512}): all files in one process per pass ({@code VIPS_CONCURRENCY=1},
 *       {@code MAGICK_THREAD_LIMIT=1}), process start included, one untimed warm-up invocation;
 *       peak RSS from {@code /usr/bin/time -v}.
 *   <li>HEIC: {@code heif-convert} (one process per file, full-size JPEG, as libheif decodes it)
 *       and Mediaflow, when {@code HeifDecoder} exists.
 * </ul>
 *
 * <p>Every tool writes JPEG at quality 75 (libjpeg's scale), and every figure is the median pass. A missing anchor
 * is reported and skipped. Last line: Mediaflow's throughput over sharp's.
 *
 * <p>Usage: {@code bench/run images [--count N] [--passes P] [--no-50mp]} (defaults: 12 JPEGs, 5
 * timed passes).
 */
public final class ImageThumbnails {

    static final int BOX = 512;
    /** The template's JpegQuality default; every tool encodes at it (libjpeg's scale, as sharp's is). */
    static final int QUALITY = 75;
    static final String GENERATOR = "g1";
    /** What the thumbnail function's JVM gets on Lambda (template's JAVA_TOOL_OPTIONS), and a heap that fits 1024 MB. */
    static final List<String> CHILD_JVM = List.of("-XX:+UseSerialGC", "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1", "-Xmx768m");

    private ImageThumbnails() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length > 0 && args[0].equals("--mediaflow-only")) {
            mediaflowOnly(args);
            return;
        }
        if (args.length > 0 && args[0].equals("--mediaflow-50mp")) {
            mediaflow50mp(Path.of(args[1]));
            return;
        }
        int count = 12;
        int passes = 5;
        boolean big = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--no-50mp" -> big = false;
                default -> {
                    System.err.println("usage: bench/run images [--count N] [--passes P] [--no-50mp]");
                    System.exit(2);
                }
            }
        }
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath().normalize();
        Path corpus = Path.of(System.getProperty("mediaflow.corpus", root.resolve("corpus").toString()));
        Path sets = root.resolve("bench/target/image-set");
        Path out = Files.createTempDirectory("mediaflow-bench-images-");

        List<Path> jpegs = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            Path p = sets.resolve("photo-" + GENERATOR + "-4000x3000-" + i + ".jpg");
            if (!Files.exists(p)) {
                System.err.printf("bench: generating %s%n", p.getFileName());
                Path tmp = sets.resolve(p.getFileName() + ".tmp");
                PhotoLike.jpeg(tmp, 4000, 3000, 1000 + i);
                Files.move(tmp, p);
            }
            jpegs.add(p);
            bytes += Files.size(p);
        }
        List<Path> heics = new ArrayList<>();
        Path heicDir = corpus.resolve("heic");
        if (Files.isDirectory(heicDir)) {
            try (Stream<Path> s = Files.list(heicDir)) {
                s.filter(Files::isRegularFile).sorted().forEach(heics::add);
            }
        }
        System.out.printf("set: %d JPEGs 4000x3000 (12 MP), quality 90, photo-like, average %.2f MB; "
                + "%d HEIC files from %s%n", count, bytes / 1e6 / count, heics.size(), heicDir);
        System.out.printf("each tool: %d-pixel thumbnails (longest side), JPEG quality %d, one thread, "
                + "%d timed passes after an untimed warm-up, median pass shown%n", BOX, QUALITY, passes);

        Path nodeDir = root.resolve("bench/node");
        System.out.println("-- 12 MP JPEGs --");
        Result mediaflow = mediaflow(jpegs, passes, null);
        print("mediaflow", mediaflow);
        Result sharp = sharp(nodeDir, jpegs, passes);
        print("sharp", sharp);
        print("vipsthumbnail", vipsthumbnail(jpegs, out.resolve("vips"), passes));
        print("imagemagick", mogrify(jpegs, out.resolve("magick"), passes));

        System.out.println("-- HEIC (" + heics.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", ")) + ") --");
        Result heifConvert = heifConvert(heics, out.resolve("heif-convert"), passes);
        print("heif-convert", heifConvert);
        boolean heifDecoder = classPresent("com.mediaflow.shared.codec.HeifDecoder")
                || classPresent("com.mediaflow.shared.codec.heif.HeifDecoder");
        if (!heifDecoder) {
            System.out.println("HEIC: not measured — HeifDecoder not present");
        } else {
            Result mfHeic = mediaflow(heics, passes, out.resolve("mediaflow-heic"));
            print("mediaflow", mfHeic);
            boolean right = heifConvert.ok()
                    && HeicCheck.report(heics, out.resolve("mediaflow-heic"), out.resolve("heif-convert"), BOX);
            if (mfHeic.ok() && heifConvert.ok() && right) {
                double ratio = mfHeic.secondsPerImage() / heifConvert.secondsPerImage();
                System.out.printf("HEIC: Mediaflow takes %.2fx heif-convert's time per image (goal <= 2.0x): %s%n",
                        ratio, ratio <= 2.0 ? "met" : "MISSED");
            }
        }
        print("sharp", sharp(nodeDir, heics, passes));
        print("vipsthumbnail", vipsthumbnail(heics, out.resolve("vips-heic"), passes));

        if (big) {
            System.out.println("-- 50 MP JPEG, every rendition of the template's defaults --");
            Path p = sets.resolve("photo-" + GENERATOR + "-8660x5773.jpg");
            if (!Files.exists(p)) {
                System.err.printf("bench: generating %s%n", p.getFileName());
                Path tmp = sets.resolve(p.getFileName() + ".tmp");
                PhotoLike.jpeg(tmp, 8660, 5773, 50);
                Files.move(tmp, p);
            }
            Proc r = run(childCommand("--mediaflow-50mp", p.toString()), Map.of(), null);
            Map<String, String> kv = resultLine(r);
            if (kv == null) {
                System.out.println("mediaflow 50 MP: FAILED (exit " + r.exit + "): " + tail(r.err));
            } else {
                long hwm = Long.parseLong(kv.get("hwm_kb"));
                System.out.printf("mediaflow 50 MP (8660x5773, %.1f MB): %s in %s s, peak RSS %d MB "
                        + "with -Xmx768m (goal: within a 1024 MB function): %s%n",
                        Files.size(p) / 1e6, kv.get("renditions"), kv.get("seconds"), hwm / 1024,
                        hwm < 1024 * 1024 ? "met" : "MISSED");
            }
        }
        LambdaPackager.deleteTree(out);

        if (mediaflow.ok() && sharp.ok()) {
            double ratio = mediaflow.imagesPerSecond() / sharp.imagesPerSecond();
            System.out.printf("Mediaflow / sharp throughput on 12 MP JPEGs: %.2fx (%.1f vs %.1f images/s; "
                    + "goal >= 1.0x: %s)%n", ratio, mediaflow.imagesPerSecond(), sharp.imagesPerSecond(),
                    ratio >= 1.0 ? "met" : "MISSED");
        } else {
            System.out.println("Mediaflow / sharp throughput on 12 MP JPEGs: not measured ("
                    + (mediaflow.ok() ? "sharp: " + sharp.note() : "mediaflow: " + mediaflow.note()) + ")");
        }
    }

    // --- results ------------------------------------------------------------------------------

    /** A tool's figures: images per pass, median pass wall and CPU seconds, peak RSS. */
    record Result(int images, double seconds, double cpuSeconds, long rssKb, String note) {
        static Result skipped(String why) {
            return new Result(0, 0, 0, 0, why);
        }

        boolean ok() {
            return images > 0 && seconds > 0;
        }

        double imagesPerSecond() {
            return images / seconds;
        }

        double secondsPerImage() {
            return seconds / images;
        }
    }

    private static void print(String tool, Result r) {
        if (!r.ok()) {
            System.out.printf("%-14s not measured: %s%n", tool, r.note());
            return;
        }
        System.out.printf("%-14s %6.1f images/s  (%d images in %.3f s, cpu/wall %.2f)  peak RSS %4d MB%s%n",
                tool, r.imagesPerSecond(), r.images(), r.seconds(), r.cpuSeconds() / r.seconds(),
                r.rssKb() / 1024, r.note().isEmpty() ? "" : "  " + r.note());
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    // --- Mediaflow ----------------------------------------------------------------------------

    private static Result mediaflow(List<Path> files, int passes, Path outDir) throws Exception {
        if (files.isEmpty()) {
            return Result.skipped("no files");
        }
        List<String> cmd = childCommand("--mediaflow-only", "--passes", Integer.toString(passes));
        if (outDir != null) {
            cmd.add("--out");
            cmd.add(outDir.toString());
        }
        files.forEach(f -> cmd.add(f.toString()));
        Proc r = run(cmd, Map.of(), null);
        Map<String, String> kv = resultLine(r);
        if (kv == null) {
            return Result.skipped("FAILED (exit " + r.exit + "): " + tail(r.err));
        }
        String failed = kv.getOrDefault("failed", "");
        return new Result(Integer.parseInt(kv.get("images")), Double.parseDouble(kv.get("seconds")),
                Double.parseDouble(kv.get("cpu_seconds")), Long.parseLong(kv.get("hwm_kb")),
                "FFmpeg " + kv.get("ffmpeg") + (failed.isEmpty() ? "" : "; failed: " + failed));
    }

    private static List<String> childCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(CHILD_JVM);
        for (String prop : List.of("mediaflow.root", "mediaflow.corpus", "org.bytedeco.javacpp.cachedir")) {
            String v = System.getProperty(prop);
            if (v != null) {
                cmd.add("-D" + prop + "=" + v);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ImageThumbnails.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Child: what the thumbnail function does per image, one box of 512, on this JVM's one thread. */
    private static void mediaflowOnly(String[] args) throws Exception {
        int passes = 5;
        Path outDir = null;
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--passes")) {
                passes = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--out")) {
                outDir = Files.createDirectories(Path.of(args[++i]));
            } else {
                files.add(Path.of(args[i]));
            }
        }
        Thumbnailer thumbnailer = new Thumbnailer(QUALITY);
        RenditionPlan plan = RenditionPlan.thumbnailsOnly(List.of(BOX));
        List<String> failed = new ArrayList<>();
        List<Path> good = new ArrayList<>();
        for (Path f : files) { // untimed warm-up, which also checks every output
            try {
                Rendition r = thumbnail(thumbnailer, plan, f);
                if (Math.max(r.width(), r.height()) != BOX || r.bytes().length == 0) {
                    throw new IllegalStateException("expected a " + BOX + "-pixel JPEG, found "
                            + r.width() + "x" + r.height());
                }
                if (outDir != null) {
                    Files.write(outDir.resolve(f.getFileName() + ".jpg"), r.bytes());
                }
                good.add(f);
            } catch (RuntimeException e) {
                failed.add(f.getFileName() + " (" + firstLine(e.getMessage()) + ")");
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        for (int p = 0; p < passes && !good.isEmpty(); p++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (Path f : good) {
                thumbnail(thumbnailer, plan, f);
            }
            walls.add((System.nanoTime() - t0) / 1e9);
            cpus.add((os.getProcessCpuTime() - c0) / 1e9);
        }
        System.out.printf("RESULT images=%d seconds=%.4f cpu_seconds=%.4f hwm_kb=%d ffmpeg=%s failed=%s%n",
                good.size(), walls.isEmpty() ? 0 : median(walls), cpus.isEmpty() ? 0 : median(cpus),
                PeakRss.vmHwmKb(), avutil.av_version_info().getString(), String.join("; ", failed));
    }

    private static Rendition thumbnail(Thumbnailer thumbnailer, RenditionPlan plan, Path f) {
        ImageRenditions made = thumbnailer.imageRenditions(f, ExifReader.read(f).orientation(), plan);
        return made.renditions().get(0);
    }

    /** Child: every rendition of the template's defaults for one (50 MP) image, twice. */
    private static void mediaflow50mp(Path file) {
        Thumbnailer thumbnailer = new Thumbnailer(QUALITY);
        // template.yaml defaults: ThumbnailSizes 320,640,1280; SquareThumbnailSize 160;
        // DisplayMaxSide 2048; WebpQuality 80; PlaceholderMaxBytes 1024
        RenditionPlan plan = new RenditionPlan(List.of(320, 640, 1280), 160, 2048, 80, 1024);
        ImageRenditions made = null;
        long t0 = 0;
        for (int i = 0; i < 2; i++) {
            t0 = System.nanoTime();
            made = thumbnailer.imageRenditions(file, ExifReader.read(file).orientation(), plan);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String names = made.renditions().stream().map(r -> r.name() + ":" + r.width() + "x" + r.height())
                .collect(Collectors.joining(","));
        System.out.printf("RESULT seconds=%.2f hwm_kb=%d renditions=%d renditions (%s)%n",
                seconds, PeakRss.vmHwmKb(), made.renditions().size(), names);
    }

    private static Map<String, String> resultLine(Proc r) {
        if (r.exit != 0) {
            return null;
        }
        for (String line : r.out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                // key=value pairs; the last key's value is free text and takes the rest of the line
                Map<String, String> kv = new LinkedHashMap<>();
                String rest = line.substring(7).trim();
                Matcher m = Pattern.compile("(\\w+)=").matcher(rest);
                List<int[]> keys = new ArrayList<>();
                while (m.find()) {
                    if (m.start() == 0 || rest.charAt(m.start() - 1) == ' ') {
                        keys.add(new int[] {m.start(), m.end()});
                    }
                }
                for (int k = 0; k < keys.size(); k++) {
                    int end = k + 1 < keys.size() ? keys.get(k + 1)[0] : rest.length();
                    String key = rest.substring(keys.get(k)[0], keys.get(k)[1] - 1);
                    kv.put(key, rest.substring(keys.get(k)[1], end).trim());
                    if (key.equals("failed") || key.equals("renditions")) {
                        kv.put(key, rest.substring(keys.get(k)[1]).trim());
                        break;
                    }
                }
                return kv;
            }
        }
        return null;
    }

    // --- sharp --------------------------------------------------------------------------------

    private static Result sharp(Path nodeDir, List<Path> files, int passes) throws Exception {
        if (files.isEmpty()) {
            return Result.skipped("no files");
        }
        if (which("node") == null) {
            return Result.skipped("sharp: node is not installed (apt-get install nodejs npm)");
        }
        if (!Files.isDirectory(nodeDir.resolve("node_modules/sharp"))) {
            return Result.skipped("sharp is not installed: run `npm ci` in " + nodeDir);
        }
        List<String> cmd = new ArrayList<>(List.of("node", nodeDir.resolve("thumbs.js").toString(),
                "--passes", Integer.toString(passes), "--quality", Integer.toString(QUALITY),
                "--size", Integer.toString(BOX)));
        files.forEach(f -> cmd.add(f.toString()));
        Proc r = run(cmd, Map.of(), null);
        String json = r.out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (r.exit != 0 || json == null) {
            return Result.skipped("FAILED (exit " + r.exit + "): " + tail(r.err));
        }
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        List<Double> walls = new ArrayList<>();
        node.get("passes").forEach(n -> walls.add(n.asDouble()));
        List<Double> cpus = new ArrayList<>();
        node.get("cpuSeconds").forEach(n -> cpus.add(n.asDouble()));
        List<String> failed = new ArrayList<>();
        node.get("failed").forEach(n -> {
            String t = n.asText();
            failed.add(Path.of(t.split(":")[0]).getFileName() + " (" + t.substring(t.lastIndexOf(": ") + 2) + ")");
        });
        int images = node.get("images").asInt();
        String note = "sharp " + node.get("version").asText() + ", libvips " + node.get("libvips").asText()
                + (failed.isEmpty() ? "" : "; failed: " + String.join("; ", failed));
        if (images == 0) {
            return Result.skipped(note);
        }
        return new Result(images, median(walls), median(cpus), node.get("maxRssKb").asLong(), note);
    }

    // --- command-line anchors -----------------------------------------------------------------

    private static Result vipsthumbnail(List<Path> files, Path outDir, int passes) throws Exception {
        if (files.isEmpty()) {
            return Result.skipped("no files");
        }
        if (which("vipsthumbnail") == null) {
            return Result.skipped("vipsthumbnail is missing (apt-get install libvips-tools)");
        }
        List<String> cmd = new ArrayList<>(List.of("vipsthumbnail", "-s", Integer.toString(BOX), "-o",
                outDir.resolve("%s.jpg[Q=" + QUALITY + "]").toString()));
        files.forEach(f -> cmd.add(f.toString()));
        return timedCli(cmd, Map.of("VIPS_CONCURRENCY", "1"), files, outDir, passes,
                "vips " + firstLine(run(List.of("vips", "--version"), Map.of(), null).out));
    }

    private static Result mogrify(List<Path> files, Path outDir, int passes) throws Exception {
        if (files.isEmpty()) {
            return Result.skipped("no files");
        }
        // /usr/bin: a stand-in for convert may sit earlier on PATH
        Path mogrify = Path.of("/usr/bin/mogrify");
        if (!Files.isExecutable(mogrify)) {
            return Result.skipped("ImageMagick is missing (apt-get install imagemagick)");
        }
        List<String> cmd = new ArrayList<>(List.of(mogrify.toString(), "-path", outDir.toString(),
                "-define", "jpeg:size=" + 2 * BOX + "x" + 2 * BOX, "-auto-orient", "-thumbnail",
                BOX + "x" + BOX, "-quality", Integer.toString(QUALITY), "-format", "jpg"));
        files.forEach(f -> cmd.add(f.toString()));
        String version = firstLine(run(List.of(mogrify.toString(), "-version"), Map.of(), null).out)
                .replaceFirst("^Version: ", "").replaceFirst(" https?://.*", "");
        return timedCli(cmd, Map.of("MAGICK_THREAD_LIMIT", "1", "OMP_NUM_THREADS", "1"), files, outDir,
                passes, "mogrify, all files in one process; " + version);
    }

    /** heif-convert takes one file per process: each pass runs it once per file, full size to JPEG. */
    private static Result heifConvert(List<Path> files, Path outDir, int passes) throws Exception {
        if (files.isEmpty()) {
            return Result.skipped("no HEIC files");
        }
        if (which("heif-convert") == null) {
            return Result.skipped("heif-convert is missing (apt-get install libheif-examples)");
        }
        if (!timeAvailable()) {
            return Result.skipped("/usr/bin/time is missing (apt-get install time)");
        }
        Files.createDirectories(outDir);
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        long rss = 0;
        for (int p = -1; p < passes; p++) {
            double wall = 0;
            double cpu = 0;
            for (Path f : files) {
                Path out = outDir.resolve(f.getFileName() + ".jpg");
                Proc r = run(List.of("/usr/bin/time", "-v", "heif-convert", "-q", "90", f.toString(),
                        out.toString()), Map.of(), null);
                if (r.exit != 0 || !Files.exists(out)) {
                    return Result.skipped("FAILED on " + f.getFileName() + " (exit " + r.exit + "): " + tail(r.err));
                }
                wall += r.seconds;
                cpu += timeCpu(r.err);
                rss = p >= 0 ? Math.max(rss, timeRss(r.err)) : rss;
            }
            if (p >= 0) {
                walls.add(wall);
                cpus.add(cpu);
            }
        }
        return new Result(files.size(), median(walls), median(cpus), rss,
                "full-size decode + JPEG q90, one process per file");
    }

    /** One untimed warm-up invocation (which also checks the outputs), then timed ones. */
    private static Result timedCli(List<String> cmd, Map<String, String> env, List<Path> files,
            Path outDir, int passes, String note) throws Exception {
        if (!timeAvailable()) {
            return Result.skipped("/usr/bin/time is missing (apt-get install time)");
        }
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-v"));
        timed.addAll(cmd);
        Files.createDirectories(outDir);
        Proc warm = run(timed, env, null);
        List<String> missing = new ArrayList<>();
        for (Path f : files) {
            String base = f.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            if (!Files.exists(outDir.resolve(base + ".jpg"))) {
                missing.add(f.getFileName().toString());
            }
        }
        if (missing.size() == files.size()) {
            return Result.skipped("FAILED (exit " + warm.exit + "): " + tail(warm.err));
        }
        List<String> kept = new ArrayList<>(cmd);
        if (!missing.isEmpty()) { // time only the files it can read
            kept.removeIf(a -> missing.stream().anyMatch(m -> a.endsWith("/" + m)));
            timed = new ArrayList<>(List.of("/usr/bin/time", "-v"));
            timed.addAll(kept);
        }
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        long rss = 0;
        for (int p = 0; p < passes; p++) {
            Proc r = run(timed, env, null);
            if (r.exit != 0) {
                return Result.skipped("FAILED (exit " + r.exit + "): " + tail(r.err));
            }
            walls.add(r.seconds);
            cpus.add(timeCpu(r.err));
            rss = Math.max(rss, timeRss(r.err));
        }
        return new Result(files.size() - missing.size(), median(walls), median(cpus), rss,
                note + (missing.isEmpty() ? "" : "; cannot read: " + String.join(", ", missing)
                        + " (" + firstLine(tail(warm.err)) + ")"));
    }

    private static boolean timeAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/time"));
    }

    private static final Pattern RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern USER = Pattern.compile("User time \\(seconds\\): ([0-9.]+)");
    private static final Pattern SYS = Pattern.compile("System time \\(seconds\\): ([0-9.]+)");

    private static long timeRss(String err) {
        Matcher m = RSS.matcher(err);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double timeCpu(String err) {
        Matcher u = USER.matcher(err);
        Matcher s = SYS.matcher(err);
        return (u.find() ? Double.parseDouble(u.group(1)) : 0) + (s.find() ? Double.parseDouble(s.group(1)) : 0);
    }

    // --- processes ----------------------------------------------------------------------------

    record Proc(int exit, String out, String err, double seconds) {
    }

    static Proc run(List<String> cmd, Map<String, String> env, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path out = Files.createTempFile("bench-out-", ".txt");
        Path err = Files.createTempFile("bench-err-", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd.get(0));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), seconds);
        } catch (IOException e) {
            return new Proc(127, "", e.getMessage(), 0);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, ImageThumbnails.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** The last meaningful line of a tool's stderr, without /usr/bin/time's report. */
    private static String tail(String err) {
        List<String> lines = err.lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
        int cut = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Command being timed") || lines.get(i).startsWith("Command exited")) {
                cut = i;
                break;
            }
        }
        List<String> kept = lines.subList(0, cut);
        return kept.isEmpty() ? "(no message)" : kept.get(kept.size() - 1);
    }
}
