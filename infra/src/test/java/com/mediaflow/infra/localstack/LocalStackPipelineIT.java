package com.mediaflow.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.mediaflow.infra.stack.FunctionHost;
import com.mediaflow.infra.stack.SqsEvents;
import com.mediaflow.infra.template.Resolver;
import com.mediaflow.infra.template.Template;
import com.mediaflow.infra.template.Template.FunctionDef;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The LocalStack tier: the same end-to-end check as the embedded stack's, against real S3 and SQS
 * APIs in LocalStack. The template's buckets and queues are created there, the ingest bucket's
 * notification is configured through the S3 API (LocalStack delivers S3 to SQS natively), and the
 * real handler classes run in this JVM, fed from their queues the way Lambda's event source
 * mapping feeds them.
 *
 * <p>Needs Docker. Without it JUnit reports the class as skipped, so this tier is unverified on
 * machines without a Docker engine (this one, and CI today).
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackPipelineIT {
    private static final String STACK_NAME = "mediaflow";
    private static final String ACCOUNT = "000000000000";
    private static final Duration PIPELINE_TIMEOUT = Duration.ofMinutes(3);

    /** A pinned community image; override with -Dlocalstack.image=... */
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse(System.getProperty("localstack.image", "localstack/localstack:4.4")))
            .withServices(Service.S3, Service.SQS);

    @TempDir
    static Path work;

    private static Template template;
    private static S3Client s3;
    private static SqsClient sqs;
    private static final Map<String, String> parameters = new LinkedHashMap<>();
    private static final Map<String, String> bucketNames = new LinkedHashMap<>();
    private static final Map<String, String> queueUrls = new LinkedHashMap<>();
    private static final Map<String, String> queueArns = new LinkedHashMap<>();
    private static Resolver resolver;

    @BeforeAll
    static void createTheTemplatesResources() throws Exception {
        String root = System.getProperty("mediaflow.root");
        assertThat(root).as("system property mediaflow.root (the project root; failsafe sets it)").isNotBlank();
        template = Template.load(Path.of(root, "template.yaml"));
        parameters.putAll(template.parameterDefaults());
        Config client = Config.of(endpointEnvironment());
        s3 = AwsClients.s3(client);
        sqs = AwsClients.sqs(client);
        resolver = new Resolver(LocalStackPipelineIT::ref, LocalStackPipelineIT::attribute);

        for (Template.QueueDef q : template.queues()) {
            Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
            Optional.ofNullable(q.properties().get("VisibilityTimeout"))
                    .ifPresent(v -> attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(v)));
            Optional.ofNullable(q.properties().get("MessageRetentionPeriod"))
                    .ifPresent(v -> attrs.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(v)));
            String url = sqs.createQueue(r -> r.queueName(q.logicalId()).attributes(attrs)).queueUrl();
            queueUrls.put(q.logicalId(), url);
            queueArns.put(q.logicalId(), sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN));
        }
        for (Template.QueueDef q : template.queues()) {
            Object redrive = q.properties().get("RedrivePolicy");
            if (redrive != null) {
                String json = Json.write(resolver.resolve(redrive, q.logicalId() + ".RedrivePolicy"));
                sqs.setQueueAttributes(r -> r.queueUrl(queueUrls.get(q.logicalId())).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, json)));
            }
        }
        for (Template.Bucket b : template.buckets()) {
            String name = resolver.resolveString(b.bucketName(), b.logicalId() + ".BucketName");
            bucketNames.put(b.logicalId(), name);
            s3.createBucket(r -> r.bucket(name));
        }
        for (Template.Bucket b : template.buckets()) {
            if (b.queueNotifications().isEmpty()) {
                continue;
            }
            List<QueueConfiguration> configs = new ArrayList<>();
            for (Map<String, Object> qc : b.queueNotifications()) {
                configs.add(QueueConfiguration.builder()
                        .queueArn(resolver.resolveString(qc.get("Queue"), b.logicalId() + ".QueueConfigurations.Queue"))
                        .events(Event.fromValue(resolver.resolveString(qc.get("Event"), b.logicalId() + ".QueueConfigurations.Event")))
                        .build());
            }
            s3.putBucketNotificationConfiguration(r -> r.bucket(bucketNames.get(b.logicalId()))
                    .notificationConfiguration(n -> n.queueConfigurations(configs)));
        }
    }

    @AfterAll
    static void closeClients() {
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    @Test
    void jpegUpload_throughLocalStack_getsReceiptAndReadyManifestWithThumbnail() throws Exception {
        // given: every function of the template, as a warm execution environment with its resolved environment
        List<Poller> pollers = new ArrayList<>();
        for (FunctionDef f : template.functions()) {
            FunctionHost host = new FunctionHost(f, environmentOf(f));
            for (Template.EventSource source : f.events()) {
                String arn = resolver.resolveString(source.queue(), f.logicalId() + ".Events." + source.name() + ".Queue");
                pollers.add(new Poller(host, queueUrlOf(arn), arn, source.batchSize()));
            }
        }
        String ingest = bucketNames.get("IngestBucket");
        String media = bucketNames.get("MediaBucket");
        ObjectStore store = new ObjectStore(s3);
        Path jpeg = SyntheticMedia.jpeg(work.resolve("photo.jpg"), 640, 480, 1);
        String key = "uploads/localstack/photo.jpg";

        // when: a client uploads, and S3 notifies the ingest queue
        s3.putObject(b -> b.bucket(ingest).key(key).contentType("image/jpeg"), RequestBody.fromFile(jpeg));
        Manifest manifest = null;
        Receipt receipt = null;
        long deadline = System.nanoTime() + PIPELINE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && (manifest == null || !manifest.terminal())) {
            pollers.forEach(Poller::pollOnce);
            receipt = Receipts.of(store, media, ingest, key).stream().findFirst().orElse(null);
            if (receipt != null && receipt.mediaId() != null) {
                manifest = store.getJson(media, Keys.manifest(receipt.mediaId()), Manifest.class).orElse(null);
            }
        }

        // then
        assertThat(receipt).as("receipt under s3://%s/%s", media, Keys.receiptPrefix(ingest, key)).isNotNull();
        assertThat(receipt.status()).as("receipt status, reasons %s", receipt.reasons()).isNotEqualTo(MediaStatus.QUARANTINED);
        assertThat(receipt.detectedType()).isEqualTo(MediaFormat.JPEG);
        assertThat(manifest).as("manifest of %s", receipt.mediaId()).isNotNull();
        assertThat(manifest.status()).as("manifest status within %s, steps %s", PIPELINE_TIMEOUT, manifest.steps())
                .isEqualTo(MediaStatus.READY);
        List<Output> thumbnails = manifest.outputs().stream().filter(o -> o.kind().equals("thumbnail")).toList();
        assertThat(thumbnails).as("thumbnail outputs in %s", manifest.outputs()).isNotEmpty();
        for (Output t : thumbnails) {
            assertThat(store.exists(media, t.key())).as("thumbnail s3://%s/%s", media, t.key()).isTrue();
        }
    }

    /** Lambda's SQS event source mapping, one receive at a time: deliver a batch, delete what succeeded. */
    private record Poller(FunctionHost host, String queueUrl, String queueArn, int batchSize) {
        void pollOnce() {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, batchSize))
                    .waitTimeSeconds(1).visibilityTimeout(5).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (messages.isEmpty()) {
                return;
            }
            Set<String> failed = new HashSet<>();
            Object response = host.invoke(SqsEvents.fromMessages(messages, queueArn, LOCALSTACK.getRegion()));
            if (response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null) {
                r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
            for (Message m : messages) {
                if (!failed.contains(m.messageId())) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    // ------------------------------------------------------------------ template values, LocalStack side

    private static Map<String, String> endpointEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Config.AWS_REGION, LOCALSTACK.getRegion());
        env.put(Config.AWS_ENDPOINT_URL_S3, LOCALSTACK.getEndpoint().toString());
        env.put(Config.AWS_ENDPOINT_URL_SQS, LOCALSTACK.getEndpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", LOCALSTACK.getAccessKey());
        env.put("AWS_SECRET_ACCESS_KEY", LOCALSTACK.getSecretKey());
        return env;
    }

    private static Map<String, String> environmentOf(FunctionDef f) {
        Map<String, String> env = new LinkedHashMap<>();
        f.environment().forEach((k, v) -> env.put(k, resolver.resolveString(v, f.logicalId() + ".Environment." + k)));
        env.remove("JAVA_TOOL_OPTIONS"); // a JVM flag for Lambda; this JVM is already running
        env.putAll(endpointEnvironment());
        env.put(Config.WORK_DIR, work.resolve(f.logicalId()).toString());
        return env;
    }

    private static String queueUrlOf(String arn) {
        return queueArns.entrySet().stream().filter(e -> e.getValue().equals(arn)).map(e -> queueUrls.get(e.getKey()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no queue with ARN " + arn + " among " + queueArns));
    }

    private static String ref(String name) {
        return switch (name) {
            case "AWS::StackName" -> STACK_NAME;
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::Region" -> LOCALSTACK.getRegion();
            case "AWS::Partition" -> "aws";
            default -> parameters.containsKey(name) ? parameters.get(name)
                    : bucketNames.containsKey(name) ? bucketNames.get(name) : queueUrls.get(name);
        };
    }

    private static String attribute(String name) {
        String[] parts = name.split("\\.", 2);
        if (!queueUrls.containsKey(parts[0])) {
            return null;
        }
        return switch (parts[1]) {
            case "Arn" -> queueArns.get(parts[0]);
            case "QueueName" -> parts[0];
            case "QueueUrl" -> queueUrls.get(parts[0]);
            default -> null;
        };
    }
}
