package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.lambda.S3Notification.ObjectCreated;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.model.Upload;
import com.mediaflow.shared.pipeline.IngestService;
import com.mediaflow.shared.pipeline.MediaDeletion;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.testkit.Corpus;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The deletion of an item's last upload racing validate attaching a duplicate of the same bytes,
 * on the embedded stack's S3 (S3Proxy: real conditional writes and listings), interleaved by a store
 * that stops the deleter at a chosen write until the test lets it go, never by timing. The
 * functions do not run: the test is the only writer. Either order ends in one consistent state:
 * the item kept with the duplicate attached, or the item deleted and the duplicate's retry claiming
 * it anew; never an item deleted under an attached upload.
 */
class DeletionRaceIT {
    private static StackFixture fx;
    private static final ExecutorService DELETER = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
    }

    @AfterAll
    static void stop() {
        DELETER.shutdownNow();
        if (fx != null) {
            fx.close();
        }
    }

    /** The stack's S3, stopping once at the PUT of one key (before or after it is written) until released. */
    static final class PausingS3 implements S3Client {
        private final S3Client s3;
        private final String key;
        private final boolean before;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        PausingS3(S3Client s3, String key, boolean before) {
            this.s3 = s3;
            this.key = key;
            this.before = before;
        }

        private void pauseAt(String k) {
            if (k.equals(key) && reached.getCount() > 0) {
                reached.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the PUT of " + k);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            if (before) {
                pauseAt(request.key());
            }
            try {
                return s3.putObject(request, body);
            } finally {
                // after the PUT however it ended: a create whose answer S3Proxy cut off is retried by the SDK and
                // gets 412 although it was applied (the deleter then finds its own tombstone); it still stops here
                if (!before) {
                    pauseAt(request.key());
                }
            }
        }

        @Override
        public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
            return s3.getObject(request, transformer);
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
            return s3.getObject(request);
        }

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            return s3.headObject(request);
        }

        @Override
        public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
            return s3.listObjectsV2(request);
        }

        @Override
        public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
            return s3.deleteObject(request);
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    /** Until the deleter stops at its tombstone; fails at once, with what it did, if it ends without reaching it. */
    private static void awaitPause(PausingS3 s3, Future<List<MediaDeletion.Deleted>> deleting) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!s3.reached.await(50, TimeUnit.MILLISECONDS)) {
            if (deleting.isDone()) {
                throw new AssertionError("the deleter ended without reaching its tombstone: " + deleting.get());
            }
            assertThat(System.nanoTime()).as("the deleter reached its tombstone within 60 s").isLessThan(deadline);
        }
    }

    private static IngestService validate() {
        return new IngestService(Config.of(fx.stack.environment("ValidateFunction")), fx.store, new Queue(fx.stack.sqs()));
    }

    private static MediaDeletion deletion(S3Client s3) {
        return new MediaDeletion(new ObjectStore(s3), new Queue(fx.stack.sqs()), fx.media, fx.quarantine,
                fx.stack.queueUrl("CompletionQueue"), MediaDeletion.Cdn.NONE, Clock.systemUTC());
    }

    /** PUTs the photo under the key; the S3 notification validate would get. */
    private static ObjectCreated put(String photo, String key) {
        String etag = fx.upload(Corpus.file(photo), key, "image/jpeg").replace("\"", "");
        long size = fx.stack.s3().headObject(b -> b.bucket(fx.ingest).key(key)).contentLength();
        return new ObjectCreated("ObjectCreated:Put", fx.ingest, key, size, etag, null, null);
    }

    private static Receipt receiptOf(String key) {
        return Receipts.of(fx.store, fx.media, fx.ingest, key).get(0);
    }

    @Test
    void duplicateAttachedAfterTheTombstone_detachesAndRetries_theItemIsDeleted_thenClaimedAnew() throws Exception {
        IngestService validate = validate();
        ObjectCreated first = put("exif-orientation/Landscape_3.jpg", "race/deleted/first.jpg");
        validate.ingest(first);
        String mediaId = receiptOf(first.key()).mediaId();
        ObjectCreated second = put("exif-orientation/Landscape_3.jpg", "race/deleted/second.jpg");
        PausingS3 s3 = new PausingS3(fx.stack.s3(), Keys.tombstone(mediaId), false);

        // the deleter removes the first upload, finds none left, writes the tombstone, and stops there
        Future<List<MediaDeletion.Deleted>> deleting = DELETER.submit(() -> deletion(s3).deleteKey(fx.ingest, first.key()));
        awaitPause(s3, deleting);
        // validate attaches the duplicate, sees the tombstone, detaches itself and fails for a retry
        Throwable backedOff = catchThrowable(() -> validate.ingest(second));
        assertThat(backedOff).isInstanceOf(StorageException.class).hasMessageContaining("is being deleted");
        assertThat(((StorageException) backedOff).retryable()).isTrue();
        assertThat(fx.keys(fx.media, Keys.uploadsPrefix(mediaId))).as("the duplicate detached itself").isEmpty();
        s3.release.countDown();
        List<MediaDeletion.Deleted> deleted = deleting.get(60, TimeUnit.SECONDS);

        assertThat(deleted).singleElement().satisfies(d -> assertThat(d.itemDeleted()).isTrue());
        assertThat(fx.keys(fx.media, Keys.mediaPrefix(mediaId))).as("nothing left of the item").isEmpty();

        validate.ingest(second); // the SQS retry

        Upload upload = receiptOf(second.key()).upload();
        Manifest item = fx.store.getJson(fx.media, Keys.manifest(mediaId), Manifest.class).orElseThrow();
        assertThat(item.claimedBy()).as("claimed anew by the duplicate").isEqualTo(upload.id());
        assertThat(fx.keys(fx.media, Keys.mediaPrefix(mediaId))).contains(Keys.original(mediaId), Keys.upload(mediaId, upload.id()))
                .doesNotContain(Keys.tombstone(mediaId));
    }

    @Test
    void duplicateAttachedBeforeTheTombstone_isSeenByTheDeleter_whichKeepsTheItem() throws Exception {
        IngestService validate = validate();
        ObjectCreated first = put("exif-orientation/Landscape_5.jpg", "race/kept/first.jpg");
        validate.ingest(first);
        Receipt firstReceipt = receiptOf(first.key());
        String mediaId = firstReceipt.mediaId();
        ObjectCreated second = put("exif-orientation/Landscape_5.jpg", "race/kept/second.jpg");
        PausingS3 s3 = new PausingS3(fx.stack.s3(), Keys.tombstone(mediaId), true);

        // the deleter removes the first upload, finds none left, and stops before it writes the tombstone
        Future<List<MediaDeletion.Deleted>> deleting = DELETER.submit(() -> deletion(s3).deleteKey(fx.ingest, first.key()));
        awaitPause(s3, deleting);
        // validate attaches the duplicate and finds no tombstone: it stays attached
        validate.ingest(second);
        s3.release.countDown();
        List<MediaDeletion.Deleted> deleted = deleting.get(60, TimeUnit.SECONDS);

        assertThat(deleted).singleElement().satisfies(d -> assertThat(d.itemDeleted()).isFalse());
        Upload duplicate = receiptOf(second.key()).upload();
        assertThat(fx.keys(fx.media, Keys.mediaPrefix(mediaId))).contains(Keys.manifest(mediaId), Keys.original(mediaId),
                Keys.upload(mediaId, duplicate.id())).doesNotContain(Keys.tombstone(mediaId),
                Keys.upload(mediaId, firstReceipt.upload().id()));
        assertThat(Receipts.of(fx.store, fx.media, fx.ingest, first.key())).as("the deleted upload's receipt").isEmpty();
    }
}
