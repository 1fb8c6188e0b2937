package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.error.NewerFormatException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionedTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final StepMessage MESSAGE = new StepMessage(ID, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, "media", "media/" + ID + "/original");

    @Test
    void everyDocumentThatCrossesAVersionBoundary_saysItsFormat() {
        List<Versioned> documents = List.of(MESSAGE, new StepDone(ID, "thumbnail", null),
                new StepResult(ID, "thumbnail", List.of(), Map.of(), List.of()),
                TranscodeJob.segment(ID, "media", 3, "360p"));
        for (Versioned d : documents) {
            assertThat(Json.MAPPER.valueToTree(d).get("v").asInt()).as(d.getClass().getSimpleName()).isEqualTo(Versioned.CURRENT);
        }
        assertThat(Json.write(MESSAGE)).endsWith(",\"v\":2}");
    }

    @Test
    void theCurrentAndThePreviousFormat_areRead_theSame() {
        String current = Json.write(MESSAGE);
        String previous = current.replace(",\"v\":2", "");
        String explicitPrevious = current.replace("\"v\":2", "\"v\":1");

        assertThat(previous).doesNotContain("\"v\"");
        assertThat(Json.read(current, StepMessage.class)).isEqualTo(MESSAGE);
        assertThat(Json.read(previous, StepMessage.class)).isEqualTo(MESSAGE);
        assertThat(Json.read(explicitPrevious, StepMessage.class)).isEqualTo(MESSAGE);
    }

    @Test
    void aNewerFormat_isRefusedAsRetryable_soTheMessageWaitsForTheNewerVersion() {
        String newer = Json.write(MESSAGE).replace("\"v\":2", "\"v\":3");

        assertThatThrownBy(() -> Json.read(newer, StepMessage.class)).isInstanceOf(NewerFormatException.class)
                .hasMessage("a StepMessage of format version 3, written by a newer deployment; this code reads versions 1 to 2,"
                        + " so it leaves the message for the newer version (or for after the rollback)")
                .satisfies(e -> assertThat(((MediaflowException) e).retryable()).isTrue());
    }

    @Test
    void aVersionThatIsNoVersion_isMalformed() {
        for (String v : List.of("0", "-1", "\"two\"", "2.5")) {
            String odd = Json.write(MESSAGE).replace("\"v\":2", "\"v\":" + v);
            assertThatThrownBy(() -> Json.read(odd, StepMessage.class)).as(v).isInstanceOf(MalformedEventException.class)
                    .hasMessageContaining("whose \"v\" is a format version from 1 to 2, found " + v);
        }
    }

    @Test
    void unversionedTypes_areReadAsBefore() {
        assertThat(Json.read("{\"bucket\":\"b\",\"key\":\"k\",\"v\":9}", Manifest.Location.class))
                .isEqualTo(new Manifest.Location("b", "k"));
    }

    @Test
    void anEmptyOrNullDocument_isMalformed_notNull() {
        for (String body : List.of("", "   ", "null")) {
            assertThatThrownBy(() -> Json.read(body, Receipt.class)).as("'" + body + "'").isInstanceOf(MalformedEventException.class);
        }
    }
}
