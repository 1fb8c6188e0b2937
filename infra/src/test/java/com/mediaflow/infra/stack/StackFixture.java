package com.mediaflow.infra.stack;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An embedded stack for a test class, with the waits and looks that tests need. */
public final class StackFixture implements AutoCloseable {
    public final EmbeddedStack stack;
    public final ObjectStore store;
    public final String ingest;
    public final String media;
    public final String quarantine;
    private final List<CompletionEvent> completions = new CopyOnWriteArrayList<>();
    private final List<String> completionBodies = new CopyOnWriteArrayList<>();

    private StackFixture(EmbeddedStack stack) {
        this.stack = stack;
        this.store = new ObjectStore(stack.s3());
        this.ingest = stack.bucket("IngestBucket");
        this.media = stack.bucket("MediaBucket");
        this.quarantine = stack.bucket("QuarantineBucket");
    }

    public static StackFixture start(boolean runFunctions) throws Exception {
        return start(runFunctions, Map.of());
    }

    public static StackFixture start(boolean runFunctions, Map<String, String> environment) throws Exception {
        return start(runFunctions, environment, 2);
    }

    /** Around a stack started by the test, with its own options; closing the fixture closes it. */
    public static StackFixture start(EmbeddedStack stack) {
        return new StackFixture(stack);
    }

    /** With {@code workers} concurrent invocations per queue. */
    public static StackFixture start(boolean runFunctions, Map<String, String> environment, int workers) throws Exception {
        return new StackFixture(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withFunctions(runFunctions).withWorkers(workers).withEnvironment(environment)));
    }

    /** PUTs a file into the ingest bucket as a client would; returns its ETag. */
    private static final java.net.http.HttpClient API_CLIENT = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * One request to the stack's upload API over HTTP, as a client would send it: a JSON body (or
     * none), as {@code caller} (the local server's caller header; null: the default caller).
     */
    public java.net.http.HttpResponse<String> api(String method, String path, String body, String caller) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.apiUrl() + path))
                .timeout(Duration.ofSeconds(60)).method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (caller != null) {
            b.header(UploadApiServer.CALLER_HEADER, caller);
        }
        return API_CLIENT.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    public String upload(Path file, String key, String contentType) {
        return stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType(contentType), RequestBody.fromFile(file)).eTag();
    }

    /** The first receipt of an upload of this key (validate writes it PROCESSING, or final when it rejects the upload). */
    public Receipt awaitReceipt(String key, Duration timeout) {
        return await(() -> Receipts.of(store, media, ingest, key).stream().findFirst(), timeout, "receipt of " + key);
    }

    /** The receipt of the upload of this key with this ETag, once it is final (READY, QUARANTINED or FAILED). */
    public Receipt awaitFinalReceipt(String key, String etag, Duration timeout) {
        try {
            return await(() -> Receipts.find(store, media, ingest, key, etag).filter(Receipt::isFinal), timeout,
                    "final receipt of " + key + " (ETag " + etag + ")");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnosis(key, etag), e);
        }
    }

    /** What the stack holds of an upload that did not end: its receipt, its item, the sweeper's records and last runs. */
    public String diagnosis(String key, String etag) {
        StringBuilder out = new StringBuilder();
        try {
            Optional<Receipt> receipt = Receipts.find(store, media, ingest, key, etag);
            out.append("receipt: ").append(receipt.map(Json::write).orElse("none")).append('\n');
            String mediaId = receipt.map(Receipt::mediaId).orElse(null);
            if (mediaId != null) {
                store.getJsonVersioned(media, Keys.manifest(mediaId), Manifest.class).ifPresent(v -> out.append("manifest (ETag ")
                        .append(v.etag()).append("): ").append(Json.write(v.value())).append('\n'));
                for (ObjectStore.Listed o : store.listPage(media, "media/" + mediaId + "/", null, 100).objects()) {
                    out.append("  s3://").append(media).append('/').append(o.key()).append(" ETag ").append(o.etag())
                            .append(" modified ").append(o.lastModified()).append('\n');
                }
            }
            for (ObjectStore.Listed o : store.listPage(media, "sweeper/", null, 100).objects()) {
                out.append("  s3://").append(media).append('/').append(o.key()).append(" modified ").append(o.lastModified())
                        .append(": ").append(store.getJson(media, o.key(), com.fasterxml.jackson.databind.JsonNode.class)
                                .map(Json::write).orElse("gone")).append('\n');
            }
        } catch (RuntimeException e) {
            out.append("(could not read the stack: ").append(e).append(")\n");
        }
        List<String> runs = stack.scheduledRuns();
        out.append("last scheduled runs:\n");
        runs.subList(Math.max(0, runs.size() - 15), runs.size()).forEach(r -> out.append("  ").append(r).append('\n'));
        return out.toString();
    }

    /**
     * Takes every message off the CompletionQueue into {@link #completions()}, and returns the
     * events received so far that match, once there are at least {@code count} of them.
     */
    public List<CompletionEvent> awaitCompletions(Predicate<CompletionEvent> matching, int count, Duration timeout) {
        return await(() -> {
            drainCompletions();
            List<CompletionEvent> found = completions.stream().filter(matching).toList();
            return found.size() >= count ? Optional.of(found) : Optional.empty();
        }, timeout, count + " completion events");
    }

    /** Every completion event taken off the queue so far, as the JSON bodies that were sent. */
    public List<String> completionBodies() {
        drainCompletions();
        return List.copyOf(completionBodies);
    }

    public List<CompletionEvent> completions() {
        drainCompletions();
        return List.copyOf(completions);
    }

    private synchronized void drainCompletions() {
        String url = stack.queueUrl("CompletionQueue");
        while (true) {
            List<Message> messages = stack.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return;
            }
            for (Message m : messages) {
                completionBodies.add(m.body());
                completions.add(Json.read(m.body(), CompletionEvent.class));
                stack.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    public Manifest awaitTerminal(String mediaId, Duration timeout) {
        return await(() -> store.getJson(media, Keys.manifest(mediaId), Manifest.class).filter(Manifest::terminal),
                timeout, "terminal manifest of " + mediaId);
    }

    /** Every key under a prefix, with its ETag and last-modified time, sorted. */
    public Map<String, String> snapshot(String bucket, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (S3Object o : stack.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            out.put(o.key(), o.eTag() + "@" + o.lastModified());
        }
        return out;
    }

    public List<String> keys(String bucket, String prefix) {
        return List.copyOf(snapshot(bucket, prefix).keySet());
    }

    /** Waits until no queue holds a message (visible or in flight) and no function is running. */
    public void awaitQuiet(Duration timeout) {
        await(() -> {
            if (stack.inFlight() > 0) {
                return Optional.empty();
            }
            for (String url : stack.queues().values()) {
                if (stack.deadLetterQueues().contains(url) || url.endsWith("/CompletionQueue")) {
                    continue;
                }
                var attrs = stack.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                if (!"0".equals(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        || !"0".equals(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
                    return Optional.empty();
                }
            }
            return stack.inFlight() == 0 ? Optional.of(Boolean.TRUE) : Optional.empty();
        }, timeout, "all queues drained");
    }

    public static <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
