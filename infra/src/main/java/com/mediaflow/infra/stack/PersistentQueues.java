package com.mediaflow.infra.stack;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

/**
 * ElasticMQ's own message persistence (elasticmq-persistence-sql) wired in-process: every queue,
 * and every message sent, received or deleted, is written to an H2 database in a folder before
 * ElasticMQ answers the SQS call. A restart on the same folder restores the queues and their
 * messages, so work that was queued when the process died is not lost.
 *
 * <p>Two things it adds to ElasticMQ's behaviour, both for a restart after a crash:
 * <ul>
 *   <li>The H2 database is opened with {@code WRITE_DELAY=0}: a commit reaches the file before the
 *       SQS call returns (H2's default is to flush up to 500 ms later, which a {@code kill -9} loses).</li>
 *   <li>Messages that were in flight (received, not yet deleted) become visible at once on restart:
 *       whoever received them died with the process, and waiting out the queue's VisibilityTimeout
 *       (minutes for some queues) would only stall the pipeline.</li>
 *   <li>The persistence actor goes on storing after a failure to store one event
 *       ({@link DurableQueuePersistence}); ElasticMQ's own stops storing anything, silently.</li>
 * </ul>
 *
 * <p>ElasticMQ keeps its database connection in a JVM-wide singleton, so one JVM can run one
 * persistent stack at a time; a second one while the first is open is refused.
 */
final class PersistentQueues implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentQueues.class);
    private static final AtomicBoolean IN_USE = new AtomicBoolean();
    private static final String USER = "";
    private static final String PASSWORD = "";

    private final ActorSystem system;
    private final ActorRef listener;
    private final ActorRef queueManager;
    private final String url;
    private final int woken;

    private PersistentQueues(Path dir) throws Exception {
        Files.createDirectories(dir);
        this.url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("queues") + ";WRITE_DELAY=0";
        this.woken = wakeInFlight(url);
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        ConnectionPoolSettings settings = pools.singleton$default$4();
        pools.singleton(url, USER, PASSWORD, settings, pools.singleton$default$5(url, USER, PASSWORD, settings));
        // the stack's own close stops this system; Pekko's JVM hook would only warn during a Ctrl-C
        this.system = ActorSystem.create("elasticmq", ConfigFactory
                .parseString("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off").withFallback(ConfigFactory.load()));
        SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, USER, PASSWORD, false);
        // ElasticMQ's own persistence actor, kept storing through its own failures (DurableQueuePersistence)
        this.listener = system.actorOf(Props.create(DurableQueuePersistence.class,
                () -> new DurableQueuePersistence(config, scala.collection.immutable.List$.MODULE$.empty())), "persistence");
        this.queueManager = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(), StrictSQSLimits$.MODULE$,
                scala.Option.apply(listener)), "queue-manager");
    }

    /** Opens (or creates) the queue database in {@code dir}; the queues are restored by {@link #restore()}. */
    static PersistentQueues open(Path dir) throws Exception {
        if (!IN_USE.compareAndSet(false, true)) {
            throw new IllegalStateException("expected one stack with a data folder per JVM at a time (ElasticMQ's "
                    + "persistence is a JVM-wide singleton), found another one still open; close it first");
        }
        try {
            return new PersistentQueues(dir);
        } catch (Exception | Error e) {
            IN_USE.set(false);
            throw e;
        }
    }

    /** The actor the queues tell each change, which stores it ({@link DurableQueuePersistence}). */
    ActorRef listener() {
        return listener;
    }

    /** The REST server built on this actor system, queue manager and listener. */
    TheSQSRestServerBuilder configure(TheSQSRestServerBuilder builder) {
        return builder.withActorSystem(system).withQueueManagerActor(queueManager).withQueueEventListener(listener);
    }

    /** Recreates the stored queues with their messages; returns how many in-flight messages were made visible. */
    int restore(Duration timeout) throws Exception {
        Object result = Patterns.ask(listener, new QueueEvent.Restore(queueManager), timeout)
                .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (result instanceof scala.util.Left<?, ?> left) {
            throw new IllegalStateException("ElasticMQ could not restore the queues stored in " + url + ": " + left.value());
        }
        return woken;
    }

    /**
     * Before ElasticMQ reads the database: every message received before the crash and not deleted
     * gets its next delivery set to now. Messages never received (a DelaySeconds still running) keep theirs.
     */
    private static int wakeInFlight(String url) throws SQLException {
        int n = 0;
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD)) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                         + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME LIKE 'MESSAGE\\_%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (PreparedStatement p = c.prepareStatement("UPDATE \"" + table + "\" SET NEXT_DELIVERY = ? "
                        + "WHERE NEXT_DELIVERY > ? AND RECEIVE_COUNT > 0")) {
                    p.setLong(1, now);
                    p.setLong(2, now);
                    n += p.executeUpdate();
                }
            }
        }
        if (n > 0) {
            LOG.info("{} message(s) in flight when the stack stopped are visible again", n);
        }
        return n;
    }

    @Override
    public void close() {
        try {
            system.terminate();
            scala.concurrent.Await.result(system.whenTerminated(), scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            LOG.warn("ElasticMQ's actor system did not stop cleanly: {}", e.toString());
        } finally {
            ConnectionPool$.MODULE$.closeAll();
            IN_USE.set(false);
        }
    }
}
