package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.SyntheticMedia;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Never lose an upload: {@code mediaflow up --data DIR} in a child JVM takes uploads over HTTP, is
 * killed with SIGKILL while they are being processed (and while more are arriving), and is started
 * again on the same folder. Every upload whose PUT the S3 server acknowledged must end in a final
 * state, READY or QUARANTINED, the way {@link Pipeline} decides it: a receipt for that upload's
 * ETag, and the item's manifest terminal (or the receipt itself QUARANTINED).
 */
class CrashRecoveryIT {
    static final int FILES = 12;
    /** Uploads acknowledged before the kill; the rest are cut off by it and sent again after the restart. */
    static final int KILL_AFTER = 6;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void sigkillDuringUploads_thenRestartOnTheSameFolder_everyAcknowledgedUploadEndsFinal() throws Exception {
        long t0 = System.nanoTime();
        Path data = tmp.resolve("data");
        Path log = Path.of("target", "crash-recovery-it.log").toAbsolutePath();
        Files.deleteIfExists(log);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            // distinct bytes, so distinct media items: no upload is a duplicate of another
            files.add(SyntheticMedia.jpeg(tmp.resolve("photo-" + i + ".jpg"), 64 + 8 * i, 48, i % 2 == 0 ? 0 : 6));
        }
        int port = ChildStack.freePortPair();
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // key -> ETag the server answered
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            keys.add("uploads/crash/" + i + "/photo " + i + ".jpg");
        }

        int queuedAtKill;
        int ackedAtKill;
        String ingest;
        String media;
        try (ChildStack first = ChildStack.start(log, Duration.ofSeconds(60), "--data", data.toString(), "--port",
                String.valueOf(port), "--workers", "2")) {
            assertValidUpLine(first.line);
            assertThat(first.line.at("/endpoints/s3").asText()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(first.line.at("/endpoints/sqs").asText()).isEqualTo("http://127.0.0.1:" + (port + 1));
            assertThat(first.line.at("/apiUrl").asText()).as("the upload API on N+2").isEqualTo("http://127.0.0.1:" + (port + 2));
            assertThat(first.line.at("/deliveryUrl").asText()).as("delivery on N+3").isEqualTo("http://127.0.0.1:" + (port + 3));
            ingest = first.line.at("/buckets/IngestBucket").asText();
            media = first.line.at("/buckets/MediaBucket").asText();
            String ingestQueue = first.line.at("/queues/IngestQueue").asText();
            try (S3Client s3 = AwsClients.s3(first.clientConfig()); SqsClient sqs = AwsClients.sqs(first.clientConfig())) {
                AtomicInteger acked = new AtomicInteger();
                Thread uploader = new Thread(() -> {
                    for (int i = 0; i < FILES; i++) {
                        String key = keys.get(i);
                        Path file = files.get(i);
                        try {
                            String etag = s3.putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"),
                                    RequestBody.fromFile(file)).eTag();
                            acknowledged.put(key, etag);
                            acked.incrementAndGet();
                            Thread.sleep(40); // a client's pace, so the kill falls among the uploads
                        } catch (InterruptedException e) {
                            return;
                        } catch (RuntimeException e) {
                            return; // the server died under this PUT: not acknowledged, the client sends it again later
                        }
                    }
                }, "uploader");
                uploader.start();
                while (acked.get() < KILL_AFTER) {
                    Thread.sleep(5);
                }
                // one request, so the kill comes at once: the ingest messages not yet done with
                var attributes = sqs.getQueueAttributes(b -> b.queueUrl(ingestQueue).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                queuedAtKill = Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
                ackedAtKill = acked.get();
                first.kill();
                uploader.join(30_000);
            }
        }
        System.err.printf("CrashRecoveryIT: killed with %d uploads acknowledged and %d ingest messages queued or in flight;"
                + " %d acknowledged in all, %.1f s in%n", ackedAtKill, queuedAtKill, acknowledged.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(ackedAtKill).isGreaterThanOrEqualTo(KILL_AFTER);
        assertThat(queuedAtKill).as("the kill came while work was under way: ingest messages not yet done with").isPositive();

        try (ChildStack second = ChildStack.start(log, Duration.ofSeconds(60), "--data", data.toString(), "--port",
                String.valueOf(port), "--workers", "2");
             S3Client s3 = AwsClients.s3(second.clientConfig())) {
            assertValidUpLine(second.line);
            // the client sends again what the crash cut off
            for (int i = 0; i < FILES; i++) {
                String key = keys.get(i);
                if (!acknowledged.containsKey(key)) {
                    Path file = files.get(i);
                    acknowledged.put(key, s3.putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"),
                            RequestBody.fromFile(file)).eTag());
                }
            }
            Map<String, String> outcome = new TreeMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (outcome.size() < FILES && System.nanoTime() < deadline) {
                for (var e : acknowledged.entrySet()) {
                    if (!outcome.containsKey(e.getKey())) {
                        finalState(s3, media, ingest, e.getKey(), e.getValue()).ifPresent(status -> outcome.put(e.getKey(), status));
                    }
                }
                Thread.sleep(200);
            }
            System.err.printf("CrashRecoveryIT: %d of %d final after the restart, %.1f s in%n", outcome.size(), FILES,
                    (System.nanoTime() - t0) / 1e9);
            assertThat(outcome).as("final state of every acknowledged upload; child log " + second.log)
                    .containsOnlyKeys(acknowledged.keySet());
            assertThat(outcome.values()).as("small valid JPEGs").containsOnly("READY");
        }
    }

    /** READY, QUARANTINED or FAILED once the upload with this ETag has a final receipt, as Pipeline decides it. */
    static Optional<String> finalState(S3Client s3, String mediaBucket, String ingestBucket, String key, String etag) {
        try {
            return Receipts.find(new ObjectStore(s3), mediaBucket, ingestBucket, key, etag)
                    .filter(Receipt::isFinal).map(r -> r.status().name());
        } catch (RuntimeException e) {
            return Optional.empty(); // the server is down (killed): nothing is known to be final
        }
    }

    static void assertValidUpLine(JsonNode line) throws Exception {
        JsonSchema schema;
        try (InputStream in = CrashRecoveryIT.class.getResourceAsStream("/mediaflow-up.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        assertThat(schema.validate(line)).as("schema violations of " + line).isEmpty();
    }
}
