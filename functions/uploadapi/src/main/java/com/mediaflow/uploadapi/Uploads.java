package com.mediaflow.uploadapi;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.shared.pipeline.Receipts;
import com.mediaflow.shared.validation.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The upload API's operations, behind the handler: presign an upload for a caller, tell a caller
 * what became of one of theirs, and sign an on-demand render URL of a READY one. Reads and writes through {@link ObjectStore}; receipts and
 * manifests as the pipeline wrote them ({@link Receipts}, {@link Keys}).
 */
final class Uploads {
    /** What {@code GET /uploads/{id}} answers before any receipt: the bytes have not arrived (or not been seen). */
    static final String PENDING = "PENDING";
    /** {@code GET /uploads/{id}/render} before the upload is READY. */
    static final String NOT_READY = "NOT_READY";

    private final ObjectStore store;
    private final String ingestBucket;
    private final String mediaBucket;
    private final String region;
    private final String postUrl;
    private final long maxBytes;
    private final Duration expiry;
    private final Supplier<AwsCredentials> credentials;
    private final Clock clock;
    private final DeliveryLinks links;
    private final MultipartUploads multipart;

    /**
     * @param postUrl where clients post the form: the ingest bucket's endpoint
     * @param credentials what the policies are signed with, resolved for each (role credentials rotate)
     */
    Uploads(ObjectStore store, String ingestBucket, String mediaBucket, String region, String postUrl, long maxBytes,
            Duration expiry, Supplier<AwsCredentials> credentials, Clock clock) {
        this(store, ingestBucket, mediaBucket, region, postUrl, maxBytes, expiry, credentials, clock, DeliveryLinks.NONE);
    }

    /** @param links the renditions' delivery URLs and the sample render's ({@link DeliveryLinks#NONE}: none) */
    Uploads(ObjectStore store, String ingestBucket, String mediaBucket, String region, String postUrl, long maxBytes,
            Duration expiry, Supplier<AwsCredentials> credentials, Clock clock, DeliveryLinks links) {
        this(store, ingestBucket, mediaBucket, region, postUrl, maxBytes, expiry, credentials, clock, links, MultipartUploads.OFF);
    }

    /** @param multipart large uploads' S3 calls and part size ({@link MultipartUploads#OFF}: every upload a POST form) */
    Uploads(ObjectStore store, String ingestBucket, String mediaBucket, String region, String postUrl, long maxBytes,
            Duration expiry, Supplier<AwsCredentials> credentials, Clock clock, DeliveryLinks links, MultipartUploads multipart) {
        this.multipart = multipart;
        this.links = links;
        this.store = store;
        this.ingestBucket = ingestBucket;
        this.mediaBucket = mediaBucket;
        this.region = region;
        this.postUrl = postUrl;
        this.maxBytes = maxBytes;
        this.expiry = expiry;
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * {@code POST /uploads}: the presigned form, and its record written; nothing written when refused.
     * Above the multipart threshold, a presigned multipart upload instead ({@link #createMultipart}).
     */
    Map<String, Object> create(Caller caller, String body) {
        UploadRequest request = UploadRequest.parse(body, maxBytes);
        String uploadId = UUID.randomUUID().toString();
        String key = Keys.apiIngestKey(caller.segment(), uploadId, request.fileName());
        Instant now = clock.instant();
        if (multipart.applies(request.size())) {
            return createMultipart(caller, request, uploadId, key, now);
        }
        PostPolicy.Signed signed = PostPolicy.presign(credentials.get(), region, now, expiry, postUrl, ingestBucket, key,
                request.contentType(), request.size());
        store.putJson(mediaBucket, Keys.apiUpload(uploadId), new UploadRecord(uploadId, caller.id(), ingestBucket, key,
                request.fileName(), request.contentType(), request.size(), now.toString(), signed.expiresAt().toString()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uploadId", uploadId);
        out.put("url", signed.url());
        out.put("fields", signed.fields());
        out.put("expiresAt", signed.expiresAt().toString());
        out.put("maxBytes", request.size());
        return out;
    }

    /**
     * A large upload: S3's multipart upload created with the Content-Type pinned, one presigned
     * UploadPart URL per part (each signing its part's exact length), and the record that holds S3's
     * upload id. The client PUTs each part, keeps each answer's ETag, then calls {@link #complete}.
     */
    private Map<String, Object> createMultipart(Caller caller, UploadRequest request, String uploadId, String key, Instant now) {
        long partSize = multipart.partSize(request.size());
        String s3UploadId = multipart.create(ingestBucket, key, request.contentType());
        List<MultipartUploads.PartUrl> urls = multipart.presign(ingestBucket, key, s3UploadId, request.size(), partSize, expiry);
        Instant expiresAt = now.plus(expiry);
        store.putJson(mediaBucket, Keys.apiUpload(uploadId), new UploadRecord(uploadId, caller.id(), ingestBucket, key,
                request.fileName(), request.contentType(), request.size(), now.toString(), expiresAt.toString(), s3UploadId, partSize,
                null));
        List<Map<String, Object>> parts = new ArrayList<>();
        for (MultipartUploads.PartUrl u : urls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partNumber", u.partNumber());
            m.put("size", u.size());
            m.put("url", u.url().toString());
            parts.add(m);
        }
        Map<String, Object> mp = new LinkedHashMap<>();
        mp.put("partSize", partSize);
        mp.put("parts", parts);
        mp.put("complete", "POST /uploads/" + uploadId + "/complete");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uploadId", uploadId);
        out.put("key", key);
        out.put("multipart", mp);
        out.put("expiresAt", expiresAt.toString());
        out.put("maxBytes", request.size());
        return out;
    }

    /**
     * {@code POST /uploads/{id}/complete} with {@code {"parts": [{"partNumber", "etag"}]}}: each part
     * named must have arrived with that ETag (400 {@code BAD_REQUEST} otherwise, the upload left open
     * to send it); their total must be the declared size, else the upload is aborted and the answer is
     * 400 {@code SIZE_MISMATCH}. Then CompleteMultipartUpload, and the upload's status. Empty for an
     * unknown id and another caller's upload; a completed upload completed again answers its status.
     */
    Optional<Map<String, Object>> complete(Caller caller, String uploadId, String body) {
        Optional<UploadRecord> found = owned(store, mediaBucket, caller, uploadId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UploadRecord record = found.get();
        if (!record.multipart()) {
            throw new ApiError(409, ApiError.CONFLICT, "upload " + uploadId + " is a POST form upload, expected a multipart one"
                    + " (declared larger than the multipart threshold) to complete");
        }
        Map<Integer, String> named = CompleteRequest.parse(body);
        if (record.completedAt() != null) {
            return status(caller, uploadId); // completed before (its answer lost): the answer again
        }
        Optional<List<MultipartUploads.Received>> open = multipart.received(record.bucket(), record.key(), record.multipartUploadId());
        if (open.isEmpty()) {
            throw new ApiError(409, ApiError.CONFLICT, "upload " + uploadId + " is no longer open (aborted, or expired"
                    + " incomplete), expected an open multipart upload: POST /uploads again");
        }
        Map<Integer, MultipartUploads.Received> byNumber = new java.util.TreeMap<>();
        open.get().forEach(p -> byNumber.put(p.partNumber(), p));
        List<MultipartUploads.Received> chosen = new ArrayList<>();
        long total = 0;
        for (Map.Entry<Integer, String> e : named.entrySet()) {
            MultipartUploads.Received p = byNumber.get(e.getKey());
            if (p == null || !p.etag().equals(MultipartUploads.unquoted(e.getValue()))) {
                throw new ApiError(400, ApiError.BAD_REQUEST, "part " + e.getKey() + " with ETag " + e.getValue() + " has not arrived"
                        + (p == null ? "" : " (the part received has ETag " + p.etag() + ")") + ", expected one of the parts received "
                        + byNumber.keySet() + ": PUT it to its URL, then complete again");
            }
            chosen.add(p);
            total += p.size();
        }
        if (total != record.size()) {
            multipart.abort(record.bucket(), record.key(), record.multipartUploadId());
            throw new ApiError(400, ApiError.SIZE_MISMATCH, "the parts named " + named.keySet() + " hold " + total
                    + " bytes, expected the declared size " + record.size() + "; the upload is aborted: POST /uploads again");
        }
        multipart.complete(record.bucket(), record.key(), record.multipartUploadId(), chosen);
        store.putJson(mediaBucket, Keys.apiUpload(uploadId), record.completed(clock.instant().toString()));
        return status(caller, uploadId);
    }

    /**
     * {@code GET /uploads/{id}}: the upload's status (PENDING until validate wrote its receipt, then the
     * receipt's, settled with the item's manifest once that is final), its media id, reasons and, when
     * READY, the item's renditions; while PROCESSING, those already stored (the first thumbnails). Empty for an unknown id and for another caller's upload alike.
     */
    Optional<Map<String, Object>> status(Caller caller, String uploadId) {
        Optional<UploadRecord> found = owned(store, mediaBucket, caller, uploadId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UploadRecord record = found.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uploadId", uploadId);
        out.put("filename", record.fileName());
        out.put("contentType", record.contentType());
        out.put("size", record.size());
        out.put("createdAt", record.createdAt());
        Optional<State> settled = state(record);
        if (settled.isEmpty()) {
            out.put("status", PENDING);
            out.put("reasons", List.of());
            out.put("renditions", List.of());
            if (record.multipart() && record.completedAt() == null) {
                // while it is open, what arrived: a client that lost its connection PUTs the rest and completes
                multipart.received(record.bucket(), record.key(), record.multipartUploadId()).ifPresent(parts -> {
                    out.put("partSize", record.partSize());
                    out.put("partsReceived", parts.stream().map(p -> Map.of("partNumber", p.partNumber(), "size", p.size(),
                            "etag", p.etag())).toList());
                });
            }
            return Optional.of(out);
        }
        Receipt receipt = settled.get().receipt();
        Manifest manifest = settled.get().manifest();
        out.put("status", receipt.status().name());
        out.put("mediaId", receipt.mediaId());
        out.put("reasons", reasons(receipt.reasons()));
        if (manifest != null) {
            // the item's steps and where each stands (PENDING, DONE), validate's done: the console shows them move
            Map<String, String> steps = new java.util.LinkedHashMap<>();
            manifest.steps().forEach((name, state) -> steps.put(name, state.name()));
            out.put("steps", steps);
        }
        boolean ready = receipt.status() == MediaStatus.READY && manifest != null;
        // while PROCESSING, the manifest lists what is already stored: the first thumbnails come before the rest
        boolean early = receipt.status() == MediaStatus.PROCESSING && manifest != null
                && manifest.status() == MediaStatus.PROCESSING;
        out.put("renditions", ready || early ? renditions(manifest) : List.of());
        if (ready) {
            links.sampleRender(manifest).ifPresent(u -> out.put("sampleRenderUrl", u));
        }
        return Optional.of(out);
    }

    /**
     * {@code GET /uploads/{id}/render?width=&height=&fit=&format=}: a signed on-demand render URL of the
     * caller's READY upload, so that the secret stays with the API ({@link DeliveryLinks#render}: the
     * render function's rules). fit defaults to cover, format to webp. 404 for an unknown id and for
     * another caller's upload alike; 409 {@code NOT_READY} before READY.
     */
    Map<String, Object> render(Caller caller, String uploadId, Map<String, String> query) {
        UploadRecord record = owned(store, mediaBucket, caller, uploadId)
                .orElseThrow(() -> new ApiError(404, ApiError.NOT_FOUND, "no upload " + uploadId + " of this caller"));
        Map<String, String> q = query == null ? Map.of() : query;
        int width = pixels("width", q.get("width"));
        int height = pixels("height", q.get("height"));
        String fit = q.getOrDefault("fit", "cover");
        String format = q.getOrDefault("format", "webp");
        Optional<State> state = state(record);
        String status = state.map(s -> s.receipt().status().name()).orElse(PENDING);
        if (state.isEmpty() || state.get().receipt().status() != MediaStatus.READY || state.get().manifest() == null) {
            throw new ApiError(409, NOT_READY, "upload " + uploadId + " is " + status + ", expected READY");
        }
        Manifest manifest = state.get().manifest();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", links.render(manifest, width, height, fit, format));
        out.put("mediaId", manifest.mediaId());
        out.put("width", width);
        out.put("height", height);
        out.put("fit", fit);
        out.put("format", format);
        return out;
    }

    /** The record of one of this caller's uploads; empty for a malformed or unknown id and for another caller's upload alike. */
    static Optional<UploadRecord> owned(ObjectStore store, String mediaBucket, Caller caller, String uploadId) {
        if (uploadId == null || !uploadId.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return Optional.empty();
        }
        return store.getJson(mediaBucket, Keys.apiUpload(uploadId), UploadRecord.class)
                .filter(r -> caller.id().equals(r.caller()));
    }

    /** An upload's receipt, settled with its item's manifest once that is final; the manifest when written. */
    private record State(Receipt receipt, Manifest manifest) {
    }

    /** Empty before any receipt (the bytes have not arrived, or not been seen). */
    private Optional<State> state(UploadRecord record) {
        List<Receipt> receipts = Receipts.of(store, mediaBucket, record.bucket(), record.key());
        if (receipts.isEmpty()) {
            return Optional.empty();
        }
        // the most advanced receipt when the form was posted more than once (final before PROCESSING)
        Receipt receipt = receipts.stream().max(Comparator.comparing(Receipt::isFinal)).orElseThrow();
        Manifest manifest = receipt.mediaId() == null ? null
                : store.getJson(mediaBucket, Keys.manifest(receipt.mediaId()), Manifest.class).orElse(null);
        if (!receipt.isFinal() && manifest != null && manifest.terminal()) {
            receipt = receipt.settle(manifest);
        }
        return Optional.of(new State(receipt, manifest));
    }

    private static int pixels(String name, String text) {
        if (text == null || !text.matches("[1-9][0-9]{0,4}")) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "query parameter " + name + " is '" + text
                    + "', expected a whole number of pixels");
        }
        return Integer.parseInt(text);
    }

    private static List<Map<String, Object>> reasons(List<Reason> reasons) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Reason r : reasons) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", r.code().name());
            m.put("severity", r.severity().name());
            m.put("message", r.message());
            out.add(m);
        }
        return out;
    }

    /** Each output of the manifest: kind, key in the media bucket, its delivery URL, size and content type. */
    private List<Map<String, Object>> renditions(Manifest manifest) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Output o : manifest.outputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", o.kind());
            m.put("key", o.key());
            links.url(o.key()).ifPresent(u -> m.put("url", u));
            m.put("contentType", o.contentType());
            if (o.bytes() != null) {
                m.put("bytes", o.bytes());
            }
            if (o.width() != null) {
                m.put("width", o.width());
                m.put("height", o.height());
            }
            out.add(m);
        }
        return out;
    }
}
