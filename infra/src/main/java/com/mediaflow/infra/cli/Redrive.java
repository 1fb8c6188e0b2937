package com.mediaflow.infra.cli;

import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.infra.template.Template;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code mediaflow redrive [QUEUE]}: moves the messages of the template's dead-letter queues back to
 * their source queues with SQS StartMessageMoveTask (ElasticMQ implements it too). QUEUE is a DLQ's
 * logical id; without it, every DLQ that holds messages. The embedded stack names its queues by
 * logical id; a deployed stack's queues are {@code <stack>-<LogicalId>-<suffix>}, found by prefix.
 */
final class Redrive {
    static final String HELP = """
            usage: mediaflow redrive [QUEUE] (--endpoint URL | --port N | --region REGION [--profile NAME] | --profile NAME) [--stack NAME]
            Moves dead-lettered messages back to the queue they came from (SQS StartMessageMoveTask), so that the
            items they are about are processed again: an item FAILED because of a step that is fixed now ends READY,
            with a second completion event. QUEUE is a dead-letter queue's logical id from template.yaml (e.g.
            ThumbnailDLQ); without it, every dead-letter queue that holds messages. Prints one line per queue moved.
              --endpoint URL       the embedded stack's SQS endpoint (the sqsEndpoint of 'up --json')
              --port N             the embedded stack started with 'up --port N' (SQS listens on N+1)
              --region REGION      a deployed stack, in this region (credentials: the default chain, or --profile)
              --profile NAME       a deployed stack, with this AWS profile's credentials (and region, unless --region)
              --stack NAME         the deployed stack's name (default mediaflow); its queues are NAME-<LogicalId>-...
            """;

    private final Main main;

    Redrive(Main main) {
        this.main = main;
    }

    int run(List<String> args) throws java.io.IOException {
        String queue = null;
        String endpoint = null;
        String region = null;
        String profile = null;
        String stack = EmbeddedStack.STACK_NAME;
        Integer port = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--endpoint" -> endpoint = Main.value("redrive", args, ++i, "--endpoint", "the SQS endpoint URL");
                case "--port" -> port = (int) Main.wholeNumber("redrive", Main.value("redrive", args, ++i, "--port", "a port number"),
                        "--port", 1, 65534, "the port given to 'up --port' (1 to 65534)");
                case "--region" -> region = Main.value("redrive", args, ++i, "--region", "an AWS region");
                case "--profile" -> profile = Main.value("redrive", args, ++i, "--profile", "an AWS profile name");
                case "--stack" -> stack = Main.value("redrive", args, ++i, "--stack", "a stack name");
                default -> {
                    if (a.startsWith("-")) {
                        throw new Main.UsageException("redrive", "unknown option " + a + " for redrive; expected --endpoint, --port,"
                                + " --region, --profile, --stack (mediaflow redrive --help)");
                    }
                    if (queue != null) {
                        throw new Main.UsageException("redrive", "redrive takes one QUEUE, found '" + queue + "' and '" + a + "'");
                    }
                    queue = a;
                }
            }
        }
        boolean local = endpoint != null || port != null;
        boolean aws = region != null || profile != null;
        if (local == aws || (endpoint != null && port != null)) {
            throw new Main.UsageException("redrive", "expected where to redrive: --endpoint URL or --port N (the embedded stack),"
                    + " or --region/--profile (AWS); found " + (local || aws ? "more than one" : "none"));
        }
        List<String> dlqs = deadLetterQueues(Template.load(main.template()));
        if (queue != null && !dlqs.contains(queue)) {
            throw new Main.UsageException("redrive", "QUEUE is '" + queue + "', expected a dead-letter queue of template.yaml: " + dlqs);
        }
        String sqsEndpoint = endpoint != null ? endpoint : port != null ? "http://127.0.0.1:" + (port + 1) : null;
        try (SqsClient sqs = client(sqsEndpoint, region, profile)) {
            int moved = 0;
            for (String dlq : queue == null ? dlqs : List.of(queue)) {
                String url = find(sqs, local ? dlq : stack + "-" + dlq + "-", dlq, local);
                if (url == null) {
                    main.err().println("mediaflow redrive: no queue for " + dlq + (local ? "" : " in stack " + stack) + "; skipped");
                    continue;
                }
                Map<QueueAttributeName, String> attrs = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.QUEUE_ARN, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
                long n = Long.parseLong(attrs.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
                if (n == 0 && queue == null) {
                    continue;
                }
                String task = sqs.startMessageMoveTask(b -> b.sourceArn(attrs.get(QueueAttributeName.QUEUE_ARN))).taskHandle();
                main.out().println(dlq + ": moving " + n + " message(s) back to its source queue (task " + task + ")");
                moved++;
            }
            if (moved == 0) {
                main.out().println("no dead-lettered messages" + (queue == null ? "" : " in " + queue));
            }
        }
        return 0;
    }

    /** The template's dead-letter queues: the targets of its RedrivePolicies, sorted. */
    static List<String> deadLetterQueues(Template template) {
        TreeSet<String> out = new TreeSet<>();
        for (Template.QueueDef q : template.queues()) {
            if (q.properties().get("RedrivePolicy") instanceof Map<?, ?> r && r.get("deadLetterTargetArn") instanceof Map<?, ?> t
                    && t.get("Fn::GetAtt") instanceof List<?> att) {
                out.add(String.valueOf(att.get(0)));
            }
        }
        return new ArrayList<>(out);
    }

    private static String find(SqsClient sqs, String prefix, String logicalId, boolean local) {
        for (String url : sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls()) {
            String name = url.substring(url.lastIndexOf('/') + 1);
            if (local ? name.equals(logicalId) : name.startsWith(prefix)) {
                return url;
            }
        }
        return null;
    }

    private static SqsClient client(String endpoint, String region, String profile) {
        SqsClientBuilder b = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (endpoint != null) {
            return b.endpointOverride(URI.create(endpoint)).region(Region.of(EmbeddedStack.REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY))).build();
        }
        if (region != null) {
            b.region(Region.of(region));
        } else {
            b.region(new software.amazon.awssdk.regions.providers.AwsProfileRegionProvider(
                    software.amazon.awssdk.profiles.ProfileFile::defaultProfileFile, profile).getRegion());
        }
        b.credentialsProvider(profile != null ? ProfileCredentialsProvider.create(profile) : DefaultCredentialsProvider.builder().build());
        return b.build();
    }
}
