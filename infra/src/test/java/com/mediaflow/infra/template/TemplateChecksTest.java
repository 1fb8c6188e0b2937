package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
                        "FinalizeFunction", "SweeperFunction", "UploadApiFunction", "RenderFunction", "PreTrafficHookFunction");
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
        Template t = mutated("thumbnail image,video,document ${ThumbnailQueue}", "thumbnail image,video,document ${ThumbQueue}");

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
        Template t = mutated("            FunctionResponseTypes: [ReportBatchItemFailures]\n\n  ThumbnailFunction", "\n  ThumbnailFunction");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("ValidateFunction").contains("ReportBatchItemFailures"));
    }

    @Test
    void missingAutoPublishAlias_isReported_forEveryFunction() throws IOException {
        Template t = mutated("    AutoPublishAlias: live\n", "");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .filteredOn(p -> p.contains("AutoPublishAlias")).hasSize(8)
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

    // ---------------------------------------------------------------- retention

    @Test
    void uploadsExpiringBeforeTheDeadLetterQueuesLetGo_isReported() throws IOException {
        Template t = mutated("    Default: 21\n", "    Default: 14\n");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("bucket IngestBucket").contains("ExpireProcessedUploads")
                        .contains("expires objects after 14 days").contains("expected more than the 1209600 s")
                        .contains("a late redrive would find its upload gone"));
    }

    @Test
    void realTemplate_keepsUploadsLongerThanEveryDeadLetterQueueKeepsMessages() throws IOException {
        Template t = Template.load(TestPaths.template());

        assertThat(t.parameterDefaults().get("UploadRetentionDays")).isEqualTo("21");
        assertThat(t.lifecycleRules("IngestBucket")).filteredOn(r -> r.containsKey("ExpirationInDays")).singleElement()
                .satisfies(r -> assertThat(r.get("ExpirationInDays")).isEqualTo(Map.of("Ref", "UploadRetentionDays")));
        assertThat(t.parameterDefaults()).containsEntry("QuarantineRetentionDays", "30").containsEntry("ScratchRetentionDays", "15");
        assertThat(TemplateChecks.problems(t, TestPaths.root())).noneMatch(p -> p.contains("expires objects"));
    }

    @Test
    void literalExpirationShorterThanADeadLetterQueue_isReported_andALongerOneIsNot() throws IOException {
        Template shorter = mutated("ExpirationInDays: !Ref UploadRetentionDays", "ExpirationInDays: 14");
        Template longer = mutated("ExpirationInDays: !Ref UploadRetentionDays", "ExpirationInDays: 15");

        assertThat(TemplateChecks.problems(shorter, TestPaths.root())).anySatisfy(p -> assertThat(p).contains("after 14 days"));
        assertThat(TemplateChecks.problems(longer, TestPaths.root())).isEmpty();
    }

    @Test
    void deadLetterQueueKeepingMessagesLessThanItsSource_isReported() throws IOException {
        String dlq = "  ThumbnailDLQ:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n"
                + "    Properties:\n      SqsManagedSseEnabled: !If [UseKms, !Ref AWS::NoValue, true]\n"
                + "      KmsMasterKeyId: !If [UseKms, !Ref KmsKeyArn, !Ref AWS::NoValue]\n      MessageRetentionPeriod: ";
        Template t = mutated(dlq + "1209600", dlq + "86400");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("queue ThumbnailDLQ keeps messages 86400 s")
                        .contains("less than its source queue ThumbnailQueue (345600 s)"));
    }

    // ---------------------------------------------------------------- the sweeper

    @Test
    void scheduleThatIsNoRateOrCron_isReported() throws IOException {
        Template t = mutated("Schedule: rate(5 minutes)", "Schedule: every 5 minutes");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("SweeperFunction").contains("every 5 minutes")
                        .contains("expected rate(...) or cron(...)"));
    }

    @Test
    void sweeperWithoutItsSchedule_isReported() throws IOException {
        Template t = mutated("        Sweep:\n          Type: Schedule\n", "        Sweep:\n          Type: Api\n");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("SweeperFunction has no event source"));
    }

    @Test
    void renderFunctionWithoutItsFunctionUrl_isReported_andSoIsTheOriginThatNamesIt() throws IOException {
        Template t = mutated("      FunctionUrlConfig:\n        AuthType: AWS_IAM\n", "");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("function RenderFunction has no event source"))
                .anySatisfy(p -> assertThat(p).contains("asks for RenderFunctionUrl.FunctionUrl, but there is no RenderFunctionUrl"));
    }

    @Test
    void functionWithoutEventsOrSnapStart_isExempt_onlyAsThePreTrafficHook() throws IOException {
        Template t = mutated("        Hooks:\n          PreTraffic: !Ref PreTrafficHookFunction\n", "");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("function PreTrafficHookFunction has no event source"))
                .anySatisfy(p -> assertThat(p).contains("function PreTrafficHookFunction has EphemeralStorage 512 MB")
                        .contains("expected SnapStart"));
    }

    @Test
    void sweeperRoutingStepsOtherwiseThanValidate_isReported() throws IOException {
        String anchor = "where a pending step is re-driven.\n          PIPELINE_STEPS: !Sub |\n"
                + "            thumbnail image,video,document ${ThumbnailQueue}\n";
        Template t = mutated(anchor, anchor.replace("thumbnail image,video,document", "thumbnail image,video"));

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("SweeperFunction sets PIPELINE_STEPS")
                        .contains("expected the same lines as ValidateFunction"));
    }

    @Test
    void sweeperWithoutSnapStart_isReported() throws IOException {
        Template t = mutated("      ReservedConcurrentExecutions: 1\n      # Primed with the sweeper's decisions and a re-sent"
                + " notification (SweeperHandler, Sweeper.prime).\n      SnapStart:\n        ApplyOn: PublishedVersions\n",
                "      ReservedConcurrentExecutions: 1\n");

        assertThat(TemplateChecks.problems(t, TestPaths.root()))
                .anySatisfy(p -> assertThat(p).contains("SweeperFunction").contains("expected SnapStart: {ApplyOn: PublishedVersions}"));
    }
}
