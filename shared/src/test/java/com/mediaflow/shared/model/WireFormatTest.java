package com.mediaflow.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.error.NewerFormatException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes on the wire, pinned: each document below is what this code wrote before the model's
 * types carried enums (the step messages are {@code events/*.json}'s bodies, the completion event
 * is docs/architecture.md's). Reading one and writing it again gives the same bytes, and a
 * document of format version 1 (no {@code "v"}) is read and written as version 2 with nothing else
 * changed. The records carry enums ({@link MediaFormat} as its MIME type, {@link MediaCategory} as
 * its lowercase name, {@link StepState} and {@link MediaStatus} by name); a name this code does not
 * know is a {@link NewerFormatException}.
 */
class WireFormatTest {
    static final String ID = "a23b1b0eac8c5ee5ae0373d07984b8d57df152e6be363d2ab77b304285bcad81";
    static final String VIDEO_ID = "318a2cb02e94ef5de7c87532f43a31f50a10d4f96fde73200534b65ee3b8ad1c";
    static final String MEDIA = "mediaflow-media-us-east-1-000000000000";
    static final String INGEST = "mediaflow-ingest-us-east-1-000000000000";
    static final String UPLOAD_ID = "a02c37259804df340cf0219dabe7c222ba16237bf9361271e724fb64a4d49aba";
    static final String EVENT_ID = "cd11206ec87bffc2f9d52e107f0ffa51d865ed97264f060c71944eb61aa29fe6";

    /** events/thumbnail-sqs.json's body (version 1), as written now. */
    static final String THUMBNAIL_MESSAGE = "{\"mediaId\":\"" + ID + "\",\"step\":\"thumbnail\",\"type\":\"image/jpeg\","
            + "\"category\":\"image\",\"bucket\":\"" + MEDIA + "\",\"key\":\"media/" + ID + "/original\",\"v\":2}";
    /** events/transcode-sqs.json's body (version 1), as written now. */
    static final String TRANSCODE_MESSAGE = "{\"mediaId\":\"" + VIDEO_ID + "\",\"step\":\"transcode\",\"type\":\"video/mp4\","
            + "\"category\":\"video\",\"bucket\":\"" + MEDIA + "\",\"key\":\"media/" + VIDEO_ID + "/original\",\"v\":2}";
    /** What validate sends now: the item's steps named, so that only the last step to finish tells finalize. */
    static final String THUMBNAIL_MESSAGE_WITH_STEPS = "{\"mediaId\":\"" + ID + "\",\"step\":\"thumbnail\",\"type\":\"image/jpeg\","
            + "\"category\":\"image\",\"bucket\":\"" + MEDIA + "\",\"key\":\"media/" + ID + "/original\","
            + "\"steps\":[\"metadata\",\"thumbnail\"],\"v\":2}";
    static final String SHADOW_MESSAGE = "{\"mediaId\":\"" + ID + "\",\"step\":\"metadata\",\"type\":\"audio/mpeg\","
            + "\"category\":\"audio\",\"bucket\":\"" + MEDIA + "\",\"key\":\"media/" + ID + "/original\",\"shadow\":true,\"v\":2}";
    /** events/finalize-sqs.json's body (version 1), as written now. */
    static final String STEP_DONE = "{\"mediaId\":\"" + ID + "\",\"step\":\"thumbnail\",\"v\":2}";
    static final String STEP_PROGRESS = "{\"mediaId\":\"" + VIDEO_ID + "\",\"step\":\"transcode\",\"progress\":\"segments 37/60\",\"v\":2}";
    static final String PROCESSING_MANIFEST = "{\"mediaId\":\"" + VIDEO_ID + "\",\"status\":\"PROCESSING\",\"type\":\"video/mp4\","
            + "\"category\":\"video\",\"size\":2097152,\"original\":{\"bucket\":\"" + MEDIA + "\",\"key\":\"media/" + VIDEO_ID
            + "/original\"},\"steps\":{\"metadata\":\"DONE\",\"thumbnail\":\"PENDING\",\"transcode\":\"PENDING\"},"
            + "\"reasons\":[{\"code\":\"STRUCTURE_INVALID\",\"severity\":\"WARNING\",\"message\":\"XMP skipped\"}],"
            + "\"outputs\":[],\"metadata\":{\"durationSeconds\":12.5,\"width\":1920},"
            + "\"progress\":{\"transcode\":\"segments 37/60\"},\"claimedBy\":\"" + UPLOAD_ID + "\",\"v\":2}";
    static final String READY_MANIFEST = "{\"mediaId\":\"" + ID + "\",\"status\":\"READY\",\"type\":\"image/jpeg\","
            + "\"category\":\"image\",\"size\":94,\"original\":{\"bucket\":\"" + MEDIA + "\",\"key\":\"media/" + ID + "/original\"},"
            + "\"steps\":{\"metadata\":\"DONE\",\"thumbnail\":\"DONE\"},\"reasons\":[],"
            + "\"outputs\":[{\"kind\":\"thumbnail\",\"key\":\"media/" + ID + "/thumbnail/256.webp\",\"contentType\":\"image/webp\","
            + "\"width\":256,\"height\":171,\"bytes\":4242}],\"metadata\":{\"width\":1920},\"progress\":{},"
            + "\"claimedBy\":\"" + UPLOAD_ID + "\",\"v\":2}";
    static final String QUARANTINED_MANIFEST = "{\"mediaId\":\"" + ID + "\",\"status\":\"QUARANTINED\","
            + "\"type\":\"application/octet-stream\",\"category\":\"other\",\"size\":12,\"original\":{\"bucket\":\"quarantine\","
            + "\"key\":\"media/" + ID + "/original\"},\"steps\":{},\"reasons\":[{\"code\":\"STRUCTURE_INVALID\","
            + "\"severity\":\"ERROR\",\"message\":\"not media\"}],\"outputs\":[],\"metadata\":{},\"progress\":{},\"v\":2}";
    static final String RECEIPT = "{\"bucket\":\"" + INGEST + "\",\"key\":\"uploads/sample/Landscape 1.jpg\","
            + "\"etag\":\"1a4b21e45ec884762ef9f4af3ff2c73c\",\"size\":94,\"declaredType\":\"image/jpg\",\"mediaId\":\"" + ID + "\","
            + "\"detectedType\":\"image/jpeg\",\"status\":\"READY\",\"reasons\":[],\"duplicate\":false,"
            + "\"sequencer\":\"0055AED6DCD90281E5\",\"uploadId\":\"" + UPLOAD_ID + "\",\"eventId\":\"" + EVENT_ID + "\","
            + "\"uploadedAt\":\"2026-12-03T09:00:00.000Z\",\"final\":true,\"v\":2}";
    /** {@code "final"} is written (from {@code isFinal()}) and ignored when read. */
    /** A FAILED upload that never got a verdict: no item, no detected type. */
    static final String FAILED_RECEIPT = "{\"bucket\":\"" + INGEST + "\",\"key\":\"uploads/x.bin\",\"etag\":\"0123456789abcdef\","
            + "\"size\":0,\"status\":\"FAILED\",\"reasons\":[],\"duplicate\":false,\"final\":true,\"v\":2}";
    /** docs/architecture.md's completion event, in the order this code writes its fields. */
    static final String COMPLETION_EVENT = "{\"mediaId\":\"" + ID + "\",\"status\":\"READY\",\"type\":\"image/jpeg\","
            + "\"manifestKey\":\"media/" + ID + "/manifest.json\",\"upload\":\"uploads/sample/Landscape 1.jpg\",\"reasons\":[],"
            + "\"eventId\":\"" + EVENT_ID + "\",\"bucket\":\"" + INGEST + "\",\"key\":\"uploads/sample/Landscape 1.jpg\","
            + "\"etag\":\"1a4b21e45ec884762ef9f4af3ff2c73c\",\"sequencer\":\"0055AED6DCD90281E5\",\"uploadId\":\"" + UPLOAD_ID + "\","
            + "\"receiptKey\":\"receipts/1a588e3e08a8435a1cfeae6b11a5919367303017c588d87e63fe360551ad45ba/" + UPLOAD_ID + ".json\","
            + "\"duplicate\":false,\"v\":2}";
    static final String STEP_RESULT = "{\"mediaId\":\"" + ID + "\",\"step\":\"thumbnail\",\"outputs\":[{\"kind\":\"thumbnail\","
            + "\"key\":\"media/" + ID + "/thumbnail/256.webp\",\"contentType\":\"image/webp\",\"width\":256,\"height\":171,"
            + "\"bytes\":4242}],\"metadata\":{\"blurhash\":\"LEHV6nWB2yk8\"},\"reasons\":[],\"v\":2}";

    private static void sameBytes(String json, Class<?> type) {
        assertThat(Json.write(Json.read(json, type))).as(type.getSimpleName()).isEqualTo(json);
    }

    /** The version-1 form of a version-2 document: the same bytes without {@code "v"}. */
    static String version1(String json) {
        assertThat(json).endsWith(",\"v\":2}");
        return json.substring(0, json.length() - ",\"v\":2}".length()) + "}";
    }

    @Test
    void everyDocument_readAndWrittenAgain_isTheSameBytes() {
        for (String m : List.of(THUMBNAIL_MESSAGE, THUMBNAIL_MESSAGE_WITH_STEPS, TRANSCODE_MESSAGE, SHADOW_MESSAGE)) {
            sameBytes(m, StepMessage.class);
        }
        sameBytes(STEP_DONE, StepDone.class);
        sameBytes(STEP_PROGRESS, StepDone.class);
        for (String m : List.of(PROCESSING_MANIFEST, READY_MANIFEST, QUARANTINED_MANIFEST)) {
            sameBytes(m, Manifest.class);
        }
        sameBytes(RECEIPT, Receipt.class);
        sameBytes(FAILED_RECEIPT, Receipt.class);
        sameBytes(COMPLETION_EVENT, CompletionEvent.class);
        sameBytes(STEP_RESULT, StepResult.class);
    }

    @Test
    void version1Documents_areRead_andWrittenAsVersion2_withNothingElseChanged() {
        assertThat(Json.write(Json.read(version1(THUMBNAIL_MESSAGE), StepMessage.class))).isEqualTo(THUMBNAIL_MESSAGE);
        assertThat(Json.write(Json.read(version1(TRANSCODE_MESSAGE), StepMessage.class))).isEqualTo(TRANSCODE_MESSAGE);
        assertThat(Json.write(Json.read(version1(STEP_DONE), StepDone.class))).isEqualTo(STEP_DONE);
        assertThat(Json.write(Json.read(version1(PROCESSING_MANIFEST), Manifest.class))).isEqualTo(PROCESSING_MANIFEST);
        assertThat(Json.write(Json.read(version1(QUARANTINED_MANIFEST), Manifest.class))).isEqualTo(QUARANTINED_MANIFEST);
        assertThat(Json.write(Json.read(version1(RECEIPT), Receipt.class))).isEqualTo(RECEIPT);
        assertThat(Json.write(Json.read(version1(COMPLETION_EVENT), CompletionEvent.class))).isEqualTo(COMPLETION_EVENT);
        assertThat(Json.write(Json.read(version1(STEP_RESULT), StepResult.class))).isEqualTo(STEP_RESULT);
    }

    @Test
    void typedDocuments_writeTodaysBytes() {
        String original = "media/" + ID + "/original";
        assertThat(Json.write(new StepMessage(ID, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, MEDIA, original)))
                .isEqualTo(THUMBNAIL_MESSAGE);
        assertThat(Json.write(new StepMessage(ID, "thumbnail", MediaFormat.JPEG, MediaCategory.IMAGE, MEDIA, original)
                .withSteps(List.of("thumbnail", "metadata")))).isEqualTo(THUMBNAIL_MESSAGE_WITH_STEPS);
        assertThat(Json.read(THUMBNAIL_MESSAGE_WITH_STEPS, StepMessage.class).otherSteps()).containsExactly("metadata");
        assertThat(Json.read(THUMBNAIL_MESSAGE, StepMessage.class).otherSteps()).as("the previous version's: always tells")
                .isEmpty();
        assertThat(Json.write(new StepMessage(VIDEO_ID, "transcode", MediaFormat.MP4, MediaCategory.VIDEO, MEDIA,
                "media/" + VIDEO_ID + "/original"))).isEqualTo(TRANSCODE_MESSAGE);
        assertThat(Json.write(new StepMessage(ID, "metadata", MediaFormat.MP3, MediaCategory.AUDIO, MEDIA, original).asShadow()))
                .isEqualTo(SHADOW_MESSAGE);
        assertThat(Json.write(new Manifest(VIDEO_ID, MediaStatus.PROCESSING, MediaFormat.MP4, MediaCategory.VIDEO, 2097152,
                new Manifest.Location(MEDIA, "media/" + VIDEO_ID + "/original"),
                Map.of("transcode", StepState.PENDING, "metadata", StepState.DONE, "thumbnail", StepState.PENDING),
                List.of(Reason.warning(ReasonCode.STRUCTURE_INVALID, "XMP skipped")), List.of(),
                Map.of("width", 1920, "durationSeconds", 12.5), Map.of("transcode", "segments 37/60"), UPLOAD_ID)))
                .isEqualTo(PROCESSING_MANIFEST);
        assertThat(Json.write(new Manifest(ID, MediaStatus.QUARANTINED, MediaFormat.UNKNOWN, MediaCategory.OTHER, 12,
                new Manifest.Location("quarantine", original), Map.of(), List.of(Reason.error(ReasonCode.STRUCTURE_INVALID,
                "not media")), List.of(), Map.of(), Map.of(), null))).isEqualTo(QUARANTINED_MANIFEST);
        Receipt receipt = new Receipt(INGEST, "uploads/sample/Landscape 1.jpg", "1a4b21e45ec884762ef9f4af3ff2c73c", 94, "image/jpg",
                ID, MediaFormat.JPEG, MediaStatus.READY, List.of(), false, "0055AED6DCD90281E5", UPLOAD_ID, EVENT_ID,
                "2026-12-03T09:00:00.000Z");
        assertThat(Json.write(receipt)).isEqualTo(RECEIPT);
        assertThat(Json.write(CompletionEvent.of(receipt, com.mediaflow.shared.aws.Keys.manifest(ID),
                com.mediaflow.shared.aws.Keys.receipt(receipt.upload())))).isEqualTo(COMPLETION_EVENT);
    }

    @Test
    void documentsRead_carryTheEnums() {
        StepMessage message = Json.read(version1(THUMBNAIL_MESSAGE), StepMessage.class);
        Manifest manifest = Json.read(PROCESSING_MANIFEST, Manifest.class);
        Manifest quarantined = Json.read(QUARANTINED_MANIFEST, Manifest.class);

        assertThat(message.type()).isEqualTo(MediaFormat.JPEG);
        assertThat(message.category()).isEqualTo(MediaCategory.IMAGE);
        assertThat(manifest.steps()).isEqualTo(Map.of("metadata", StepState.DONE, "thumbnail", StepState.PENDING,
                "transcode", StepState.PENDING));
        assertThat(quarantined.type()).isEqualTo(MediaFormat.UNKNOWN);
        assertThat(quarantined.category()).isEqualTo(MediaCategory.OTHER);
        assertThat(Json.read(RECEIPT, Receipt.class).detectedType()).isEqualTo(MediaFormat.JPEG);
        assertThat(Json.read(FAILED_RECEIPT, Receipt.class).detectedType()).isNull();
        assertThat(Json.read(COMPLETION_EVENT, CompletionEvent.class).type()).isEqualTo(MediaFormat.JPEG);
    }

    @Test
    void everyFormatAndCategory_isWrittenByItsWireName_andReadBack() {
        for (MediaFormat f : MediaFormat.values()) {
            assertThat(Json.write(f)).isEqualTo("\"" + f.mimeType() + "\"");
            assertThat(Json.read(Json.write(f), MediaFormat.class)).isEqualTo(f);
        }
        for (MediaCategory c : MediaCategory.values()) {
            assertThat(Json.write(c)).isEqualTo("\"" + c.id() + "\"");
            assertThat(Json.read(Json.write(c), MediaCategory.class)).isEqualTo(c);
        }
    }

    @Test
    void aNameThisCodeDoesNotKnow_isANewerFormat_retryable() {
        Map<String, Class<?>> newer = Map.of(
                THUMBNAIL_MESSAGE.replace("image/jpeg", "image/jxl"), StepMessage.class,
                THUMBNAIL_MESSAGE.replace("\"image\"", "\"hologram\""), StepMessage.class,
                PROCESSING_MANIFEST.replace("\"metadata\":\"DONE\"", "\"metadata\":\"SKIPPED\""), Manifest.class,
                READY_MANIFEST.replace("\"READY\"", "\"ARCHIVED\""), Manifest.class,
                version1(RECEIPT).replace("\"detectedType\":\"image/jpeg\"", "\"detectedType\":\"image/jxl\""), Receipt.class,
                COMPLETION_EVENT.replace("\"type\":\"image/jpeg\"", "\"type\":\"image/jxl\""), CompletionEvent.class,
                STEP_RESULT.replace("\"reasons\":[]", "\"reasons\":[{\"code\":\"DEEPFAKE\",\"severity\":\"ERROR\"}]"),
                StepResult.class);
        newer.forEach((json, type) -> assertThatThrownBy(() -> Json.read(json, type)).as(json)
                .isInstanceOf(NewerFormatException.class)
                .hasMessageContaining("which this code does not know")
                .satisfies(e -> assertThat(((MediaflowException) e).retryable()).isTrue()));
    }

    @Test
    void aNewerFormatName_saysWhereAndWhatIsKnown() {
        String newer = PROCESSING_MANIFEST.replace("\"metadata\":\"DONE\"", "\"metadata\":\"SKIPPED\"");

        assertThatThrownBy(() -> Json.read(newer, Manifest.class)).isInstanceOf(NewerFormatException.class)
                .hasMessage("a Manifest whose steps.metadata is 'SKIPPED', which this code does not know (expected one of"
                        + " PENDING, DONE): written by a newer deployment, so it leaves the message for the newer version"
                        + " (or for after the rollback)");
        assertThatThrownBy(() -> Json.read(THUMBNAIL_MESSAGE.replace("image/jpeg", "image/jxl"), StepMessage.class))
                .hasMessageStartingWith("a StepMessage whose type is 'image/jxl', which this code does not know (expected one of"
                        + " image/jpeg, image/png, ");
    }

    @Test
    void anEnumWrittenAsANumberOrNotAsAString_isMalformed_notReadByPosition() {
        assertThatThrownBy(() -> Json.read(THUMBNAIL_MESSAGE.replace("\"image\"", "0"), StepMessage.class))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> Json.read(READY_MANIFEST.replace("\"READY\"", "1"), Manifest.class))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> Json.read(THUMBNAIL_MESSAGE.replace("{", "{\"junk\":").replace("\"image\",", "[],"),
                StepMessage.class)).isInstanceOf(MalformedEventException.class);
    }
}
