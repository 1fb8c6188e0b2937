package com.mediaflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.Setting;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The on-demand render path, timed at its HTTP response: a 12 MP JPEG's item rendered to an
 * 800-pixel WebP ({@code /r/{sig}/{id}/800x800/contain.webp}) through the embedded stack's delivery
 * listener and the render function, beside sharp making the same resize in the same run.
 *
 * <ul>
 *   <li><b>Miss</b>: a stack whose render cache holds nothing ({@code RENDER_CACHE_BYTES=0}), and
 *       the stored render deleted before each sample (untimed), so each sample is the whole cold
 *       path: the manifest read, the S3 GET of the item's display JPEG, its decode, the resize, the
 *       WebP encode and the write-back to S3. Every answer must say {@code X-Render-Source: RENDERED}.
 *   <li><b>Hit</b>: a stack with the default cache, the render made once; every sample must say
 *       {@code MEMORY}.
 *   <li><b>Throughput</b>: 2 clients at once, each on its own item, for misses and for hits. The
 *       local render function is one execution environment (requests take turns, as one Lambda
 *       instance serves one request at a time); on AWS, 2 clients get up to 2 instances.
 *   <li><b>sharp</b> ({@code bench/node/render.js}): the same 800-pixel WebP, fit inside, from the
 *       12 MP original on local disk, and from the display JPEG the render path starts from.
 * </ul>
 *
 * <p>Usage: {@code bench/run render [--samples N]} (default 200 per figure; 5N for the hits, which are cheap).
 */
public final class RenderBench {
    private static final int BOX = 800;
    private static final int WARMUP = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RenderBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = 200;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--samples") && i + 1 < args.length) {
                samples = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "', expected --samples N");
            }
        }
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("mediaflow-bench-render-");
        System.err.println("bench: making two 12-megapixel JPEGs (4000x3000, quality 90, noisy)...");
        List<Path> photos = List.of(SyntheticMedia.jpeg(work.resolve("photo-a.jpg"), 4000, 3000, 0),
                SyntheticMedia.jpeg(work.resolve("photo-b.jpg"), 3998, 3000, 0));
        Map<String, String> sizes = Map.of("RenderSizes", withBox(Setting.RENDER_SIZES.defaultValue()));

        Path display = work.resolve("display-a.jpg");
        Figures miss;
        Figures hit;
        System.err.println("bench: miss stack (RENDER_CACHE_BYTES=0)...");
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(root.resolve("template.yaml"))
                .withParameters(sizes).withEnvironment(Map.of(Config.RENDER_CACHE_BYTES, "0")))) {
            Stage s = new Stage(stack, photos);
            s.download(s.displayKey(0), display);
            miss = s.measure("miss", "RENDERED", true, samples);
        }
        System.err.println("bench: hit stack (default cache)...");
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(root.resolve("template.yaml"))
                .withParameters(sizes))) {
            Stage s = new Stage(stack, photos);
            s.get(0, "RENDERED"); // the render made once
            s.get(1, "RENDERED");
            hit = s.measure("hit", "MEMORY", false, samples * 5); // cheap: 5x the samples, for a steadier p99
        }
        Sharp original = sharp(root.resolve("bench/node"), photos.get(0), samples);
        Sharp fromDisplay = sharp(root.resolve("bench/node"), display, samples);

        System.out.printf("render %dx%d contain.webp of a 12 MP JPEG's item, %d samples each, at the delivery listener's HTTP response:%n",
                BOX, BOX, samples);
        System.out.printf("  miss (manifest + S3 GET of display.jpg + decode + resize + WebP + write-back): p50 %.1f ms, p99 %.1f ms%n",
                pct(miss.latencies, 50), pct(miss.latencies, 99));
        System.out.printf("  LRU hit (%d samples): p50 %.2f ms, p99 %.2f ms (goal p99 < 5 ms: %s)%n", hit.latencies.size(),
                pct(hit.latencies, 50),
                pct(hit.latencies, 99), pct(hit.latencies, 99) < 5 ? "met" : "NOT met");
        System.out.printf("  2 clients: %.1f misses/s, %.0f hits/s (one local execution environment)%n", miss.perSecond,
                hit.perSecond);
        for (Sharp s : List.of(original, fromDisplay)) {
            System.out.println("  " + s.describe());
        }
        if (original.ok()) {
            double ratio = pct(miss.latencies, 50) / original.p50;
            System.out.printf("miss p50 / sharp p50 (from the 12 MP original): %.2fx (goal <= 1.2x: %s)%n", ratio,
                    ratio <= 1.2 ? "met" : "NOT met");
        }
        if (fromDisplay.ok()) {
            System.out.printf("miss p50 / sharp p50 (from the same display JPEG): %.2fx%n", pct(miss.latencies, 50) / fromDisplay.p50);
        }
    }

    /** The default sizes with {@value #BOX} added (the bench's box is not among them). */
    static String withBox(String defaults) {
        Set<Integer> all = new java.util.TreeSet<>();
        for (String s : defaults.split(",")) {
            all.add(Integer.parseInt(s.trim()));
        }
        all.add(BOX);
        return all.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    record Figures(List<Double> latencies, double perSecond) {
    }

    /** One stack with both photos READY, and the signed URLs of their renders. */
    private static final class Stage {
        private final EmbeddedStack stack;
        private final ObjectStore store;
        private final String media;
        private final List<String> mediaIds = new ArrayList<>();
        private final List<URI> urls = new ArrayList<>();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        Stage(EmbeddedStack stack, List<Path> photos) throws Exception {
            this.stack = stack;
            this.store = new ObjectStore(stack.s3());
            this.media = stack.bucket("MediaBucket");
            String ingest = stack.bucket("IngestBucket");
            RenderUrls signer = new RenderUrls(stack.renderSecret());
            for (Path photo : photos) {
                String key = "bench/" + photo.getFileName();
                String etag = stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"),
                        RequestBody.fromFile(photo)).eTag();
                String id = ready(ingest, key, etag);
                mediaIds.add(id);
                urls.add(URI.create(stack.deliveryUrl() + signer.path(id, BOX, BOX, "contain", "webp")));
            }
        }

        private String ready(String ingest, String key, String etag) throws InterruptedException {
            long start = System.nanoTime();
            while (true) {
                Receipt r = Receipts.find(store, media, ingest, key, etag).orElse(null);
                Manifest m = r == null ? null : store.getJson(media, Keys.manifest(r.mediaId()), Manifest.class).orElse(null);
                if (m != null && m.terminal()) {
                    if (m.status() != MediaStatus.READY) {
                        throw new IllegalStateException(key + " ended " + m.status() + " " + m.reasons() + ", expected READY");
                    }
                    return r.mediaId();
                }
                if (System.nanoTime() - start > 180e9) {
                    throw new IllegalStateException(key + " not READY after 180 s");
                }
                Thread.sleep(20);
            }
        }

        String displayKey(int item) {
            return Keys.rendition(mediaIds.get(item), "thumbnail", "display.jpg");
        }

        void download(String key, Path to) {
            store.download(media, key, to);
        }

        private String renderKey(int item) {
            return Keys.mediaPrefix(mediaIds.get(item)) + "render/" + BOX + "x" + BOX + "-contain.webp";
        }

        /** One GET of item's render; its time in ms; refuses any answer but 200, WebP, from {@code source}. */
        double get(int item, String source) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(urls.get(item)).GET().build();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            double ms = (System.nanoTime() - t0) / 1e6;
            byte[] body = res.body();
            String got = res.headers().firstValue("X-Render-Source").orElse("(none)");
            if (res.statusCode() != 200 || body.length < 12 || !"WEBP".equals(new String(body, 8, 4, StandardCharsets.US_ASCII))
                    || !source.equalsIgnoreCase(got)) {
                throw new IllegalStateException("GET " + urls.get(item) + " answered " + res.statusCode() + ", "
                        + body.length + " bytes, X-Render-Source " + got + "; expected 200, a WebP, from " + source
                        + (res.statusCode() != 200 ? ": " + new String(body, StandardCharsets.UTF_8) : ""));
            }
            return ms;
        }

        private double sample(int item, String source, boolean cold) throws IOException, InterruptedException {
            if (cold) {
                stack.s3().deleteObject(b -> b.bucket(media).key(renderKey(item)));
            }
            return get(item, source);
        }

        Figures measure(String what, String source, boolean cold, int samples) throws Exception {
            for (int i = 0; i < WARMUP; i++) {
                sample(i % 2, source, cold);
            }
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                latencies.add(sample(0, source, cold));
                if ((i + 1) % 50 == 0) {
                    System.err.printf("bench: %s %d/%d%n", what, i + 1, samples);
                }
            }
            Collections.sort(latencies);
            // two clients, each on its own item (so a miss client never finds the other's write-back)
            int perClient = Math.max(20, samples / 2);
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                long t0 = System.nanoTime();
                List<Future<Integer>> done = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    int item = c;
                    done.add(clients.submit(() -> {
                        for (int i = 0; i < perClient; i++) {
                            sample(item, source, cold);
                        }
                        return perClient;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : done) {
                    total += f.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                return new Figures(latencies, total / seconds);
            } finally {
                clients.shutdownNow();
            }
        }
    }

    record Sharp(String note, double p50, double p99, String file) {
        boolean ok() {
            return p50 > 0;
        }

        String describe() {
            return ok() ? String.format("sharp, same %dx%d WebP from %s on local disk: p50 %.1f ms, p99 %.1f ms (%s)", BOX, BOX,
                    file, p50, p99, note) : "sharp from " + file + ": not measured (" + note + ")";
        }
    }

    private static Sharp sharp(Path nodeDir, Path file, int samples) throws Exception {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(nodeDir.resolve("node_modules/sharp/package.json"))) {
            return new Sharp("sharp is not installed: run `npm ci` in " + nodeDir, 0, 0, name);
        }
        Process p = new ProcessBuilder("node", nodeDir.resolve("render.js").toString(), "--samples", Integer.toString(samples),
                "--warmup", Integer.toString(WARMUP), "--box", Integer.toString(BOX), "--quality",
                Setting.WEBP_QUALITY.defaultValue(), file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (exit != 0 || line == null) {
            return new Sharp("node exited " + exit, 0, 0, name);
        }
        JsonNode n = JSON.readTree(line);
        List<Double> ms = new ArrayList<>();
        n.get("samplesMs").forEach(x -> ms.add(x.asDouble()));
        Collections.sort(ms);
        return new Sharp("sharp " + n.get("version").asText() + ", libvips " + n.get("libvips").asText() + ", "
                + n.get("width").asInt() + "x" + n.get("height").asInt() + ", " + n.get("bytes").asInt() + " bytes",
                pct(ms, 50), pct(ms, 99), name);
    }

    static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
