package com.mediaflow.infra.stack;

import com.mediaflow.infra.packaging.LambdaPackager;
import com.mediaflow.infra.template.Conditions;
import com.mediaflow.infra.template.Resolver;
import com.mediaflow.infra.template.Template;
import com.mediaflow.infra.template.Template.FunctionDef;
import com.mediaflow.shared.aws.AwsClients;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.Setting;
import com.mediaflow.shared.metrics.StepMetrics;
import com.mediaflow.shared.model.Json;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * The embedded local stack: ElasticMQ (SQS) and S3Proxy (S3) in this JVM, built from
 * template.yaml. It creates the template's buckets and queues with their redrive policies, emits
 * S3 event notifications for the buckets that declare them, and runs each function's real handler
 * from its SQS event sources, with its template environment resolved to local values.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    public static final String ACCESS_KEY = "mediaflow-local";
    public static final String SECRET_KEY = "mediaflow-local-secret";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";
    public static final String STACK_NAME = "mediaflow";

    /**
     * @param dataDir where S3 keeps objects ({@code DIR/s3}) and SQS its queues and messages
     *     ({@code DIR/sqs}), so that a restart on the same folder goes on where it stopped; null keeps both in memory
     * @param runFunctions start the event source pollers (false: only buckets and queues)
     * @param workers concurrent executions per event source
     * @param timeScale how much of a queue's VisibilityTimeout a failed record waits before it is received
     *     again, from 1 (as on AWS) down to {@link #MIN_TIME_SCALE}; see {@link #TIME_SCALE_VARIABLE}
     * @param parameters template parameter overrides
     * @param environment extra environment for every function (wins over the template)
     * @param port 0 for ports the system picks; otherwise S3 listens on {@code port} and SQS on {@code port + 1}
     */
    public record Options(Path template, Path dataDir, boolean runFunctions, int workers, double timeScale,
                          Map<String, String> parameters, Map<String, String> environment, int port, Duration sweepInterval) {
        public static Options defaults(Path template) {
            return new Options(template, null, true, 1, timeScaleFrom(System.getenv(TIME_SCALE_VARIABLE), 1.0), Map.of(),
                    Map.of(), 0, sweepIntervalFrom(System.getenv(SWEEP_SECONDS_VARIABLE)));
        }

        public Options withFunctions(boolean run) {
            return new Options(template, dataDir, run, workers, timeScale, parameters, environment, port, sweepInterval);
        }

        public Options withWorkers(int n) {
            return new Options(template, dataDir, runFunctions, n, timeScale, parameters, environment, port, sweepInterval);
        }

        public Options withDataDir(Path dir) {
            return new Options(template, dir, runFunctions, workers, timeScale, parameters, environment, port, sweepInterval);
        }

        public Options withParameters(Map<String, String> p) {
            return new Options(template, dataDir, runFunctions, workers, timeScale, p, environment, port, sweepInterval);
        }

        public Options withEnvironment(Map<String, String> e) {
            return new Options(template, dataDir, runFunctions, workers, timeScale, parameters, e, port, sweepInterval);
        }

        public Options withPort(int basePort) {
            return new Options(template, dataDir, runFunctions, workers, timeScale, parameters, environment, basePort,
                    sweepInterval);
        }

        /** @param scale see {@link Options#timeScale()}; checked by {@link #timeScaleFrom} */
        public Options withTimeScale(double scale) {
            checkTimeScale(scale, "the time scale");
            return new Options(template, dataDir, runFunctions, workers, scale, parameters, environment, port, sweepInterval);
        }

        /** How often the functions with a Schedule event (the sweeper) run; {@link Duration#ZERO} never. */
        public Options withSweepInterval(Duration interval) {
            return new Options(template, dataDir, runFunctions, workers, timeScale, parameters, environment, port, interval);
        }
    }

    /** The environment variable that sets {@link Options#sweepInterval()} of {@link Options#defaults}, in seconds (0: off). */
    public static final String SWEEP_SECONDS_VARIABLE = "MEDIAFLOW_SWEEP_SECONDS";
    /** The embedded stack's sweep interval when {@value #SWEEP_SECONDS_VARIABLE} is not set. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(60);

    /**
     * The sweeper's limits on the embedded stack, shorter than the template's (which are for AWS):
     * a local run is minutes, not hours. Set over the template's values of the functions that read
     * them; {@link Options#environment()} (the CLI's {@code --env}) wins over both.
     */
    public static final Map<String, String> LOCAL_SWEEP_SETTINGS = Map.of(Config.SWEEP_STUCK_AFTER_SECONDS, "600",
            Config.SWEEP_UPLOAD_GRACE_SECONDS, "60");

    /**
     * @param seconds {@value #SWEEP_SECONDS_VARIABLE}'s value; null or blank for the default
     * @throws IllegalArgumentException naming the variable when it is not a whole number of seconds from 0 to 86400
     */
    public static Duration sweepIntervalFrom(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_SWEEP_INTERVAL;
        }
        try {
            long s = Long.parseLong(seconds.trim());
            if (s >= 0 && s <= 86_400) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(SWEEP_SECONDS_VARIABLE + " is '" + seconds
                + "', expected a whole number of seconds from 0 (no sweeps) to 86400");
    }

    /**
     * The environment variable that sets {@link Options#timeScale()}: a decimal from
     * {@value #MIN_TIME_SCALE} to 1. Lambda leaves a failed record invisible for the rest of its
     * queue's VisibilityTimeout (6x the function's timeout: 12 minutes for validate); at 0.01 the
     * embedded stack waits 7.2 s instead. {@code up} defaults to 1, {@code process} and {@code demo}
     * to {@link #SHORT_TIME_SCALE}, and the tests set 0.002.
     */
    public static final String TIME_SCALE_VARIABLE = "MEDIAFLOW_TIME_SCALE";
    public static final double MIN_TIME_SCALE = 0.001;
    /** The time scale of {@code process} and {@code demo} unless {@value #TIME_SCALE_VARIABLE} or {@code --time-scale} says otherwise. */
    public static final double SHORT_TIME_SCALE = 0.01;

    /**
     * @param value a time scale as text; null or blank for {@code fallback}
     * @throws IllegalArgumentException naming {@value #TIME_SCALE_VARIABLE} when it is not a decimal from
     *     {@value #MIN_TIME_SCALE} to 1
     */
    public static double timeScaleFrom(String value, double fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        double scale;
        try {
            scale = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            scale = Double.NaN;
        }
        checkTimeScale(scale, TIME_SCALE_VARIABLE + " '" + value + "'");
        return scale;
    }

    private static void checkTimeScale(double scale, String what) {
        if (!(scale >= MIN_TIME_SCALE && scale <= 1)) {
            throw new IllegalArgumentException(what + " is " + (Double.isNaN(scale) ? "not a number" : String.valueOf(scale))
                    + ", expected a decimal from " + MIN_TIME_SCALE + " to 1 (the share of a queue's VisibilityTimeout a"
                    + " failed record waits; 1 as on AWS)");
        }
    }

    /**
     * The listeners, in the order they take ports from {@link Options#port()}: S3 on N, SQS on N + 1,
     * the upload API on N + 2, delivery (renditions and renders, {@link DeliveryServer}) on N + 3.
     */
    public static final List<String> LISTENERS = List.of("S3", "SQS", "API", "DELIVERY");

    static {
        // The JDK's HttpServer (the API and delivery listeners) writes a response's headers and body
        // in separate writes; with Nagle's algorithm on, a client's delayed ACK then holds the body
        // back about 40 ms on every response (a render served from memory took 46 ms, not 1).
        // Read once, when the first HttpServer of the JVM starts, hence here, before ours are made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A fixed port that cannot be used: out of range, or taken by another process. */
    public static final class PortUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int port;

        PortUnavailableException(int port, String message, Throwable cause) {
            super(message, cause);
            this.port = port;
        }

        /** The port asked for, e.g. by {@code --port}. */
        public int port() {
            return port;
        }
    }

    private final Options options;
    private final Template template;
    private final Conditions conditions;
    private SQSRestServer sqsServer;
    private S3Proxy s3Proxy;
    private URI sqsEndpoint;
    private URI s3Endpoint;
    private SqsClient sqs;
    private S3Client s3;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, String> bucketNames = new LinkedHashMap<>();
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private final Map<String, String> queueArns = new LinkedHashMap<>();
    private final List<String> deadLetterQueues = new ArrayList<>();
    private final Map<String, FunctionDef> functions = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Thread> pollers = new ArrayList<>();
    private java.util.concurrent.ScheduledExecutorService scheduler;
    private final Path workDir;
    private final PersistentQueues persistentQueues;
    private int restoredMessages;
    private final MetricLines metricLines = new MetricLines();
    /** When each object was written, to the millisecond (S3Proxy's own times are whole seconds). */
    private WriteLog writeLog;
    /** The last scheduled runs, what each answered or threw: what a test that waited in vain shows. */
    private final java.util.Deque<String> scheduledRuns = new java.util.ArrayDeque<>();
    /** The template's HTTP API (the upload API) on 127.0.0.1. */
    private UploadApiServer api;
    /** CloudFront's part: renditions and on-demand renders on 127.0.0.1. */
    private DeliveryServer delivery;
    /** What signs render paths here (the template's RenderSecret on AWS). */
    private final String renderSecret;

    private EmbeddedStack(Options options) throws Exception {
        this.options = options;
        this.template = Template.load(options.template());
        this.renderSecret = LocalRenderSecret.of(options.dataDir());
        parameters.putAll(template.parameterDefaults());
        parameters.putAll(shadowParameters(options));
        parameters.putAll(options.parameters());
        this.conditions = new Conditions(template.conditionDefinitions(), this::ref);

        long t0 = System.nanoTime();
        int s3Port = 0;
        int sqsPort = 0;
        if (options.port() != 0) {
            checkPorts(options.port());
            s3Port = options.port();
            sqsPort = options.port() + 1;
        }
        this.persistentQueues = options.dataDir() == null ? null : PersistentQueues.open(options.dataDir().resolve("sqs"));
        try {
            this.workDir = ScratchFolders.create(options.dataDir()); // after the queues' store: a second stack on the folder stops there
        } catch (java.io.IOException | RuntimeException e) {
            closeQuietly(); // the queues' store: this JVM may start another stack
            throw e;
        }
        try {
            var builder = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort)
                    .withAWSAccountId(ACCOUNT).withAWSRegion(REGION);
            this.sqsServer = (persistentQueues == null ? builder : persistentQueues.configure(builder)).start();
            try {
                sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
            } catch (Exception e) {
                throw bindFailure(sqsPort, "SQS", e);
            }
            this.sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);
            this.sqs = AwsClients.sqs(clientConfig());
            if (persistentQueues != null) {
                int woken = persistentQueues.restore(Duration.ofSeconds(60));
                LOG.info("queues restored from {}; {} message(s) that were in flight are visible again",
                        options.dataDir().resolve("sqs"), woken);
            }

            BlobStore blobs;
            if (options.dataDir() != null) {
                Path s3Dir = Files.createDirectories(options.dataDir().resolve("s3"));
                blobs = new SafeKeyBlobStore(new InFlightWritesHidden(new FilesystemNio2BlobStore(s3Dir.toString())), s3Dir);
            } else {
                blobs = new InFlightWritesHidden(new TransientNio2BlobStore());
            }
            // UploadPart and ListParts of an upload no longer open answer 404 NoSuchUpload, as S3's do
            this.writeLog = new WriteLog(new OpenUploadsOnly(blobs));
            NotifyingBlobStore notifying = new NotifyingBlobStore(writeLog,
                    new S3EventFactory(REGION, ACCESS_KEY), (url, body) -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)));
            // Buckets, queues and notifications before the S3 endpoint opens: on a restart over a data
            // folder the buckets exist already, and a PUT let in before its bucket's notifications were
            // configured would be stored and acknowledged with no event, an upload lost for good.
            Resolver resolver = resolver();
            createBuckets(resolver, blobs);
            if (options.dataDir() != null) {
                CrashLeftovers.remove(options.dataDir().resolve("s3"), ownBuckets());
            }
            createQueues(resolver);
            if (persistentQueues != null) {
                restoredMessages = countMessages();
            }
            configureNotifications(resolver, notifying);
            // CORS for pages served from this machine (the console at consoleUrl): a browser's POST of a
            // presigned upload goes to S3's origin, not the page's
            this.s3Proxy = S3Proxy.builder().blobStore(notifying).endpoint(URI.create("http://127.0.0.1:" + s3Port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .corsRules(new org.gaul.s3proxy.CrossOriginResourceSharing(
                            List.of("http://127\\.0\\.0\\.1:[0-9]+", "http://localhost:[0-9]+"),
                            List.of("GET", "HEAD", "POST", "PUT"), List.of("*"), List.of("ETag"), "false"))
                    .build();
            // a PUT S3Proxy answers unread (a failed If-Match, a closed upload) would otherwise close
            // the connection under a client still sending the body: "Error writing request body"
            UnreadBodyDrain.install(s3Proxy);
            try {
                s3Proxy.start();
            } catch (Exception e) {
                throw bindFailure(s3Port, "S3", e);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"STARTED".equals(s3Proxy.getState())) {
                if ("FAILED".equals(s3Proxy.getState())) {
                    throw bindFailure(s3Port, "S3", null);
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 30 s; state " + s3Proxy.getState());
                }
                Thread.sleep(10);
            }
            this.s3Endpoint = URI.create("http://127.0.0.1:" + s3Proxy.getPort());
            startRest(resolver, t0);
        } catch (Exception | Error e) {
            closeQuietly();
            throw e;
        }
    }

    private void startRest(Resolver resolver, long t0) throws Exception {
        this.s3 = AwsClients.s3(clientConfig());
        int deliveryPort = options.port() == 0 ? 0 : options.port() + 3;
        try {
            this.delivery = DeliveryServer.bind(deliveryPort, s3, bucketNames.get("MediaBucket"), () -> host("RenderFunction"));
        } catch (IOException e) {
            throw bindFailure(deliveryPort, "DELIVERY", e);
        }
        for (FunctionDef f : template.functions()) {
            functions.put(f.logicalId(), f);
            environments.put(f.logicalId(), environmentOf(f, resolver));
        }
        int apiPort = options.port() == 0 ? 0 : options.port() + 2;
        try {
            this.api = UploadApiServer.start(template, this::host, apiPort);
        } catch (IOException e) {
            throw bindFailure(apiPort, "API", e);
        }
        delivery.start();
        LOG.info("embedded stack up in {} ms: S3 {} SQS {} API {} delivery {}", (System.nanoTime() - t0) / 1_000_000, s3Endpoint,
                sqsEndpoint, api.url(), delivery.url());
        if (options.runFunctions()) {
            // the functions' metric lines, which Lambda would send to CloudWatch Logs: kept here, off the CLI's stdout
            StepMetrics.sink(metricLines);
            // the codecs' natives, loaded here in one thread: functions cold-starting side by side in
            // this one JVM (and a test making media meanwhile) could otherwise deadlock in JavaCPP's loader
            LOG.info("natives loaded in {} ms", com.mediaflow.shared.codec.Natives.load());
            startPollers();
            startSchedules();
        }
    }

    /** The version the shadow event sources invoke on the embedded stack, which has one version of each function: its code. */
    public static final String LOCAL_SHADOW_VERSION = "0";

    /**
     * Shadow mode from the environment alone ({@code mediaflow up --env SHADOW_FRACTION=1}): a
     * fraction above 0 with no shadow version given sets {@code ThumbnailShadowVersion} and
     * {@code MetadataShadowVersion} to
     * {@value #LOCAL_SHADOW_VERSION}, so the shadow queues and their event sources exist; locally the
     * "version under test" is the same code. Parameters given explicitly win.
     */
    static Map<String, String> shadowParameters(Options options) {
        String fraction = options.environment().get(Config.SHADOW_FRACTION);
        if (fraction == null || options.parameters().containsKey("ThumbnailShadowVersion")
                || options.parameters().containsKey("MetadataShadowVersion")) {
            return Map.of();
        }
        double f = Config.of(Map.of(Config.SHADOW_FRACTION, fraction)).shadowFraction();
        return f > 0 ? Map.of("ThumbnailShadowVersion", LOCAL_SHADOW_VERSION, "MetadataShadowVersion", LOCAL_SHADOW_VERSION,
                "ShadowFraction", fraction) : Map.of();
    }

    public static EmbeddedStack start(Options options) throws Exception {
        return new EmbeddedStack(options);
    }

    /** The metric lines (CloudWatch EMF) the functions of this stack wrote, the last {@value MetricLines#KEEP}. */
    public MetricLines metrics() {
        return metricLines;
    }

    /** The objects written through this stack's S3 endpoint, each with the store's write time to the millisecond. */
    public WriteLog writes() {
        return writeLog;
    }

    // ------------------------------------------------------------------ resources

    /** The stack's own buckets: those that announce no upload (the ingest bucket does; its keys are the clients'). */
    private List<String> ownBuckets() {
        List<String> own = new ArrayList<>();
        for (Template.Bucket b : template.buckets()) {
            if (b.queueNotifications() == null || b.queueNotifications().isEmpty()) {
                own.add(bucketNames.get(b.logicalId()));
            }
        }
        return own;
    }

    /** In the store itself, before the S3 endpoint is open; a bucket that is there already (a restart) is kept. */
    private void createBuckets(Resolver resolver, BlobStore blobs) {
        for (Template.Bucket b : template.buckets()) {
            String name = resolver.resolveString(b.bucketName(), b.logicalId() + ".BucketName");
            bucketNames.put(b.logicalId(), name);
            if (blobs.containerExists(name)) {
                LOG.debug("bucket {} is already there (a restart on the same data folder)", name);
            } else {
                blobs.createContainer(name);
            }
        }
    }

    /**
     * Creates the template's queues, each with its RedrivePolicy in the CreateQueue call itself: a
     * dead-letter queue first, then the queues that name it. Not CreateQueue then SetQueueAttributes:
     * ElasticMQ (1.6.16) keeps a queue's settings twice, in the queue's actor and in its queue
     * manager's map, and SetQueueAttributes updates only the actor's copy. StartMessageMoveTask
     * without a DestinationArn finds the DLQ's source queue in the manager's map
     * ({@code QueueManagerMessageMoveOps.findDeadLetterQueueSource}: {@code queues.filter(...).head}),
     * so with a policy set afterwards it finds none, the lookup fails with no reply, and the call
     * times out with a 503. (Queues restored from a data folder are created with their policy, which
     * is why a restarted persistent stack could move messages while a fresh one could not.)
     */
    private void createQueues(Resolver resolver) {
        List<Template.QueueDef> pending = new ArrayList<>(template.queues().stream().filter(q -> included(q.logicalId())).toList());
        RuntimeException unresolved = null;
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Template.QueueDef q = it.next();
                Object redrive = q.properties().get("RedrivePolicy");
                Map<?, ?> policy = null;
                if (redrive != null) {
                    Object resolved;
                    try {
                        resolved = resolver.resolve(redrive, q.logicalId() + ".RedrivePolicy");
                    } catch (IllegalArgumentException e) {
                        unresolved = e; // names a dead-letter queue not created yet: the next round
                        continue;
                    }
                    if (!(resolved instanceof Map<?, ?> m) || !queueArns.containsValue(String.valueOf(m.get("deadLetterTargetArn")))) {
                        continue;
                    }
                    policy = m;
                }
                createQueue(q, policy);
                it.remove();
                progress = true;
            }
            if (!progress) {
                throw new IllegalArgumentException("template.yaml: the RedrivePolicy of " + pending.stream()
                        .map(Template.QueueDef::logicalId).toList() + " names a dead-letter queue the template does not declare"
                        + " (or they name each other); expected deadLetterTargetArn: !GetAtt <a queue>.Arn", unresolved);
            }
        }
        // by logical id in template order, whatever the order of creation
        Map<String, String> urls = new LinkedHashMap<>(queueUrls);
        Map<String, String> arns = new LinkedHashMap<>(queueArns);
        queueUrls.clear();
        queueArns.clear();
        for (Template.QueueDef q : template.queues()) {
            if (!urls.containsKey(q.logicalId())) {
                continue; // its Condition is false
            }
            queueUrls.put(q.logicalId(), urls.get(q.logicalId()));
            queueArns.put(q.logicalId(), arns.get(q.logicalId()));
        }
    }

    private void createQueue(Template.QueueDef q, Map<?, ?> redrivePolicy) {
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        copyAttribute(q, "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT, attrs);
        copyAttribute(q, "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD, attrs);
        copyAttribute(q, "DelaySeconds", QueueAttributeName.DELAY_SECONDS, attrs);
        copyAttribute(q, "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, attrs);
        if (redrivePolicy != null) {
            attrs.put(QueueAttributeName.REDRIVE_POLICY, Json.write(redrivePolicy));
        }
        String url;
        try {
            url = sqs.createQueue(r -> r.queueName(q.logicalId()).attributes(attrs)).queueUrl();
        } catch (QueueNameExistsException e) {
            // restored from the data folder with other settings: the template's win (a changed
            // RedrivePolicy then reaches only the queue's actor, see createQueues)
            url = sqs.getQueueUrl(r -> r.queueName(q.logicalId())).queueUrl();
            String existing = url;
            sqs.setQueueAttributes(r -> r.queueUrl(existing).attributes(attrs));
        }
        String queueUrl = url;
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrls.put(q.logicalId(), url);
        queueArns.put(q.logicalId(), arn);
        if (redrivePolicy != null) {
            String dlqArn = String.valueOf(redrivePolicy.get("deadLetterTargetArn"));
            queueArns.forEach((id, a) -> {
                if (a.equals(dlqArn) && !deadLetterQueues.contains(queueUrls.get(id))) {
                    deadLetterQueues.add(queueUrls.get(id));
                }
            });
        }
    }

    private static void copyAttribute(Template.QueueDef q, String property, QueueAttributeName name, Map<QueueAttributeName, String> attrs) {
        Object v = q.properties().get(property);
        if (v != null) {
            attrs.put(name, String.valueOf(v));
        }
    }

    private void configureNotifications(Resolver resolver, NotifyingBlobStore notifying) {
        for (Template.Bucket b : template.buckets()) {
            List<NotifyingBlobStore.Target> targets = new ArrayList<>();
            int n = 0;
            for (Map<String, Object> qc : b.queueNotifications()) {
                String where = b.logicalId() + ".QueueConfigurations[" + n++ + "]";
                String arn = resolver.resolveString(qc.get("Queue"), where + ".Queue");
                String url = urlForArn(arn, where);
                String prefix = null;
                String suffix = null;
                Object filter = resolver.resolve(qc.get("Filter"), where + ".Filter");
                if (filter instanceof Map<?, ?> f && f.get("S3Key") instanceof Map<?, ?> key && key.get("Rules") instanceof List<?> rules) {
                    for (Object rule : rules) {
                        Map<?, ?> r = (Map<?, ?>) rule;
                        if ("prefix".equalsIgnoreCase(String.valueOf(r.get("Name")))) {
                            prefix = String.valueOf(r.get("Value"));
                        } else if ("suffix".equalsIgnoreCase(String.valueOf(r.get("Name")))) {
                            suffix = String.valueOf(r.get("Value"));
                        }
                    }
                }
                targets.add(new NotifyingBlobStore.Target(b.logicalId() + "-notification-" + n,
                        resolver.resolveString(qc.get("Event"), where + ".Event"), prefix, suffix, url));
            }
            notifying.configure(bucketNames.get(b.logicalId()), targets);
        }
    }

    private String urlForArn(String arn, String where) {
        for (var e : queueArns.entrySet()) {
            if (e.getValue().equals(arn)) {
                return queueUrls.get(e.getKey());
            }
        }
        throw new IllegalArgumentException("template.yaml: " + where + " names queue " + arn + ", which the template does not declare");
    }

    /**
     * Removes glibc's malloc settings ({@link FunctionDef#mallocSettings()}) from a function's environment:
     * glibc read them when this JVM started, and logs when they differ from what this process runs with (a
     * stack started from an IDE, not through {@code ./mediaflow}): big pictures then cost more system time
     * than on Lambda.
     */
    private static void dropMallocSettings(FunctionDef f, Map<String, String> env) {
        f.mallocSettings().forEach((name, value) -> {
            env.remove(name);
            if (!value.equals(System.getenv(name))) {
                LOG.info("{} sets {}={} on Lambda; this JVM started with {} (glibc reads it at start: ./mediaflow sets it)",
                        f.logicalId(), name, value, System.getenv(name));
            }
        });
    }

    private Map<String, String> environmentOf(FunctionDef f, Resolver resolver) {
        Map<String, String> env = new LinkedHashMap<>();
        f.environment().forEach((k, v) -> env.put(k, resolver.resolveString(v, f.logicalId() + ".Environment." + k)));
        env.remove("JAVA_TOOL_OPTIONS"); // a JVM flag for Lambda; this JVM is already running
        dropMallocSettings(f, env);
        env.put(Config.AWS_REGION, REGION);
        env.put(Config.AWS_ENDPOINT_URL_S3, s3Endpoint.toString());
        env.put(Config.AWS_ENDPOINT_URL_SQS, sqsEndpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_LAMBDA_FUNCTION_NAME", f.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(f.memoryMb()));
        env.put(Config.WORK_DIR, workDir.resolve(f.logicalId()).toString());
        LOCAL_SWEEP_SETTINGS.forEach((k, v) -> env.computeIfPresent(k, (name, templateValue) -> v));
        // Secrets Manager and CloudFront, locally: the secret itself, and the delivery server's URL
        if (env.remove(Setting.RENDER_SECRET_ARN.name()) != null) {
            env.put(Setting.RENDER_SECRET.name(), renderSecret);
        }
        if (env.remove(Setting.DELIVERY_BASE_URL_PARAMETER.name()) != null) {
            env.put(Setting.DELIVERY_BASE_URL.name(), delivery.url().toString());
        }
        // no CloudFront: the delivery server caches nothing, so a deleted item has nothing to invalidate (logged)
        env.remove(Setting.DELIVERY_DISTRIBUTION_ID_PARAMETER.name());
        env.putAll(options.environment());
        return env;
    }

    private String ref(String name) {
        switch (name) {
            case "AWS::StackName":
                return STACK_NAME;
            case "AWS::AccountId":
                return ACCOUNT;
            case "AWS::Region":
                return REGION;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::NoValue":
                return "";
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (bucketNames.containsKey(name)) {
            return bucketNames.get(name);
        }
        if (queueUrls.containsKey(name)) {
            return queueUrls.get(name);
        }
        if ("AWS::Serverless::Function".equals(template.typeOf(name))) {
            return name;
        }
        if ("AWS::SecretsManager::Secret".equals(template.typeOf(name))) {
            return "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name; // replaced by RENDER_SECRET
        }
        return null;
    }

    private String attribute(String name) {
        String[] parts = name.split("\\.", 2);
        String id = parts[0];
        String attr = parts[1];
        if (queueUrls.containsKey(id)) {
            return switch (attr) {
                case "Arn" -> queueArns.get(id);
                case "QueueName" -> id;
                case "QueueUrl" -> queueUrls.get(id);
                default -> null;
            };
        }
        if (bucketNames.containsKey(id)) {
            return switch (attr) {
                case "Arn" -> "arn:aws:s3:::" + bucketNames.get(id);
                case "DomainName" -> bucketNames.get(id) + ".s3.amazonaws.com";
                default -> null;
            };
        }
        return null;
    }

    // ------------------------------------------------------------------ functions

    private void startPollers() {
        Resolver resolver = resolver();
        for (FunctionDef f : functions.values()) {
            for (Template.EventSource source : f.events()) {
                QueueRef queue = eventSourceQueue(f.logicalId());
                String arn = queue.arn();
                String url = queue.url();
                Duration retryWait = EventSourcePoller.retryWait(visibilityTimeout(url), options.timeScale());
                // as Lambda: no more concurrent invocations than the event source's MaximumConcurrency
                int workers = Math.max(1, options.workers());
                if (source.maximumConcurrency() != null) {
                    String where = f.logicalId() + ".Events." + source.name() + ".ScalingConfig.MaximumConcurrency";
                    workers = Math.min(workers, Integer.parseInt(resolver.resolveString(source.maximumConcurrency(), where)));
                }
                for (int i = 0; i < workers; i++) {
                    EventSourcePoller poller = new EventSourcePoller(f.logicalId(), sqs, url, arn, REGION, source.batchSize(),
                            source.reportBatchItemFailures(), () -> host(f.logicalId()), retryWait, running, inFlight);
                    Thread t = new Thread(poller, f.logicalId() + "-" + source.name() + "-" + i);
                    t.setDaemon(true);
                    t.start();
                    pollers.add(t);
                }
            }
        }
        startMappingPollers(resolver);
    }

    /**
     * The template's {@code AWS::Lambda::EventSourceMapping}s whose Condition holds (shadow mode's): each
     * polls its queue for the function its {@code FunctionName} names. A {@code :qualifier} (a version)
     * is dropped: the embedded stack runs one version of each function, its code.
     */
    private void startMappingPollers(Resolver resolver) {
        for (Template.EventSourceMapping m : template.eventSourceMappings()) {
            if (m.condition() != null && !conditions.test(m.condition())) {
                continue;
            }
            String arn = resolver.resolveString(m.eventSourceArn(), m.logicalId() + ".EventSourceArn");
            String url = urlForArn(arn, m.logicalId() + ".EventSourceArn");
            String name = resolver.resolveString(m.functionName(), m.logicalId() + ".FunctionName");
            String function = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            if (!functions.containsKey(function)) {
                throw new IllegalArgumentException("template.yaml: " + m.logicalId() + ".FunctionName is '" + name
                        + "', expected a function of the template (optionally :version), one of " + functions.keySet());
            }
            Duration retryWait = EventSourcePoller.retryWait(visibilityTimeout(url), options.timeScale());
            int workers = Math.max(1, options.workers());
            if (m.maximumConcurrency() != null) {
                workers = Math.min(workers, Integer.parseInt(resolver.resolveString(m.maximumConcurrency(),
                        m.logicalId() + ".ScalingConfig.MaximumConcurrency")));
            }
            for (int i = 0; i < workers; i++) {
                EventSourcePoller poller = new EventSourcePoller(function, sqs, url, arn, REGION, m.batchSize(),
                        m.reportBatchItemFailures(), () -> host(function), retryWait, running, inFlight);
                Thread t = new Thread(poller, m.logicalId() + "-" + i);
                t.setDaemon(true);
                t.start();
                pollers.add(t);
            }
        }
    }

    /**
     * EventBridge's schedules, in-process: every function with an enabled Schedule event runs every
     * {@link Options#sweepInterval()} (the template's rate is AWS's), one run at a time, as
     * {@code ReservedConcurrentExecutions: 1} has it. The first run comes one interval after start.
     */
    private void startSchedules() {
        Duration interval = options.sweepInterval() == null ? DEFAULT_SWEEP_INTERVAL : options.sweepInterval();
        List<String> scheduled = new ArrayList<>();
        for (FunctionDef f : functions.values()) {
            if (f.schedules().stream().anyMatch(Template.ScheduleEvent::enabled)) {
                scheduled.add(f.logicalId());
            }
        }
        if (scheduled.isEmpty() || interval.isZero() || interval.isNegative()) {
            LOG.info("scheduled functions {}: not run (interval {})", scheduled, interval);
            return;
        }
        scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedules");
            t.setDaemon(true);
            return t;
        });
        for (String id : scheduled) {
            ScheduledRun run = new ScheduledRun(id);
            scheduler.scheduleWithFixedDelay(run, interval.toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        LOG.info("scheduled functions {} run every {} s", scheduled, interval.toSeconds());
    }

    /** One scheduled function: its execution environment, built on its first run (again after a failed initialisation). */
    private final class ScheduledRun implements Runnable {
        private final String functionId;
        private FunctionHost host;

        ScheduledRun(String functionId) {
            this.functionId = functionId;
        }

        @Override
        public void run() {
            if (!running.get()) {
                return;
            }
            inFlight.incrementAndGet();
            try {
                if (host == null) {
                    host = host(functionId);
                }
                Object result = host.invoke(scheduledEvent(functionId));
                LOG.debug("{}: {}", functionId, result);
                keepScheduledRun(functionId + ": " + result);
            } catch (RuntimeException e) {
                // as on AWS: a failed scheduled run is logged; the next one comes at the next interval
                LOG.warn("{}: scheduled run failed: {}", functionId, e.toString(), e);
                keepScheduledRun(functionId + " failed: " + e);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Error e) {
                // an Error too (a LinkageError, an assertion): a ScheduledExecutorService cancels a task
                // whose run throws, silently, and the schedule would never run again
                LOG.error("{}: scheduled run failed with an error: {}", functionId, e.toString(), e);
                keepScheduledRun(functionId + " failed with an error: " + e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private void keepScheduledRun(String line) {
        synchronized (scheduledRuns) {
            if (scheduledRuns.size() == 100) {
                scheduledRuns.removeFirst();
            }
            scheduledRuns.addLast(java.time.LocalTime.now() + " " + line);
        }
    }

    /** The last 100 scheduled runs (the sweeper's progress lines), oldest first, each with its local time. */
    public List<String> scheduledRuns() {
        synchronized (scheduledRuns) {
            return List.copyOf(scheduledRuns);
        }
    }

    /** An EventBridge Scheduled Event, as Lambda hands it to a {@code Map} handler. */
    static Map<String, Object> scheduledEvent(String functionId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", java.util.UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", ACCOUNT);
        event.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", REGION);
        event.put("resources", List.of("arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + STACK_NAME + "-" + functionId));
        event.put("detail", Map.of());
        return event;
    }

    /** A queue as a client addresses it (URL) and as an event source names it (ARN). */
    private Duration visibilityTimeout(String queueUrl) {
        String seconds = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
        return Duration.ofSeconds(Long.parseLong(seconds));
    }

    public record QueueRef(String url, String arn) {
    }

    /** The queue of the function's first SQS event source, resolved as its poller resolves it. */
    public QueueRef eventSourceQueue(String functionLogicalId) {
        FunctionDef f = functions.get(functionLogicalId);
        if (f == null || f.events().isEmpty()) {
            throw new IllegalArgumentException("expected a function of template.yaml with an SQS event source, found "
                    + functionLogicalId);
        }
        Template.EventSource source = f.events().get(0);
        String arn = resolver().resolveString(source.queue(),
                f.logicalId() + ".Events." + source.name() + ".Queue");
        return new QueueRef(urlForArn(arn, f.logicalId() + ".Events." + source.name()), arn);
    }

    /** A new execution environment of the function: its own handler instance, its template environment. */
    public FunctionHost host(String functionLogicalId) {
        FunctionDef f = functions.get(functionLogicalId);
        if (f == null) {
            throw new IllegalArgumentException("no function '" + functionLogicalId + "' in template.yaml; expected one of " + functions.keySet());
        }
        return new FunctionHost(f, environments.get(functionLogicalId));
    }

    // ------------------------------------------------------------------ accessors

    public Template template() {
        return template;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** The upload API (the template's HttpApi routes), as API Gateway would serve it; see {@link UploadApiServer}. */
    /** The console, a web page on the upload API's listener (same origin as the API). */
    public URI consoleUrl() {
        return apiUrl().resolve("/console/");
    }

    public URI apiUrl() {
        return api.url();
    }

    /** Renditions ({@code /media/...}) and on-demand renders ({@code /r/...}), as CloudFront serves them; see {@link DeliveryServer}. */
    public URI deliveryUrl() {
        return delivery.url();
    }

    /** The secret that signs render paths on this stack (RENDER_SECRET of its functions). */
    public String renderSecret() {
        return renderSecret;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public S3Client s3() {
        return s3;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public String bucket(String logicalId) {
        String name = bucketNames.get(logicalId);
        if (name == null) {
            throw new IllegalArgumentException("no bucket '" + logicalId + "' in template.yaml; expected one of " + bucketNames.keySet());
        }
        return name;
    }

    /** Bucket names by logical id, in template order. */
    public Map<String, String> buckets() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bucketNames));
    }

    public String queueUrl(String logicalId) {
        String url = queueUrls.get(logicalId);
        if (url == null) {
            throw new IllegalArgumentException("no queue '" + logicalId + "' in template.yaml; expected one of " + queueUrls.keySet());
        }
        return url;
    }

    /** Queue URLs by logical id, in template order. */
    public Map<String, String> queues() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(queueUrls));
    }

    /** A queue's ARN by logical id. */
    public String queueArn(String logicalId) {
        String arn = queueArns.get(logicalId);
        if (arn == null) {
            throw new IllegalArgumentException("no queue '" + logicalId + "' in template.yaml; expected one of " + queueArns.keySet());
        }
        return arn;
    }

    /** Resolves the template's intrinsics to this stack's names, URLs and ARNs (as the functions' environments are). */
    public Resolver resolver() {
        return new Resolver(this::ref, this::attribute, conditions);
    }

    /** Whether the template's condition holds with this stack's parameters. */
    public boolean condition(String name) {
        return conditions.test(name);
    }

    /** Whether the resource is created: it has no Condition, or its Condition holds. */
    private boolean included(String logicalId) {
        String c = template.condition(logicalId);
        return c == null || conditions.test(c);
    }

    public List<String> deadLetterQueues() {
        return List.copyOf(deadLetterQueues);
    }

    public Map<String, FunctionDef> functions() {
        return Map.copyOf(functions);
    }

    public Map<String, String> environment(String functionLogicalId) {
        return environments.get(functionLogicalId);
    }

    /** A Config for a client of the stack (the CLI, a test): endpoints and credentials, no function settings. */
    public Config clientConfig() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Config.AWS_REGION, REGION);
        env.put(Config.AWS_ENDPOINT_URL_SQS, sqsEndpoint.toString());
        if (s3Endpoint != null) {
            env.put(Config.AWS_ENDPOINT_URL_S3, s3Endpoint.toString());
        }
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        return Config.of(env);
    }

    /** Messages the queues held when the stack started: restored from the data folder (0 without one). */
    public int restoredMessages() {
        return restoredMessages;
    }

    private int countMessages() {
        int n = 0;
        for (String url : queueUrls.values()) {
            var attrs = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            for (String v : attrs.values()) {
                n += Integer.parseInt(v);
            }
        }
        return n;
    }

    /** Invocations under way right now, across all functions. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        running.set(false);
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Invocations under way finish first (as before, up to 5 s a poller); pollers only waiting in
        // a long-poll ReceiveMessage end when the servers stop, instead of after their wait.
        long deadline = System.nanoTime() + 5_000_000_000L * Math.max(1, pollers.size());
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly();
        if (StepMetrics.sink() == metricLines) {
            StepMetrics.sink(null);
        }
        long joinDeadline = System.nanoTime() + 5_000_000_000L;
        for (Thread t : pollers) {
            try {
                t.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        removeWorkDir();
    }

    /** The functions' scratch folder of this run ({@code <data>/work}, else a new temporary one); gone once closed. */
    Path workDir() {
        return workDir;
    }

    /**
     * Deletes the functions' scratch folder (a new one per start: every test class, demo and {@code up}
     * left one behind before). Left, with a warning, when an invocation still runs after close's wait,
     * since it may still be writing there.
     */
    private void removeWorkDir() {
        if (pollers.stream().anyMatch(Thread::isAlive)) {
            LOG.warn("An invocation still runs; leaving its scratch folder {}", workDir);
            return;
        }
        try {
            LambdaPackager.deleteTree(workDir);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            LOG.warn("Cannot remove the functions' scratch folder {}: {}", workDir, e.toString());
        }
    }

    private void closeQuietly() {
        if (api != null) {
            api.close();
        }
        if (delivery != null) {
            delivery.close();
        }
        if (s3Proxy != null) {
            try {
                s3Proxy.stop();
            } catch (Exception e) {
                LOG.warn("S3Proxy did not stop cleanly: {}", e.toString());
            }
        }
        if (sqsServer != null) {
            try {
                sqsServer.stopAndWait();
            } catch (Exception e) {
                // also Scala's Await TimeoutException, thrown undeclared, after ElasticMQ's own minute:
                // a clean-clone run once failed a test class's @AfterAll on it, all its tests passed
                LOG.warn("ElasticMQ did not stop cleanly: {}", e.toString());
            }
        }
        if (persistentQueues != null) {
            persistentQueues.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    /** Fails with the port named when a fixed port is out of range or taken, before anything binds. */
    static void checkPorts(int base) {
        if (base < 1 || base > 65535 - (LISTENERS.size() - 1)) {
            throw new PortUnavailableException(base, "port " + base + " is out of range: expected 1 to "
                    + (65535 - (LISTENERS.size() - 1)) + ", the listeners taking " + base + " to " + (base + LISTENERS.size() - 1)
                    + " (" + String.join(", ", LISTENERS) + ")", null);
        }
        for (int i = 0; i < LISTENERS.size(); i++) {
            int p = base + i;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), p));
            } catch (IOException e) {
                throw new PortUnavailableException(base, "port " + p + " for " + LISTENERS.get(i) + " is taken (" + e.getMessage()
                        + "); expected ports " + base + " to " + (base + LISTENERS.size() - 1) + " free", e);
            }
        }
    }

    private static RuntimeException bindFailure(int port, String listener, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException && port != 0) {
                return new PortUnavailableException(port, "port " + port + " for " + listener + " is taken (" + t.getMessage() + ")", e);
            }
        }
        if (e == null) {
            return new IllegalStateException(listener + " did not start on port " + port);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(listener + " did not start: " + e, e);
    }
}
