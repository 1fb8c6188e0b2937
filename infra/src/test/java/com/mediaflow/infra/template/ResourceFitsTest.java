package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch fits its timeout and a download fits its /tmp at the largest allowed upload; ProductionChecks says when not. */
class ResourceFitsTest {
    @TempDir
    Path tmp;

    @Test
    void realTemplate_fits() throws IOException {
        Template template = Template.load(TestPaths.template());

        assertThat(ResourceFits.problems(template)).isEmpty();
        assertThat(ResourceFits.largestUpload(template)).isEqualTo(4L << 30);
    }

    @Test
    void everyQueueReader_declaresItsTransfer_andEveryDownloaderItsScratch() throws IOException {
        Template template = Template.load(TestPaths.template());

        for (Template.FunctionDef f : template.functions()) {
            if (!f.events().isEmpty()) {
                assertThat(ResourceFits.TRANSFERS).as("transfer of %s", f.logicalId()).containsKey(f.logicalId());
            }
        }
        assertThat(ResourceFits.SCRATCH).containsOnlyKeys("ThumbnailFunction", "MetadataFunction", "TranscodeFunction");
        ResourceFits.TRANSFERS.values().forEach(s -> assertThat(s.uploads()).isPositive());
    }

    @Test
    void validateBatchOfTen_atFourGiB_isReported() throws IOException {
        assertThat(problems("at MaxUploadBytes' MaxValue).\n            BatchSize: 1\n",
                "at MaxUploadBytes' MaxValue).\n            BatchSize: 10\n"))
                .anySatisfy(p -> assertThat(p).contains("function ValidateFunction event Ingest: a batch of 10 at the largest upload")
                        .contains("expected at most its Timeout of 120 s").contains("at 85 MB/s"));
    }

    @Test
    void finalizeBatchOfTen_orAShortTimeout_isReported() throws IOException {
        assertThat(problems("(ResourceFits holds a batch within the Timeout).\n            BatchSize: 1\n",
                "(ResourceFits holds a batch within the Timeout).\n            BatchSize: 10\n"))
                .anySatisfy(p -> assertThat(p).contains("function FinalizeFunction event StepDone: a batch of 10"));
        assertThat(problems("      Handler: com.mediaflow.finalize.FinalizeHandler::handleRequest\n      Timeout: 90\n",
                "      Handler: com.mediaflow.finalize.FinalizeHandler::handleRequest\n      Timeout: 30\n"))
                .anySatisfy(p -> assertThat(p).contains("function FinalizeFunction event StepDone: a batch of 1 ")
                        .contains("expected at most its Timeout of 30 s"));
    }

    @Test
    void thumbnailStorageOfFourGiB_isReported() throws IOException {
        assertThat(problems("      EphemeralStorage:\n        Size: 5120\n      Environment:\n        Variables:\n"
                + "          FINALIZE_QUEUE_URL: !Ref FinalizeQueue\n          MAX_RECEIVE_COUNT: 5 # ThumbnailQueue",
                "      EphemeralStorage:\n        Size: 4096\n      Environment:\n        Variables:\n"
                + "          FINALIZE_QUEUE_URL: !Ref FinalizeQueue\n          MAX_RECEIVE_COUNT: 5 # ThumbnailQueue"))
                .anySatisfy(p -> assertThat(p).startsWith("function ThumbnailFunction has EphemeralStorage.Size 4096 MB,"
                        + " expected at least 4196 MB"));
    }

    @Test
    void transcodeStorageBeyondLambdasLargest_isReported() throws IOException {
        assertThat(problems("        Size: 10240\n", "        Size: 20480\n"))
                .anySatisfy(p -> assertThat(p).contains("function TranscodeFunction has EphemeralStorage.Size 20480 MB, expected at most 10240"));
    }

    @Test
    void largerUploadsAllowed_orNoUpperBound_isReported() throws IOException {
        assertThat(problems("    MaxValue: 4294967296\n", "    MaxValue: 8589934592\n"))
                .anySatisfy(p -> assertThat(p).startsWith("function TranscodeFunction has EphemeralStorage.Size 10240 MB,"
                        + " expected at least 16484 MB"))
                .anySatisfy(p -> assertThat(p).startsWith("function MetadataFunction has EphemeralStorage.Size"))
                .anySatisfy(p -> assertThat(p).startsWith("function ValidateFunction event Ingest: a batch of 1 "));
        assertThat(problems("    MaxValue: 4294967296\n", ""))
                .anySatisfy(p -> assertThat(p).contains("parameter MaxUploadBytes has MaxValue null"));
    }

    /** ProductionChecks' problems of template.yaml with the first {@code from} replaced by {@code to}. */
    private List<String> problems(String from, String to) throws IOException {
        String yaml = Files.readString(TestPaths.template());
        assertThat(yaml).as("the mutation's anchor text must be in template.yaml").contains(from);
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return ProductionChecks.problems(Template.load(copy));
    }
}
