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
