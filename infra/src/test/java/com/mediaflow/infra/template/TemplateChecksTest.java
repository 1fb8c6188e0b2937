package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateChecksTest {
    @TempDir
    Path tmp;

    @Test
    void realTemplate_hasNoProblems() throws IOException {
        Template template = Template.load(TestPaths.template());

        assertThat(TemplateChecks.problems(template, TestPaths.root())).isEmpty();
        assertThat(template.functions()).extracting(Template.FunctionDef::logicalId)
                .containsExactlyInAnyOrder("ValidateFunction", "ThumbnailFunction", "MetadataFunction", "TranscodeFunction",
                        "FinalizeFunction");
    }

    @Test
    void missingHandlerClass_isReported() throws IOException {
        Template t = mutated("Handler: com.mediaflow.thumbnail.ThumbnailHandler::handleRequest",
                "Handler: com.mediaflow.thumbnail.NoSuchHandler::handleRequest");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("ThumbnailFunction").contains("com.mediaflow.thumbnail.NoSuchHandler"));
    }

    @Test
    void unknownQueueReference_isReported() throws IOException {
        Template t = mutated("Queue: !GetAtt MetadataQueue.Arn", "Queue: !GetAtt MetadataQueueTypo.Arn");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("MetadataQueueTypo"));
    }

    @Test
    void environmentVariableNoCodeReads_isReported() throws IOException {
        Template t = mutated("THUMBNAIL_SIZES: !Ref ThumbnailSizes", "THUMBNAIL_SIZE: !Ref ThumbnailSizes");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("THUMBNAIL_SIZE,").contains("no code reads")
                        .satisfies(q -> assertThat(q).contains("ThumbnailFunction")));
    }

    @Test
    void pipelineStepToUnknownQueue_isReported() throws IOException {
        Template t = mutated("thumbnail image,video ${ThumbnailQueue}", "thumbnail image,video ${ThumbQueue}");

        assertThat(TemplateChecks.problems(t, TestPaths.root())).anySatisfy(p -> assertThat(p).contains("ThumbQueue"));
    }

    @Test
    void queueWithoutDeadLetterQueue_isReported() throws IOException {
        Template t = mutated("      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt FinalizeDLQ.Arn\n        maxReceiveCount: 5\n", "");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("FinalizeQueue has no dead-letter queue"));
    }

    @Test
    void missingPartialBatchResponses_isReported() throws IOException {
        Template t = mutated("            BatchSize: 10\n            FunctionResponseTypes: [ReportBatchItemFailures]\n\n  ThumbnailFunction",
                "            BatchSize: 10\n\n  ThumbnailFunction");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("ValidateFunction").contains("ReportBatchItemFailures"));
    }

    @Test
    void missingAutoPublishAlias_isReported_forEveryFunction() throws IOException {
        Template t = mutated("    AutoPublishAlias: live\n", "");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .filteredOn(p -> p.contains("AutoPublishAlias")).hasSize(5)
                .anySatisfy(p -> assertThat(p).contains("ValidateFunction").contains("published version"));
    }

    @Test
    void smallEphemeralStorageWithoutSnapStart_isReported() throws IOException {
        Template t = mutated("      MemorySize: 512\n      # Primed with a synthetic manifest merge (FinalizeHandler, Finalizer.prime).\n"
                + "      SnapStart:\n        ApplyOn: PublishedVersions\n", "      MemorySize: 512\n");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("FinalizeFunction").contains("EphemeralStorage 512 MB")
                        .contains("expected SnapStart: {ApplyOn: PublishedVersions}"));
    }

    @Test
    void snapStartAboveItsEphemeralStorageLimit_isReported() throws IOException {
        Template t = mutated("      EphemeralStorage:\n        Size: 10240\n",
                "      EphemeralStorage:\n        Size: 10240\n      SnapStart:\n        ApplyOn: PublishedVersions\n");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("TranscodeFunction").contains("10240 MB").contains("AWS rejects it"));
    }

    @Test
    void snapStartOnAHandlerWithoutPriming_isReported() throws IOException {
        String metadata = "      Handler: com.mediaflow.metadata.MetadataHandler::handleRequest\n";
        Template t = mutated(metadata, metadata + "      SnapStart:\n        ApplyOn: PublishedVersions\n");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("MetadataFunction").contains("com.mediaflow.metadata.MetadataHandler")
                        .contains("no Priming field"));
    }

    private Template mutated(String from, String to) throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).as("the mutation's anchor text must be in template.yaml").contains(from);
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml.replace(from, to));
        return Template.load(copy);
    }

    @Test
    void layers_areFoundWithTheirContentUri_forThePackagingTests() throws IOException {
        Template withLayer = mutated("\nResources:\n", "\nResources:\n  CodecLayer:\n    Type: AWS::Serverless::LayerVersion\n"
                + "    Properties:\n      ContentUri: layers/codec\n");

        assertThat(withLayer.layers()).containsExactly(new Template.LayerDef("CodecLayer", "layers/codec"));
        assertThat(Template.load(TestPaths.template()).layers()).as("the template has no layers today").isEmpty();
    }

    @Test
    void maxReceiveCountOutOfStepWithItsQueue_isReported() throws IOException {
        Template t = mutated("          MAX_RECEIVE_COUNT: 5 # FinalizeQueue's RedrivePolicy\n",
                "          MAX_RECEIVE_COUNT: 4 # FinalizeQueue's RedrivePolicy\n");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("FinalizeFunction").contains("MAX_RECEIVE_COUNT to 4")
                        .contains("expected 5").contains("FinalizeQueue"));
    }
}
