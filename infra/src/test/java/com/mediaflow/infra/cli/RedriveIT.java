package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.infra.stack.StackFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code mediaflow redrive} against the embedded stack's ElasticMQ: a message that reached
 * ThumbnailDLQ after maxReceiveCount receives is moved back to ThumbnailQueue. (The end to end
 * case, an item FAILED by a broken step and READY after a fixed restart and a redrive, is FailureIT's,
 * which does the move with the same SQS call.)
 *
 * <p>A stack without a data folder, the message dead-lettered in the same run: the case that used
 * to time out with a 503, because ElasticMQ's queue manager did not know the DLQ's source queue
 * when the RedrivePolicy was set after CreateQueue (see {@code EmbeddedStack.createQueues}).
 */
class RedriveIT {
    @Test
    void redrive_movesADeadLetteredMessageBackToItsSourceQueue() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template()).withFunctions(false))) {
            // given a message received maxReceiveCount (5) times without being deleted
            String queue = stack.queueUrl("ThumbnailQueue");
            String dlq = stack.queueUrl("ThumbnailDLQ");
            stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("dead-lettered"));
            for (int i = 0; i < 5; i++) {
                List<Message> got = stack.sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(2).visibilityTimeout(0)).messages();
                assertThat(got).hasSize(1);
            }
            // the 6th receive finds it moved to the DLQ by the redrive policy
            assertThat(stack.sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages()).isEmpty();
            StackFixture.await(() -> peek(stack, dlq), Duration.ofSeconds(10), "the message in ThumbnailDLQ");

            // when
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, TestPaths.root())
                    .run(new String[] {"redrive", "ThumbnailDLQ", "--endpoint", stack.sqsEndpoint().toString()});

            // then it is back in its source queue, and the call was answered at once (not after ElasticMQ's 21 s ask timeout)
            assertThat(code).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("ThumbnailDLQ: moving 1 message(s)");
            Message back = StackFixture.await(() -> stack.sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1))
                    .messages().stream().findFirst(), Duration.ofSeconds(10), "the message back in ThumbnailQueue");
            assertThat(back.body()).isEqualTo("dead-lettered");
        }
    }

    @Test
    void redrive_withoutATarget_orWithAnUnknownQueue_namesTheProblem() {
        Main main = new Main(System.out, System.err, TestPaths.root());

        assertThatThrownBy(() -> main.run(new String[] {"redrive"}))
                .hasMessageContaining("--endpoint URL or --port N").hasMessageContaining("--region/--profile");
        assertThatThrownBy(() -> main.run(new String[] {"redrive", "NoSuchDLQ", "--port", "4566"}))
                .hasMessageContaining("QUEUE is 'NoSuchDLQ'").hasMessageContaining("ThumbnailDLQ");
    }

    private static Optional<String> peek(EmbeddedStack stack, String url) {
        String n = stack.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return "1".equals(n) ? Optional.of(n) : Optional.empty();
    }
}
