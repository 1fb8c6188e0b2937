package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.Severity;
import com.mediaflow.testkit.Corpus;
import org.junit.jupiter.api.Test;

class CodecWarningsTest {

    @Test
    void warnings_areCollectedInTheOpenScope_once_inOrder_andNotOutsideIt() {
        CodecWarnings.warn(ReasonCode.METADATA_DAMAGED, "before any scope");
        try (CodecWarnings.Scope scope = CodecWarnings.open()) {
            CodecWarnings.warn(ReasonCode.ICC_PROFILE_IGNORED, "b");
            CodecWarnings.warn(ReasonCode.METADATA_DAMAGED, "a");
            CodecWarnings.warn(ReasonCode.ICC_PROFILE_IGNORED, "b");

            assertThat(scope.warnings()).containsExactly(Reason.warning(ReasonCode.ICC_PROFILE_IGNORED, "b"),
                    Reason.warning(ReasonCode.METADATA_DAMAGED, "a"));
        }
        try (CodecWarnings.Scope after = CodecWarnings.open()) {
            assertThat(after.warnings()).as("nothing leaks from a closed scope").isEmpty();
        }
    }

    @Test
    void nestedScopes_theInnerCollects_thenTheOuterAgain() {
        try (CodecWarnings.Scope outer = CodecWarnings.open()) {
            try (CodecWarnings.Scope inner = CodecWarnings.open()) {
                CodecWarnings.warn(ReasonCode.FRAME_UNDECODABLE, "inner");
                assertThat(inner.warnings()).extracting(Reason::message).containsExactly("inner");
            }
            CodecWarnings.warn(ReasonCode.FRAME_UNDECODABLE, "outer");
            assertThat(outer.warnings()).extracting(Reason::message).containsExactly("outer");
        }
    }

    @Test
    void exifReader_onTheCorpusPhotoWithOrientationZero_warnsThatItTookItAsUpright() {
        try (CodecWarnings.Scope scope = CodecWarnings.open()) {
            ExifInfo info = ExifReader.read(Corpus.file("exif-orientation/Portrait_0.jpg"));

            assertThat(info.orientation()).isEqualTo(1);
            assertThat(scope.warnings()).singleElement().satisfies(w -> {
                assertThat(w.code()).isEqualTo(ReasonCode.METADATA_DAMAGED);
                assertThat(w.severity()).isEqualTo(Severity.WARNING);
                assertThat(w.message()).isEqualTo("EXIF orientation is 0, expected 1-8; taken as 1 (upright)");
            });
        }
        try (CodecWarnings.Scope scope = CodecWarnings.open()) {
            ExifReader.read(Corpus.file("exif-orientation/Portrait_6.jpg"));
            assertThat(scope.warnings()).as("a well-formed photo").isEmpty();
        }
    }
}
