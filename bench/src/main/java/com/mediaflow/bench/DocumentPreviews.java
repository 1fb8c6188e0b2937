package com.mediaflow.bench;

import com.mediaflow.shared.codec.ImageRenditions;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.codec.RenditionPlan;
import com.mediaflow.shared.codec.Thumbnailer;
import com.mediaflow.shared.codec.document.PdfLimits;
import com.mediaflow.shared.codec.document.PdfPreview;
import com.mediaflow.testkit.PdfFixtures;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 10-page PDF's first-page preview at 640 pixels (longest side, JPEG), with Mediaflow's shared
 * code beside poppler's {@code pdftoppm -f 1 -l 1 -scale-to 640 -jpeg} in the same run.
 *
 * <ul>
 *   <li>The PDF: made here with PDFBox ({@link PdfFixtures#textAndPicturePages}): 10 A4 pages, each
 *       with a Helvetica banner, 20 lines of text and a 600x600 colour picture.</li>
 *   <li>Mediaflow: what the thumbnail step does for a plan of one 640-pixel box:
 *       {@link PdfPreview#firstPage} (PDFBox, within the default PDF limits), then
 *       {@link Thumbnailer#pictureRenditions} from its pixels (FFmpeg scale, JPEG quality 75). In this
 *       JVM, one thread, untimed warm-up passes, then timed passes; the render alone is timed too.</li>
 *   <li>pdftoppm: one process per pass, process start included, one untimed warm-up; absent, the
 *       bench says so and reports Mediaflow alone.</li>
 *   <li>The timed passes alternate, one Mediaflow preview then one pdftoppm run, so that both meet
 *       the same noise of a shared machine.</li>
 * </ul>
 *
 * <p>Memory: this JVM's peak RSS (VmHWM, reset before the Mediaflow passes when the kernel allows)
 * and its peak heap used, against the thumbnail function's MemorySize in template.yaml.
 *
 * <p>Usage: {@code bench/run documents [--passes N] [--warmup W]} (defaults 20 and 5).
 */
public final class DocumentPreviews {
    static final int SIDE = 640;
    /** The template's JpegQuality default. */
    static final int QUALITY = 75;
    static final String PDFTOPPM = "/usr/bin/pdftoppm";

    private DocumentPreviews() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int passes = 20;
        int warmup = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: bench/run documents [--passes N] [--warmup W]");
                    System.exit(2);
                }
            }
        }
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("mediaflow-bench-documents-");
        Path pdf = PdfFixtures.textAndPicturePages(work.resolve("ten-pages.pdf"), 10, "Bench", 600);
        System.out.printf("set: one 10-page A4 PDF (text + a 600x600 picture per page), %d KB, made with PDFBox%n",
                Files.size(pdf) / 1024);
        System.out.printf("each tool: page 1 to a %d-pixel JPEG (longest side), %d timed passes after %d untimed,"
                + " median shown; machine: %d cores, load average %s (shared and noisy)%n", SIDE, passes, warmup,
                Runtime.getRuntime().availableProcessors(), loadAverage());

        Interleaved both = interleaved(pdf, work, passes, warmup);
        Timing mediaflow = both.mediaflow();
        Timing poppler = both.pdftoppm();

        System.out.printf("mediaflow  %7.1f ms per preview  (render alone %.1f ms; %dx%d JPEG, %d bytes)%n",
                mediaflow.millis, mediaflow.renderMillis, mediaflow.width, mediaflow.height, mediaflow.bytes);
        if (poppler == null) {
            System.out.println("pdftoppm   not measured: " + PDFTOPPM + " is missing (Debian: apt-get install poppler-utils)");
        } else {
            System.out.printf("pdftoppm   %7.1f ms per preview  (one process per pass; %s)%n", poppler.millis, poppler.note);
            double ratio = mediaflow.millis / poppler.millis;
            System.out.printf("mediaflow / pdftoppm time: %.2fx (goal: at most 2x) %s%n", ratio, ratio <= 2 ? "MET" : "MISSED");
        }
        long memorySize = thumbnailMemorySize(root.resolve("template.yaml"));
        System.out.printf("memory: peak RSS %s%s, peak heap used %d MB, against the thumbnail function's MemorySize %s%n",
                PeakRss.mb(mediaflow.hwmKb), PeakRss.resetWorked() ? " (reset before the passes)" : " (whole run)",
                mediaflow.heapPeakBytes / (1024 * 1024), memorySize > 0 ? memorySize + " MB" : "unknown");
    }

    record Timing(double millis, double renderMillis, int width, int height, int bytes, long hwmKb, long heapPeakBytes,
                  String note) {
    }

    record Interleaved(Timing mediaflow, Timing pdftoppm) {
    }

    /**
     * Mediaflow's passes and pdftoppm's alternate (one of each per round), so that both meet the same
     * noise of a shared machine.
     */
    private static Interleaved interleaved(Path pdf, Path work, int passes, int warmup) throws Exception {
        Thumbnailer thumbnailer = new Thumbnailer(QUALITY);
        RenditionPlan plan = RenditionPlan.thumbnailsOnly(List.of(SIDE));
        PdfLimits limits = PdfLimits.DEFAULTS;
        boolean poppler = Files.isExecutable(Path.of(PDFTOPPM));
        List<String> cmd = List.of(PDFTOPPM, "-f", "1", "-l", "1", "-scale-to", Integer.toString(SIDE), "-jpeg",
                pdf.toString(), work.resolve("poppler").toString());
        long coldStarted = System.nanoTime();
        PdfPreview.firstPage(pdf, SIDE, work, limits);
        long coldRendered = System.nanoTime();
        Rendition last = preview(thumbnailer, plan, pdf, work, limits);
        System.out.printf("mediaflow  first calls in this JVM: render %.0f ms (PDFBox's and Java2D's classes, the bundled"
                + " font), then the first whole preview %.0f ms (FFmpeg's first scale and encode)%n",
                (coldRendered - coldStarted) / 1e6, (System.nanoTime() - coldRendered) / 1e6);
        for (int i = 1; i < warmup; i++) {
            last = preview(thumbnailer, plan, pdf, work, limits);
        }
        if (last == null || Math.max(last.width(), last.height()) != SIDE) {
            throw new IllegalStateException("expected a " + SIDE + "-pixel JPEG, found " + last);
        }
        byte[] popplerJpeg = null;
        if (poppler) {
            run(cmd); // warm-up: the binary and its libraries into the page cache
            popplerJpeg = Files.readAllBytes(findOutput(work));
            if (popplerJpeg.length < 3 || (popplerJpeg[0] & 0xff) != 0xFF || (popplerJpeg[1] & 0xff) != 0xD8) {
                throw new IllegalStateException("pdftoppm wrote no JPEG");
            }
        }
        System.gc();
        PeakRss.reset();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        List<Double> walls = new ArrayList<>();
        List<Double> popplerWalls = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            last = preview(thumbnailer, plan, pdf, work, limits);
            walls.add((System.nanoTime() - t0) / 1e6);
            if (poppler) {
                long t1 = System.nanoTime();
                run(cmd);
                popplerWalls.add((System.nanoTime() - t1) / 1e6);
            }
        }
        long hwm = PeakRss.vmHwmKb();
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        List<Double> renders = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            if (PdfPreview.firstPage(pdf, SIDE, work, limits).image() == null) {
                throw new IllegalStateException("the render gave no picture");
            }
            renders.add((System.nanoTime() - t0) / 1e6);
        }
        Timing ours = new Timing(ImageThumbnails.median(walls), ImageThumbnails.median(renders), last.width(),
                last.height(), last.bytes().length, hwm, heapPeak, "");
        Timing theirs = poppler ? new Timing(ImageThumbnails.median(popplerWalls), 0, 0, 0, popplerJpeg.length, 0, 0,
                version() + ", " + popplerJpeg.length + " bytes") : null;
        return new Interleaved(ours, theirs);
    }

    /** What the thumbnail step does: render, then the image renditions from the page's pixels. */
    private static Rendition preview(Thumbnailer thumbnailer, RenditionPlan plan, Path pdf, Path work, PdfLimits limits)
            throws IOException {
        PdfPreview.Rendered page = PdfPreview.firstPage(pdf, SIDE, work, limits);
        if (page.image() == null) {
            throw new IllegalStateException("no preview: " + page.warnings());
        }
        ImageRenditions made = thumbnailer.pictureRenditions(page.image(), "page 1 of " + pdf, plan);
        return made.renditions().get(0);
    }

    private static Path findOutput(Path work) throws IOException {
        try (var files = Files.list(work)) {
            return files.filter(f -> f.getFileName().toString().startsWith("poppler") && f.toString().endsWith(".jpg"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("pdftoppm wrote no poppler*.jpg in " + work));
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder(PDFTOPPM, "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
            p.waitFor(10, TimeUnit.SECONDS);
            return out.trim();
        } catch (IOException | InterruptedException e) {
            return "version unknown";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** ThumbnailFunction's MemorySize in template.yaml, in MB; -1 when not found. */
    static long thumbnailMemorySize(Path template) {
        try {
            String yaml = Files.readString(template);
            int at = yaml.indexOf("\n  ThumbnailFunction:");
            Matcher m = Pattern.compile("\n      MemorySize: (\\d+)").matcher(yaml);
            return at >= 0 && m.find(at) ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
