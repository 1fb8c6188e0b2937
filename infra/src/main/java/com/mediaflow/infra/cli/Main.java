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
            usage: mediaflow COMMAND [ARGS]
              demo                                  put sample media through the whole pipeline and show what became of each
              process [--out DIR] [--timeout S] [--workers N] [--env NAME=VALUE]... PATH...
                                                    upload files (or folders) to the local ingest bucket, wait, copy outputs
                                                    to DIR/<mediaId>/ (default ./mediaflow-out); one JSON line per input
              up [--data DIR] [--workers N] [--env NAME=VALUE]...
                                                    start the embedded stack and keep it running (Ctrl-C stops it)
                                                    --workers: concurrent invocations per queue (default 2)
                                                    --env: a function setting, e.g. SEGMENT_THRESHOLD_SECONDS=20
              invoke FUNCTION -e EVENT.json [--put FILE=s3://BUCKET/KEY]...
                                                    run one function's handler with an event on a fresh local stack,
                                                    like 'sam local invoke'; --put stores a file there first
              validate PATH...                      the validation verdict, offline, one JSON line per file
            """;

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
            System.err.print(USAGE);
            code = 2;
        } catch (Exception e) {
            System.err.println("mediaflow: " + e);
            code = 1;
        }
        System.exit(code);
    }

    int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            err.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = List.of(args).subList(1, args.length);
        return switch (args[0]) {
            case "demo" -> new Demo(this).run(rest);
            case "process" -> process(rest);
            case "up" -> up(rest);
            case "invoke" -> invoke(rest);
            case "validate" -> validate(rest);
            default -> throw new UsageException("unknown command '" + args[0] + "'");
        };
    }

    Path template() {
        Path t = root.resolve("template.yaml");
        if (!Files.isRegularFile(t)) {
            throw new UsageException("no template.yaml in " + root + "; run ./mediaflow from the project, or set -Dmediaflow.root");
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
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults(template()).withWorkers(2);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--out" -> outDir = Path.of(value(args, ++i, "--out"));
                case "--timeout" -> timeout = Duration.ofSeconds(positive(value(args, ++i, "--timeout"), "--timeout"));
                case "--workers" -> options = options.withWorkers((int) positive(value(args, ++i, "--workers"), "--workers"));
                case "--env" -> options = withEnv(options, value(args, ++i, "--env"));
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("unknown option " + a);
                    }
                    inputs.add(Path.of(a));
                }
            }
        }
        List<Path> files = expand(inputs);
        if (files.isEmpty()) {
            throw new UsageException("process needs at least one file or folder");
        }
        List<ResultLine> lines = processFiles(files, outDir, timeout, options);
        for (ResultLine l : lines) {
            out.println(Json.write(l));
        }
        return lines.stream().allMatch(l -> l.status().equals("READY") || l.status().equals("QUARANTINED")) ? 0 : 1;
    }

    List<ResultLine> processFiles(List<Path> files, Path outDir, Duration timeout, EmbeddedStack.Options options) throws Exception {
        long t0 = System.nanoTime();
        err.println("mediaflow: starting the embedded stack...");
        try (EmbeddedStack stack = EmbeddedStack.start(options)) {
            err.printf("mediaflow: stack up in %.1f s; uploading %d file(s)%n", (System.nanoTime() - t0) / 1e9, files.size());
            Pipeline pipeline = new Pipeline(stack, err, System.console() != null);
            List<Pipeline.Upload> uploads = pipeline.upload(files);
            pipeline.await(uploads, timeout);
            List<ResultLine> lines = new ArrayList<>();
            for (Pipeline.Upload u : uploads) {
                lines.add(pipeline.collect(u, outDir));
            }
            err.printf("mediaflow: done in %.1f s; outputs under %s%n", (System.nanoTime() - t0) / 1e9, outDir.toAbsolutePath());
            return lines;
        }
    }

    /** {@code --env NAME=VALUE}: a setting for every function, over the template's; only names Config knows. */
    static EmbeddedStack.Options withEnv(EmbeddedStack.Options options, String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("--env is '" + spec + "', expected NAME=VALUE such as SEGMENT_THRESHOLD_SECONDS=20");
        }
        String name = spec.substring(0, eq);
        if (!Config.ALL.contains(name)) {
            throw new UsageException("--env names " + name + ", which no function reads; expected one of " + Config.ALL);
        }
        Map<String, String> env = new LinkedHashMap<>(options.environment());
        env.put(name, spec.substring(eq + 1));
        return options.withEnvironment(env);
    }

    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new UsageException("no such file or folder: " + p);
            }
        }
        return files;
    }

    // ---------------------------------------------------------------- up

    int up(List<String> args) throws Exception {
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults(template()).withWorkers(2);
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--data")) {
                options = options.withDataDir(Path.of(value(args, ++i, "--data")));
            } else if (args.get(i).equals("--workers")) {
                options = options.withWorkers((int) positive(value(args, ++i, "--workers"), "--workers"));
            } else if (args.get(i).equals("--env")) {
                options = withEnv(options, value(args, ++i, "--env"));
            } else {
                throw new UsageException("unknown argument to up: " + args.get(i));
            }
        }
        long t0 = System.nanoTime();
        EmbeddedStack stack = EmbeddedStack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("\nmediaflow: stopping the embedded stack");
            stack.close();
            stopped.countDown();
        }));
        out.printf("Mediaflow embedded stack is up (%.1f s). Ctrl-C stops it.%n", (System.nanoTime() - t0) / 1e9);
        out.println("  S3 endpoint:   " + stack.s3Endpoint());
        out.println("  SQS endpoint:  " + stack.sqsEndpoint());
        out.println("  credentials:   AWS_ACCESS_KEY_ID=" + EmbeddedStack.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY=" + EmbeddedStack.SECRET_KEY
                + " AWS_REGION=" + EmbeddedStack.REGION);
        stack.buckets().forEach((id, name) -> out.printf("  bucket %-18s %s%n", id, name));
        stack.queues().forEach((id, url) -> out.printf("  queue  %-18s %s%n", id, url));
        out.println("Try:  aws --endpoint-url " + stack.s3Endpoint() + " s3 cp photo.jpg s3://" + stack.bucket("IngestBucket") + "/photo.jpg");
        out.println("      aws --endpoint-url " + stack.s3Endpoint() + " s3 ls --recursive s3://" + stack.bucket("MediaBucket")
                + "/" + Keys.receiptPrefix(stack.bucket("IngestBucket"), "photo.jpg") + "   (the receipts of photo.jpg)");
        out.flush();
        stopped.await();
        return 0;
    }

    // ---------------------------------------------------------------- invoke

    int invoke(List<String> args) throws Exception {
        String function = null;
        Path event = null;
        List<String> puts = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-e") || a.equals("--event")) {
                event = Path.of(value(args, ++i, a));
            } else if (a.equals("--put")) {
                puts.add(value(args, ++i, a));
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a);
            } else if (function == null) {
                function = a;
            } else {
                throw new UsageException("invoke takes one FUNCTION, found also '" + a + "'");
            }
        }
        if (function == null || event == null) {
            throw new UsageException("invoke needs FUNCTION and -e EVENT.json");
        }
        if (!Files.isRegularFile(event)) {
            throw new UsageException("no such event file: " + event);
        }
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(template()).withFunctions(false))) {
            for (String put : puts) {
                put(stack, put);
            }
            String logicalId = resolveFunction(stack, function);
            FunctionHost host = stack.host(logicalId);
            err.println("mediaflow: invoking " + logicalId + " (" + host.function().handler() + ") with " + event);
            Object response = host.invoke(SqsEvents.fromJson(Files.readString(event)));
            out.println(response instanceof SQSBatchResponse r ? SqsEvents.toJson(r) : Json.write(response));
            return 0;
        }
    }

    private void put(EmbeddedStack stack, String spec) {
        int eq = spec.indexOf("=s3://");
        if (eq < 0) {
            throw new UsageException("--put is '" + spec + "', expected FILE=s3://BUCKET/KEY");
        }
        Path file = Path.of(spec.substring(0, eq));
        String rest = spec.substring(eq + "=s3://".length());
        int slash = rest.indexOf('/');
        if (!Files.isRegularFile(file) || slash <= 0 || slash == rest.length() - 1) {
            throw new UsageException("--put is '" + spec + "', expected an existing FILE=s3://BUCKET/KEY");
        }
        String bucket = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        if (!stack.buckets().containsValue(bucket)) {
            throw new UsageException("--put names bucket '" + bucket + "'; the local stack has " + stack.buckets().values());
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
        throw new UsageException("no function '" + name + "' in template.yaml; expected one of " + functions.keySet()
                + " (or their short names, e.g. validate)");
    }

    // ---------------------------------------------------------------- validate

    int validate(List<String> args) throws Exception {
        List<Path> files = expand(args.stream().map(Path::of).toList());
        if (files.isEmpty()) {
            throw new UsageException("validate needs at least one file or folder");
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

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static long positive(String v, String option) {
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " is '" + v + "', expected a whole number of seconds above 0");
        }
    }

    /** Bad command line: printed with the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
