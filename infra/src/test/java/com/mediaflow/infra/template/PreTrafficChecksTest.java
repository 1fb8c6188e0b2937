package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PreTraffic hook's rules, on template.yaml with the hook wired as it will be once its AWS
 * adapters can be built ({@link #HOOK} and {@link #HOOKS}); each rule catches the wired template
 * with one thing changed.
 */
class PreTrafficChecksTest {
    static final List<String> RELEASED = List.of("ValidateFunction", "ThumbnailFunction", "MetadataFunction",
            "TranscodeFunction", "FinalizeFunction", "SweeperFunction");

    /** The hook function, as it goes into template.yaml before the "watched" section. */
    static final String HOOK = """
              # CodeDeploy invokes it before any traffic shifts to a new version of a function: it invokes that
              # version with a synthetic event that changes no data, and reports Succeeded or Failed (functions/pretraffic).
              PreTrafficHookFunction:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: !Sub 'CodeDeployHook_${AWS::StackName}-pretraffic'
                  CodeUri: functions/pretraffic
                  Handler: com.mediaflow.pretraffic.PreTrafficHandler::handleRequest
                  Timeout: 300
                  MemorySize: 512
                  Policies:
                    - Statement:
                        - Sid: InvokeNewVersions
                          Effect: Allow
                          Action: lambda:InvokeFunction
                          Resource:
                            - !Sub '${ValidateFunction.Arn}:*'
                            - !Sub '${ThumbnailFunction.Arn}:*'
                            - !Sub '${MetadataFunction.Arn}:*'
                            - !Sub '${TranscodeFunction.Arn}:*'
                            - !Sub '${FinalizeFunction.Arn}:*'
                            - !Sub '${SweeperFunction.Arn}:*'
                        - Sid: ReportToCodeDeploy
                          Effect: Allow
                          Action: [codedeploy:GetDeployment, codedeploy:PutLifecycleEventHookExecutionStatus]
                          Resource: !Sub 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/*'

            """;
    /** What each released function's DeploymentPreference gains. */
    static final String HOOKS = "        Hooks:\n          PreTraffic: !Ref PreTrafficHookFunction\n";
    private static final String WATCHED = "  # ---------------------------------------------------------------- watched\n";

    @TempDir
    Path tmp;

    @Test
    void templateYaml_asItIs_hasNoHookYet() throws IOException {
        // the hook is not wired while it cannot be deployed (docs/deploying.md); once it is, this rule joins ProductionChecks
        assertThat(PreTrafficChecks.problems(Template.load(TestPaths.template()))).hasSize(RELEASED.size())
                .allSatisfy(p -> assertThat(p).contains("has no DeploymentPreference.Hooks.PreTraffic"));
    }

    @Test
    void wiredTemplate_passes() throws IOException {
        assertThat(problems(wired())).isEmpty();
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
        String yaml = wired().replace("!Sub 'CodeDeployHook_${AWS::StackName}-pretraffic'", "!Sub '${AWS::StackName}-pretraffic'");

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

    /** template.yaml with the hook function and every released function's Hooks. */
    static String wired() throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).contains(WATCHED);
        yaml = yaml.replace(WATCHED, HOOK + WATCHED);
        for (String f : RELEASED) {
            assertThat(yaml).as("the anchor of %s's hook", f).contains(alarms(f));
            yaml = yaml.replace(alarms(f), Matcher.quoteReplacement(alarms(f) + HOOKS));
        }
        return yaml;
    }

    private List<String> problems(String yaml) throws IOException {
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml);
        return PreTrafficChecks.problems(Template.load(copy));
    }
}
