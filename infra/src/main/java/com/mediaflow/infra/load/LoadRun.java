package com.mediaflow.infra.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Sends a {@link LoadMix} into a running stack through the SDK's S3 client, concurrently, while a
 * consumer reads the CompletionQueue; optionally kills the stack with SIGKILL at given points and
 * starts it again on the same data folder and ports. Then checks, from the receipts in the media
 * bucket and the events received, that every acknowledged upload ended in a final state with
 * exactly one event after deduplication by {@code eventId}, and that identical bytes were
 * processed once. The client sends again a PUT that failed (the stack was down): an upload counts
 * once its PUT was acknowledged.
 */
public final class LoadRun {
    private static final long NO_TIME = Long.MIN_VALUE;

    /** The stack under load: started, and started again on the same data folder and ports after a kill. */
    public interface Stack {
        /** Starts the stack and waits until it is ready; returns its {@code up --json} line. */
        JsonNode start() throws Exception;

        /** SIGKILL of the stack's process; returns once it is dead. */
        void kill() throws Exception;

        /** CPU seconds the stack's processes used so far, all of them; NaN when unknown. */
        default double cpuSeconds() {
            return Double.NaN;
        }
    }

    /**
     * @param clients PUTs in flight at once (besides the burst, which sends all its uploads at once)
     * @param killPoints progress fractions (0 to 1) at which the stack is killed and restarted;
     *     progress is (acknowledged uploads + uploads with an event) / (2 x uploads)
     * @param burstAt the burst is released when this fraction of the other uploads is acknowledged
     * @param idleTimeout how long to wait, once every PUT is acknowledged and the stack is up, for
     *     the next upload to become final before giving up on the rest (they count as lost)
     * @param progress where the progress line goes (stderr), null for none
     * @param label prefix of the progress line
     */
    public record Options(int clients, List<Double> killPoints, double burstAt, Duration idleTimeout, PrintStream progress,
                          String label) {
    }

    /** One message received from the CompletionQueue. */
    record Event(String eventId, String uploadId, String key, String status, String mediaId, long receivedNanos) {
    }

    private final LoadMix mix;
    private final Stack stack;
    private final Options options;
    private final int n;
    private final Map<String, Integer> indexOfKey = new HashMap<>();
    private final AtomicLongArray ackNanos;
    private final AtomicReferenceArray<String> etags;
    private final AtomicLongArray firstEventNanos;
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private final AtomicInteger failedPuts = new AtomicInteger();
    private final AtomicInteger finalKeys = new AtomicInteger();
    private final AtomicLong rawEvents = new AtomicLong();
    private final Map<String, Event> eventsById = new ConcurrentHashMap<>();
    private final Map<String, List<String>> eventIdsByUpload = new ConcurrentHashMap<>();
    private final AtomicBoolean stackUp = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Report.Kill> kills = new ArrayList<>();
    private volatile long t0;
    private volatile long lastFinalNanos;

    private LoadRun(LoadMix mix, Stack stack, Options options) {
        this.mix = mix;
        this.stack = stack;
        this.options = options;
        this.n = mix.items().size();
        for (int i = 0; i < n; i++) {
            if (indexOfKey.put(mix.items().get(i).key(), i) != null) {
                throw new IllegalArgumentException("two uploads of the mix share the key " + mix.items().get(i).key());
            }
        }
        this.ackNanos = new AtomicLongArray(n);
        this.firstEventNanos = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            ackNanos.set(i, NO_TIME);
            firstEventNanos.set(i, NO_TIME);
        }
        this.etags = new AtomicReferenceArray<>(n);
    }

    /** Starts the stack, runs the load, checks the outcome; leaves the stack running (the caller stops it). */
    public static Report run(LoadMix mix, Stack stack, Options options) throws Exception {
        return new LoadRun(mix, stack, options).run();
    }

    private Report run() throws Exception {
        JsonNode line = stack.start();
        stackUp.set(true);
        Config config = StackProcess.clientConfig(line);
        String ingest = line.at("/buckets/IngestBucket").asText();
        String media = line.at("/buckets/MediaBucket").asText();
        String completionQueue = line.at("/queues/CompletionQueue").asText();
        try (S3Client s3 = AwsClients.s3(config); SqsClient sqs = AwsClients.sqs(config)) {
            Thread consumer = new Thread(() -> consume(sqs, completionQueue), "load-completion-consumer");
            consumer.setDaemon(true);
            t0 = System.nanoTime();
            consumer.start();

            List<Integer> normal = new ArrayList<>();
            List<Integer> burst = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (mix.items().get(i).kind() == LoadMix.Kind.BURST ? burst : normal).add(i);
            }
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> burstThreads = new ArrayList<>();
            for (int i : burst) {
                Thread t = new Thread(() -> {
                    try {
                        release.await();
                        put(s3, ingest, i);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "load-burst-" + i);
                t.setDaemon(true);
                t.start();
                burstThreads.add(t);
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.clients()), r -> {
                Thread t = new Thread(r, "load-client");
                t.setDaemon(true);
                return t;
            });
            AtomicInteger normalAcked = new AtomicInteger();
            for (int i : normal) {
                pool.submit(() -> {
                    if (put(s3, ingest, i)) {
                        normalAcked.incrementAndGet();
                    }
                });
            }
            pool.shutdown();

            List<Double> killAt = new ArrayList<>(options.killPoints());
            killAt.sort(Double::compare);
            long lastPrint = 0;
            int lastFinal = -1;
            long lastChange = System.nanoTime();
            while (true) {
                if (release.getCount() > 0 && (normalAcked.get() >= options.burstAt() * normal.size() || pool.isTerminated())) {
                    release.countDown();
                    say("releasing the burst: %d identical uploads at once", burst.size());
                }
                double progress = (acked.get() + finalKeys.get()) / (2.0 * n);
                if (!killAt.isEmpty() && progress >= killAt.get(0)) {
                    killAt.remove(0);
                    killAndRestart(progress);
                    lastChange = System.nanoTime(); // the idle clock starts again once the stack is back
                }
                boolean putsDone = pool.isTerminated() && release.getCount() == 0 && burstThreads.stream().noneMatch(Thread::isAlive);
                int fin = finalKeys.get();
                if (fin != lastFinal || !putsDone) {
                    lastFinal = fin;
                    lastChange = System.nanoTime();
                }
                long now = System.nanoTime();
                if (now - lastPrint > 2_000_000_000L) {
                    lastPrint = now;
                    progressLine(false);
                }
                if (putsDone && killAt.isEmpty() && fin >= acked.get()) {
                    break;
                }
                if (putsDone && now - lastChange > options.idleTimeout().toNanos()) {
                    say("no upload became final for %d s; giving up on the %d left", options.idleTimeout().toSeconds(),
                            acked.get() - fin);
                    break;
                }
                Thread.sleep(100);
            }
            progressLine(true);
            double cpu = stack.cpuSeconds();
            // late copies of events already received (at-least-once delivery) still count as raw events
            Thread.sleep(3000);
            Report report = verify(new ObjectStore(s3), ingest, media, cpu);
            return report;
        } finally {
            stopping.set(true);
        }
    }

    private void killAndRestart(double progress) throws Exception {
        double at = seconds(System.nanoTime());
        int ackedNow = acked.get();
        int finalNow = finalKeys.get();
        say("SIGKILL of the stack at %.1f s (progress %.2f: %d acknowledged, %d final)", at, progress, ackedNow, finalNow);
        stackUp.set(false);
        stack.kill();
        long t = System.nanoTime();
        stack.start();
        stackUp.set(true);
        double restart = (System.nanoTime() - t) / 1e9;
        kills.add(new Report.Kill(at, progress, ackedNow, finalNow, restart));
        say("stack restarted on the same data folder in %.1f s", restart);
    }

    /** PUTs upload {@code i} until the server acknowledges it; false when it gave up (after 10 minutes). */
    private boolean put(S3Client s3, String bucket, int i) {
        LoadMix.Item item = mix.items().get(i);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!stopping.get()) {
            try {
                String etag = s3.putObject(b -> b.bucket(bucket).key(item.key()).contentType(item.contentType()),
                        RequestBody.fromFile(item.file())).eTag();
                etags.set(i, etag.replace("\"", ""));
                ackNanos.set(i, System.nanoTime());
                acked.incrementAndGet();
                return true;
            } catch (SdkException | UncheckedIOException e) {
                failedPuts.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    gaveUp.incrementAndGet();
                    say("gave up on %s after 10 minutes of failed PUTs: %s", item.key(), e.toString());
                    return false;
                }
                sleep(stackUp.get() ? 100 : 500);
            }
        }
        return false;
    }

    private void consume(SqsClient sqs, String queueUrl) {
        while (!stopping.get()) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            } catch (RuntimeException e) {
                sleep(250);
                continue;
            }
            long now = System.nanoTime();
            List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
            for (Message m : messages) {
                record(m.body(), now);
                delete.add(DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build());
            }
            if (!delete.isEmpty()) {
                try {
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(delete));
                } catch (RuntimeException e) {
                    // the stack died under the delete: these come again, and count again as raw events
                }
            }
        }
    }

    private void record(String body, long now) {
        JsonNode e;
        try {
            e = Json.MAPPER.readTree(body);
        } catch (Exception ex) {
            say("a CompletionQueue message is not JSON: %s", body);
            return;
        }
        rawEvents.incrementAndGet();
        Event event = new Event(e.path("eventId").asText(null), e.path("uploadId").asText(null), e.path("key").asText(null),
                e.path("status").asText(null), e.path("mediaId").asText(null), now);
        if (event.eventId() == null) {
            say("a completion event without eventId: %s", body);
            return;
        }
        if (eventsById.putIfAbsent(event.eventId(), event) == null && event.uploadId() != null) {
            eventIdsByUpload.computeIfAbsent(event.uploadId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(event.eventId());
        }
        Integer i = event.key() == null ? null : indexOfKey.get(event.key());
        if (i != null && firstEventNanos.compareAndSet(i, NO_TIME, now)) {
            finalKeys.incrementAndGet();
            lastFinalNanos = now;
        }
    }

    private Report verify(ObjectStore store, String ingest, String media, double stackCpuSeconds) throws InterruptedException {
        // every receipt of every key we sent: the acknowledged upload's, and any other upload of the
        // same key that a PUT cut off by a kill left behind (stored and announced, but not answered)
        Map<Integer, List<Receipt>> receipts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (ackNanos.get(i) == NO_TIME) {
                continue;
            }
            String key = mix.items().get(i).key();
            for (int attempt = 0; ; attempt++) {
                try {
                    receipts.put(i, Receipts.of(store, media, ingest, key));
                    break;
                } catch (RuntimeException e) {
                    if (attempt > 20) {
                        throw e;
                    }
                    Thread.sleep(500);
                }
            }
        }
        Report.Builder r = new Report.Builder(mix, options.label());
        r.acknowledged = acked.get();
        r.gaveUp = gaveUp.get();
        r.failedPuts = failedPuts.get();
        r.stackCpuSeconds = stackCpuSeconds;
        r.kills = List.copyOf(kills);
        r.rawEvents = rawEvents.get();
        r.distinctEvents = eventsById.size();
        long end = lastFinalNanos == 0 ? System.nanoTime() : lastFinalNanos;
        r.seconds = seconds(end);
        List<Double> latencies = new ArrayList<>();
        Map<String, List<Receipt>> processedAsNew = new HashMap<>();
        Map<String, Integer> burstUploads = new HashMap<>();
        for (var e : receipts.entrySet()) {
            int i = e.getKey();
            LoadMix.Item item = mix.items().get(i);
            String etag = etags.get(i);
            List<Receipt> rs = e.getValue();
            boolean ackedFinal = rs.stream().anyMatch(x -> x.isFinal() && etag.equals(strip(x.etag())));
            if (!ackedFinal) {
                r.lost.add(item.key() + " (" + item.kind() + "): " + (rs.isEmpty() ? "no receipt"
                        : "receipt " + rs.stream().map(x -> String.valueOf(x.status())).toList()));
            }
            if (rs.size() > 1) {
                r.extraUploads += rs.size() - 1;
            }
            for (Receipt x : rs) {
                r.uploads++;
                if (!x.isFinal()) {
                    r.notFinal.add(item.key() + " upload " + x.uploadId() + " is " + x.status());
                    continue;
                }
                r.statuses.merge(x.status().name(), 1, Integer::sum);
                List<String> ids = List.copyOf(eventIdsByUpload.getOrDefault(x.uploadId(), List.of()));
                r.eventsOfUploads += ids.size();
                if (ids.isEmpty()) {
                    r.withoutEvent.add(item.key() + " upload " + x.uploadId() + " " + x.status() + ": no event");
                } else if (ids.size() > 1) {
                    r.manyEvents.add(item.key() + " upload " + x.uploadId() + ": " + ids.size() + " distinct eventIds "
                            + ids.stream().map(id -> eventsById.get(id).status()).toList());
                } else if (!ids.get(0).equals(x.eventId())) {
                    r.manyEvents.add(item.key() + " upload " + x.uploadId() + ": its event " + ids.get(0)
                            + " is not the receipt's " + x.eventId());
                }
                if (!x.duplicate() && x.mediaId() != null && x.status() != com.mediaflow.shared.model.MediaStatus.QUARANTINED) {
                    processedAsNew.computeIfAbsent(x.mediaId(), k -> new ArrayList<>()).add(x);
                }
                if (item.kind() == LoadMix.Kind.BURST && x.mediaId() != null) {
                    burstUploads.merge(x.mediaId(), 1, Integer::sum);
                    r.burstMediaId = x.mediaId();
                    if (!x.duplicate()) {
                        r.burstProcessedAsNew++;
                    }
                }
            }
            long ack = ackNanos.get(i);
            long ev = firstEventNanos.get(i);
            if (ev != NO_TIME) {
                latencies.add(Math.max(0, ev - ack) / 1e6);
            }
        }
        r.burstUploads = burstUploads.values().stream().mapToInt(Integer::intValue).sum();
        if (burstUploads.size() > 1) {
            r.duplicates.add("the burst's identical bytes have " + burstUploads.size() + " media ids: " + burstUploads.keySet());
        }
        for (var e : processedAsNew.entrySet()) {
            if (e.getValue().size() > 1) {
                r.duplicates.add("media " + e.getKey() + " processed as new by " + e.getValue().size() + " uploads: "
                        + e.getValue().stream().map(Receipt::key).toList());
            }
        }
        if (r.burstMediaId != null) {
            Manifest m = store.getJson(media, Keys.manifest(r.burstMediaId), Manifest.class).orElse(null);
            r.burstClaimedByItsOneNewUpload = m != null && processedAsNew.getOrDefault(r.burstMediaId, List.of()).stream()
                    .anyMatch(x -> x.uploadId().equals(m.claimedBy()));
        }
        // events for uploads that have no receipt under our keys, or that arrived for keys we never sent
        for (Event ev : eventsById.values()) {
            if (ev.key() == null || !indexOfKey.containsKey(ev.key())) {
                r.strayEvents++;
            }
        }
        latencies.sort(Double::compare);
        r.latenciesMs = latencies;
        return r.build();
    }

    private static String strip(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    private void progressLine(boolean last) {
        if (options.progress() == null) {
            return;
        }
        options.progress().printf("%s: %5.1f s  acknowledged %d/%d  final %d  events %d (%d distinct)  failed PUTs %d  kills %d%s%n",
                options.label(), seconds(System.nanoTime()), acked.get(), n, finalKeys.get(), rawEvents.get(), eventsById.size(),
                failedPuts.get(), kills.size(), last ? "  (done)" : "");
    }

    private void say(String format, Object... args) {
        if (options.progress() != null) {
            options.progress().printf("%s: %5.1f s  %s%n", options.label(), seconds(System.nanoTime()), String.format(format, args));
        }
    }

    private double seconds(long nanos) {
        return (nanos - t0) / 1e9;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
