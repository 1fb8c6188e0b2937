package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.shared.config.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A failed record waits its queue's VisibilityTimeout, times the stack's time scale, before it is
 * received again, as Lambda's event source mapping has it; after maxReceiveCount receives the
 * queue's redrive policy moves it to the dead-letter queue.
 */
class VisibilityTimeoutIT {
    /** IngestQueue's VisibilityTimeout is 720 s: at 0.004 a failed record waits 2.88 s, rounded up to 3 s. */
    static final double SCALE = 0.004;
    static final Duration WAIT = Duration.ofSeconds(3);
    static final int MAX_RECEIVE_COUNT = 5;

    @Test
    @Timeout(120)
    void aRecordThatKeepsFailing_waitsTheScaledVisibilityTimeoutBetweenReceives_thenReachesTheDeadLetterQueue() throws Exception {
        // MAX_UPLOAD_BYTES is read when validate starts: a bad one fails each initialisation, so every
        // receive of the record fails, as a function that cannot start does on Lambda
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults(TestPaths.template()).withWorkers(1)
                .withSweepInterval(Duration.ZERO).withTimeScale(SCALE)
                .withEnvironment(Map.of(Config.MAX_UPLOAD_BYTES, "abc"));
        try (EmbeddedStack stack = EmbeddedStack.start(options)) {
            String dlq = stack.queueUrl("IngestDLQ");
            long t0 = System.nanoTime();

            stack.sqs().sendMessage(b -> b.queueUrl(stack.queueUrl("IngestQueue")).messageBody("{\"Records\":[]}"));
            Message dead = StackFixture.await(() -> stack.sqs().receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages().stream().findFirst(),
                    Duration.ofSeconds(90), "the record in IngestDLQ");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            // received 5 times, each failure hiding it for WAIT: the sixth receive moves it
            assertThat(took).as("time to the dead-letter queue").isGreaterThanOrEqualTo(
                    WAIT.multipliedBy(MAX_RECEIVE_COUNT).minusMillis(500));
            assertThat(took).isLessThan(WAIT.multipliedBy(MAX_RECEIVE_COUNT).plusSeconds(30));
            assertThat(dead.body()).isEqualTo("{\"Records\":[]}");
            assertThat(stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl("IngestQueue")).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes()).as("nothing left in IngestQueue")
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
        }
    }
}
