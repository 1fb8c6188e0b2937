package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.MessageContent;
import org.elasticmq.NeverReceived$;
import org.elasticmq.actor.queue.InternalMessage;
import org.elasticmq.actor.queue.OperationSuccessful$;
import org.elasticmq.actor.queue.QueueEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.mutable.ArrayBuffer;
import scala.collection.mutable.Buffer;

/**
 * The persistence actor of the embedded stack's queues, on a real H2 file: a store that fails
 * (as ElasticMQ 1.6.16's does when it reads a message its queue actor is changing) is tried again,
 * an event that cannot be stored is still answered, and the events after it are stored.
 * ElasticMQ's own actor, restarted by Pekko after such a failure, stored nothing more.
 */
class DurableQueuePersistenceTest {
    /** Well under ElasticMQ's 5 s ask: an answer, not a time-out. */
    private static final Duration ANSWER = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aStoreThatFailsOnce_isTriedAgain_andOneThatAlwaysFails_isAnswered_andTheNextEventsAreStored() throws Exception {
        try (PersistentQueues queues = PersistentQueues.open(dir)) {
            // the race: the receipts read while the queue actor appends one (fails once); stored on the next try.
            // "work" was never created: a repository is opened for it (as after a restart of the actor)
            assertThat(tell(queues, new QueueEvent.MessageAdded("work", message("a", "first body", 0, 1)))).isTrue();
            // never storable: answered all the same, and the actor goes on
            assertThat(tell(queues, new QueueEvent.MessageAdded("work", message("broken", "lost", 0, Integer.MAX_VALUE)))).isTrue();
            assertThat(tell(queues, new QueueEvent.MessageAdded("work", message("b", "second body", 0, 0)))).isTrue();
            assertThat(tell(queues, new QueueEvent.MessageRemoved("work", "b"))).isTrue();
            // an id the queue stores already (a message moved to a dead-letter queue again): its delivery
            // state stored over the old one (ElasticMQ never changes the body of an id)
            assertThat(tell(queues, new QueueEvent.MessageAdded("work", message("d", "fourth body", 0, 0)))).isTrue();
            assertThat(tell(queues, new QueueEvent.MessageAdded("work", message("d", "fourth body", 4, 0)))).isTrue();
            assertThat(tell(queues, new QueueEvent.MessageAdded("work", message("c", "third body", 0, 0)))).isTrue();
        }

        assertThat(stored("work")).containsExactlyInAnyOrderEntriesOf(Map.of("a", "first body, received 0 times",
                "c", "third body, received 0 times", "d", "fourth body, received 4 times"));
    }

    private static boolean tell(PersistentQueues queues, Object event) throws Exception {
        Object answer = Patterns.ask(queues.listener(), event, ANSWER).toCompletableFuture()
                .get(ANSWER.toMillis() + 500, TimeUnit.MILLISECONDS);
        return answer == OperationSuccessful$.MODULE$;
    }

    /** A message whose delivery receipts cannot be read the first {@code failures} times. */
    private static InternalMessage message(String id, String body, int receiveCount, int failures) {
        return new InternalMessage(id, failingReceipts(failures), System.currentTimeMillis(), new MessageContent(body),
                scala.collection.immutable.Map$.MODULE$.empty(), OffsetDateTime.now(), 0, NeverReceived$.MODULE$, receiveCount, false,
                Option.empty(), Option.empty(), Option.empty(), Option.empty(), Option.empty());
    }

    private Map<String, String> stored(String queue) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("queues"), "", "");
             Statement s = c.createStatement()) {
            String table;
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' "
                    + "AND TABLE_NAME LIKE 'MESSAGE\\_" + queue.toUpperCase() + "\\_%'")) {
                assertThat(rs.next()).as("a table for queue %s", queue).isTrue();
                table = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT MESSAGE_ID, CONTENT, RECEIVE_COUNT FROM \"" + table + "\"")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new String(rs.getBytes(2), StandardCharsets.UTF_8) + ", received " + rs.getInt(3) + " times");
                }
            }
        }
        return rows;
    }

    /**
     * Receipts that throw as ElasticMQ's do when read during an append ({@code requirement failed}), a
     * set number of times (a proxy: Java cannot extend Scala's ArrayBuffer).
     */
    @SuppressWarnings("unchecked")
    private static Buffer<String> failingReceipts(int failures) {
        ArrayBuffer<String> receipts = new ArrayBuffer<>();
        AtomicInteger failuresLeft = new AtomicInteger(failures);
        return (Buffer<String>) Proxy.newProxyInstance(Buffer.class.getClassLoader(), new Class<?>[] {Buffer.class}, (proxy, method, args) -> {
            if (method.getName().equals("toList") && method.getParameterCount() == 0
                    && failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                throw new IllegalArgumentException("requirement failed");
            }
            try {
                return method.invoke(receipts, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
