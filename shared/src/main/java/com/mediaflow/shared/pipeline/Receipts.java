package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.Receipt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the receipts of an ingest key, as a client that knows only its key and the ETag its PUT
 * returned does: every upload of the key has its receipt under
 * {@code receipts/<SHA-256 of "bucket|key">/}, one object per upload.
 */
public final class Receipts {
    private Receipts() {
    }

    /** Every receipt of the key, one per upload of it (empty until validate has written one). */
    public static List<Receipt> of(ObjectStore store, String mediaBucket, String ingestBucket, String key) {
        List<Receipt> receipts = new ArrayList<>();
        for (String k : store.list(mediaBucket, Keys.receiptPrefix(ingestBucket, key))) {
            store.getJson(mediaBucket, k, Receipt.class).ifPresent(receipts::add);
        }
        return receipts;
    }

    /**
     * The receipt of the upload of this key with this ETag (quotes ignored). When the same bytes were
     * uploaded under the same key more than once, any one of those uploads' receipts.
     */
    public static Optional<Receipt> find(ObjectStore store, String mediaBucket, String ingestBucket, String key, String etag) {
        String wanted = etag == null ? null : etag.replace("\"", "");
        return of(store, mediaBucket, ingestBucket, key).stream()
                .filter(r -> wanted == null || wanted.equals(r.etag() == null ? null : r.etag().replace("\"", "")))
                .findFirst();
    }
}
