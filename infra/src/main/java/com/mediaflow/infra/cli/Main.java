package com.mediaflow.infra.cli;

import com.mediaflow.infra.stack.EmbeddedStack;
import com.mediaflow.infra.stack.FunctionHost;
import com.mediaflow.infra.stack.SqsEvents;
import com.mediaflow.shared.aws.Hashing;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.FileByteSource;
import com.mediaflow.shared.validation.Verdict;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/** {@code ./mediaflow}: demo, process, up, invoke, validate. Results on stdout, logs and progress on stderr. */
public final class Main {
    static final String USAGE = """
            usage: mediaflow COMMAND [OPTIONS] [ARGS]      'mediaflow COMMAND --help' shows a command's options
              demo                                  put sample media through the whole pipeline and show what became of each
              process [--out DIR] [--timeout S] [--workers N] [--env NAME=VALUE]... [--time-scale F] [--include-hidden] PATH...
                                                    upload files (or folders) to the local ingest bucket, wait, copy outputs
                                                    to DIR/<mediaId>/ (default ./mediaflow-out); one JSON line per input, each as it ends
              up [--data DIR] [--port N] [--json] [--workers N] [--env NAME=VALUE]... [--time-scale F]
                                                    start the embedded stack and keep it running (Ctrl-C stops it)
              invoke FUNCTION -e EVENT.json [--put FILE=s3://BUCKET/KEY]...
                                                    run one function's handler with an event on a fresh local stack,
                                                    like 'sam local invoke'; --put stores a file there first
              validate [--include-hidden] PATH...   the validation verdict, offline, one JSON line per file
              redrive [QUEUE] (--endpoint URL | --port N | --region R | --profile P)
                                                    move dead-lettered messages back to their source queues
              warm-up                               the demo's samples through a stack, quietly: what the launcher runs to
                                                    record its class-data archive after a build
            mediaflow --version                     the version
            """;

    private static final String ENV_HELP =
            "  --env NAME=VALUE     a function setting over the template's, e.g. SEGMENT_THRESHOLD_SECONDS=20 (repeatable)\n";
    private static final String WORKERS_HELP =
            "  --workers N          concurrent invocations per queue (default 2: segment jobs of long videos run that many at a time)\n";
    private static String timeScaleHelp(double byDefault) {
        return "  --time-scale F       a failed record is retried after F x its queue's VisibilityTimeout, F from "
                + EmbeddedStack.MIN_TIME_SCALE + " to 1\n"
                + "                       (default " + byDefault + (byDefault == 1 ? ", as on AWS" : "")
                + ", or " + EmbeddedStack.TIME_SCALE_VARIABLE + "; validate's 720 s becomes " + (int) Math.ceil(720 * byDefault)
                + " s)\n";
    }

    private static final String HIDDEN_HELP =
            "  --include-hidden     when walking folders, also take dotfiles and what is in .git, .svn and .hg folders\n"
            + "                       (skipped by default; files named on the command line are always taken)\n";

    /** {@code mediaflow COMMAND --help}: what each command does and its options. */
    static final Map<String, String> HELP = Map.of(
            "demo", """
                    usage: mediaflow demo
                    Makes a handful of sample media, starts the embedded stack, puts them through the whole pipeline
                    and prints a table of what became of each. Outputs go under ./mediaflow-out/<mediaId>/, and
                    ./mediaflow-out/demo-results.jsonl has the same results as JSON lines. No options.
                    """,
            "process", """
                    usage: mediaflow process [--out DIR] [--timeout SECONDS] [--workers N] [--env NAME=VALUE]... [--time-scale F] [--include-hidden] PATH...
                    Uploads files (folders are walked) to the local ingest bucket as a client would and, as soon as
                    each upload is terminal, copies its outputs to DIR/<mediaId>/ and prints its JSON line: one per
                    input, in the order they end, each naming its file (infra/src/main/resources/mediaflow-result.schema.json).
                    Exit 0 only when every input ended READY
                    or QUARANTINED; 1 otherwise; 2 for a bad command line.
                      --out DIR            where outputs are copied (default ./mediaflow-out)
                      --timeout SECONDS    how long to wait for every upload to be terminal (default 900)
                    """ + WORKERS_HELP + ENV_HELP + timeScaleHelp(EmbeddedStack.SHORT_TIME_SCALE) + HIDDEN_HELP,
            "up", """
                    usage: mediaflow up [--data DIR] [--port N] [--json] [--workers N] [--env NAME=VALUE]... [--time-scale F]
                    Starts the embedded stack (S3 and SQS, the template's buckets and queues, the functions) and keeps
                    it running until Ctrl-C (SIGINT) or SIGTERM. Any S3 client that puts an object into the ingest
                    bucket triggers processing.
                      --data DIR           keep objects (DIR/s3) and queued messages (DIR/sqs) on disk: a restart on the
                                           same DIR, after Ctrl-C or a crash, goes on where it stopped
                      --port N             fixed ports: S3 listens on N, SQS on N+1, the upload API on N+2, delivery on N+3 (default: free ports the system picks)
                      --json               print one JSON line when ready (endpoints, region, credentials, buckets, queue
                                           URLs: infra/src/main/resources/mediaflow-up.schema.json) instead of the banner
                    """ + WORKERS_HELP + ENV_HELP + timeScaleHelp(1),
            "invoke", """
                    usage: mediaflow invoke FUNCTION -e EVENT.json [--put FILE=s3://BUCKET/KEY]...
                    Runs one function's real handler with the event, with the template's environment, on a fresh local
                    stack, and prints the SQSBatchResponse. FUNCTION is the logical id (ValidateFunction) or its short
                    name (validate).
                      -e, --event FILE     the SQS event to invoke with (see events/)
                      --put FILE=s3://BUCKET/KEY
                                           store a file in the local stack first (repeatable)
                    """,
            "validate", """
                    usage: mediaflow validate [--include-hidden] PATH...
                    The validation verdict, offline, no stack: one JSON line per file, status ACCEPTED or QUARANTINED
                    (infra/src/main/resources/mediaflow-result.schema.json). Exit 0 only when all are accepted.
                    """ + HIDDEN_HELP,
            "redrive", Redrive.HELP,
            "warm-up", WarmUp.HELP);


    private final PrintStream out;
    private final PrintStream err;
    private final Path root;

    Main(PrintStream out, PrintStream err, Path root) {
        this.out = out;
        this.err = err;
        this.root = root;
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("mediaflow.root", ".")).toAbsolutePath().normalize();
        int code;
        try {
            code = new Main(System.out, System.err, root).run(args);
        } catch (UsageException e) {
            System.err.println("mediaflow: " + e.getMessage());
            System.err.print(e.command() == null ? USAGE : HELP.get(e.command()));
            code = 2;
        } catch (CommandFailure e) {
            System.err.println("mediaflow: " + e.getMessage());
            code = 1;
        } catch (Exception e) {
            System.err.println("mediaflow: " + e);
            code = 1;
        }
        System.exit(code);
    }

    int run(String[] args) throws Exception {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        if (args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            out.print(args.length > 1 && HELP.containsKey(args[1]) ? HELP.get(args[1]) : USAGE);
            return 0;
        }
        if (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("version")) {
            out.println("mediaflow " + version());
            return 0;
        }
        List<String> rest = List.of(args).subList(1, args.length);
        if (HELP.containsKey(args[0]) && (rest.contains("--help") || rest.contains("-h"))) {
            out.print(HELP.get(args[0]));
            return 0;
        }
        return switch (args[0]) {
            case "demo" -> new Demo(this).run(rest);
            case "process" -> process(rest);
            case "up" -> up(rest);
            case "invoke" -> invoke(rest);
            case "validate" -> validate(rest);
            case "redrive" -> new Redrive(this).run(rest);
            case "warm-up" -> new WarmUp(this).run(rest);
            default -> throw new UsageException("unknown command '" + args[0] + "', expected one of " + new java.util.TreeSet<>(HELP.keySet()));
        };
    }

    Path template() {
        Path t = root.resolve("template.yaml");
        if (!Files.isRegularFile(t)) {
            throw new CommandFailure("no template.yaml in " + root + "; run ./mediaflow from the project, or set -Dmediaflow.root", null);
        }
        return t;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    Path root() {
        return root;
    }

    // ---------------------------------------------------------------- process

    int process(List<String> args) throws Exception {
        Path outDir = Path.of("mediaflow-out");
        Duration timeout = Duration.ofMinutes(15);
        List<Path> inputs = new ArrayList<>();
        boolean includeHidden = false;
        EmbeddedStack.Options options = shortWaits(EmbeddedStack.Options.defaults(template()).withWorkers(2));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--time-scale" -> options = options.withTimeScale(timeScale("process", value("process", args, ++i,
                        "--time-scale", "a decimal")));
                case "--out" -> outDir = Path.of(value("process", args, ++i, "--out", "a folder"));
                case "--timeout" -> timeout = Duration.ofSeconds(wholeNumber("process", value("process", args, ++i, "--timeout", "seconds"),
                        "--timeout", 1, Integer.MAX_VALUE, "a whole number of seconds above 0"));
                case "--workers" -> options = options.withWorkers(workers("process", value("process", args, ++i, "--workers", "a number")));
                case "--env" -> options = withEnv(options, value("process", args, ++i, "--env", "NAME=VALUE"));
                case "--include-hidden" -> includeHidden = true;
                default -> {
                    if (a.startsWith("-")) {
                        throw unknownOption("process", a, "--out, --timeout, --workers, --env, --time-scale, --include-hidden");
                    }
                    inputs.add(Path.of(a));
                }
            }
        }
        List<Path> files = expand(inputs, includeHidden, err);
        if (files.isEmpty()) {
            throw new UsageException("process", "process needs at least one file or folder, found "
                    + (inputs.isEmpty() ? "none" : "no file to upload in " + inputs));
        }
        List<String> statuses = processFiles(files, outDir, timeout, options);
        return statuses.stream().allMatch(s -> s.equals("READY") || s.equals("QUARANTINED")) ? 0 : 1;
    }

    /** Starts a stack and puts the files through it ({@link #processOn}); returns each input's status, in the order they ended. */
    List<String> processFiles(List<Path> files, Path outDir, Duration timeout, EmbeddedStack.Options options) throws Exception {
        long t0 = System.nanoTime();
        err.println("mediaflow: starting the embedded stack...");
        try (EmbeddedStack stack = EmbeddedStack.start(options)) {
            err.printf("mediaflow: stack up in %.1f s; uploading %d file(s)%n", (System.nanoTime() - t0) / 1e9, files.size());
            List<String> statuses = processOn(stack, files, outDir, timeout);
            err.printf("mediaflow: done in %.1f s; outputs under %s%n", (System.nanoTime() - t0) / 1e9, outDir.toAbsolutePath());
            return statuses;
        }
    }

    /**
     * {@code process} on a running stack: uploads the files, then prints each one's result line on
     * stdout as soon as that input is final, so a photo done in seconds does not wait behind a long
     * video. Returns the statuses in the order they were printed.
     */
    List<String> processOn(EmbeddedStack stack, List<Path> files, Path outDir, Duration timeout) throws Exception {
        Pipeline pipeline = new Pipeline(stack, err, System.console() != null);
        List<Pipeline.Upload> uploads = pipeline.upload(files);
        List<String> statuses = new ArrayList<>();
        pipeline.await(uploads, timeout, u -> {
            ResultLine line = pipeline.collect(u, outDir);
            out.println(Json.write(line));
            out.flush();
            statuses.add(line.status());
        });
        return statuses;
    }

    /** {@code --env NAME=VALUE}: a setting for every function, over the template's; only names Config knows. */
    static EmbeddedStack.Options withEnv(EmbeddedStack.Options options, String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new UsageException(null, "--env is '" + spec + "', expected NAME=VALUE such as SEGMENT_THRESHOLD_SECONDS=20");
        }
        String name = spec.substring(0, eq);
        if (!Config.ALL.contains(name)) {
            throw new UsageException(null, "--env names " + name + ", which no function reads; expected one of " + Config.ALL);
        }
        Map<String, String> env = new LinkedHashMap<>(options.environment());
        env.put(name, spec.substring(eq + 1));
        return options.withEnvironment(env);
    }

    /**
     * The files to take: each file named, and the files under each folder named, in order. Below a
     * named folder, dotfiles and dot-folders (which include .git, .svn and .hg) are skipped unless
     * {@code includeHidden}; how many were skipped is said on {@code err}.
     */
    static List<Path> expand(List<Path> inputs, boolean includeHidden, PrintStream err) throws IOException {
        List<Path> files = new ArrayList<>();
        int skipped = 0;
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                List<Path> found = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(found::add);
                }
                for (Path f : found) {
                    if (includeHidden || !hiddenBelow(p, f)) {
                        files.add(f);
                    } else {
                        skipped++;
                    }
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new UsageException(null, "no such file or folder: " + p);
            }
        }
        if (skipped > 0) {
            err.println("mediaflow: skipped " + skipped + " hidden file(s) (dotfiles, .git, .svn, .hg); --include-hidden takes them");
        }
        return files;
    }

    /** A dotfile, or a file in a dot-folder (.git, .svn, .hg, ...), below the folder that was named. */
    static boolean hiddenBelow(Path folder, Path file) {
        for (Path part : folder.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- up

    int up(List<String> args) throws Exception {
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults(template()).withWorkers(2);
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--data" -> options = options.withDataDir(dataDir(value("up", args, ++i, "--data", "a folder")));
                case "--port" -> options = options.withPort(port(value("up", args, ++i, "--port", "a port number")));
                case "--json" -> json = true;
                case "--workers" -> options = options.withWorkers(workers("up", value("up", args, ++i, "--workers", "a number")));
                case "--env" -> options = withEnv(options, value("up", args, ++i, "--env", "NAME=VALUE"));
                case "--time-scale" -> options = options.withTimeScale(timeScale("up", value("up", args, ++i, "--time-scale",
                        "a decimal")));
                default -> throw a.startsWith("-") ? unknownOption("up", a, "--data, --port, --json, --workers, --env, --time-scale")
                        : new UsageException("up", "up takes no arguments, found '" + a + "'");
            }
        }
        long t0 = System.nanoTime();
        EmbeddedStack stack = startForUp(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("\nmediaflow: stopping the embedded stack");
            stack.close();
            stopped.countDown();
        }));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (options.dataDir() != null) {
            err.println("mediaflow: data in " + options.dataDir().toAbsolutePath() + "; " + stack.restoredMessages()
                    + " queued message(s) restored from it");
        }
        if (json) {
            // a plain mapper: nulls written (dataDir), maps in their own order (the template's)
            out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(upLine(stack, options)));
            err.printf("mediaflow: embedded stack is up (%.1f s). Ctrl-C stops it.%n", seconds);
        } else {
            printBanner(stack, options, seconds);
        }
        out.flush();
        stopped.await();
        return 0;
    }

    private static EmbeddedStack startForUp(EmbeddedStack.Options options) throws Exception {
        try {
            return EmbeddedStack.start(options);
        } catch (EmbeddedStack.PortUnavailableException e) {
            throw new CommandFailure("--port is " + e.port() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020) { // H2: database in use
                    throw new CommandFailure("--data is " + options.dataDir() + ", which another running stack uses (its queue "
                            + "database is locked); expected a folder no running 'mediaflow up' has open", e);
                }
            }
            throw e;
        }
    }

    /** The {@code up --json} line: see mediaflow-up.schema.json. */
    static Map<String, Object> upLine(EmbeddedStack stack, EmbeddedStack.Options options) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("endpoints", Map.of("s3", stack.s3Endpoint().toString(), "sqs", stack.sqsEndpoint().toString()));
        line.put("apiUrl", stack.apiUrl().toString());
        line.put("consoleUrl", stack.consoleUrl().toString());
        line.put("deliveryUrl", stack.deliveryUrl().toString());
        line.put("region", EmbeddedStack.REGION);
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("accessKeyId", EmbeddedStack.ACCESS_KEY);
        credentials.put("secretAccessKey", EmbeddedStack.SECRET_KEY);
        line.put("credentials", credentials);
        line.put("buckets", stack.buckets());
        line.put("queues", stack.queues());
        line.put("dataDir", options.dataDir() == null ? null : options.dataDir().toAbsolutePath().toString());
        line.put("pid", ProcessHandle.current().pid());
        return line;
    }

    private void printBanner(EmbeddedStack stack, EmbeddedStack.Options options, double seconds) {
        out.printf("Mediaflow embedded stack is up (%.1f s). Ctrl-C stops it.%n", seconds);
        out.println("  S3 endpoint:   " + stack.s3Endpoint());
        out.println("  SQS endpoint:  " + stack.sqsEndpoint());
        out.println("  upload API:    " + stack.apiUrl() + "   (POST /uploads, GET /uploads/{id}; docs/api.md)");
        out.println("  console:       " + stack.consoleUrl() + "   (drop files; each upload followed to its end)");
        out.println("  delivery:      " + stack.deliveryUrl() + "   (GET /media/<id>/<step>/<name>, GET /r/...; docs/api.md)");
        out.println("  credentials:   AWS_ACCESS_KEY_ID=" + EmbeddedStack.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY=" + EmbeddedStack.SECRET_KEY
                + " AWS_REGION=" + EmbeddedStack.REGION);
        out.println("  data:          " + (options.dataDir() == null ? "in memory (--data DIR keeps it across restarts)"
                : options.dataDir().toAbsolutePath() + " (objects in s3/, queued messages in sqs/)"));
        stack.buckets().forEach((id, name) -> out.printf("  bucket %-18s %s%n", id, name));
        stack.queues().forEach((id, url) -> out.printf("  queue  %-18s %s%n", id, url));
        out.println("Try:  aws --endpoint-url " + stack.s3Endpoint() + " s3 cp photo.jpg s3://" + stack.bucket("IngestBucket") + "/photo.jpg");
        out.println("      aws --endpoint-url " + stack.s3Endpoint() + " s3 ls --recursive s3://" + stack.bucket("MediaBucket")
                + "/" + Keys.receiptPrefix(stack.bucket("IngestBucket"), "photo.jpg") + "   (the receipts of photo.jpg)");
    }

    private static Path dataDir(String v) {
        Path dir = Path.of(v);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("up", "--data is '" + v + "', expected a folder (it is created if missing), found a file");
        }
        return dir;
    }

    private static int port(String v) {
        int last = 65535 - (EmbeddedStack.LISTENERS.size() - 1);
        return (int) wholeNumber("up", v, "--port", 1, last, "a port number from 1 to " + last
                + " (S3 listens on N, SQS on N+1, the upload API on N+2, delivery on N+3)");
    }

    // ---------------------------------------------------------------- invoke

    int invoke(List<String> args) throws Exception {
        String function = null;
        Path event = null;
        List<String> puts = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-e") || a.equals("--event")) {
                event = Path.of(value("invoke", args, ++i, a, "an event file"));
            } else if (a.equals("--put")) {
                puts.add(value("invoke", args, ++i, a, "FILE=s3://BUCKET/KEY"));
            } else if (a.startsWith("-")) {
                throw unknownOption("invoke", a, "-e/--event, --put");
            } else if (function == null) {
                function = a;
            } else {
                throw new UsageException("invoke", "invoke takes one FUNCTION, found also '" + a + "'");
            }
        }
        if (function == null || event == null) {
            throw new UsageException("invoke", "invoke needs FUNCTION and -e EVENT.json, found "
                    + (function == null ? "no FUNCTION" : "no -e"));
        }
        if (!Files.isRegularFile(event)) {
            throw new UsageException("invoke", "-e is '" + event + "', expected an event file, found no such file");
        }
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(template()).withFunctions(false))) {
            for (String put : puts) {
                put(stack, put);
            }
            String logicalId = resolveFunction(stack, function);
            FunctionHost host = stack.host(logicalId);
            err.println("mediaflow: invoking " + logicalId + " (" + host.function().handler() + ") with " + event);
            // an SQS-fed function gets an SQSEvent; an HTTP API's (the upload API) API Gateway's payload 2.0
            // event, its keys read ignoring case as the Lambda runtime does; a scheduled one (the sweeper) its event as a Map
            String json = Files.readString(event);
            Object input = !stack.template().httpApiEvents(logicalId).isEmpty() ? API_EVENTS.readValue(json,
                    com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.class)
                    : host.function().events().isEmpty() ? Json.MAPPER.readValue(json, Map.class) : SqsEvents.fromJson(json);
            Object response = host.invoke(input);
            out.println(response instanceof SQSBatchResponse r ? SqsEvents.toJson(r) : Json.write(response));
            return 0;
        }
    }

    /** Reads API Gateway's events as the Lambda Java runtime does: keys matched ignoring case, unknown ones ignored. */
    private static final com.fasterxml.jackson.databind.ObjectMapper API_EVENTS = com.fasterxml.jackson.databind.json.JsonMapper
            .builder().enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private void put(EmbeddedStack stack, String spec) {
        int eq = spec.indexOf("=s3://");
        if (eq < 0) {
            throw new UsageException("invoke", "--put is '" + spec + "', expected FILE=s3://BUCKET/KEY");
        }
        Path file = Path.of(spec.substring(0, eq));
        String rest = spec.substring(eq + "=s3://".length());
        int slash = rest.indexOf('/');
        if (!Files.isRegularFile(file) || slash <= 0 || slash == rest.length() - 1) {
            throw new UsageException("invoke", "--put is '" + spec + "', expected an existing FILE=s3://BUCKET/KEY");
        }
        String bucket = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        if (!stack.buckets().containsValue(bucket)) {
            throw new UsageException("invoke", "--put names bucket '" + bucket + "', expected one of the local stack's "
                    + stack.buckets().values());
        }
        stack.s3().putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromFile(file));
        err.println("mediaflow: stored " + file + " at s3://" + bucket + "/" + key);
    }

    static String resolveFunction(EmbeddedStack stack, String name) {
        Map<String, ?> functions = stack.functions();
        if (functions.containsKey(name)) {
            return name;
        }
        for (String id : functions.keySet()) {
            if (id.equalsIgnoreCase(name + "Function") || id.equalsIgnoreCase(name)) {
                return id;
            }
        }
        throw new UsageException("invoke", "no function '" + name + "' in template.yaml; expected one of " + functions.keySet()
                + " (or their short names, e.g. validate)");
    }

    // ---------------------------------------------------------------- validate

    int validate(List<String> args) throws Exception {
        boolean includeHidden = false;
        List<Path> inputs = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--include-hidden")) {
                includeHidden = true;
            } else if (a.startsWith("-")) {
                throw unknownOption("validate", a, "--include-hidden");
            } else {
                inputs.add(Path.of(a));
            }
        }
        List<Path> files = expand(inputs, includeHidden, err);
        if (files.isEmpty()) {
            throw new UsageException("validate", "validate needs at least one file or folder, found "
                    + (inputs.isEmpty() ? "none" : "no file in " + inputs));
        }
        StructureValidator validator = new StructureValidator(Limits.DEFAULTS);
        boolean allAccepted = true;
        for (Path f : files) {
            Hashing.Pass pass;
            try (InputStream in = Files.newInputStream(f)) {
                pass = Hashing.hash(in, Detector.HEAD_BYTES);
            }
            MediaFormat detected = Detector.detect(pass.head(), pass.headLength());
            String declared = MediaFormat.byFileName(f.getFileName().toString()).map(MediaFormat::mimeType).orElse(null);
            StructureValidator.Result result;
            try (FileByteSource source = new FileByteSource(f)) {
                result = validator.validate(source, detected, declared, f.getFileName().toString());
            }
            Verdict v = result.verdict();
            allAccepted &= v.accepted();
            Map<String, Object> metadata = new java.util.LinkedHashMap<>();
            metadata.put("size", pass.size());
            StructureReport s = result.structure();
            if (s != null) {
                putIfPresent(metadata, "width", s.width());
                putIfPresent(metadata, "height", s.height());
                putIfPresent(metadata, "frames", s.frames());
                putIfPresent(metadata, "durationSeconds", s.durationSeconds());
                putIfPresent(metadata, "tracks", s.tracks());
            }
            out.println(Json.write(new ResultLine(f.toString(), v.accepted() ? "ACCEPTED" : "QUARANTINED", pass.sha256(),
                    v.detectedType(), ResultLine.ReasonOut.of(v.reasons()), List.of(), metadata)));
        }
        return allAccepted ? 0 : 1;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    // ---------------------------------------------------------------- helpers

    static String value(String command, List<String> args, int i, String option, String what) {
        if (i >= args.size() || (args.get(i).startsWith("--") && args.get(i).length() > 2)) {
            throw new UsageException(command, option + " needs a value: " + what + ", found "
                    + (i >= args.size() ? "the end of the line" : "'" + args.get(i) + "'"));
        }
        return args.get(i);
    }

    static long wholeNumber(String command, String v, String option, long min, long max, String expected) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command, option + " is '" + v + "', expected " + expected);
        }
        if (n < min || n > max) {
            throw new UsageException(command, option + " is " + n + ", expected " + expected);
        }
        return n;
    }

    /** process and demo: {@link EmbeddedStack#SHORT_TIME_SCALE} unless {@value EmbeddedStack#TIME_SCALE_VARIABLE} is set. */
    static EmbeddedStack.Options shortWaits(EmbeddedStack.Options options) {
        return options.withTimeScale(EmbeddedStack.timeScaleFrom(System.getenv(EmbeddedStack.TIME_SCALE_VARIABLE),
                EmbeddedStack.SHORT_TIME_SCALE));
    }

    private static double timeScale(String command, String v) {
        try {
            return EmbeddedStack.timeScaleFrom(v, Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command, "--time-scale is '" + v + "', expected a decimal from "
                    + EmbeddedStack.MIN_TIME_SCALE + " to 1 (1: a failed record waits its queue's whole VisibilityTimeout, as on AWS)");
        }
    }

    private static int workers(String command, String v) {
        return (int) wholeNumber(command, v, "--workers", 1, 64,
                "a whole number of workers from 1 to 64 (concurrent invocations per queue; default 2)");
    }

    private static UsageException unknownOption(String command, String option, String known) {
        return new UsageException(command, "unknown option " + option + " for " + command + "; expected " + known
                + " (mediaflow " + command + " --help)");
    }

    /** The project version, from the build. */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/mediaflow-version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The command ran and failed for a reason it names (a port taken, a folder in use): exit code 1, no usage. */
    static final class CommandFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Bad command line: printed with the command's help (or the usage), exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String command;

        /** @param command the command whose help to show, or null for the general usage */
        UsageException(String command, String message) {
            super(message);
            this.command = command;
        }

        UsageException(String message) {
            this(null, message);
        }

        String command() {
            return command;
        }
    }
}
