package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard plots the step metrics the functions write; each rule catches the template with that one thing broken. */
class DashboardChecksTest {
    @TempDir
    Path tmp;

    @Test
    void realTemplate_plotsTheFlowAndTheLatency() throws IOException {
        assertThat(DashboardChecks.problems(Template.load(TestPaths.template()))).isEmpty();
    }

    @Test
    void dashboardWithoutTheLatencyP99_isReported() throws IOException {
        assertThat(problems("\"Step\",\"finalize\",{\"stat\":\"p99\"", "\"Step\",\"finalize\",{\"stat\":\"p90\""))
                .containsExactly("dashboard Dashboard does not plot the upload-to-READY latency at p99 (UploadToReadyLatency"
                        + " of step finalize, namespace Mediaflow, dimensions Stage and Step)");
    }

    @Test
    void latencyOfAnotherStepOrWithoutTheStageDimension_isReported() throws IOException {
        assertThat(problems("\"UploadToReadyLatency\",\"Stage\",\"${Stage}\",\"Step\",\"finalize\"",
                "\"UploadToReadyLatency\",\"Stage\",\"${Stage}\",\"Step\",\"validate\""))
                .anySatisfy(p -> assertThat(p).contains("latency at p50"))
                .anySatisfy(p -> assertThat(p).contains("latency at p99"));
        assertThat(problems("\"UploadToReadyLatency\",\"Stage\",\"${Stage}\",\"Step\"", "\"UploadToReadyLatency\",\"Step\""))
                .anySatisfy(p -> assertThat(p).contains("latency at p50"));
    }

    @Test
    void misspeltMetric_isReported() throws IOException {
        assertThat(problems("\"Mediaflow\",\"UploadToReadyLatency\"", "\"Mediaflow\",\"UploadToReadyLatencyMs\""))
                .anySatisfy(p -> assertThat(p).contains("plots Mediaflow/UploadToReadyLatencyMs, which no function writes"));
    }

    @Test
    void aStepsItemsMissing_orTheQuarantinesSearch_isReported() throws IOException {
        assertThat(problems("\"ItemsProcessed\",\"Stage\",\"${Stage}\",\"Step\",\"transcode\"",
                "\"ItemsFailed\",\"Stage\",\"${Stage}\",\"Step\",\"transcode\""))
                .containsExactly("dashboard Dashboard does not plot ItemsProcessed of step transcode (namespace Mediaflow,"
                        + " dimensions Stage and Step)");
        assertThat(problems("Step,ReasonCode}", "Step}"))
                .singleElement().satisfies(p -> assertThat(p).contains("quarantines by reason code"));
    }

    @Test
    void bodyThatIsNotJson_isReported_andProductionChecksCarriesIt() throws IOException {
        assertThat(problems("DashboardBody: !Sub '{\"widgets\":", "DashboardBody: !Sub '{\"widgets\"::"))
                .singleElement().satisfies(p -> assertThat(p).startsWith("dashboard Dashboard: DashboardBody is not JSON"));
        assertThat(ProductionChecks.problems(mutated("\"Step\",\"finalize\",{\"stat\":\"p99\"",
                "\"Step\",\"finalize\",{\"stat\":\"p90\""))).anySatisfy(p -> assertThat(p).contains("latency at p99"));
    }

    private List<String> problems(String from, String to) throws IOException {
        return DashboardChecks.problems(mutated(from, to));
    }

    private Template mutated(String from, String to) throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).as("the template contains the text the mutation replaces").contains(from);
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml.replace(from, to));
        return Template.load(copy);
    }
}
