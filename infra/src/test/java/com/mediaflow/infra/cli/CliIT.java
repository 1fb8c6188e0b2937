package com.mediaflow.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.stack.StackFixture;
import com.mediaflow.shared.model.Json;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/** The command line as a script sees it: stdout lines checked against the published JSON Schema. */
class CliIT {
    private static JsonSchema schema;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = CliIT.class.getResourceAsStream("/mediaflow-result.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @Test
    void process_printsOneSchemaValidLinePerInput_andCopiesOutputs() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        SyntheticMedia.jpeg(in.resolve("a-photo.jpg"), 320, 240, 6);
        SyntheticMedia.pngWithAlpha(in.resolve("b-alpha.png"), 200, 100);
        SyntheticMedia.mp4(in.resolve("c-clip.mp4"), 320, 240, 1.0, 15, true, 0);
        Files.write(in.resolve("d-script.jpg"), "#!/bin/sh\necho owned\n".getBytes(StandardCharsets.UTF_8));
        Path out = tmp.resolve("out");

        Run run = run("process", "--out", out.toString(), "--timeout", "120", in.toString());

        assertThat(run.code).as(run.err).isEqualTo(0);
        // one line per input, printed as each ends: sorted back into input order by the file it names
        List<JsonNode> lines = new ArrayList<>(run.lines());
        assertThat(lines).hasSize(4);
        lines.sort(java.util.Comparator.comparing(l -> l.get("file").asText()));
        assertThat(lines).extracting(l -> Path.of(l.get("file").asText()).getFileName().toString())
                .containsExactly("a-photo.jpg", "b-alpha.png", "c-clip.mp4", "d-script.jpg");
        assertThat(lines).extracting(l -> l.get("status").asText()).containsExactly("READY", "READY", "READY", "QUARANTINED");
        assertThat(lines.get(0).get("type").asText()).isEqualTo("image/jpeg");
        assertThat(lines.get(0).at("/metadata/width").asInt()).as("EXIF orientation 6 turns 320x240 into 240x320").isEqualTo(240);
        assertThat(lines.get(2).get("outputs")).anySatisfy(o -> assertThat(o.get("kind").asText()).isEqualTo("poster"));
        // the clip's HLS package is copied with its folders: every URI its playlists name is there
        Path master = null;
        for (JsonNode o : lines.get(2).get("outputs")) {
            if (o.get("kind").asText().equals("hls") && master == null) {
                master = Path.of(o.get("path").asText());
            }
        }
        assertThat(master).as("an hls output").isNotNull().hasFileName("master.m3u8");
        for (String variant : uris(master)) {
            Path media = master.resolveSibling(variant);
            assertThat(uris(media)).isNotEmpty().allSatisfy(u -> assertThat(media.resolveSibling(u)).isRegularFile());
            assertThat(media.resolveSibling("init.mp4")).isRegularFile();
        }
        assertThat(lines.get(3).at("/reasons/0/code").asText()).isEqualTo("EXECUTABLE");
        for (JsonNode line : lines.subList(0, 3)) {
            assertThat(line.get("outputs")).isNotEmpty();
            for (JsonNode o : line.get("outputs")) {
                Path local = Path.of(o.get("path").asText());
                assertThat(local).exists().startsWith(out.resolve(line.get("mediaId").asText()));
            }
        }
        assertThat(run.err).contains("starting the embedded stack");
    }

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void process_printsEachLineAsSoonAsItsInputIsFinal_notBehindASlowerOne() throws Exception {
        // given a stack whose validate routes transcode jobs to a queue no function reads: the clip
        // stays PROCESSING until the test moves its job to TranscodeQueue, however fast the machine
        String sqs = "http://127.0.0.1:9/000000000000/"; // ElasticMQ takes the queue by the URL's path
        String steps = "thumbnail image,video " + sqs + "ThumbnailQueue\n"
                + "metadata image,video,audio,document " + sqs + "MetadataQueue\n"
                + "transcode video,audio,image/gif,image/webp " + sqs + "HeldTranscodeJobs\n";
        try (StackFixture fx = StackFixture.start(true, Map.of("PIPELINE_STEPS", steps))) {
            String held = fx.stack.sqs().createQueue(b -> b.queueName("HeldTranscodeJobs")).queueUrl();
            Path in = Files.createDirectories(tmp.resolve("in"));
            Path clip = SyntheticMedia.mp4(in.resolve("a-clip.mp4"), 320, 240, 1.0, 15, true, 0);
            Path photo = SyntheticMedia.jpeg(in.resolve("b-photo.jpg"), 320, 240, 0);
            java.io.PipedInputStream pipe = new java.io.PipedInputStream(1 << 16);
            PrintStream stdout = new PrintStream(new java.io.PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(pipe, StandardCharsets.UTF_8));
            Main main = new Main(stdout, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), TestPaths.root());

            // when process runs, the clip first in input order
            var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (stdout) {
                    return main.processOn(fx.stack, List.of(clip, photo), tmp.resolve("out"), Duration.ofSeconds(240));
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });

            // then the photo's line comes while the clip is still PROCESSING, its transcode job held
            JsonNode first = Json.MAPPER.readTree(lines.readLine());
            assertValid(first);
            assertThat(first.get("file").asText()).isEqualTo(photo.toString());
            assertThat(first.get("status").asText()).isEqualTo("READY");
            assertThat(running).isNotDone();
            Message job = StackFixture.await(() -> fx.stack.sqs().receiveMessage(b -> b.queueUrl(held).waitTimeSeconds(1))
                    .messages().stream().findFirst(), Duration.ofSeconds(30), "the clip's held transcode job");
            assertThat(job.body()).contains("transcode");
            assertThat(running).as("the clip cannot end while its transcode job is held").isNotDone();

            // and once the job goes where it belongs, the clip's line follows
            fx.stack.sqs().sendMessage(b -> b.queueUrl(fx.stack.queueUrl("TranscodeQueue")).messageBody(job.body()));
            fx.stack.sqs().deleteMessage(b -> b.queueUrl(held).receiptHandle(job.receiptHandle()));
            JsonNode second = Json.MAPPER.readTree(lines.readLine());
            assertValid(second);
            assertThat(second.get("file").asText()).isEqualTo(clip.toString());
            assertThat(second.get("status").asText()).isEqualTo("READY");
            assertThat(second.get("outputs")).anySatisfy(o -> assertThat(o.get("kind").asText()).isEqualTo("video"));
            assertThat(lines.readLine()).as("one line per input").isNull();
            assertThat(running.get()).containsExactly("READY", "READY");
        }
    }

    @Test
    void validate_isOffline_andUsesTheSameSchema() throws Exception {
        Path png = Corpus.dir().resolve("pngsuite/png/basn6a08.png");
        Path apk = tmp.resolve("apk.jpg");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(apk))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("classes.dex"));
            zip.write(new byte[] {1, 2, 3});
            zip.closeEntry();
        }

        Run run = run("validate", png.toString(), apk.toString());

        assertThat(run.code).isEqualTo(1);
        List<JsonNode> lines = run.lines();
        assertThat(lines).extracting(l -> l.get("status").asText()).containsExactly("ACCEPTED", "QUARANTINED");
        assertThat(lines.get(1).at("/reasons/0/code").asText()).isEqualTo("ARCHIVE_DISGUISED");
    }

    @Test
    void failedUpload_reachesDeadLetterQueue_andIsReportedFailed() throws Exception {
        // every step's notice to finalize fails, so step messages are retried until they dead-letter
        try (StackFixture fx = StackFixture.start(true, Map.of("FINALIZE_QUEUE_URL", "http://127.0.0.1:9/000000000000/Nowhere"))) {
            Path photo = SyntheticMedia.jpeg(tmp.resolve("doomed.jpg"), 64, 48, 0);
            Pipeline pipeline = new Pipeline(fx.stack, new PrintStream(new ByteArrayOutputStream()), false);
            List<Pipeline.Upload> uploads = pipeline.upload(List.of(photo));

            pipeline.await(uploads, Duration.ofSeconds(60));
            ResultLine line = pipeline.collect(uploads.get(0), tmp.resolve("out"));

            // the steps' last attempts mark the item FAILED with the step and its error, then dead-letter
            assertThat(line.status()).isEqualTo("FAILED");
            assertThat(line.reasons()).anySatisfy(r -> {
                assertThat(r.code()).isEqualTo("STEP_FAILED");
                assertThat(r.message()).contains("Nowhere");
            });
            // the message moves on at its next receive, after the last attempt
            StackFixture.await(() -> Optional.of(fx.stack.sqs().getQueueAttributes(b -> b.queueUrl(fx.stack.queueUrl("ThumbnailDLQ"))
                    .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                    .get("ApproximateNumberOfMessages")).filter(n -> !n.equals("0")), Duration.ofSeconds(30),
                    "thumbnail's message in ThumbnailDLQ");
            assertValid(Json.MAPPER.valueToTree(line));
        }
    }

    @Test
    void timeout_isReportedFailed() throws Exception {
        // a stack whose functions never run: nothing can reach a terminal state
        try (StackFixture fx = StackFixture.start(false)) {
            Path photo = SyntheticMedia.jpeg(tmp.resolve("stuck.jpg"), 64, 48, 0);
            Pipeline pipeline = new Pipeline(fx.stack, new PrintStream(new ByteArrayOutputStream()), false);
            List<Pipeline.Upload> uploads = pipeline.upload(List.of(photo));

            pipeline.await(uploads, Duration.ofSeconds(2));
            ResultLine line = pipeline.collect(uploads.get(0), tmp.resolve("out"));

            assertThat(line.status()).isEqualTo("FAILED");
            assertThat(line.mediaId()).isNull();
            assertThat(line.reasons()).singleElement().satisfies(r -> assertThat(r.message()).contains("--timeout"));
            assertValid(Json.MAPPER.valueToTree(line));
        }
    }

    @Test
    void badArguments_exitWithUsage() throws Exception {
        assertThat(run("process").code).isEqualTo(2);
        assertThat(run("process", "/no/such/file.jpg").err).contains("no such file or folder: /no/such/file.jpg");
        assertThat(run("process", "--timeout", "soon", "x").err).contains("--timeout is 'soon'");
        assertThat(run("frobnicate").err).contains("unknown command 'frobnicate'").contains("usage:");
        assertThat(run("invoke", "nosuch", "-e", TestPaths.events("finalize-sqs.json").toString()).err)
                .contains("no function 'nosuch'");
    }

    @Test
    void up_json_printsOneSchemaValidLine_describingTheLiveStack() throws Exception {
        try (ChildStack child = ChildStack.start(Path.of("target", "cli-it-up.log").toAbsolutePath(), Duration.ofSeconds(90));
             var s3 = com.mediaflow.shared.aws.AwsClients.s3(child.clientConfig());
             var sqs = com.mediaflow.shared.aws.AwsClients.sqs(child.clientConfig())) {
            JsonNode line = child.line;
            CrashRecoveryIT.assertValidUpLine(line);
            assertThat(line.get("dataDir").isNull()).isTrue();
            assertThat(line.get("pid").asLong()).isEqualTo(child.pid());
            List<String> names = new ArrayList<>();
            line.get("buckets").fieldNames().forEachRemaining(names::add);
            assertThat(names).as("template order").startsWith("IngestBucket", "MediaBucket", "QuarantineBucket");
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name())
                    .contains(line.at("/buckets/IngestBucket").asText(), line.at("/buckets/MediaBucket").asText());
            line.get("queues").fields().forEachRemaining(q -> assertThat(sqs.getQueueUrl(b -> b.queueName(q.getKey())).queueUrl())
                    .isEqualTo(q.getValue().asText()));
        }
    }

    @Test
    void up_port_taken_orOutOfRange_isAnErrorNamingPort() throws Exception {
        int base = ChildStack.freePortPair();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(base + 1, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Run run = run("up", "--port", String.valueOf(base));
            assertThat(run.code).isEqualTo(1);
            assertThat(run.err).contains("--port is " + base + ": port " + (base + 1) + " for SQS is taken");
        }
        Run range = run("up", "--port", "70000");
        assertThat(range.code).isEqualTo(2);
        assertThat(range.err).contains("--port is 70000, expected a port number from 1 to 65532");
    }

    @Test
    void invoke_runsOneHandlerWithAnEventFile() throws Exception {
        Path photo = Corpus.dir().resolve("exif-orientation/Landscape_1.jpg");

        Run run = run("invoke", "validate", "-e", TestPaths.events("validate-sqs.json").toString(),
                "--put", photo + "=s3://mediaflow-ingest-us-east-1-000000000000/uploads/sample/Landscape 1.jpg");

        assertThat(run.code).as(run.err).isEqualTo(0);
        assertThat(run.out.trim()).isEqualTo("{\"batchItemFailures\":[]}");
    }

    @Test
    void invoke_uploadApi_withApiGatewaysEvent_answersThePresignedForm() throws Exception {
        Run run = run("invoke", "uploadapi", "-e", TestPaths.events("uploadapi-post.json").toString());

        assertThat(run.code).as(run.err).isEqualTo(0);
        JsonNode response = com.mediaflow.shared.model.Json.MAPPER.readTree(run.out);
        assertThat(response.get("statusCode").asInt()).isEqualTo(201);
        assertThat(com.mediaflow.shared.model.Json.MAPPER.readTree(response.get("body").asText()).get("fields").get("key").asText())
                .startsWith("uploads/user-7f3a/").endsWith("/beach.jpg");
    }

    private static void assertValid(JsonNode line) {
        assertThat(schema.validate(line)).as("schema violations of " + line).isEmpty();
    }

    private Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    TestPaths.root()).run(args);
        } catch (Main.UsageException e) {
            err.write(("mediaflow: " + e.getMessage() + "\n" + Main.USAGE).getBytes(StandardCharsets.UTF_8));
            code = 2;
        } catch (Main.CommandFailure e) {
            err.write(("mediaflow: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            code = 1;
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
        List<JsonNode> lines() throws Exception {
            List<JsonNode> lines = new ArrayList<>();
            for (String l : out.split("\n")) {
                if (!l.isBlank()) {
                    JsonNode node = Json.MAPPER.readTree(l);
                    assertValid(node);
                    lines.add(node);
                }
            }
            return lines;
        }
    }

    /** The URIs a playlist names (its lines that are neither blank nor tags). */
    private static List<String> uris(Path playlist) throws IOException {
        return Files.readAllLines(playlist).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
