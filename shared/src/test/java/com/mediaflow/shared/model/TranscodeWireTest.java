package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.NewerFormatException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of what the transcode queue carries, pinned: a deployment runs the old and the new
 * version side by side, and each must read the other's jobs.
 */
class TranscodeWireTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void jobs_areWritten_byteForByte_asBefore() {
        assertThat(Json.write(TranscodeJob.segment(ID, "media", 3, "360p")))
                .isEqualTo("{\"job\":\"segment\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"segment\":3,\"target\":\"360p\",\"v\":2}");
        assertThat(Json.write(TranscodeJob.audio(ID, "media")))
                .isEqualTo("{\"job\":\"audio\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"v\":2}");
        assertThat(Json.write(TranscodeJob.stitch(ID, "media")))
                .isEqualTo("{\"job\":\"stitch\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"v\":2}");
    }

    @Test
    void theStepMessage_isWritten_asBefore() {
        assertThat(Json.write(new StepMessage(ID, "transcode", MediaFormat.MP4, MediaCategory.VIDEO, "media", "media/" + ID + "/original")))
                .isEqualTo("{\"mediaId\":\"" + ID + "\",\"step\":\"transcode\",\"type\":\"video/mp4\",\"category\":\"video\","
                        + "\"bucket\":\"media\",\"key\":\"media/" + ID + "/original\",\"v\":2}");
    }

    @Test
    void todaysMessages_withAndWithoutTheirVersion_areRead_asTheVariantTheyAre() {
        StepMessage m = new StepMessage(ID, "transcode", MediaFormat.MP4, MediaCategory.VIDEO, "media", "media/" + ID + "/original");
        for (String v : List.of("", ",\"v\":1", ",\"v\":2")) {
            assertThat(TranscodeWork.read(Json.write(m).replace(",\"v\":2", v))).isEqualTo(new TranscodeWork.Step(m));
            assertThat(TranscodeWork.read(("{\"job\":\"segment\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"segment\":3,"
                    + "\"target\":\"360p\"" + v + "}"))).isEqualTo(TranscodeJob.segment(ID, "media", 3, "360p"));
            assertThat(TranscodeWork.read("{\"job\":\"audio\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\"" + v + "}"))
                    .isEqualTo(TranscodeJob.audio(ID, "media"));
            assertThat(TranscodeWork.read("{\"bucket\":\"media\",\"job\":\"stitch\",\"mediaId\":\"" + ID + "\"" + v + "}"))
                    .isEqualTo(TranscodeJob.stitch(ID, "media"));
        }
        // a segment job without its segment is read; the job refuses it against the plan
        assertThat(TranscodeWork.read("{\"job\":\"segment\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"target\":\"360p\"}"))
                .isEqualTo(new TranscodeJob.Segment(ID, "media", null, "360p"));
    }

    @Test
    void aNewerFormat_isRetryable_andNamesTheTypeAsBefore() {
        assertThatThrownBy(() -> TranscodeWork.read("{\"job\":\"stitch\",\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"v\":3}"))
                .isInstanceOf(NewerFormatException.class).hasMessageStartingWith("a TranscodeJob of format version 3,");
        assertThatThrownBy(() -> TranscodeWork.read("{\"mediaId\":\"" + ID + "\",\"bucket\":\"media\",\"v\":3}"))
                .isInstanceOf(NewerFormatException.class).hasMessageStartingWith("a StepMessage of format version 3,");
    }

    @Test
    void whatIsNoTranscodeMessage_isMalformed_sayingWhatWasExpected() {
        assertThatThrownBy(() -> TranscodeWork.read("not json")).isInstanceOf(MalformedEventException.class)
                .hasMessage("transcode message is not JSON: not json");
        assertThatThrownBy(() -> TranscodeWork.read("[1]")).isInstanceOf(MalformedEventException.class)
                .hasMessage("transcode message is not a JSON object: [1]");
        assertThatThrownBy(() -> TranscodeWork.read("{\"job\":\"mux\",\"mediaId\":\"" + ID + "\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessage("transcode job is 'mux', expected segment, audio or stitch");
        assertThatThrownBy(() -> TranscodeWork.read("{\"job\":null}")).isInstanceOf(MalformedEventException.class)
                .hasMessage("transcode job is 'null', expected segment, audio or stitch");
        assertThatThrownBy(() -> TranscodeWork.read("{\"job\":\"segment\",\"segment\":\"three\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("expected a JSON TranscodeJob, found: ");
    }
}
