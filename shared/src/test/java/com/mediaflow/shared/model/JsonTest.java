package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.NewerFormatException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static Manifest manifest() {
        Map<String, StepState> steps = new LinkedHashMap<>();
        steps.put("thumbnail", StepState.DONE);
        steps.put("metadata", StepState.PENDING);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("width", 640);
        metadata.put("height", 426);
        metadata.put("camera", Map.of("model", "iPhone 12", "make", "Apple"));
        metadata.put("tags", List.of("b", "a"));
        return new Manifest(ID, MediaStatus.PROCESSING, MediaFormat.HEIC, MediaCategory.IMAGE, 293_608L,
                new Manifest.Location("mediaflow-media", "media/" + ID + "/original.heic"),
                steps,
                List.of(Reason.warning(ReasonCode.STRUCTURE_INVALID, "XMP packet is not XML, skipped")),
                List.of(new Output("thumbnail", "media/" + ID + "/thumb-320.jpg", "image/jpeg", 320, 213, 12_345L)),
                metadata);
    }

    private static Receipt receipt() {
        return new Receipt("mediaflow-ingest", "uploads/cat.pdf", "\"abc\"", 1024, "application/pdf", ID, MediaFormat.PNG,
                MediaStatus.QUARANTINED,
                List.of(Reason.error(ReasonCode.TYPE_MISMATCH, "the Content-Type 'application/pdf' says ...")), true);
    }

    private static StepResult stepResult() {
        return new StepResult(ID, "thumbnail",
                List.of(new Output("thumbnail", "media/" + ID + "/thumb-320.jpg", "image/jpeg", 320, 240, 999L),
                        new Output("placeholder", "media/" + ID + "/lqip.jpg", "image/jpeg", null, null, null)),
                Map.of("z", "last", "a", "first"), List.of());
    }

    private static CompletionEvent completion() {
        return new CompletionEvent(ID, MediaStatus.QUARANTINED, MediaFormat.ELF, null, "uploads/evil.jpg",
                List.of(Reason.error(ReasonCode.EXECUTABLE, "expected media, found an ELF executable")));
    }

    @Test
    void manifest_roundTrip_equalsOriginal() {
        Manifest original = manifest();

        assertThat(Json.read(Json.write(original), Manifest.class)).isEqualTo(original);
        assertThat(Json.read(Json.bytes(original), Manifest.class)).isEqualTo(original);
    }

    @Test
    void receipt_roundTrip_equalsOriginal() {
        assertThat(Json.read(Json.write(receipt()), Receipt.class)).isEqualTo(receipt());
    }

    @Test
    void stepResult_roundTrip_equalsOriginal() {
        StepResult original = stepResult();

        StepResult back = Json.read(Json.write(original), StepResult.class);

        assertThat(back).isEqualTo(original);
        assertThat(back.failed()).isFalse();
    }

    @Test
    void completionEvent_roundTrip_equalsOriginal() {
        assertThat(Json.read(Json.write(completion()), CompletionEvent.class)).isEqualTo(completion());
    }

    @Test
    void smallMessages_roundTrip_equalOriginal() {
        StepMessage msg = new StepMessage(ID, "thumbnail", MediaFormat.PNG, MediaCategory.IMAGE, "media", "media/" + ID + "/original.png");
        StepDone done = new StepDone(ID, "thumbnail");

        assertThat(Json.read(Json.write(msg), StepMessage.class)).isEqualTo(msg);
        assertThat(Json.read(Json.write(done), StepDone.class)).isEqualTo(done);
    }

    @Test
    void write_sameContentBuiltInDifferentOrder_isIdenticalBytes() {
        // given two equal manifests whose maps were filled in different orders
        Manifest a = manifest();
        Map<String, StepState> steps = new LinkedHashMap<>();
        steps.put("metadata", StepState.PENDING);
        steps.put("thumbnail", StepState.DONE);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("tags", List.of("b", "a"));
        metadata.put("camera", Map.of("make", "Apple", "model", "iPhone 12"));
        metadata.put("height", 426);
        metadata.put("width", 640);
        Manifest b = new Manifest(a.mediaId(), a.status(), a.type(), a.category(), a.size(), a.original(), steps,
                a.reasons(), a.outputs(), metadata);

        // then their bytes are identical, and so are repeated writes
        assertThat(Json.bytes(b)).isEqualTo(Json.bytes(a));
        assertThat(Json.bytes(a)).isEqualTo(Json.bytes(manifest()));
    }

    @Test
    void write_mapKeys_areSortedAtEveryDepth() {
        String json = Json.write(manifest());

        assertThat(json).containsSubsequence("\"metadata\":{\"camera\":{\"make\":\"Apple\",\"model\":\"iPhone 12\"},\"height\":426,\"tags\":[\"b\",\"a\"],\"width\":640}");
        assertThat(json).contains("\"steps\":{\"metadata\":\"PENDING\",\"thumbnail\":\"DONE\"}");
        assertThat(Json.write(stepResult())).contains("\"metadata\":{\"a\":\"first\",\"z\":\"last\"}");
    }

    @Test
    void write_nulls_areOmitted() {
        String placeholder = Json.write(new Output("placeholder", "k", "image/jpeg", null, null, null));
        String event = Json.write(completion());

        assertThat(placeholder).isEqualTo("{\"kind\":\"placeholder\",\"key\":\"k\",\"contentType\":\"image/jpeg\"}");
        assertThat(event).doesNotContain("null").doesNotContain("manifestKey");
    }

    @Test
    void write_reasonCodes_areTheirNames() {
        String json = Json.write(completion());

        assertThat(json).contains("\"code\":\"EXECUTABLE\"", "\"severity\":\"ERROR\"", "\"status\":\"QUARANTINED\"");
    }

    @Test
    void write_derivedAccessors_areNotSerialised() {
        assertThat(Json.write(manifest())).doesNotContain("terminal");
        assertThat(Json.write(stepResult())).doesNotContain("failed");
        assertThat(Json.write(completion())).doesNotContain("rejects");
    }

    @Test
    void read_unknownFields_areIgnored() {
        String json = "{\"mediaId\":\"" + ID + "\",\"step\":\"thumbnail\",\"addedInV2\":{\"x\":1},\"priority\":5}";

        assertThat(Json.read(json, StepDone.class)).isEqualTo(new StepDone(ID, "thumbnail"));
    }

    @Test
    void read_missingCollections_areEmptyNotNull() {
        Manifest m = Json.read("{\"mediaId\":\"" + ID + "\",\"status\":\"READY\",\"size\":1}", Manifest.class);

        assertThat(m.steps()).isEmpty();
        assertThat(m.reasons()).isEmpty();
        assertThat(m.outputs()).isEmpty();
        assertThat(m.metadata()).isEmpty();
        assertThat(m.terminal()).isTrue();
    }

    @Test
    void read_reasonCodeByName_isParsed() {
        String json = "{\"mediaId\":\"m\",\"step\":\"thumbnail\",\"reasons\":[{\"code\":\"DECODE_FAILED\",\"severity\":\"ERROR\",\"message\":\"x\"}]}";

        StepResult r = Json.read(json, StepResult.class);

        assertThat(r.reasons()).containsExactly(Reason.error(ReasonCode.DECODE_FAILED, "x"));
        assertThat(r.failed()).isTrue();
    }

    @Test
    void read_invalidJson_isMalformedNamingType() {
        assertThatThrownBy(() -> Json.read("{not json", Receipt.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("Receipt")
                .hasMessageContaining("{not json")
                .hasCauseInstanceOf(Exception.class);
    }

    /** A reason code this code does not have comes from a newer version that added a check: retried, not FAILED. */
    @Test
    void read_unknownReasonCode_isANewerFormat() {
        String json = "{\"mediaId\":\"m\",\"reasons\":[{\"code\":\"NO_SUCH_CODE\",\"severity\":\"ERROR\",\"message\":\"x\"}]}";

        assertThatThrownBy(() -> Json.read(json, CompletionEvent.class)).isInstanceOf(NewerFormatException.class)
                .hasMessageContaining("reasons[0].code is 'NO_SUCH_CODE'");
    }

    @Test
    void read_longInvalidInput_isAbbreviatedInMessage() {
        String junk = "x".repeat(5000);

        assertThatThrownBy(() -> Json.read(junk.getBytes(StandardCharsets.UTF_8), Receipt.class))
                .isInstanceOf(MalformedEventException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }
}
