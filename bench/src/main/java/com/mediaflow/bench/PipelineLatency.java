package com.mediaflow.bench;

import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Time from upload to READY for 12-megapixel JPEGs on the embedded stack, one upload at a time,
 * after warm-up; and how long the stack takes to start, cold (first in this JVM) and warm.
 *
 * <p>Usage: {@code bench/run latency [COUNT]} (default 12 timed uploads after 2 warm-ups).
 */
public final class PipelineLatency {
    private PipelineLatency() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("mediaflow-bench-");
        System.err.printf("bench: making %d 12-megapixel JPEGs (4000x3000, quality 90, noisy)...%n", count + 2);
        List<Path> photos = new ArrayList<>();
        for (int i = 0; i < count + 2; i++) {
            // each photo differs (its size), so none is deduplicated
            photos.add(SyntheticMedia.jpeg(work.resolve("photo-" + i + ".jpg"), 4000 - 2 * i, 3000, 0));
        }
        long bytes = 0;
        for (Path p : photos) {
            bytes += Files.size(p);
        }

        long t0 = System.nanoTime();
        EmbeddedStack cold = EmbeddedStack.start(EmbeddedStack.Options.defaults(root.resolve("template.yaml")));
        double coldStart = (System.nanoTime() - t0) / 1e6;
        cold.close();
        t0 = System.nanoTime();
        List<Double> latencies = new ArrayList<>();
        double warmStart;
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(root.resolve("template.yaml")))) {
            warmStart = (System.nanoTime() - t0) / 1e6;
            ObjectStore store = new ObjectStore(stack.s3());
            String ingest = stack.bucket("IngestBucket");
            String media = stack.bucket("MediaBucket");
            for (int i = 0; i < photos.size(); i++) {
                Path photo = photos.get(i);
                String key = "bench/" + photo.getFileName();
                long start = System.nanoTime();
                String etag = stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"),
                        RequestBody.fromFile(photo)).eTag();
                Receipt receipt = null;
                Manifest manifest = null;
                while (manifest == null || !manifest.terminal()) {
                    Thread.sleep(5);
                    if (receipt == null) {
                        receipt = Receipts.find(store, media, ingest, key, etag).orElse(null);
                    }
                    if (receipt != null) {
                        manifest = store.getJson(media, Keys.manifest(receipt.mediaId()), Manifest.class).orElse(null);
                    }
                    if ((System.nanoTime() - start) > 120e9) {
                        throw new IllegalStateException(key + " not READY after 120 s");
                    }
                }
                double ms = (System.nanoTime() - start) / 1e6;
                if (manifest.status() != MediaStatus.READY) {
                    throw new IllegalStateException(key + " ended " + manifest.status() + " " + manifest.reasons());
                }
                if (i >= 2) {
                    latencies.add(ms);
                }
                System.err.printf("bench: %s %.0f ms%s%n", key, ms, i < 2 ? " (warm-up)" : "");
            }
        }
        Collections.sort(latencies);
        System.out.printf("stack start: %.0f ms cold (first in this JVM), %.0f ms warm%n", coldStart, warmStart);
        System.out.printf("upload -> READY, 12 MP JPEG (%.1f MB average), %d uploads one at a time: p50 %.0f ms, p90 %.0f ms, min %.0f, max %.0f%n",
                bytes / (double) photos.size() / 1e6, latencies.size(), pct(latencies, 50), pct(latencies, 90),
                latencies.get(0), latencies.get(latencies.size() - 1));
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
