package com.mediaflow.uploadapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.StepState;
import com.mediaflow.shared.model.Upload;
import com.mediaflow.shared.pipeline.MediaDeletion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DELETE /uploads/{id} over an in-memory S3 and SQS: what goes, what stays, in which order, and what a retry finishes. */
class DeletesTest {
    private static final String INGEST = "ingest";
    private static final String MEDIA = "media";
    private static final String QUARANTINE = "quarantine";
    private static final String ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String A = "11111111-1111-4111-8111-111111111111";
    private static final String B = "22222222-2222-4222-8222-222222222222";
    private static final Caller ALICE = new Caller("alice", "alice");

    private MemoryS3 s3;
    private ObjectStore store;
    private MemorySqs sqs;
    private final List<String> invalidated = new ArrayList<>();
    private MediaDeletion.Cdn cdn = (mediaId, renders) -> invalidated.add(mediaId + " " + renders);
    private Deletes deletes;

    @BeforeEach
    void setUp() {
        s3 = new MemoryS3();
        store = new ObjectStore(s3);
        sqs = new MemorySqs();
        deletes = new Deletes(store, MEDIA, new MediaDeletion(store, new Queue(sqs), MEDIA, QUARANTINE, "completion",
                (mediaId, renders) -> cdn.invalidate(mediaId, renders), Clock.systemUTC()));
    }

    /** An API upload of alice's, its bytes in the ingest bucket, its receipt, and its attachment to item ID. */
    private Upload upload(String apiId, MediaStatus status, boolean duplicate) {
        String key = Keys.apiIngestKey("alice", apiId, "beach.jpg");
        store.putJson(MEDIA, Keys.apiUpload(apiId), new UploadRecord(apiId, "alice", INGEST, key, "beach.jpg", "image/jpeg", 5,
                "2026-12-03T10:00:00Z", "2026-12-03T10:15:00Z"));
        s3.objects.put(INGEST + "/" + key, "bytes".getBytes(StandardCharsets.UTF_8));
        Upload upload = new Upload(INGEST, key, "0A1B2C", "etag1");
        Receipt receipt = new Receipt(INGEST, key, "etag1", 5, "image/jpeg", ID, MediaFormat.JPEG, status, List.of(), duplicate,
                "0A1B2C", upload.id(), null);
        store.putJson(MEDIA, Keys.receipt(upload), receipt);
        store.putJson(MEDIA, Keys.upload(ID, upload.id()), receipt);
        return upload;
    }

    /** Item ID with everything an item has: manifest, original, a rendition, a step result, an outbox mark, a stored render, a quarantined copy. */
    private void item(MediaStatus status) {
        store.putJson(MEDIA, Keys.manifest(ID), new Manifest(ID, status, MediaFormat.JPEG, MediaCategory.IMAGE, 5,
                new Manifest.Location(MEDIA, Keys.original(ID)), Map.of("thumbnail", StepState.DONE), List.of(), List.of(),
                Map.of(), Map.of(), "x"));
        for (String k : List.of(Keys.original(ID), Keys.rendition(ID, "thumbnail", "display.jpg"), Keys.stepResult(ID, "thumbnail"),
                Keys.sentPrefix(ID) + "u.READY.json", Keys.renderPrefix(ID) + "256x256-cover.webp")) {
            s3.objects.put(MEDIA + "/" + k, new byte[] {1});
        }
        s3.objects.put(QUARANTINE + "/" + Keys.quarantineReasons(ID), new byte[] {1});
    }

    private List<JsonNode> events() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var m : sqs.sent) {
            out.add(Json.MAPPER.readTree(m.messageBody()));
        }
        return out;
    }

    @Test
    void delete_oneOfTwoUploads_keepsTheItem_thenTheLast_removesItWholly() throws Exception {
        item(MediaStatus.READY);
        Upload a = upload(A, MediaStatus.READY, false);
        Upload b = upload(B, MediaStatus.READY, true);

        assertThat(deletes.delete(ALICE, A)).isTrue();

        assertThat(s3.objects).doesNotContainKeys(MEDIA + "/" + Keys.apiUpload(A), MEDIA + "/" + Keys.receipt(a),
                MEDIA + "/" + Keys.upload(ID, a.id()), INGEST + "/" + a.key());
        assertThat(s3.objects).containsKeys(MEDIA + "/" + Keys.manifest(ID), MEDIA + "/" + Keys.original(ID),
                MEDIA + "/" + Keys.upload(ID, b.id()), MEDIA + "/" + Keys.apiUpload(B));
        assertThat(invalidated).isEmpty();
        JsonNode first = events().get(0);
        assertThat(first.get("status").asText()).isEqualTo("DELETED");
        assertThat(first.get("itemDeleted").asBoolean()).isFalse();
        assertThat(first.get("eventId").asText()).isEqualTo(a.eventId(MediaStatus.DELETED));
        assertThat(first.get("manifestKey").asText()).isEqualTo(Keys.manifest(ID));

        assertThat(deletes.delete(ALICE, B)).isTrue();

        assertThat(s3.objects).as("nothing left of either upload or of the item, in any bucket").isEmpty();
        assertThat(invalidated).containsExactly(ID + " [" + Keys.renderPrefix(ID) + "256x256-cover.webp]");
        JsonNode second = events().get(1);
        assertThat(second.get("itemDeleted").asBoolean()).isTrue();
        assertThat(second.get("eventId").asText()).isEqualTo(b.eventId(MediaStatus.DELETED));
        assertThat(second.has("manifestKey")).as("the manifest went with the item").isFalse();
        assertThat(events()).hasSize(2);
    }

    @Test
    void delete_anotherCallersUpload_isNotFound_andNothingChanges() {
        item(MediaStatus.READY);
        upload(A, MediaStatus.READY, false);
        Map<String, byte[]> before = new TreeMap<>(s3.objects);

        assertThat(deletes.delete(new Caller("mallory", "mallory"), A)).isFalse();
        assertThat(deletes.delete(ALICE, "00000000-0000-4000-8000-000000000000")).isFalse();
        assertThat(deletes.delete(ALICE, "../receipts")).isFalse();

        assertThat(s3.objects).isEqualTo(before);
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void delete_twice_theSecondIsNotFound() {
        item(MediaStatus.READY);
        upload(A, MediaStatus.READY, false);

        assertThat(deletes.delete(ALICE, A)).isTrue();
        assertThat(deletes.delete(ALICE, A)).isFalse();
        assertThat(sqs.sent).hasSize(1);
    }

    @Test
    void delete_whileTheItemIsProcessing_is409_andNothingChanges() {
        item(MediaStatus.PROCESSING);
        upload(A, MediaStatus.PROCESSING, false);
        Map<String, byte[]> before = new TreeMap<>(s3.objects);

        assertThatThrownBy(() -> deletes.delete(ALICE, A)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(409));
        assertThat(s3.objects).isEqualTo(before);
    }

    @Test
    void delete_failingAfterTheItemsObjects_isFinishedByItsRetry_whichStillInvalidatesTheRenders() {
        item(MediaStatus.READY);
        upload(A, MediaStatus.READY, false);
        cdn = (mediaId, renders) -> {
            throw new StorageException("CreateInvalidation failed", null);
        };

        assertThatThrownBy(() -> deletes.delete(ALICE, A)).isInstanceOf(StorageException.class);
        assertThat(s3.objects).as("the manifest is gone; the tombstone, the receipt and the record are left for the retry")
                .doesNotContainKey(MEDIA + "/" + Keys.manifest(ID))
                .containsKeys(MEDIA + "/" + Keys.tombstone(ID), MEDIA + "/" + Keys.apiUpload(A));
        cdn = (mediaId, renders) -> invalidated.add(mediaId + " " + renders);

        assertThat(deletes.delete(ALICE, A)).isTrue();

        assertThat(s3.objects).isEmpty();
        assertThat(invalidated).as("the render deleted by the failed attempt, named in the tombstone")
                .containsExactly(ID + " [" + Keys.renderPrefix(ID) + "256x256-cover.webp]");
    }

    @Test
    void delete_aDuplicateAttachedAfterTheTombstone_keepsTheItem_andRemovesTheTombstone() throws Exception {
        item(MediaStatus.READY);
        Upload a = upload(A, MediaStatus.READY, false);
        String late = Keys.upload(ID, "c".repeat(64));
        // validate attaches a duplicate between the deleter's tombstone and its last listing
        s3.afterPut = k -> {
            if (k.equals(MEDIA + "/" + Keys.tombstone(ID))) {
                s3.objects.put(MEDIA + "/" + late, new byte[] {1});
            }
        };

        assertThat(deletes.delete(ALICE, A)).isTrue();

        assertThat(s3.objects).containsKeys(MEDIA + "/" + Keys.manifest(ID), MEDIA + "/" + Keys.original(ID), MEDIA + "/" + late)
                .doesNotContainKeys(MEDIA + "/" + Keys.tombstone(ID), MEDIA + "/" + Keys.upload(ID, a.id()),
                        MEDIA + "/" + Keys.receipt(a));
        assertThat(invalidated).isEmpty();
        assertThat(events().get(0).get("itemDeleted").asBoolean()).isFalse();
    }

    @Test
    void invalidationPaths_theItemsPrefix_andEachStoredRendersSignedPath() {
        var signer = new com.mediaflow.shared.delivery.RenderUrls("upload-api-test-secret-of-32-bytes-or-more");

        List<String> paths = CloudFrontInvalidation.paths(ID, List.of(Keys.renderPrefix(ID) + "256x256-cover.webp",
                Keys.renderPrefix(ID) + "64x64-contain.jpg", "media/" + "e".repeat(64) + "/render/64x64-cover.jpg"), signer);

        assertThat(paths).containsExactly("/media/" + ID + "/*", signer.path(ID, 256, 256, "cover", "webp"),
                signer.path(ID, 64, 64, "contain", "jpg"));
        assertThat(CloudFrontInvalidation.paths(ID, List.of(Keys.renderPrefix(ID) + "256x256-cover.webp"), null))
                .containsExactly("/media/" + ID + "/*");
    }
}
