package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.infra.TestPaths;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
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

    private EmbeddedStack start() throws Exception {
        return EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false).withDataDir(data));
    }
}
