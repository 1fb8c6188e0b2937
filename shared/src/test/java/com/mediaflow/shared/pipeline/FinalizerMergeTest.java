package com.mediaflow.shared.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure half of finalize: step results merged over the manifest, without S3. */
class FinalizerMergeTest {
    private static final String ID = "b".repeat(64);

    private static Manifest processing() {
        return new Manifest(ID, MediaStatus.PROCESSING, MediaFormat.PNG, MediaCategory.IMAGE, 10, new Manifest.Location("media", "o"),
                Map.of("thumbnail", StepState.PENDING, "metadata", StepState.PENDING), List.of(), List.of(), Map.of("kept", 1));
    }

    @Test
    void merge_withOneStepMissing_isPending_andKeepsWhatTheOtherMade() {
        StepResult thumbnail = new StepResult(ID, "thumbnail", List.of(new Output("thumbnail", "k", "image/jpeg", 8, 8, 3L)),
                Map.of("width", 8), List.of());

        Finalizer.Merged merged = Finalizer.merge(processing(),
                step -> step.equals("thumbnail") ? Optional.of(thumbnail) : Optional.empty());

        assertThat(merged.pending()).isTrue();
        assertThat(merged.steps()).containsEntry("thumbnail", StepState.DONE).containsEntry("metadata", StepState.PENDING);
        assertThat(merged.outputs()).hasSize(1);
        assertThat(merged.metadata()).containsEntry("kept", 1).containsEntry("width", 8);
        assertThat(merged.failed()).isFalse();
    }

    @Test
    void merge_withAStepThatRejectedTheContent_isFailed_withItsReason() {
        Reason broken = Reason.error(ReasonCode.STRUCTURE_INVALID, "expected a decodable PNG, found a broken IDAT");

        Finalizer.Merged merged = Finalizer.merge(processing(), step -> Optional.of(step.equals("metadata")
                ? new StepResult(ID, step, List.of(), Map.of(), List.of(broken))
                : new StepResult(ID, step, List.of(), Map.of(), List.of())));

        assertThat(merged.pending()).isFalse();
        assertThat(merged.failed()).isTrue();
        assertThat(merged.reasons()).containsExactly(broken);
    }

    @Test
    void merge_thumbnailsHashAndMetadataStepsWarning_isReady_withBothInTheManifest() {
        Reason incomplete = Reason.warning(ReasonCode.PROPERTIES_INCOMPLETE,
                "metadata: HEIF primary item 1 ('iovl') has no 'ispe', expected its image size");
        StepResult metadata = new StepResult(ID, "metadata", List.of(), Map.of("colorSpace", "sRGB"),
                List.of(incomplete));
        StepResult thumbnail = new StepResult(ID, "thumbnail", List.of(),
                Map.of("perceptualHash", "9bb6647164c9c89b", "placeholder", Map.of("width", 32)), List.of());

        Finalizer.Merged merged = Finalizer.merge(processing(),
                step -> Optional.of(step.equals("metadata") ? metadata : thumbnail));

        assertThat(merged.pending()).isFalse();
        assertThat(merged.failed()).as("a warning does not quarantine").isFalse();
        assertThat(merged.metadata()).containsEntry("perceptualHash", "9bb6647164c9c89b")
                .containsEntry("colorSpace", "sRGB").containsKey("placeholder");
        assertThat(merged.reasons()).containsExactly(incomplete);
    }
}
