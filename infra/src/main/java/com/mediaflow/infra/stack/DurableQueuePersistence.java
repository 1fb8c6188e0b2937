package com.mediaflow.infra.stack;

import org.elasticmq.actor.queue.OperationSuccessful$;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.CreateQueueMetadata;
import org.elasticmq.persistence.sql.MessageRepository;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.PartialFunction;
import scala.runtime.BoxedUnit;

/**
 * ElasticMQ's SQL persistence actor, made to outlive its own failures. Every send, receive and
 * delete reaches it as an event from a queue actor, which answers the SQS call only once this actor
 * has stored the change and replied. In ElasticMQ 1.6.16 an exception while storing one event
 * leaves that event unanswered (the SQS call then hangs until its client gives up) and, worse,
 * Pekko restarts the actor: the new instance has no repository for any queue, so it answers every
 * later event as stored and stores nothing. From then on the H2 file no longer follows the queues,
 * and the next {@code kill -9} loses every message sent since. One pass of `bench/run load` with
 * kills lost 45 uploads, their items stuck PROCESSING after the last restart, most likely that way
 * (bench/README.md, "bench/run load").
 *
 * <p>What fails in practice: {@code DBMessage.from} reading a message's delivery receipts while its
 * queue actor appends one (the message object is shared and mutable: {@code requirement failed}),
 * which a second read gets right; and a message added to a queue that stores one of that id already
 * (moved to a dead-letter queue again), which an update stores. So a message event is tried again,
 * an add that cannot be inserted is stored as an update, a queue with no repository (after a restart
 * of this actor) gets one, and an event that still fails is logged and answered: the queue goes on in
 * memory, and this actor never stops storing the next events. Nothing is rethrown, so Pekko has no
 * reason to restart it.
 */
final class DurableQueuePersistence extends SqlQueuePersistenceActor {
    private static final Logger LOG = LoggerFactory.getLogger(DurableQueuePersistence.class);
    /** Reads of a message being changed by its queue actor: the race lasts microseconds. */
    static final int ATTEMPTS = 3;

    DurableQueuePersistence(SqlQueuePersistenceConfig config, scala.collection.immutable.List<CreateQueueMetadata> baseQueues) {
        super(config, baseQueues);
    }

    @Override
    public void aroundReceive(PartialFunction<Object, BoxedUnit> receive, Object message) {
        String queue = queueOf(message);
        if (queue == null) {
            try {
                super.aroundReceive(receive, message);
            } catch (Exception e) { // Scala code throws JDBC's checked exceptions too
                LOG.error("ElasticMQ could not store {}; the queues go on in memory: {}", describe(message), e.toString(), e);
            }
            return;
        }
        if (!repositories().contains(queue)) {
            // this actor was restarted (or never told of the queue): without a repository ElasticMQ
            // would answer the event as stored, and store nothing
            try {
                repositories().put(queue, new MessageRepository(queue, org$elasticmq$persistence$sql$SqlQueuePersistenceActor$$db()));
                LOG.warn("ElasticMQ's store had no table open for queue {}; opened it again", queue);
            } catch (Exception e) {
                LOG.error("ElasticMQ's store has no table for queue {} and could not open one, so {} is not stored; the queue keeps "
                        + "it in memory", queue, describe(message), e);
                reply();
                return;
            }
        }
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                super.aroundReceive(receive, message);
                return;
            } catch (Exception e) { // Scala code throws JDBC's checked exceptions too (a duplicate id)
                last = e;
            }
        }
        if (message instanceof QueueEvent.MessageAdded added) {
            try {
                // an id this queue stores already: the message as it is now replaces it
                repositories().apply(queue).update(added.message());
                LOG.warn("ElasticMQ could not add message {} to queue {} ({}); stored it over the one of that id", added.message().id(),
                        queue, last.toString().lines().findFirst().orElse(""));
                reply();
                return;
            } catch (Exception e) {
                last.addSuppressed(e);
            }
        }
        LOG.error("ElasticMQ could not store {} after {} attempts; the queue keeps it in memory, and a crash before it is changed again "
                + "would lose that change", describe(message), ATTEMPTS, last);
        reply();
    }

    private void reply() {
        sender().tell(OperationSuccessful$.MODULE$, self());
    }

    private scala.collection.mutable.HashMap<String, MessageRepository> repositories() {
        return org$elasticmq$persistence$sql$SqlQueuePersistenceActor$$repos();
    }

    /** The queue a message event is for; null for any other event. */
    static String queueOf(Object event) {
        if (event instanceof QueueEvent.MessageAdded e) {
            return e.queueName();
        }
        if (event instanceof QueueEvent.MessageUpdated e) {
            return e.queueName();
        }
        if (event instanceof QueueEvent.MessageRemoved e) {
            return e.queueName();
        }
        return null;
    }

    private static String describe(Object event) {
        if (event instanceof QueueEvent.MessageAdded e) {
            return "the send of message " + e.message().id() + " to queue " + e.queueName();
        }
        if (event instanceof QueueEvent.MessageUpdated e) {
            return "a change of message " + e.message().id() + " (receive or visibility) in queue " + e.queueName();
        }
        if (event instanceof QueueEvent.MessageRemoved e) {
            return "the delete of message " + e.messageId() + " from queue " + e.queueName();
        }
        return event.getClass().getSimpleName();
    }
}
