package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A listing made while an object is being written shows what S3 would show: the objects that
 * exist, not S3Proxy's temporary {@code <key>-<uuid>} file of the write under way.
 */
class InFlightWritesIT {
    @Test
    void listingDuringAWrite_showsNoTemporaryFile_onTheTransientStore() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false))) {
            assertListingHidesTheWriteUnderWay(stack);
        }
    }

    @Test
    void listingDuringAWrite_showsNoTemporaryFile_onTheDataFolderStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data)
            throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false)
                .withDataDir(data))) {
            assertListingHidesTheWriteUnderWay(stack);
        }
    }

    private static void assertListingHidesTheWriteUnderWay(EmbeddedStack stack) throws Exception {
        String bucket = stack.bucket("MediaBucket");
        stack.s3().putObject(b -> b.bucket(bucket).key("records/done.json"), RequestBody.fromString("{}"));
        int size = 1 << 20;
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch listed = new CountDownLatch(1);
        // Each attempt of the PUT gets a fresh slow body, as a file or byte body would give it: the SDK
        // retries an attempt S3Proxy cut off (seen now and then), and a one-shot stream cannot be replayed.
        AtomicInteger opened = new AtomicInteger();
        ContentStreamProvider slow = () -> {
            opened.incrementAndGet();
            return new InputStream() {
                private int sent;

                @Override
                public int read() throws IOException {
                    if (sent == size / 2) {
                        halfSent.countDown();
                        try {
                            listed.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    return sent++ < size ? 'x' : -1;
                }
            };
        };
        CompletableFuture<?> put = CompletableFuture.runAsync(() -> stack.s3().putObject(
                b -> b.bucket(bucket).key("records/writing.json"),
                RequestBody.fromContentProvider(slow, size, "application/octet-stream")));
        assertThat(halfSent.await(30, TimeUnit.SECONDS)).as("half the body sent").isTrue();
        Thread.sleep(300); // let the server write what it has received to its temporary file

        List<String> during = stack.s3().listObjectsV2(b -> b.bucket(bucket).prefix("records/")).contents().stream()
                .map(S3Object::key).toList();
        listed.countDown();
        try {
            put.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // say what each attempt met, where the SDK keeps the earlier ones (as suppressed exceptions)
            throw new AssertionError("the slow PUT failed after " + opened.get() + " attempt(s): " + attempts(e.getCause()),
                    e.getCause());
        }
        if (opened.get() > 1) {
            System.out.println("InFlightWritesIT: the slow PUT was sent " + opened.get() + " times (the SDK retried it)");
        }
        List<String> after = stack.s3().listObjectsV2(b -> b.bucket(bucket).prefix("records/")).contents().stream()
                .map(S3Object::key).toList();

        assertThat(during).as("keys listed while records/writing.json is being written").containsExactly("records/done.json");
        assertThat(after).containsExactlyInAnyOrder("records/done.json", "records/writing.json");
    }

    /** The failure with its causes, then each earlier attempt's with its causes. */
    private static String attempts(Throwable failure) {
        StringBuilder out = new StringBuilder();
        chain(out, failure);
        for (Throwable earlier : failure.getSuppressed()) {
            chain(out.append(" | "), earlier);
        }
        return out.toString();
    }

    private static void chain(StringBuilder out, Throwable t) {
        out.append(t);
        for (Throwable cause = t.getCause(); cause != null && cause != t; cause = cause.getCause()) {
            out.append(" <- ").append(cause);
        }
    }
}
