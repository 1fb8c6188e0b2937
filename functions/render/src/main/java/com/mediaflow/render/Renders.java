package com.mediaflow.render;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.codec.OnDemandRender;
import com.mediaflow.shared.codec.OnDemandRender.Format;
import com.mediaflow.shared.codec.OnDemandRender.Pixels;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The render path's work, fastest answer first: the in-memory LRU (a render made or fetched
 * before, its stored copy checked again at most once per RENDER_REVALIDATE_MILLIS), the render stored in S3 ({@code media/<id>/render/...}, written by whichever instance
 * made it first), else a render from the item's source picture (decoded pixels from the LRU, or
 * its display JPEG from S3, decoded), written back to S3 with the immutable Cache-Control.
 *
 * <p>The source is the display JPEG ({@code display.jpg}, or a video's {@code poster.jpg}), not
 * the original: it is already upright and sRGB, at most DISPLAY_MAX_SIDE on its longest side (so
 * the allowed sizes never need more), and libjpeg-turbo decodes it in a few milliseconds, where an
 * original may be a 50 MP HEIF. Transparency is flattened on white, as in the display JPEG.
 */
final class Renders {
    static final String CACHE_HITS = "RenderCacheHits";
    static final String CACHE_MISSES = "RenderCacheMisses";
    static final String STORED_HITS = "RenderStoredHits";
    static final String RENDERED = "Renders";
    static final String SOURCE_DECODES = "RenderSourceDecodes";
    static final String RENDER_MILLIS = "RenderDuration";

    /** Where an answer came from, in the response header {@code X-Render-Source}. */
    enum Source { MEMORY, STORED, RENDERED }

    /**
     * @param base64 the bytes as Lambda's HTTP response carries them, encoded once when the render is
     *     made or read and kept with it: a memory hit then allocates almost nothing (its tail latency is
     *     the young collections a 56 KB string per hit would cause)
     */
    record Answer(byte[] bytes, String contentType, Source source, String base64) {
        Answer(byte[] bytes, String contentType, Source source) {
            this(bytes, contentType, source, java.util.Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** A render in memory, and when (System.nanoTime) its stored copy was last known to exist. */
    private record Held(Answer answer, long checkedAt) {
    }

    private final ObjectStore store;
    private final String mediaBucket;
    private final RenderUrls signer;
    private final List<Integer> allowedSizes;
    private final int jpegQuality;
    private final int webpQuality;
    private final Path workDir;
    private final ByteLru<String, Object> cache;
    private final long revalidateNanos;

    /** @param revalidate how long a render in memory is served before its stored copy is checked again */
    Renders(ObjectStore store, String mediaBucket, RenderUrls signer, List<Integer> allowedSizes, int jpegQuality,
            int webpQuality, Path workDir, long cacheBytes, java.time.Duration revalidate) {
        this.revalidateNanos = revalidate.toNanos();
        this.store = store;
        this.mediaBucket = mediaBucket;
        this.signer = signer;
        this.allowedSizes = List.copyOf(allowedSizes);
        this.jpegQuality = jpegQuality;
        this.webpQuality = webpQuality;
        this.workDir = workDir;
        this.cache = new ByteLru<>(cacheBytes, Renders::weight);
    }

    ByteLru<String, Object> cache() {
        return cache;
    }

    /** What a cached value weighs: its bytes, plus a little for the entry. */
    static long weight(Object value) {
        long payload = value instanceof Pixels p ? p.rgb().length : value instanceof Held h
                ? h.answer().bytes().length + (long) h.answer().base64().length() : 0;
        return payload + 64;
    }

    /**
     * @throws RenderError for a request refused (403, 404, 400)
     * @throws StorageException when S3 fails
     */
    Answer serve(String rawPath) {
        RenderRequest req = RenderRequest.parse(rawPath, signer, allowedSizes);
        StepMetrics.Invocation metrics = StepMetrics.current();
        String name = "out:" + req.signedPart();
        Optional<Object> cached = cache.get(name);
        // Served from memory while its stored copy is there: a deleted item's renders are gone from S3
        // (DELETE /uploads/{id}), and then this answers as a miss does, 404 without the item's manifest.
        // Checked at most once per RENDER_REVALIDATE_MILLIS (a HEAD is most of a hit's time); the
        // deletion waits longer than that before it invalidates the CDN.
        if (cached.isPresent()) {
            Held held = (Held) cached.get();
            long now = System.nanoTime();
            boolean fresh = now - held.checkedAt() < revalidateNanos;
            if (fresh || store.exists(mediaBucket, req.key())) {
                if (!fresh) {
                    cache.put(name, new Held(held.answer(), now));
                }
                metrics.count(CACHE_HITS, 1);
                Answer a = held.answer();
                return new Answer(a.bytes(), a.contentType(), Source.MEMORY, a.base64());
            }
            cache.remove(name);
        }
        metrics.count(CACHE_MISSES, 1);
        Optional<byte[]> stored = read(req.key());
        if (stored.isPresent()) {
            metrics.count(STORED_HITS, 1);
            Answer a = new Answer(stored.get(), req.format().contentType(), Source.STORED);
            cache.put(name, new Held(a, System.nanoTime()));
            return a;
        }
        Output source = source(req);
        long t0 = System.nanoTime();
        Pixels pixels = pixels(req.mediaId(), source);
        byte[] bytes = switch (req.format()) {
            case AVIF -> RenderAvif.encode(OnDemandRender.scale(pixels, req.width(), req.height(), req.fit(), req.key()), workDir,
                    req.key());
            case JPEG -> OnDemandRender.render(pixels, req.width(), req.height(), req.fit(), Format.JPEG, jpegQuality, req.key());
            case WEBP -> OnDemandRender.render(pixels, req.width(), req.height(), req.fit(), Format.WEBP, webpQuality, req.key());
        };
        metrics.millis(RENDER_MILLIS, (System.nanoTime() - t0) / 1_000_000);
        metrics.count(RENDERED, 1);
        store.putRendition(mediaBucket, req.key(), bytes, req.format().contentType());
        Answer a = new Answer(bytes, req.format().contentType(), Source.RENDERED);
        cache.put(name, new Held(a, System.nanoTime()));
        return a;
    }

    /** The READY item's display JPEG (or poster), which bounds the sizes: 404 without, 400 above it. */
    private Output source(RenderRequest req) {
        Manifest m = store.getJson(mediaBucket, Keys.manifest(req.mediaId()), Manifest.class)
                .filter(x -> x.status() == MediaStatus.READY)
                .orElseThrow(() -> new RenderError(404, RenderError.NOT_FOUND, "media " + req.mediaId()
                        + " has no READY manifest, expected an item that finished processing"));
        Output source = m.outputs().stream().filter(o -> o.key().endsWith("/display.jpg")).findFirst()
                .or(() -> m.outputs().stream().filter(o -> Rendition.POSTER.equals(o.kind())).findFirst())
                .filter(o -> o.width() != null && o.height() != null)
                .orElseThrow(() -> new RenderError(404, RenderError.NOT_FOUND, "media " + req.mediaId() + " ("
                        + m.category() + ") has no display picture to render from, expected display.jpg or poster.jpg"));
        if (req.width() > source.width() || req.height() > source.height()) {
            throw new RenderError(400, RenderError.SIZE_NOT_ALLOWED, "size " + req.width() + "x" + req.height()
                    + " is above the display size " + source.width() + "x" + source.height() + " of media " + req.mediaId()
                    + ", expected at most that (renders never upscale)");
        }
        return source;
    }

    private Pixels pixels(String mediaId, Output source) {
        String name = "src:" + source.key();
        Optional<Object> cached = cache.get(name);
        if (cached.isPresent()) {
            StepMetrics.current().count(CACHE_HITS, 1);
            return (Pixels) cached.get();
        }
        StepMetrics.current().count(CACHE_MISSES, 1);
        try {
            Files.createDirectories(workDir);
            Path file = Files.createTempFile(workDir, "render-" + mediaId.substring(0, 12), ".src");
            try {
                store.download(mediaBucket, source.key(), file);
                Pixels p = OnDemandRender.decode(file);
                StepMetrics.current().count(SOURCE_DECODES, 1);
                cache.put(name, p);
                return p;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the scratch folder " + workDir + ": " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> read(String key) {
        Optional<? extends InputStream> in = store.openIfMatch(mediaBucket, key, null);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream s = in.get()) {
            return Optional.of(s.readAllBytes());
        } catch (IOException e) {
            throw new StorageException("GET " + ObjectStore.uri(mediaBucket, key) + " failed while reading: " + e.getMessage(), e);
        }
    }
}
