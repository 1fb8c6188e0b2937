package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mediaflow.infra.template.PreTrafficChecks;
import com.mediaflow.infra.template.Template.FunctionDef;
import com.mediaflow.pretraffic.Deployments;
import com.mediaflow.pretraffic.HookProbes;
import com.mediaflow.pretraffic.PreTrafficHook;
import com.mediaflow.pretraffic.Versions;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The PreTraffic hook's synthetic events against the real handlers, on the embedded stack: each
 * function's event gets the expected answer from the current code and writes nothing (no object,
 * no message); a version whose init throws, or that decides otherwise, makes the hook report Failed.
 * CodeDeploy is a map of AppSpecs; Lambda is {@link LocalVersions}, which invokes the template's
 * handlers in-process as the Lambda Java runtime would.
 */
class PreTrafficIT {
    private static StackFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
        // a real upload waits in the ingest bucket (and its notification in the queue): nothing may touch either
        fx.stack.s3().putObject(b -> b.bucket(fx.ingest).key("waiting/photo.png").contentType("image/png"),
                RequestBody.fromBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** CodeDeploy: an AppSpec per deployment, in the shape of CodeDeploy's user guide; every report recorded. */
    static final class LocalDeployments implements Deployments {
        final Map<String, String> appSpecs = new HashMap<>();
        final Map<String, Status> reports = new LinkedHashMap<>();

        String deploy(String function, String current, String target) {
            String id = "d-" + function + "-" + target;
            appSpecs.put(id, "{\"version\":0.0,\"Resources\":[{\"" + function + "\":{\"Type\":\"AWS::Lambda::Function\","
                    + "\"Properties\":{\"Name\":\"" + function + "\",\"Alias\":\"live\",\"CurrentVersion\":\"" + current
                    + "\",\"TargetVersion\":\"" + target + "\"}}}]}");
            return id;
        }

        @Override
        public String appSpec(String deploymentId) {
            return appSpecs.get(deploymentId);
        }

        @Override
        public void report(String deploymentId, String executionId, Status status) {
            reports.put(deploymentId + "/" + executionId, status);
        }
    }

    /**
     * Lambda, in-process: each published version is a way to build an execution environment of the
     * function (its handler, from its environment). An init that throws and a handler that throws
     * are answered as Lambda answers them: FunctionError "Unhandled" with an error document.
     */
    static final class LocalVersions implements Versions {
        /** Reads the event JSON as the Lambda Java runtime does: its keys ("Records", "eventSourceARN") matched ignoring case. */
        private static final JsonMapper EVENTS = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        final Map<String, Supplier<FunctionHost>> versions = new HashMap<>();
        final List<String> invoked = new ArrayList<>();

        void publish(String function, String version, Supplier<FunctionHost> environment) {
            versions.put(function + ":" + version, environment);
        }

        @Override
        public Invocation invoke(String functionName, String version, String payload) {
            invoked.add(functionName + ":" + version);
            Supplier<FunctionHost> published = versions.get(functionName + ":" + version);
            if (published == null) {
                throw new IllegalArgumentException("ResourceNotFoundException: " + functionName + ":" + version);
            }
            try {
                FunctionHost host = published.get();
                Object event = payload.contains("\"Records\"") ? EVENTS.readValue(payload, SQSEvent.class)
                        : payload.contains("\"routeKey\"") ? EVENTS.readValue(payload, APIGatewayV2HTTPEvent.class)
                        : EVENTS.readValue(payload, Map.class);
                return Invocation.ok(Json.write(host.invoke(event)));
            } catch (RuntimeException | java.io.IOException e) {
                return new Invocation("Unhandled", Json.write(Map.of("errorMessage", String.valueOf(e.getMessage()),
                        "errorType", e.getClass().getName())));
            }
        }
    }

    /** The hook as template.yaml configures it: its probes from its own resolved environment (PRETRAFFIC_FUNCTIONS). */
    private static PreTrafficHook hook(LocalDeployments deployments, LocalVersions versions) {
        return new PreTrafficHook(deployments, versions, new HookProbes(Config.of(fx.stack.environment(HOOK))));
    }

    private static final String HOOK = "PreTrafficHookFunction";

    /** A version built from the template's environment for the function, with some variables changed (null: removed). */
    private static Supplier<FunctionHost> version(String function, Map<String, String> changes) {
        FunctionDef def = fx.stack.functions().get(function);
        Map<String, String> env = new HashMap<>(fx.stack.environment(function));
        changes.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        return () -> new FunctionHost(def, env);
    }

    /** Every object of every bucket, with its ETag and time, and the message count of every queue. */
    private static Map<String, String> everything() {
        Map<String, String> all = new TreeMap<>();
        for (String bucket : fx.stack.buckets().values()) {
            fx.snapshot(bucket, "").forEach((k, v) -> all.put("s3://" + bucket + "/" + k, v));
        }
        for (Map.Entry<String, String> q : fx.stack.queues().entrySet()) {
            Map<QueueAttributeName, String> attrs = fx.stack.sqs().getQueueAttributes(b -> b.queueUrl(q.getValue())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            all.put("queue " + q.getKey(), attrs.toString());
        }
        return all;
    }

    @Test
    void preTraffic_everyFunctionsCurrentCode_passes_andWritesNothing() {
        var deployments = new LocalDeployments();
        var versions = new LocalVersions();
        assertThat(PreTrafficChecks.hooks(fx.stack.template())).containsExactly(HOOK);
        List<String> functions = fx.stack.functions().keySet().stream().filter(f -> !f.equals(HOOK)).sorted().toList();
        HookProbes probes = new HookProbes(Config.of(fx.stack.environment(HOOK)));
        assertThat(functions).as("a probe for every function the hook releases").hasSize(8)
                .allSatisfy(f -> assertThat(probes.apply(f)).as(f).isPresent());
        Map<String, String> before = everything();
        assertThat(before).as("the waiting upload").containsKey("s3://" + fx.ingest + "/waiting/photo.png");

        Map<String, String> outcomes = new TreeMap<>();
        for (String f : functions) {
            versions.publish(f, "2", version(f, Map.of()));
            var outcome = hook(deployments, versions).run(deployments.deploy(f, "1", "2"), "e-" + f);
            outcomes.put(f, outcome.status() + " " + outcome.why());
        }

        assertThat(outcomes).allSatisfy((f, o) -> assertThat(o).as(f).startsWith("SUCCEEDED"));
        assertThat(deployments.reports).hasSize(functions.size()).containsOnlyKeys(functions.stream()
                .map(f -> "d-" + f + "-2/e-" + f).toList()).allSatisfy((k, s) -> assertThat(s).isEqualTo(Deployments.Status.SUCCEEDED));
        assertThat(versions.invoked).as("only the target versions").allMatch(v -> v.endsWith(":2")).hasSize(functions.size());
        assertThat(everything()).as("objects and queued messages after every probe").isEqualTo(before);
    }

    @Test
    void preTraffic_versionWhoseInitThrows_reportsFailed() {
        var deployments = new LocalDeployments();
        var versions = new LocalVersions();
        Map<String, String> before = everything();
        // a version deployed without its MEDIA_BUCKET: the handler's constructor fails, as Lambda's init would
        versions.publish("FinalizeFunction", "3", version("FinalizeFunction", nulls(Config.MEDIA_BUCKET)));

        var outcome = hook(deployments, versions).run(deployments.deploy("FinalizeFunction", "2", "3"), "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("FinalizeFunction:3").contains("found FunctionError Unhandled").contains("MEDIA_BUCKET");
        assertThat(deployments.reports).containsExactly(Map.entry("d-FinalizeFunction-3/e-1", Deployments.Status.FAILED));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void preTraffic_stepVersionConfiguredForAnotherBucket_consumesWhatItShouldRetry_reportsFailed() {
        var deployments = new LocalDeployments();
        var versions = new LocalVersions();
        Map<String, String> before = everything();
        // a version whose MEDIA_BUCKET names the quarantine bucket: the real item's message looks forged to it
        versions.publish("ThumbnailFunction", "3", version("ThumbnailFunction", Map.of(Config.MEDIA_BUCKET, fx.quarantine)));

        var outcome = hook(deployments, versions).run(deployments.deploy("ThumbnailFunction", "2", "3"), "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("expected batchItemFailures [pretraffic-missing], found []");
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void preTraffic_validateVersionThatCannotReachS3_reportsFailed() {
        var deployments = new LocalDeployments();
        var versions = new LocalVersions();
        Map<String, String> before = everything();
        // port 9 (discard) on loopback: nothing listens there, every S3 call is refused
        versions.publish("ValidateFunction", "3", version("ValidateFunction",
                Map.of(Config.AWS_ENDPOINT_URL_S3, "http://127.0.0.1:9")));

        var outcome = hook(deployments, versions).run(deployments.deploy("ValidateFunction", "2", "3"), "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("expected batchItemFailures [], found [pretraffic-gone]");
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void preTraffic_sweeperVersionThatCannotReachS3_reportsFailed() {
        var deployments = new LocalDeployments();
        var versions = new LocalVersions();
        versions.publish("SweeperFunction", "3", version("SweeperFunction", Map.of(Config.AWS_ENDPOINT_URL_S3, "http://127.0.0.1:9")));

        var outcome = hook(deployments, versions).run(deployments.deploy("SweeperFunction", "2", "3"), "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("expected the check's line, found FunctionError Unhandled");
    }

    @Test
    void preTraffic_malformedAppSpec_reportsFailed_andInvokesNothing() {
        var deployments = new LocalDeployments();
        var versions = new LocalVersions();
        deployments.appSpecs.put("d-bad", "{\"version\":0.0,\"Resources\":{}}");

        var outcome = hook(deployments, versions).run("d-bad", "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("AppSpecException").contains("expected the AppSpec's Resources as an array, found OBJECT");
        assertThat(versions.invoked).isEmpty();
        assertThat(deployments.reports).containsExactly(Map.entry("d-bad/e-1", Deployments.Status.FAILED));
    }

    private static Map<String, String> nulls(String name) {
        Map<String, String> m = new HashMap<>();
        m.put(name, null);
        return m;
    }
}
