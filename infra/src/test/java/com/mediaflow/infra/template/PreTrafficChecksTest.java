package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PreTraffic hook's rules: template.yaml passes them, and each rule catches it with one thing changed. */
class PreTrafficChecksTest {
    static final List<String> RELEASED = List.of("ValidateFunction", "ThumbnailFunction", "MetadataFunction",
            "TranscodeFunction", "FinalizeFunction", "SweeperFunction", "UploadApiFunction", "RenderFunction");

    /** What each released function's DeploymentPreference has. */
    static final String HOOKS = "        Hooks:\n          PreTraffic: !Ref PreTrafficHookFunction\n";

    @TempDir
    Path tmp;

    @Test
    void templateYaml_wiresTheHook_andPasses() throws IOException {
        Template template = Template.load(TestPaths.template());

        assertThat(PreTrafficChecks.problems(template)).isEmpty();
        assertThat(PreTrafficChecks.hooks(template)).containsExactly("PreTrafficHookFunction");
        assertThat(template.functions()).extracting(Template.FunctionDef::logicalId)
                .containsExactlyInAnyOrderElementsOf(concat(RELEASED, "PreTrafficHookFunction"));
    }

    @Test
    void functionWithoutTheHook_isReported() throws IOException {
        String yaml = wired().replace(alarms("SweeperFunction") + HOOKS, alarms("SweeperFunction"));

        assertThat(problems(yaml)).singleElement().asString()
                .contains("function SweeperFunction has no DeploymentPreference.Hooks.PreTraffic");
    }

    @Test
    void hookThatIsNotAFunction_isReported() throws IOException {
        String yaml = wired().replaceFirst(Pattern.quote("PreTraffic: !Ref PreTrafficHookFunction"), "PreTraffic: !Ref AlarmTopic");

        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("function ValidateFunction's PreTraffic hook AlarmTopic"
                + " is not a function of this template"));
    }

    @Test
    void hookWithADeploymentPreference_isReported() throws IOException {
        String yaml = wired().replace("      FunctionName: !Sub 'CodeDeployHook_", "      DeploymentPreference:\n"
                + "        Type: !Ref CanaryOnePercent\n      FunctionName: !Sub 'CodeDeployHook_");

        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("PreTraffic hook PreTrafficHookFunction has a"
                + " DeploymentPreference, expected none"));
    }

    @Test
    void hookNamedSoThatCodeDeployMayNotInvokeIt_isReported() throws IOException {
        String yaml = wired().replace("!Sub 'CodeDeployHook_${NamePrefix}-pretraffic'", "!Sub '${NamePrefix}-pretraffic'");

        assertThat(problems(yaml)).singleElement().asString().contains("expected one starting CodeDeployHook_");
    }

    @Test
    void hookMayInvokeAnything_orNotEveryFunction_isReported() throws IOException {
        String yaml = wired().replace("                - !Sub '${SweeperFunction.Arn}:*'\n", "                - '*'\n");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p).contains("may invoke *").contains("expected only the versions"))
                .anySatisfy(p -> assertThat(p).contains("may not invoke the versions of SweeperFunction"));
    }

    @Test
    void hookMayInvokeTheAliasOrTheFunction_insteadOfItsVersions_isReported() throws IOException {
        String yaml = wired().replace("!Sub '${FinalizeFunction.Arn}:*'", "!GetAtt FinalizeFunction.Arn");

        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("may not invoke the versions of FinalizeFunction"));
    }

    @Test
    void hookWithMoreRights_isReported() throws IOException {
        String yaml = wired().replace("Action: [codedeploy:GetDeployment, codedeploy:PutLifecycleEventHookExecutionStatus]",
                "Action: [codedeploy:GetDeployment, codedeploy:PutLifecycleEventHookExecutionStatus, s3:GetObject]");

        assertThat(problems(yaml)).singleElement().asString().contains("grants s3:GetObject");
    }

    @Test
    void hookReportingOnEverything_isReported() throws IOException {
        String yaml = wired().replaceFirst("Resource: !Sub 'arn:\\$\\{AWS::Partition}:codedeploy:[^\\n]*", "Resource: '*'");

        assertThat(problems(yaml)).singleElement().asString().contains("reports to CodeDeploy on *");
    }

    private static String alarms(String function) {
        return "        Alarms: [!Ref " + function + "ErrorsAlarm, !Ref " + function + "ThrottlesAlarm]\n";
    }

    /** template.yaml, which has the hook function and every released function's Hooks. */
    static String wired() throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).contains("  PreTrafficHookFunction:\n    Type: AWS::Serverless::Function\n");
        for (String f : RELEASED) {
            assertThat(yaml).as("the hook of %s", f).contains(alarms(f) + HOOKS);
        }
        return yaml;
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> all = new java.util.ArrayList<>(list);
        all.add(more);
        return all;
    }

    private List<String> problems(String yaml) throws IOException {
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml);
        return PreTrafficChecks.problems(Template.load(copy));
    }
}
