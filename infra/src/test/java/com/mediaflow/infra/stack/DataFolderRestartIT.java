package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.load.StackProcess;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.lambda.S3Notification;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A stack with a data folder, stopped cleanly and started again on it (what 'up --data DIR' does
 * after Ctrl-C): it starts, and keeps its objects, its queues' settings and their messages,
 * including one that was received and not deleted, which comes back at once. The crash case, with
 * SIGKILL, is CrashRecoveryIT's.
 */
class DataFolderRestartIT {
    @TempDir
    Path data;

    @Test
    void restartOnItsOwnFolder_keepsObjectsQueuesAndMessages() throws Exception {
        String queue;
        String media;
        try (EmbeddedStack first = start()) {
            media = first.bucket("MediaBucket");
            queue = first.queueUrl("ThumbnailQueue");
            first.s3().putObject(b -> b.bucket(media).key("kept.txt"), RequestBody.fromString("kept"));
            for (String body : List.of("one", "two", "three")) {
                first.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body));
            }
            Message received = first.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)).messages().get(0);
            String deleted = first.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1)).messages().get(0).receiptHandle();
            first.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(deleted));
            assertThat(received.body()).isIn("one", "two", "three");
            assertThat(first.restoredMessages()).isZero();
        }

        try (EmbeddedStack again = start()) {
            String url = again.queueUrl("ThumbnailQueue");
            assertThat(url).as("the same queue, on this run's port").endsWith(queue.substring(queue.indexOf('/', "http://".length())));
            assertThat(again.s3().getObjectAsBytes(b -> b.bucket(media).key("kept.txt")).asUtf8String()).isEqualTo("kept");
            assertThat(again.restoredMessages()).as("two left: one never received, one received and not deleted").isEqualTo(2);
            // the one in flight (ThumbnailQueue's VisibilityTimeout is 1080 s) is visible at once
            List<Message> messages = again.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                    .messages();
            assertThat(messages).hasSize(2);
            var attributes = again.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("1080");
            assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY)).contains("ThumbnailDLQ");
        }
    }

    @Test
    void oneStackWithADataFolderPerJvm_aSecondIsRefusedClearly() throws Exception {
        try (EmbeddedStack first = start()) {
            assertThatThrownBy(() -> EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                    .withFunctions(false).withDataDir(data.resolve("other"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expected one stack with a data folder per JVM at a time");
            assertThat(first.s3().listBuckets().buckets()).isNotEmpty();
        }
    }

    /**
     * Issue 10: on a restart over its data folder the buckets exist already, and S3 used to listen
     * before their notifications were configured: a PUT in between was stored and acknowledged, and
     * no event ever announced it. A client that sends PUTs all through the restart must see every
     * acknowledged one announced on the IngestQueue.
     */
    @Test
    void restartUnderPuts_everyAcknowledgedPutIsAnnounced() throws Exception {
        int port = StackProcess.freePortPair();
        String ingest;
        try (EmbeddedStack first = start(port)) {
            ingest = first.bucket("IngestBucket");
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Config client = Config.of(Map.of(Config.AWS_REGION, EmbeddedStack.REGION,
                Config.AWS_ENDPOINT_URL_S3, "http://127.0.0.1:" + port, Config.AWS_ENDPOINT_URL_SQS, "http://127.0.0.1:" + (port + 1),
                "AWS_ACCESS_KEY_ID", EmbeddedStack.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedStack.SECRET_KEY));
        try (S3Client s3 = AwsClients.s3(client)) {
            Thread putter = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String key = "restart/" + i + ".txt";
                    try {
                        s3.putObject(b -> b.bucket(ingest).key(key), RequestBody.fromString("upload " + key));
                        acknowledged.add(key);
                    } catch (RuntimeException e) {
                        // the stack is not listening yet: the client sends the next one
                    }
                }
            }, "putter");
            putter.start();
            int announced;
            try (EmbeddedStack again = start(port)) {
                Thread.sleep(300);
                stop.set(true);
                putter.join(10_000);
                String queue = again.queueUrl("IngestQueue");
                Set<String> keys = new java.util.HashSet<>();
                List<Message> batch;
                do {
                    batch = again.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                    for (Message m : batch) {
                        S3Notification.parse(m.body(), ingest).forEach(o -> keys.add(o.key()));
                    }
                } while (!batch.isEmpty());
                announced = keys.size();
                // then
                assertThat(acknowledged).as("PUTs acknowledged during and after the restart").isNotEmpty();
                assertThat(keys).as("every acknowledged PUT announced").containsAll(acknowledged);
            }
            assertThat(announced).isGreaterThanOrEqualTo(acknowledged.size());
        }
    }

    @Test
    void restartAfterACrash_dropsHalfWrittenObjectsOfTheStacksBuckets_notTheClients() throws Exception {
        String media;
        String ingest;
        try (EmbeddedStack stack = start()) {
            media = stack.bucket("MediaBucket");
            ingest = stack.bucket("IngestBucket");
            stack.s3().putObject(b -> b.bucket(media).key("receipts/abc/upload.json"), RequestBody.fromString("{\"status\":\"PROCESSING\"}"));
            stack.s3().putObject(b -> b.bucket(ingest).key("photo-0f8fad5b-d9cb-469f-a165-70867728950e"), RequestBody.fromString("x"));
        }
        // what S3Proxy's store leaves when the process dies between writing <key>-<uuid> and renaming it
        Path receiptDir = data.resolve("s3").resolve(media).resolve("receipts/abc");
        Files.writeString(receiptDir.resolve("upload.json-7c9e6679-7425-40de-944b-e07fc1f90ae7"), "{\"sta");
        Files.writeString(receiptDir.resolve("other.json-16fd2706-8baf-433b-82eb-8c7fada847da"), "");

        try (EmbeddedStack stack = start()) {
            assertThat(stack.s3().listObjectsV2(b -> b.bucket(media).prefix("receipts/abc/")).contents())
                    .extracting(o -> o.key()).containsExactly("receipts/abc/upload.json");
            assertThat(stack.s3().listObjectsV2(b -> b.bucket(ingest)).contents()).extracting(o -> o.key())
                    .as("a client's key may end in a UUID: kept").contains("photo-0f8fad5b-d9cb-469f-a165-70867728950e");
        }
    }

    private EmbeddedStack start(int port) throws Exception {
        return EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false).withDataDir(data)
                .withPort(port));
    }

    private EmbeddedStack start() throws Exception {
        return EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false).withDataDir(data));
    }
}
