package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** template.yaml is fit to ship, and each rule catches the template with that one thing taken away. */
class ProductionChecksTest {
    @TempDir
    Path tmp;

    @Test
    void realTemplate_isFitToShip() throws IOException {
        assertThat(ProductionChecks.problems(Template.load(TestPaths.template()))).isEmpty();
    }

    @Test
    void bucketPolicyAllowingPlainHttp_isReported() throws IOException {
        assertThat(problems("aws:SecureTransport: false", "aws:SecureTransport: true"))
                .allSatisfy(p -> assertThat(p).contains("TLS only"))
                .anySatisfy(p -> assertThat(p).contains("bucket IngestBucket"));
    }

    @Test
    void bucketWithoutItsPolicy_isReported() throws IOException {
        assertThat(problems("      Bucket: !Ref MediaBucket\n", "      Bucket: !Ref IngestBucket\n"))
                .anySatisfy(p -> assertThat(p).contains("bucket MediaBucket has bucket policies []"))
                .anySatisfy(p -> assertThat(p).contains("bucket IngestBucket has bucket policies [IngestBucketPolicy, MediaBucketPolicy]"));
    }

    @Test
    void bucketWithoutEncryption_isReported() throws IOException {
        assertThat(problems("      BucketEncryption:\n", "      NoBucketEncryption:\n"))
                .anySatisfy(p -> assertThat(p).contains("bucket IngestBucket has no BucketEncryption"));
    }

    @Test
    void bucketWithAclsOn_isReported() throws IOException {
        assertThat(problems("ObjectOwnership: BucketOwnerEnforced", "ObjectOwnership: ObjectWriter"))
                .anySatisfy(p -> assertThat(p).contains("IngestBucket").contains("BucketOwnerEnforced"));
    }

    @Test
    void bucketKeepingIncompleteMultipartUploads_isReported() throws IOException {
        assertThat(problems("DaysAfterInitiation: 1", "DaysAfterInitiation: 7"))
                .anySatisfy(p -> assertThat(p).contains("IngestBucket").contains("incomplete multipart uploads"));
    }

    @Test
    void unencryptedQueue_isReported() throws IOException {
        String sse = "      SqsManagedSseEnabled: !If [UseKms, !Ref AWS::NoValue, true]\n"
                + "      KmsMasterKeyId: !If [UseKms, !Ref KmsKeyArn, !Ref AWS::NoValue]\n";
        assertThat(problems(sse, "")).anySatisfy(p -> assertThat(p).contains("queue IngestQueue").contains("encryption at rest"));
    }

    @Test
    void deadLetterQueueWithoutAlarm_isReported() throws IOException {
        assertThat(problems("Value: !GetAtt ThumbnailDLQ.QueueName", "Value: !GetAtt ThumbnailQueue.QueueName"))
                .anySatisfy(p -> assertThat(p).contains("dead-letter queue ThumbnailDLQ has no alarm"));
    }

    @Test
    void functionWithoutErrorAlarm_orWithAnAlarmNobodyHears_isReported() throws IOException {
        assertThat(problems("MetricName: Errors\n      Dimensions:\n        - Name: FunctionName\n          Value: !Ref ValidateFunction",
                "MetricName: Errors\n      Dimensions:\n        - Name: FunctionName\n          Value: !Ref FinalizeFunction"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction has no alarm on its Errors"));
        assertThat(problems("      AlarmActions: [!Ref AlarmTopic]\n", "      AlarmActions: []\n"))
                .anySatisfy(p -> assertThat(p).contains("does not notify AlarmTopic"));
    }

    @Test
    void functionWithoutTracingOrLogRetention_isReported() throws IOException {
        assertThat(problems("    Tracing: Active\n", "    Tracing: PassThrough\n"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction has Tracing PassThrough"));
        assertThat(problems("LogGroupName: !Sub '/aws/lambda/${SweeperFunction}'", "LogGroupName: /aws/lambda/sweeper"))
                .anySatisfy(p -> assertThat(p).contains("function SweeperFunction has no AWS::Logs::LogGroup"));
    }

    @Test
    void outputWithoutExport_isReported() throws IOException {
        assertThat(problems("    Export: { Name: !Sub '${AWS::StackName}-DashboardName' }\n", ""))
                .anySatisfy(p -> assertThat(p).contains("output DashboardName is not exported"));
    }

    @Test
    void eventSourceWithoutConcurrencyCap_orWithAShortVisibilityTimeout_isReported() throws IOException {
        assertThat(problems("              MaximumConcurrency: !Ref TranscodeMaxConcurrency\n", ""))
                .anySatisfy(p -> assertThat(p).contains("function TranscodeFunction").contains("MaximumConcurrency null"));
        assertThat(problems("      VisibilityTimeout: 5400\n", "      VisibilityTimeout: 5399\n"))
                .anySatisfy(p -> assertThat(p).contains("queue TranscodeQueue has VisibilityTimeout 5399 s, expected at least 5400 s"));
    }

    @Test
    void functionReleasedAllAtOnce_orNotRolledBackByItsAlarm_isReported() throws IOException {
        assertThat(problems("CanaryPercentage: 1\n", "CanaryPercentage: 10\n"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction is released by").contains("1 %"));
        assertThat(problems("Alarms: [!Ref MetadataFunctionErrorsAlarm, !Ref MetadataFunctionThrottlesAlarm]",
                "Alarms: [!Ref MetadataFunctionThrottlesAlarm]"))
                .anySatisfy(p -> assertThat(p).contains("MetadataFunction's DeploymentPreference.Alarms lack MetadataFunctionErrorsAlarm"));
        assertThat(problems("      DeploymentPreference:\n        Type: !Ref CanaryOnePercent\n"
                + "        Alarms: [!Ref SweeperFunctionErrorsAlarm, !Ref SweeperFunctionThrottlesAlarm]\n" + HOOKS, ""))
                .anySatisfy(p -> assertThat(p).contains("function SweeperFunction has no DeploymentPreference"));
    }

    private static final String HOOKS = "        Hooks:\n          PreTraffic: !Ref PreTrafficHookFunction\n";

    @Test
    void functionReleasedWithoutThePreTrafficHook_isReported() throws IOException {
        String alarms = "        Alarms: [!Ref FinalizeFunctionErrorsAlarm, !Ref FinalizeFunctionThrottlesAlarm]\n";
        assertThat(problems(alarms + HOOKS, alarms)).singleElement().asString()
                .contains("function FinalizeFunction has no DeploymentPreference.Hooks.PreTraffic");
    }

    @Test
    void preTrafficHookThatMayReadTheBuckets_isReported() throws IOException {
        assertThat(problems("Action: [codedeploy:GetDeployment, codedeploy:PutLifecycleEventHookExecutionStatus]",
                "Action: [codedeploy:GetDeployment, codedeploy:PutLifecycleEventHookExecutionStatus, s3:GetObject]"))
                .singleElement().asString().contains("PreTraffic hook PreTrafficHookFunction grants s3:GetObject");
    }

    @Test
    void functionWithS3CrudPolicy_isReported() throws IOException {
        assertThat(problems("      Policies:\n        - Statement:\n",
                "      Policies:\n        - S3CrudPolicy:\n            BucketName: !Ref MediaBucket\n        - Statement:\n"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction uses SAM policy template S3CrudPolicy"));
    }

    @Test
    void stepThatDeletesNothing_grantedDelete_isReported() throws IOException {
        assertThat(problems("Sid: WriteOutputs\n              Effect: Allow\n              Action: s3:PutObject",
                "Sid: WriteOutputs\n              Effect: Allow\n              Action: [s3:PutObject, s3:DeleteObject]"))
                .anySatisfy(p -> assertThat(p).contains("function ThumbnailFunction grants s3:DeleteObject (statement WriteOutputs)")
                        .contains("it deletes nothing"));
    }

    @Test
    void deleteOnAWholeBucket_isReported() throws IOException {
        assertThat(problems("!Sub '${MediaBucket.Arn}/work/transcode/*'", "!Sub '${MediaBucket.Arn}/*'"))
                .anySatisfy(p -> assertThat(p).contains("function TranscodeFunction grants s3:DeleteObject (statement Scratch) on a whole bucket"));
    }

    @Test
    void wildcardActionsCoveringAclsOrAllOfS3_areReported() throws IOException {
        assertThat(problems("Sid: Quarantine\n              Effect: Allow\n              Action: s3:PutObject",
                "Sid: Quarantine\n              Effect: Allow\n              Action: s3:Put*"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction grants s3:PutObjectAcl (statement Quarantine)"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction grants s3:PutLifecycleConfiguration"));
        assertThat(problems("Sid: Quarantine\n              Effect: Allow\n              Action: s3:PutObject",
                "Sid: Quarantine\n              Effect: Allow\n              Action: 's3:*'"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction grants [s3:*] (statement Quarantine)"));
    }

    @Test
    void queueRightOnEveryResource_isReported() throws IOException {
        assertThat(problems("              Resource: !GetAtt CompletionQueue.Arn\n", "              Resource: '*'\n"))
                .anySatisfy(p -> assertThat(p).contains("grants [sqs:SendMessage] (statement SendTo) on Resource '*'"));
    }

    @Test
    void functionWithoutTheKmsKeysRights_isReported() throws IOException {
        assertThat(problems("                Action: [kms:Decrypt, kms:GenerateDataKey]", "                Action: kms:Decrypt"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction lacks kms:Decrypt and kms:GenerateDataKey"));
    }

    @Test
    void samconfig_hasDevAndProd_andOverridesOnlyParametersTheTemplateHas() throws IOException {
        String toml = Files.readString(TestPaths.root().resolve("samconfig.toml"));
        java.util.Map<String, String> defaults = Template.load(TestPaths.template()).parameterDefaults();
        java.util.regex.Matcher env = java.util.regex.Pattern.compile("(?m)^\\[(\\w+)\\.deploy\\.parameters]").matcher(toml);
        java.util.Set<String> envs = new java.util.TreeSet<>();
        while (env.find()) {
            envs.add(env.group(1));
        }
        assertThat(envs).contains("dev", "prod");

        java.util.regex.Matcher overrides = java.util.regex.Pattern.compile("(?m)^parameter_overrides = \"([^\"]*)\"").matcher(toml);
        int n = 0;
        while (overrides.find()) {
            for (String pair : overrides.group(1).trim().split("\\s+")) {
                String name = pair.substring(0, pair.indexOf('='));
                assertThat(defaults).as("samconfig.toml overrides %s, which template.yaml must declare", name).containsKey(name);
                n++;
            }
        }
        assertThat(n).as("overrides in samconfig.toml").isGreaterThan(0);
        assertThat(toml).contains("parameter_overrides = \"Stage=prod");
    }

    @Test
    void queueDeadLetteringAfterFewerThanFiveReceives_isReported() throws IOException {
        assertThat(problems("        deadLetterTargetArn: !GetAtt ThumbnailDLQ.Arn\n        maxReceiveCount: 5\n",
                "        deadLetterTargetArn: !GetAtt ThumbnailDLQ.Arn\n        maxReceiveCount: 2\n"))
                .anySatisfy(p -> assertThat(p).contains("queue ThumbnailQueue has maxReceiveCount 2, expected at least 5"));
    }

    /** The problems of template.yaml with the first {@code from} replaced by {@code to}. */
    private List<String> problems(String from, String to) throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).as("the mutation's anchor text must be in template.yaml").contains(from);
        String changed = yaml.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, changed);
        return ProductionChecks.problems(Template.load(copy));
    }
}
