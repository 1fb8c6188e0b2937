package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.template.Template;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * A function whose runtime throws an Error (a class that fails to load, a native library missing)
 * fails that batch, which goes back to the queue, and the poller goes on with a new execution
 * environment, as Lambda does; before, the Error ended the poller's thread and the function
 * never consumed again.
 */
class EventSourcePollerErrorTest {
    @Test
    void anErrorInTheHandler_retriesTheBatchInANewEnvironment_andThePollerGoesOn() throws Exception {
        Template.FunctionDef def = new Template.FunctionDef("ErrorOnceFunction", "functions/none",
                ErrorOnceHandler.class.getName() + "::handleRequest", "java21", 30, 512, Map.of(), List.of(), List.of());
        List<String> settled = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger receives = new AtomicInteger();
        SqsClient sqs = new SqsClient() {
            @Override
            public ReceiveMessageResponse receiveMessage(Consumer<ReceiveMessageRequest.Builder> request) {
                int n = receives.incrementAndGet();
                if (n > 2) {
                    running.set(false);
                    return ReceiveMessageResponse.builder().messages(List.of()).build();
                }
                return ReceiveMessageResponse.builder().messages(Message.builder().messageId("m" + n).receiptHandle("r" + n)
                        .body("{}").attributes(Map.of()).build()).build();
            }

            @Override
            public ChangeMessageVisibilityResponse changeMessageVisibility(Consumer<ChangeMessageVisibilityRequest.Builder> request) {
                settled.add("retry " + ChangeMessageVisibilityRequest.builder().applyMutation(request).build().receiptHandle());
                return ChangeMessageVisibilityResponse.builder().build();
            }

            @Override
            public DeleteMessageResponse deleteMessage(Consumer<DeleteMessageRequest.Builder> request) {
                settled.add("delete " + DeleteMessageRequest.builder().applyMutation(request).build().receiptHandle());
                return DeleteMessageResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return "sqs";
            }

            @Override
            public void close() {
            }
        };
        EventSourcePoller poller = new EventSourcePoller("ErrorOnceFunction", sqs, "http://localhost/q", "arn:aws:sqs:us-east-1:0:q",
                "us-east-1", 1, true, () -> new FunctionHost(def, Map.of()), Duration.ofSeconds(1), running, new AtomicInteger());
        int before = ErrorOnceHandler.INSTANCES.get();

        Thread t = new Thread(poller);
        t.start();
        t.join(10_000);

        assertThat(t.isAlive()).as("the poller ended when the stack stopped, not before").isFalse();
        assertThat(settled).containsExactly("retry r1", "delete r2");
        assertThat(ErrorOnceHandler.INSTANCES.get() - before).as("a new execution environment after the Error").isEqualTo(2);
    }
}
