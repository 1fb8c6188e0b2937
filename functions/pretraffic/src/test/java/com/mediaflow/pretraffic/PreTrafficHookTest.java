package com.mediaflow.pretraffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hook's decisions, with CodeDeploy and Lambda played by recording fakes (the real handlers: infra's PreTrafficIT). */
class PreTrafficHookTest {
    private static final String APPSPEC = "{\"version\":0.0,\"Resources\":[{\"fn\":{\"Type\":\"AWS::Lambda::Function\","
            + "\"Properties\":{\"Name\":\"stack-FinalizeFunction-X\",\"Alias\":\"live\",\"CurrentVersion\":\"3\",\"TargetVersion\":\"4\"}}}]}";
    private static final Probe PROBE = Probes.finalize("us-east-1");

    /** CodeDeploy: one AppSpec per deployment id, and every status reported. */
    static final class FakeDeployments implements Deployments {
        final Map<String, String> appSpecs;
        final List<String> reports = new ArrayList<>();

        FakeDeployments(Map<String, String> appSpecs) {
            this.appSpecs = appSpecs;
        }

        @Override
        public String appSpec(String deploymentId) {
            String s = appSpecs.get(deploymentId);
            if (s == null) {
                throw new IllegalStateException("DeploymentDoesNotExistException: " + deploymentId);
            }
            return s;
        }

        @Override
        public void report(String deploymentId, String executionId, Status status) {
            reports.add(deploymentId + "/" + executionId + "=" + status.apiValue());
        }
    }

    /** Lambda: answers with a fixed invocation, and records what was invoked. */
    static final class FakeVersions implements Versions {
        final Invocation answer;
        final List<String> invoked = new ArrayList<>();

        FakeVersions(Invocation answer) {
            this.answer = answer;
        }

        @Override
        public Invocation invoke(String functionName, String version, String payload) {
            invoked.add(functionName + ":" + version);
            return answer;
        }
    }

    @Test
    void run_expectedAnswer_invokesTheTargetVersionAndReportsSucceeded() {
        var deployments = new FakeDeployments(Map.of("d-1", APPSPEC));
        var versions = new FakeVersions(Versions.Invocation.ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"pretraffic-missing\"}]}"));

        var outcome = new PreTrafficHook(deployments, versions, name -> Optional.of(PROBE)).run("d-1", "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.SUCCEEDED);
        assertThat(versions.invoked).containsExactly("stack-FinalizeFunction-X:4");
        assertThat(deployments.reports).containsExactly("d-1/e-1=Succeeded");
    }

    @Test
    void run_unexpectedBatchItemFailures_reportsFailedSayingExpectedAndFound() {
        var deployments = new FakeDeployments(Map.of("d-1", APPSPEC));
        var versions = new FakeVersions(Versions.Invocation.ok("{\"batchItemFailures\":[]}"));

        var outcome = new PreTrafficHook(deployments, versions, name -> Optional.of(PROBE)).run("d-1", "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("stack-FinalizeFunction-X:4")
                .contains("expected batchItemFailures [pretraffic-missing], found []");
        assertThat(deployments.reports).containsExactly("d-1/e-1=Failed");
    }

    @Test
    void run_functionError_reportsFailed() {
        var deployments = new FakeDeployments(Map.of("d-1", APPSPEC));
        var versions = new FakeVersions(new Versions.Invocation("Unhandled",
                "{\"errorMessage\":\"MEDIA_BUCKET is not set\",\"errorType\":\"ConfigException\"}"));

        var outcome = new PreTrafficHook(deployments, versions, name -> Optional.of(PROBE)).run("d-1", "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("found FunctionError Unhandled").contains("MEDIA_BUCKET is not set");
        assertThat(deployments.reports).containsExactly("d-1/e-1=Failed");
    }

    @Test
    void run_malformedAppSpec_reportsFailedAndInvokesNothing() {
        var deployments = new FakeDeployments(Map.of("d-1", "{\"version\":0.0}"));
        var versions = new FakeVersions(Versions.Invocation.ok("{\"batchItemFailures\":[]}"));

        var outcome = new PreTrafficHook(deployments, versions, name -> Optional.of(PROBE)).run("d-1", "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("AppSpecException").contains("expected the AppSpec's Resources as an array");
        assertThat(versions.invoked).isEmpty();
        assertThat(deployments.reports).containsExactly("d-1/e-1=Failed");
    }

    @Test
    void run_targetVersionIsNotANumber_isRefusedBeforeAnyInvocation() {
        var deployments = new FakeDeployments(Map.of("d-1", APPSPEC.replace("\"TargetVersion\":\"4\"", "\"TargetVersion\":\"$LATEST\"")));
        var versions = new FakeVersions(Versions.Invocation.ok("{\"batchItemFailures\":[]}"));

        var outcome = new PreTrafficHook(deployments, versions, name -> Optional.of(PROBE)).run("d-1", "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("expected TargetVersion to be a published version number, found '$LATEST'");
        assertThat(versions.invoked).isEmpty();
    }

    @Test
    void run_functionWithoutAProbe_reportsFailed() {
        var deployments = new FakeDeployments(Map.of("d-1", APPSPEC));
        var versions = new FakeVersions(Versions.Invocation.ok("{\"batchItemFailures\":[]}"));

        var outcome = new PreTrafficHook(deployments, versions, name -> Optional.empty()).run("d-1", "e-1");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("no synthetic event is known for function 'stack-FinalizeFunction-X'");
        assertThat(versions.invoked).isEmpty();
        assertThat(deployments.reports).containsExactly("d-1/e-1=Failed");
    }

    @Test
    void run_getDeploymentFails_stillReportsFailed() {
        var deployments = new FakeDeployments(Map.of());
        var versions = new FakeVersions(Versions.Invocation.ok("{\"batchItemFailures\":[]}"));

        var outcome = new PreTrafficHook(deployments, versions, name -> Optional.of(PROBE)).run("d-9", "e-9");

        assertThat(outcome.status()).isEqualTo(Deployments.Status.FAILED);
        assertThat(outcome.why()).contains("DeploymentDoesNotExistException");
        assertThat(deployments.reports).containsExactly("d-9/e-9=Failed");
    }

    @Test
    void handler_eventWithoutIds_isATypedErrorAndReportsNothing() {
        var deployments = new FakeDeployments(Map.of("d-1", APPSPEC));
        var handler = new PreTrafficHandler(new PreTrafficHook(deployments,
                new FakeVersions(Versions.Invocation.ok("{}")), name -> Optional.of(PROBE)));

        assertThatThrownBy(() -> handler.handleRequest(Map.of("DeploymentId", "d-1"), null))
                .isInstanceOf(HookEventException.class).hasMessageContaining("LifecycleEventHookExecutionId=null");
        assertThat(deployments.reports).isEmpty();
    }

    @Test
    void handler_codeDeploysEvent_returnsTheReportedStatus() {
        var deployments = new FakeDeployments(Map.of("d-1", APPSPEC));
        var handler = new PreTrafficHandler(new PreTrafficHook(deployments, new FakeVersions(
                Versions.Invocation.ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"pretraffic-missing\"}]}")),
                name -> Optional.of(PROBE)));

        String result = handler.handleRequest(Map.of("DeploymentId", "d-1", "LifecycleEventHookExecutionId", "e-1"), null);

        assertThat(result).startsWith("Succeeded: stack-FinalizeFunction-X:4");
        assertThat(deployments.reports).containsExactly("d-1/e-1=Succeeded");
    }

    @Test
    void batch_notAnSqsBatchResponse_isAProblem() {
        assertThat(Probes.batch(Versions.Invocation.ok("\"done\""), Set.of())).get().asString()
                .contains("expected an SQSBatchResponse with a batchItemFailures array, found \"done\"");
        assertThat(Probes.batch(Versions.Invocation.ok("not json"), Set.of())).get().asString().contains("invalid JSON");
        assertThat(Probes.batch(Versions.Invocation.ok("{\"batchItemFailures\":[]}"), Set.of())).isEmpty();
    }
}
