package com.mediaflow.infra.stack;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An embedded stack for a test class, with the waits and looks that tests need. */
public final class StackFixture implements AutoCloseable {
    public final EmbeddedStack stack;
    public final ObjectStore store;
    public final String ingest;
    public final String media;
    public final String quarantine;

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
        return new StackFixture(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withFunctions(runFunctions).withWorkers(2).withEnvironment(environment)));
    }

    /** PUTs a file into the ingest bucket as a client would; returns its ETag. */
    public String upload(Path file, String key, String contentType) {
        return stack.s3().putObject(b -> b.bucket(ingest).key(key).contentType(contentType), RequestBody.fromFile(file)).eTag();
    }

    public Receipt awaitReceipt(String key, Duration timeout) {
        return await(() -> store.getJson(media, Keys.receipt(key), Receipt.class), timeout, "receipt of " + key);
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
