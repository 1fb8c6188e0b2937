package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.CompletionEvent;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Finalizer;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Completion events go out through the outbox, whatever happens to finalize's conditional write.
 * The stack runs no pollers: each function runs when the test drives it, so that the test can put
 * itself between the final state and the event. Network faults are made by SDK interceptors on
 * real clients talking HTTP to the embedded stack.
 */
class CompletionOutboxIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static StackFixture fx;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void finalize_sdkRetryAfterASuccessfulWrite_stillSendsTheEvent() throws IOException {
        // given: an upload validated, its steps done, finalize's messages waiting
        String key = "retry/photo.jpg";
        String etag = fx.upload(SyntheticMedia.jpeg(tmp.resolve("retry.jpg"), 320, 240, 0), key, "image/jpeg");
        List<Message> finalizeMessages = stepsDone();
        // and an S3 client that loses the response to the first conditional manifest write S3 applied,
        // as a reset connection would: the SDK retries, and its retry gets 412
        LostResponse lost = new LostResponse();
        Finalizer finalizer = new Finalizer(finalizeConfig(), new ObjectStore(s3(lost)), new Queue(fx.stack.sqs()));

        // when
        for (Message m : finalizeMessages) {
            finalizer.finalizeItem(m.body());
        }

        // then
        // S3 applied the write and its answer was lost: [200] when the SDK gives up at once (the store then
        // finds the manifest changed), [200, 412] when it retries, [412] when the HTTP client resent it below the SDK
        assertThat(lost.manifestWrites).as("status of each attempt of the conditional manifest write")
                .isNotEmpty().allMatch(status -> status == 200 || status == 412);
        Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);
        assertThat(receipt.status()).isEqualTo(MediaStatus.READY);
        assertThat(fx.store.getJson(fx.media, Keys.manifest(receipt.mediaId()), Manifest.class).orElseThrow().status())
                .isEqualTo(MediaStatus.READY);
        assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(MediaStatus.READY);
            assertThat(e.eventId()).isEqualTo(receipt.eventId()).isEqualTo(receipt.upload().eventId(MediaStatus.READY));
        });
    }

    @Test
    void finalize_everyAnswerToItsAppliedWriteLost_readsTheFinalStateBack_andSendsTheEvent() throws IOException {
        // given: an upload whose steps are done
        String key = "lost/photo.jpg";
        String etag = fx.upload(SyntheticMedia.jpeg(tmp.resolve("lost.jpg"), 320, 200, 0), key, "image/jpeg");
        List<Message> finalizeMessages = stepsDone();
        // and a connection that loses every answer to a conditional manifest write, the first one applied
        // (S3Proxy under load closes the connection so: "Error writing request body to server")
        AllAnswersLost lost = new AllAnswersLost();
        Finalizer finalizer = new Finalizer(finalizeConfig(), new ObjectStore(s3(lost)), new Queue(fx.stack.sqs()));

        // when: no exception, so the message is not left to its retry (540 s on AWS's timeouts)
        for (Message m : finalizeMessages) {
            finalizer.finalizeItem(m.body());
        }

        // then
        assertThat(lost.lost.get()).as("answers lost").isPositive();
        Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);
        assertThat(receipt.status()).isEqualTo(MediaStatus.READY);
        assertThat(fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT)).singleElement()
                .satisfies(e -> assertThat(e.eventId()).isEqualTo(receipt.eventId()));
    }

    @Test
    void finalize_sdkRetryAfterASuccessfulQuarantine_stillDropsTheMediaBucketsOriginal() throws IOException {
        // given: a PNG validation accepts and no decoder can read, its steps done, finalize's messages waiting
        String key = "retry/broken-pixels.png";
        String etag = fx.upload(java.nio.file.Files.write(tmp.resolve("broken.png"), IamIT.pngWithBrokenIdat(64, 48)), key,
                "image/png");
        List<Message> finalizeMessages = stepsDone();
        // and the response to the QUARANTINED manifest's write lost after S3 applied it: the SDK's retry gets 412
        LostResponse lost = new LostResponse();
        Finalizer finalizer = new Finalizer(finalizeConfig(), new ObjectStore(s3(lost)), new Queue(fx.stack.sqs()));

        // when
        for (Message m : finalizeMessages) {
            finalizer.finalizeItem(m.body());
        }

        // then: the item is quarantined, and its original is in the quarantine bucket only
        assertThat(lost.manifestWrites).isNotEmpty().allMatch(status -> status == 200 || status == 412);
        Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);
        assertThat(receipt.status()).isEqualTo(MediaStatus.QUARANTINED);
        Manifest manifest = fx.store.getJson(fx.media, Keys.manifest(receipt.mediaId()), Manifest.class).orElseThrow();
        assertThat(manifest.original().bucket()).isEqualTo(fx.stack.bucket("QuarantineBucket"));
        assertThat(fx.store.exists(manifest.original().bucket(), manifest.original().key())).isTrue();
        assertThat(fx.store.exists(fx.media, Keys.original(receipt.mediaId())))
                .as("the media bucket's copy of a quarantined original, once the outcome is recorded").isFalse();
    }

    @Test
    void finalize_crashBetweenTheFinalStateAndTheSend_sendsTheEventWhenTheMessageIsRetried() throws IOException {
        // given: an upload whose steps are done
        String key = "crash/photo.jpg";
        String etag = fx.upload(SyntheticMedia.jpeg(tmp.resolve("crash.jpg"), 300, 200, 0), key, "image/jpeg");
        List<Message> finalizeMessages = stepsDone();
        // and a finalize whose function dies at its first SendMessage to the CompletionQueue
        CrashOnCompletion crash = new CrashOnCompletion();
        Finalizer dying = new Finalizer(finalizeConfig(), new ObjectStore(fx.stack.s3()), new Queue(sqs(crash)));
        Message first = finalizeMessages.get(0);
        assertThatThrownBy(() -> dying.finalizeItem(first.body())).as("finalize dies after writing READY")
                .hasMessageContaining("the function dies");
        Receipt written = fx.awaitReceipt(key, WAIT);
        assertThat(fx.store.getJson(fx.media, Keys.manifest(written.mediaId()), Manifest.class).orElseThrow().status())
                .isEqualTo(MediaStatus.READY);
        assertThat(fx.completions()).noneMatch(e -> key.equals(e.key()));

        // when: SQS hands the same message again to a healthy finalize, and then once more (a step's retry
        // telling finalize again)
        Finalizer healthy = new Finalizer(finalizeConfig(), fx.store, new Queue(fx.stack.sqs()));
        healthy.finalizeItem(first.body());
        healthy.finalizeItem(first.body());

        // then: the event went out, once
        Receipt receipt = fx.awaitFinalReceipt(key, etag, WAIT);
        List<CompletionEvent> events = fx.awaitCompletions(e -> key.equals(e.key()), 1, WAIT);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.eventId()).isEqualTo(receipt.eventId()));
        assertThat(fx.store.exists(fx.media, Keys.sent(receipt.mediaId(), receipt.uploadId(), MediaStatus.READY))).isTrue();
        fx.awaitQuiet(Duration.ofSeconds(5));
        assertThat(fx.completions()).filteredOn(e -> key.equals(e.key())).hasSize(1);
    }

    @Test
    void duplicateArrivingWhileTheItemProcesses_attaches_andEndsWhenTheItemEnds() throws IOException {
        // given: an upload validated, its steps not run yet
        Path photo = SyntheticMedia.jpeg(tmp.resolve("early.jpg"), 280, 200, 0);
        String firstEtag = fx.upload(photo, "attach/first.jpg", "image/jpeg");
        drive("ValidateFunction");
        Receipt first = fx.awaitReceipt("attach/first.jpg", WAIT);

        // when: the same bytes are uploaded again, and then the item's steps and finalize run
        String secondEtag = fx.upload(photo, "attach/second.jpg", "image/jpeg");
        drive("ValidateFunction");
        Receipt waiting = fx.awaitReceipt("attach/second.jpg", WAIT);
        assertThat(waiting.status()).as("the duplicate waits for its item").isEqualTo(MediaStatus.PROCESSING);
        assertThat(waiting.duplicate()).isTrue();
        assertThat(fx.store.exists(fx.media, Keys.upload(first.mediaId(), waiting.uploadId()))).as("attached to the item").isTrue();
        drive("ThumbnailFunction");
        drive("MetadataFunction");
        drive("FinalizeFunction");

        // then: both uploads end READY, each with its own event
        Receipt a = fx.awaitFinalReceipt("attach/first.jpg", firstEtag, WAIT);
        Receipt b = fx.awaitFinalReceipt("attach/second.jpg", secondEtag, WAIT);
        assertThat(List.of(a.status(), b.status())).containsOnly(MediaStatus.READY);
        assertThat(List.of(a.duplicate(), b.duplicate())).containsExactly(false, true);
        List<CompletionEvent> events = fx.awaitCompletions(e -> e.key().startsWith("attach/"), 2, WAIT);
        assertThat(events).extracting(CompletionEvent::eventId).containsExactlyInAnyOrder(a.eventId(), b.eventId());
    }

    // ------------------------------------------------------------------ driving the functions

    /** Runs a function's handler on what its queue holds, as its event source mapping would, until the queue is empty. */
    private static void drive(String function) {
        EmbeddedStack.QueueRef queue = fx.stack.eventSourceQueue(function);
        FunctionHost host = fx.stack.host(function);
        int redeliveries = 0;
        while (true) {
            List<Message> messages = fx.stack.sqs().receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageSystemAttributeNamesWithStrings("All")).messages();
            if (messages.isEmpty()) {
                return;
            }
            SQSBatchResponse response = (SQSBatchResponse) host.invoke(SqsEvents.fromMessages(messages, queue.arn(), EmbeddedStack.REGION));
            java.util.Set<String> failed = new java.util.HashSet<>();
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            for (Message m : messages) {
                if (failed.contains(m.messageId())) {
                    // a retryable failure (S3Proxy closing a connection under a PUT, say): handed again at once, as
                    // the event source would after the visibility timeout; a record that keeps failing fails the test
                    assertThat(++redeliveries).as(function + " failed records handed again").isLessThanOrEqualTo(3);
                    fx.stack.sqs().changeMessageVisibility(b -> b.queueUrl(queue.url()).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(0));
                } else {
                    fx.stack.sqs().deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    /**
     * Validate, thumbnail and metadata run on what was uploaded; finalize's one message (from metadata,
     * the step that finished last and found thumbnail's result stored), taken off its queue.
     */
    private static List<Message> stepsDone() {
        drive("ValidateFunction");
        drive("ThumbnailFunction");
        drive("MetadataFunction");
        return receive("FinalizeQueue", 1);
    }

    /** Takes {@code count} messages off a queue. */
    private static List<Message> receive(String queueId, int count) {
        String url = fx.stack.queueUrl(queueId);
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            for (Message m : fx.stack.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                out.add(m);
                fx.stack.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        assertThat(out).as("messages on " + queueId).hasSize(count);
        return out;
    }

    private static Config finalizeConfig() {
        return Config.of(fx.stack.environment("FinalizeFunction"));
    }

    // ------------------------------------------------------------------ network faults

    private static S3Client s3(ExecutionInterceptor interceptor) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY,
                        EmbeddedStack.SECRET_KEY)))
                .endpointOverride(fx.stack.s3Endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
    }

    private static SqsClient sqs(ExecutionInterceptor interceptor) {
        return SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY,
                        EmbeddedStack.SECRET_KEY)))
                .endpointOverride(fx.stack.sqsEndpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
    }

    /**
     * After S3 has applied the first successful conditional PUT of a manifest, the response is lost
     * (a connection reset, which the SDK retries); every attempt's status is recorded.
     */
    static final class LostResponse implements ExecutionInterceptor {
        final List<Integer> manifestWrites = new CopyOnWriteArrayList<>();
        private final AtomicBoolean lost = new AtomicBoolean();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            if (request.method() != SdkHttpMethod.PUT || !request.encodedPath().endsWith("/manifest.json")
                    || request.firstMatchingHeader("If-Match").isEmpty()) {
                return;
            }
            manifestWrites.add(context.httpResponse().statusCode());
            if (context.httpResponse().isSuccessful() && lost.compareAndSet(false, true)) {
                throw SdkClientException.create("test: connection reset after S3 applied the write",
                        new IOException("Connection reset"));
            }
        }
    }

    /** Every answer to a conditional manifest PUT is lost on the way back, as a reset connection loses it. */
    static final class AllAnswersLost implements ExecutionInterceptor {
        final java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            if (request.method() == SdkHttpMethod.PUT && request.encodedPath().endsWith("/manifest.json")
                    && request.firstMatchingHeader("If-Match").isPresent()) {
                lost.incrementAndGet();
                throw SdkClientException.create("test: connection reset before the answer", new IOException("Connection reset"));
            }
        }
    }

    /** The function dies at its first SendMessage to the CompletionQueue, before anything is sent. */
    static final class CrashOnCompletion implements ExecutionInterceptor {
        private final AtomicBoolean crashed = new AtomicBoolean();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof SendMessageRequest send && send.queueUrl().endsWith("/CompletionQueue")
                    && crashed.compareAndSet(false, true)) {
                throw new IllegalStateException("test: the function dies before its SendMessage to the CompletionQueue");
            }
        }
    }
}
