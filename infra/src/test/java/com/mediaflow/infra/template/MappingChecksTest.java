package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shadow mode's written-out event source mappings, held to the rules of SAM's SQS events (ProductionChecks). */
class MappingChecksTest {
    @TempDir
    Path tmp;

    @Test
    void realTemplate_hasTheShadowMappings_andNoProblem() throws IOException {
        Template t = Template.load(TestPaths.template());
        assertThat(t.eventSourceMappings()).extracting(Template.EventSourceMapping::logicalId)
                .containsExactlyInAnyOrder("ShadowThumbnailEventSource", "ShadowMetadataEventSource");
        assertThat(t.eventSourceMappings()).allSatisfy(m -> assertThat(m.condition()).isEqualTo("ShadowOn"));
        assertThat(MappingChecks.problems(t)).isEmpty();
    }

    @Test
    void shortVisibility_missingCap_orPartialBatches_areReported() throws IOException {
        assertThat(problems("      VisibilityTimeout: 1080\n      MessageRetentionPeriod: 345600\n      RedrivePolicy:\n"
                + "        deadLetterTargetArn: !GetAtt ShadowThumbnailDLQ.Arn", "      VisibilityTimeout: 600\n      MessageRetentionPeriod: 345600\n"
                + "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt ShadowThumbnailDLQ.Arn"))
                .anySatisfy(p -> assertThat(p).contains("queue ShadowThumbnailQueue has VisibilityTimeout 600 s, expected at least 1080 s"));
        assertThat(problems("      ScalingConfig:\n        MaximumConcurrency: 5\n\n  MetadataFunction:", "\n  MetadataFunction:"))
                .anySatisfy(p -> assertThat(p).contains("ShadowThumbnailEventSource has ScalingConfig.MaximumConcurrency null"));
        assertThat(problems("      BatchSize: 1\n      FunctionResponseTypes: [ReportBatchItemFailures]\n      ScalingConfig:\n        MaximumConcurrency: 5\n\n  MetadataFunction:",
                "      BatchSize: 1\n      ScalingConfig:\n        MaximumConcurrency: 5\n\n  MetadataFunction:"))
                .anySatisfy(p -> assertThat(p).contains("ShadowThumbnailEventSource lacks FunctionResponseTypes"));
    }

    @Test
    void mappingOutsideItsQueuesCondition_orWithoutThePollersRights_orOnNoFunction_isReported() throws IOException {
        assertThat(problems("  ShadowThumbnailEventSource:\n    Type: AWS::Lambda::EventSourceMapping\n    Condition: ShadowOn\n",
                "  ShadowThumbnailEventSource:\n    Type: AWS::Lambda::EventSourceMapping\n"))
                .anySatisfy(p -> assertThat(p).contains("ShadowThumbnailEventSource has Condition null, expected ShadowOn"));
        assertThat(problems("                Resource: !GetAtt ShadowThumbnailQueue.Arn\n", "                Resource: !GetAtt ThumbnailQueue.Arn\n"))
                .anySatisfy(p -> assertThat(p).contains("function ThumbnailFunction has no statement allowing sqs:ReceiveMessage"
                        + " on !GetAtt ShadowThumbnailQueue.Arn"));
        assertThat(problems("          Value: !GetAtt ShadowMetadataQueue.QueueName\n", "          Value: !GetAtt MetadataQueue.QueueName\n"))
                .anySatisfy(p -> assertThat(p).contains("queue ShadowMetadataQueue (read by ShadowMetadataEventSource) has no alarm"
                        + " on ApproximateAgeOfOldestMessage"));
        assertThat(problems("      FunctionName: !Sub '${ThumbnailFunction}:${ThumbnailShadowVersion}'", "      FunctionName: !Sub '${Nothing}:${ThumbnailShadowVersion}'"))
                .anySatisfy(p -> assertThat(p).contains("ShadowThumbnailEventSource has FunctionName"));
    }

    /** ProductionChecks' problems of template.yaml with the first {@code from} replaced by {@code to}. */
    private List<String> problems(String from, String to) throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).as("the mutation's anchor text must be in template.yaml").contains(from);
        String changed = yaml.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, changed);
        return ProductionChecks.problems(Template.load(copy));
    }
}
