package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.stack.CallRecorder.Call;
import com.mediaflow.infra.template.Iam;
import com.mediaflow.infra.template.Iam.Need;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Receipt;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege, checked against what the functions really do: every S3 and SQS call each
 * function makes on the embedded stack (recorded by {@link CallRecorder}) must be allowed by that
 * function's own statements in template.yaml ({@link Iam}). A failure names the function, the call
 * and the grant it lacks. The SQS event source's own rights (receive, delete, attributes of its
 * queue) are SAM's and are granted here as SAM grants them.
 */
class IamIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void pipeline_photosVideoAudioAnimationRejectedAndDuplicate_everyCallIsGranted() throws Exception {
        Path photo = Corpus.file("exif-orientation/Landscape_6.jpg");
        Path video = SyntheticMedia.mp4(tmp.resolve("h264-aac-320x240-20s.mp4"), 320, 240, 20, 15, true, 0);
        Path voice = SyntheticMedia.voiceNoteWav(tmp.resolve("voice-16k-1s.wav"), 16_000, 1.0, 0.5);
        Path gif = SyntheticMedia.animatedGif(tmp.resolve("gif-96x64-6frames.gif"), 96, 64, 6);
        Path small = SyntheticMedia.jpeg(tmp.resolve("jpeg-64x48.jpg"), 64, 48, 0);
        Path apk = tmp.resolve("apk-named.jpg");
        try (OutputStream os = Files.newOutputStream(apk); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("AndroidManifest.xml"));
            zip.write("<manifest package=\"x\"/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Map<String, String> env = Map.of(Config.SEGMENT_THRESHOLD_SECONDS, "10", Config.SEGMENT_SECONDS, "5");
        CallRecorder.start();
        List<Call> calls;
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withWorkers(2).withEnvironment(env).withSweepInterval(Duration.ofSeconds(1))))) {
            Map<String, String> uploads = new LinkedHashMap<>();
            uploads.put("iam/photo.jpg", fx.upload(photo, "iam/photo.jpg", "image/jpeg"));
            uploads.put("iam/small.jpg", fx.upload(small, "iam/small.jpg", "image/jpeg"));
            uploads.put("iam/video.mp4", fx.upload(video, "iam/video.mp4", "video/mp4"));
            uploads.put("iam/voice.wav", fx.upload(voice, "iam/voice.wav", "audio/wav"));
            uploads.put("iam/anim.gif", fx.upload(gif, "iam/anim.gif", "image/gif"));
            uploads.put("iam/apk-named.jpg", fx.upload(apk, "iam/apk-named.jpg", "image/jpeg"));
            Map<String, MediaStatus> outcome = new TreeMap<>();
            for (var u : uploads.entrySet()) {
                outcome.put(u.getKey(), fx.awaitFinalReceipt(u.getKey(), u.getValue(), WAIT).status());
            }
            // the same bytes again: a duplicate, attached to the READY item
            String again = fx.upload(photo, "iam/photo-again.jpg", "image/jpeg");
            outcome.put("iam/photo-again.jpg", fx.awaitFinalReceipt("iam/photo-again.jpg", again, WAIT).status());
            assertThat(outcome).containsEntry("iam/apk-named.jpg", MediaStatus.QUARANTINED)
                    .containsEntry("iam/photo.jpg", MediaStatus.READY).containsEntry("iam/video.mp4", MediaStatus.READY)
                    .containsEntry("iam/photo-again.jpg", MediaStatus.READY);
            fx.awaitCompletions(e -> e.key().startsWith("iam/"), outcome.size(), WAIT); // each receipt's event sent
            Thread.sleep(2_500); // sweeps over the finished work
            calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
        } finally {
            CallRecorder.stop();
        }
        assertThat(functionsIn(calls)).containsExactlyInAnyOrder("ValidateFunction", "ThumbnailFunction", "MetadataFunction",
                "TranscodeFunction", "FinalizeFunction", "SweeperFunction");
        assertThat(calls).as("the parallel transcode path: segments written and its scratch deleted")
                .anyMatch(c -> c.function().equals("TranscodeFunction") && c.operation().equals("DeleteObject")
                        && c.key().startsWith("work/transcode/"));
    }

    /** Shadow mode on (ShadowOn's statements apply): the copies, the shadow outputs and the comparisons are granted, nothing wider. */
    @Test
    void shadowMode_copiesOutputsAndComparisons_everyCallIsGranted() throws Exception {
        Path photo = Corpus.file("exif-orientation/Landscape_6.jpg");
        CallRecorder.start();
        List<Call> calls;
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withWorkers(2).withEnvironment(Map.of(Config.SHADOW_FRACTION, "1"))))) {
            String etag = fx.upload(photo, "iam/shadow.jpg", "image/jpeg");
            Receipt r = fx.awaitFinalReceipt("iam/shadow.jpg", etag, WAIT);
            for (String step : List.of("thumbnail", "metadata")) {
                StackFixture.await(() -> fx.store.exists(fx.media, com.mediaflow.shared.aws.Keys.shadowComparison(r.mediaId(), step))
                        ? java.util.Optional.of(true) : java.util.Optional.empty(), WAIT, "shadow comparison of " + step);
            }
            fx.awaitQuiet(WAIT);
            calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
        } finally {
            CallRecorder.stop();
        }
        assertThat(calls).as("validate sent the shadow copies").anyMatch(c -> c.function().equals("ValidateFunction")
                && c.operation().equals("SendMessage") && c.resource().contains("ShadowThumbnailQueue"));
        assertThat(calls).as("thumbnail wrote its shadow outputs").anyMatch(c -> c.function().equals("ThumbnailFunction")
                && c.operation().equals("PutObject") && c.key() != null && c.key().startsWith("shadow/"));
    }

    @Test
    void sweeper_redrivesAStuckItemAndFailsIt_everyCallIsGranted() throws Exception {
        Path voice = SyntheticMedia.voiceNoteWav(tmp.resolve("voice.wav"), 16_000, 1.0, 0.5);
        // X264_PRESET is read when transcode starts: a bad one fails its initialisation, the item stays PROCESSING
        Map<String, String> env = Map.of("X264_PRESET", "bogus", Config.SWEEP_STUCK_AFTER_SECONDS, "4",
                Config.SWEEP_MAX_REDRIVES, "1");
        CallRecorder.start();
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withWorkers(1).withEnvironment(env).withSweepInterval(Duration.ofSeconds(1))))) {
            String etag = fx.upload(voice, "iam/stuck.wav", "audio/wav");
            Receipt receipt = fx.awaitFinalReceipt("iam/stuck.wav", etag, WAIT);
            assertThat(receipt.status()).isEqualTo(MediaStatus.FAILED);
            List<Call> calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
            assertThat(calls).as("the sweeper re-drove the step").anyMatch(c -> c.function().equals("SweeperFunction")
                    && c.operation().equals("SendMessage") && c.resource().equals(fx.stack.queueUrl("TranscodeQueue")));
        } finally {
            CallRecorder.stop();
        }
    }

    @Test
    void sweeper_redrivesAnUploadWithoutReceiptAndFailsIt_everyCallIsGranted() throws Exception {
        Path photo = SyntheticMedia.jpeg(tmp.resolve("unvalidated.jpg"), 64, 64, 0);
        // MAX_UPLOAD_BYTES is read when validate starts: a bad one fails its initialisation, no receipt is written
        Map<String, String> env = Map.of(Config.MAX_UPLOAD_BYTES, "abc", Config.SWEEP_UPLOAD_GRACE_SECONDS, "2",
                Config.SWEEP_MAX_REDRIVES, "1");
        CallRecorder.start();
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withWorkers(1).withEnvironment(env).withSweepInterval(Duration.ofSeconds(1))))) {
            String etag = fx.upload(photo, "iam/unvalidated.jpg", "image/jpeg");
            Receipt receipt = fx.awaitFinalReceipt("iam/unvalidated.jpg", etag, WAIT);
            assertThat(receipt.status()).isEqualTo(MediaStatus.FAILED);
            List<Call> calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
            assertThat(calls).as("the sweeper re-sent the notification").anyMatch(c -> c.function().equals("SweeperFunction")
                    && c.operation().equals("SendMessage") && c.resource().equals(fx.stack.queueUrl("IngestQueue")));
        } finally {
            CallRecorder.stop();
        }
    }

    @Test
    void brokenStep_failsTheItemOnItsLastAttempt_everyCallIsGranted() throws Exception {
        Path photo = SyntheticMedia.jpeg(tmp.resolve("jpeg-64x48.jpg"), 64, 48, 0);
        // THUMBNAIL_SIZES is read per record: every attempt fails, the last one marks the item FAILED (Failures)
        CallRecorder.start();
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withWorkers(1).withEnvironment(Map.of("THUMBNAIL_SIZES", "abc"))))) {
            String etag = fx.upload(photo, "iam/broken-step.jpg", "image/jpeg");
            Receipt receipt = fx.awaitFinalReceipt("iam/broken-step.jpg", etag, WAIT);
            assertThat(receipt.status()).isEqualTo(MediaStatus.FAILED);
            // the receipt is written before its event is sent: wait for the event, so the send is recorded
            fx.awaitCompletions(e -> "iam/broken-step.jpg".equals(e.key()), 1, WAIT);
            List<Call> calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
            assertThat(calls).as("thumbnail sent the FAILED event itself").anyMatch(c -> c.function().equals("ThumbnailFunction")
                    && c.operation().equals("SendMessage") && c.resource().equals(fx.stack.queueUrl("CompletionQueue")));
        } finally {
            CallRecorder.stop();
        }
    }

    @Test
    void pngWhosePixelsCannotBeInflated_isQuarantinedByFinalize_everyCallIsGranted() throws Exception {
        Path png = tmp.resolve("png-64x48-idat-not-zlib.png");
        Files.write(png, pngWithBrokenIdat(64, 48));
        CallRecorder.start();
        try (StackFixture fx = StackFixture.start(EmbeddedStack.start(EmbeddedStack.Options.defaults(TestPaths.template())
                .withWorkers(1)))) {
            String etag = fx.upload(png, "iam/broken-pixels.png", "image/png");
            Receipt receipt = fx.awaitFinalReceipt("iam/broken-pixels.png", etag, WAIT);
            assertThat(receipt.status()).as("%s", receipt.reasons()).isEqualTo(MediaStatus.QUARANTINED);
            // finalize drops the media bucket's copy of the original after it has settled the item and its receipt
            StackFixture.await(() -> fx.store.exists(fx.media, com.mediaflow.shared.aws.Keys.original(receipt.mediaId()))
                    ? java.util.Optional.empty() : java.util.Optional.of(true), WAIT, "the original gone from the media bucket");
            List<Call> calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
            assertThat(calls).as("finalize moved the original to quarantine").anyMatch(c -> c.function().equals("FinalizeFunction")
                    && c.operation().equals("DeleteObject") && c.key().endsWith("/original"));
        } finally {
            CallRecorder.stop();
        }
    }

    /** A valid PNG whose IDAT holds bytes that are no zlib stream (with a correct CRC): the structure passes, the decoder refuses. */
    static byte[] pngWithBrokenIdat(int w, int h) throws java.io.IOException {
        var image = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out.toByteArray());
        int at = 8;
        while (at < b.limit()) {
            int length = b.getInt(at);
            String type = new String(b.array(), at + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("IDAT")) {
                for (int i = 0; i < length; i++) {
                    b.put(at + 8 + i, (byte) 0xFF);
                }
                var crc = new java.util.zip.CRC32();
                crc.update(b.array(), at + 4, 4 + length);
                b.putInt(at + 8 + length, (int) crc.getValue());
            }
            at += 12 + length;
        }
        return b.array();
    }

    /**
     * The upload API: a POST /uploads, the presigned form posted, GET /uploads/{id} until READY, an
     * unknown id and another caller's, then DELETE /uploads/{id}: every S3 and SQS call of UploadApiFunction is granted, and so is the
     * PutObject its presigned POST makes with its credentials (the storage side checks the signer's rights).
     */
    @Test
    void uploadApi_presignsPostsAndReadsState_everyCallIsGranted_andThePostItSigns() throws Exception {
        byte[] photo = Files.readAllBytes(Corpus.file("exif-orientation/Landscape_6.jpg"));
        var http = java.net.http.HttpClient.newHttpClient();
        CallRecorder.start();
        List<Call> calls;
        try (StackFixture fx = StackFixture.start(true)) {
            String api = fx.stack.apiUrl().toString();
            var created = com.mediaflow.shared.model.Json.MAPPER.readTree(http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api + "/uploads")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"filename\":\"iam.jpg\",\"contentType\":\"image/jpeg\",\"size\":" + photo.length + "}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            String id = created.get("uploadId").asText();
            String key = created.get("fields").get("key").asText();
            // the form, as UploadApiIT posts it
            String boundary = "----iam" + System.nanoTime();
            var body = new java.io.ByteArrayOutputStream();
            for (var it = created.get("fields").fields(); it.hasNext(); ) {
                var f = it.next();
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                        + f.getValue().asText() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"iam.jpg\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(photo);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            int posted = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(created.get("url").asText()))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
            assertThat(posted).isBetween(200, 204);
            StackFixture.await(() -> {
                try {
                    String status = com.mediaflow.shared.model.Json.MAPPER.readTree(http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(api + "/uploads/" + id)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body()).get("status").asText();
                    return status.equals("READY") ? java.util.Optional.of(status) : java.util.Optional.empty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, WAIT, "upload " + id + " READY");
            for (String path : List.of("/uploads/00000000-0000-4000-8000-000000000000", "/uploads/" + id)) {
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + path))
                        .header(UploadApiServer.CALLER_HEADER, "someone-else").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            }
            // DELETE: its only upload, so the item goes too (tombstone, every object, quarantine listing, the DELETED event)
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/uploads/" + id)).DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
            fx.awaitQuiet(WAIT);
            calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
            List<Iam.Statement> statements = Iam.statements(fx.stack.template(), "UploadApiFunction", fx.stack.resolver(),
                    fx.stack::condition);
            assertThat(Iam.allowing(statements, new Need("s3:PutObject", "arn:aws:s3:::" + fx.ingest + "/" + key, null)))
                    .as("the PutObject of the POST that UploadApiFunction signed").isNotNull();
        } finally {
            CallRecorder.stop();
        }
        assertThat(calls).as("the upload API wrote its record and read the receipt").anyMatch(c -> c.function().equals("UploadApiFunction")
                && c.operation().equals("PutObject") && c.key().startsWith("api/uploads/"))
                .anyMatch(c -> c.function().equals("UploadApiFunction") && c.operation().equals("ListObjectsV2"))
                .anyMatch(c -> c.function().equals("UploadApiFunction") && c.operation().equals("DeleteObject")
                        && c.key().endsWith("/original"))
                .anyMatch(c -> c.function().equals("UploadApiFunction") && c.operation().equals("SendMessage"));
    }

    /**
     * A large upload (the threshold set to 6 MiB): CreateMultipartUpload and the presigning of its
     * parts, ListParts while it is open (GET) and before completing, CompleteMultipartUpload, and a
     * second upload whose parts do not add up, aborted: every S3 call of UploadApiFunction is
     * granted, and so is the UploadPart its presigned URLs make with its credentials.
     */
    @Test
    void uploadApi_multipart_createsListsCompletesAndAborts_everyCallIsGranted() throws Exception {
        long mib = 1L << 20;
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        byte[] bytes = new byte[(int) (7 * mib)];
        new java.util.Random(5).nextBytes(bytes);
        CallRecorder.start();
        List<Call> calls;
        try (StackFixture fx = StackFixture.start(true, Map.of(Config.MULTIPART_THRESHOLD_BYTES, Long.toString(6 * mib),
                Config.MULTIPART_PART_BYTES, Long.toString(5 * mib)))) {
            String api = fx.stack.apiUrl().toString();
            String key = null;
            for (boolean whole : new boolean[] {true, false}) {
                var created = com.mediaflow.shared.model.Json.MAPPER.readTree(http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(api + "/uploads")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"filename\":\"iam.mp4\",\"contentType\":\"video/mp4\",\"size\":" + bytes.length + "}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                String id = created.get("uploadId").asText();
                key = whole ? created.get("key").asText() : key;
                StringBuilder parts = new StringBuilder();
                for (var part : created.get("multipart").get("parts")) {
                    int n = part.get("partNumber").asInt();
                    if (!whole && n > 1) {
                        break;
                    }
                    byte[] slice = java.util.Arrays.copyOfRange(bytes, (int) ((n - 1) * 5 * mib), (int) ((n - 1) * 5 * mib
                            + part.get("size").asLong()));
                    var put = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(part.get("url").asText()))
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(slice)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
                    parts.append(parts.length() == 0 ? "" : ",").append("{\"partNumber\":").append(n).append(",\"etag\":")
                            .append(com.mediaflow.shared.model.Json.write(put.headers().firstValue("ETag").orElseThrow())).append("}");
                }
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/uploads/" + id)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                for (int expected : whole ? new int[] {200, 200} : new int[] {400, 409}) { // and again, as after a lost answer
                    int completed = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/uploads/" + id
                            + "/complete")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"parts\":[" + parts + "]}"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
                    assertThat(completed).isEqualTo(expected);
                }
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/uploads/" + id)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            }
            String completedKey = key;
            fx.awaitReceipt(completedKey, WAIT);
            fx.awaitQuiet(WAIT);
            calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
            List<Iam.Statement> statements = Iam.statements(fx.stack.template(), "UploadApiFunction", fx.stack.resolver(),
                    fx.stack::condition);
            assertThat(Iam.allowing(statements, new Need("s3:PutObject", "arn:aws:s3:::" + fx.ingest + "/" + completedKey, null)))
                    .as("the UploadPart of the URLs that UploadApiFunction presigned").isNotNull();
        } finally {
            CallRecorder.stop();
        }
        assertThat(calls).as("the upload API's multipart calls").filteredOn(c -> c.function().equals("UploadApiFunction"))
                .extracting(Call::operation).contains("CreateMultipartUpload", "ListParts", "CompleteMultipartUpload",
                        "AbortMultipartUpload");
    }

    /**
     * The render function: a signed render of a READY photo (manifest, display JPEG, the stored
     * render looked for and written), the same again (memory), an unknown id and a bad signature;
     * then another execution environment reading the stored render: every S3 call is granted.
     */
    @Test
    void render_readsItsSourceAndWritesItsRender_everyCallIsGranted() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        CallRecorder.start();
        List<Call> calls;
        try (StackFixture fx = StackFixture.start(true)) {
            String etag = fx.upload(Corpus.file("exif-orientation/Landscape_6.jpg"), "iam/render.jpg", "image/jpeg");
            Receipt r = fx.awaitFinalReceipt("iam/render.jpg", etag, WAIT);
            assertThat(r.status()).isEqualTo(MediaStatus.READY);
            var urls = new com.mediaflow.shared.delivery.RenderUrls(fx.stack.renderSecret());
            String path = urls.path(r.mediaId(), 256, 256, "cover", "webp");
            List<Integer> statuses = new ArrayList<>();
            for (String p : List.of(path, path, urls.path("0".repeat(64), 256, 256, "cover", "webp"),
                    path.replace("/256x256/", "/128x128/"))) {
                statuses.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.stack.deliveryUrl() + p)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 404, 403);
            var event = com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.builder().withVersion("2.0")
                    .withRouteKey("$default").withRawPath(path).build();
            var other = (com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse) fx.stack.host("RenderFunction")
                    .invoke(event);
            assertThat(other.getHeaders()).containsEntry("X-Render-Source", "stored");
            fx.awaitQuiet(WAIT);
            calls = CallRecorder.stop();
            assertGranted(fx.stack, calls);
        } finally {
            CallRecorder.stop();
        }
        assertThat(calls).as("the render function read the manifest and its source, and wrote the render")
                .anyMatch(c -> c.function().equals("RenderFunction") && c.operation().equals("GetObject")
                        && c.key().endsWith("/manifest.json"))
                .anyMatch(c -> c.function().equals("RenderFunction") && c.operation().equals("GetObject")
                        && c.key().endsWith("/thumbnail/display.jpg"))
                .anyMatch(c -> c.function().equals("RenderFunction") && c.operation().equals("PutObject")
                        && c.key().endsWith("/render/256x256-cover.webp"));
    }

    private static TreeSet<String> functionsIn(List<Call> calls) {
        TreeSet<String> out = new TreeSet<>();
        calls.forEach(c -> out.add(c.function()));
        return out;
    }

    /** Every recorded call of every function is allowed by that function's statements; else fails naming each gap. */
    static void assertGranted(EmbeddedStack stack, List<Call> calls) {
        Map<String, String> arnsByUrl = new HashMap<>();
        stack.queues().forEach((id, url) -> arnsByUrl.put(url, stack.queueArn(id)));
        Map<String, List<Iam.Statement>> policies = new HashMap<>();
        java.util.Set<String> hooks = com.mediaflow.infra.template.PreTrafficChecks.hooks(stack.template());
        for (String f : stack.functions().keySet()) {
            if (hooks.contains(f)) {
                // the PreTraffic hook may touch no bucket or queue (PreTrafficChecks): any call of it is a gap
                policies.put(f, List.of());
                continue;
            }
            List<Iam.Statement> statements = new ArrayList<>(Iam.statements(stack.template(), f, stack.resolver(), stack::condition));
            // SAM's SQS event source: its poller receives, deletes and reads the attributes of its queue
            for (var source : stack.functions().get(f).events()) {
                String arn = stack.resolver().resolveString(source.queue(), f + ".Events." + source.name());
                statements.add(new Iam.Statement("SamEventSource", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                        List.of(arn), null));
            }
            policies.put(f, statements);
        }
        TreeSet<String> gaps = new TreeSet<>();
        Map<String, TreeSet<String>> used = new TreeMap<>();
        for (Call call : calls) {
            for (Need need : needs(call, arnsByUrl)) {
                Iam.Statement by = Iam.allowing(policies.get(call.function()), need);
                if (by == null) {
                    gaps.add(call.function() + " lacks " + need + " for " + call);
                } else {
                    used.computeIfAbsent(call.function(), k -> new TreeSet<>()).add(by.sid());
                }
            }
        }
        // Not an assertion (failure paths grant more than a good run uses): what this run never needed.
        used.forEach((f, sids) -> System.out.println("IamIT: " + f + " used statements " + sids + "; unused in this run: "
                + policies.get(f).stream().map(Iam.Statement::sid).filter(s -> !sids.contains(s)).distinct().toList()));
        assertThat(gaps).as("calls the template's policies do not allow (of %d recorded)", calls.size()).isEmpty();
    }

    /** The rights one call needs. A GetObject or HeadObject answered 404 needs s3:ListBucket too: without it S3 answers 403. */
    static List<Need> needs(Call call, Map<String, String> queueArns) {
        List<Need> out = new ArrayList<>();
        if (call.service().equalsIgnoreCase("S3")) {
            String bucket = "arn:aws:s3:::" + call.resource();
            String object = bucket + "/" + call.key();
            switch (call.operation()) {
                case "GetObject", "HeadObject" -> {
                    out.add(new Need("s3:GetObject", object, null));
                    if (call.status() == 404) {
                        out.add(new Need("s3:ListBucket", bucket, null));
                    }
                }
                case "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload" ->
                        out.add(new Need("s3:PutObject", object, null));
                case "CopyObject" -> {
                    if (call.sourceBucket() == null) {
                        throw new AssertionError("no copy source recorded for " + call);
                    }
                    String source = "arn:aws:s3:::" + call.sourceBucket();
                    out.add(new Need("s3:GetObject", source + "/" + call.sourceKey(), null));
                    out.add(new Need("s3:PutObject", object, null));
                    if (call.status() == 404) {
                        out.add(new Need("s3:ListBucket", source, null));
                    }
                }
                case "DeleteObject" -> out.add(new Need("s3:DeleteObject", object, null));
                case "AbortMultipartUpload" -> out.add(new Need("s3:AbortMultipartUpload", object, null));
                case "ListParts" -> out.add(new Need("s3:ListMultipartUploadParts", object, null));
                case "ListObjectsV2", "ListObjects" -> out.add(new Need("s3:ListBucket", bucket, call.key() == null ? "" : call.key()));
                default -> throw new AssertionError("no IAM mapping for " + call + "; add one to IamIT.needs");
            }
        } else if (call.service().equalsIgnoreCase("SQS")) {
            String arn = queueArns.get(call.resource());
            if (arn == null) {
                throw new AssertionError(call + " names a queue that is not in template.yaml");
            }
            String action = switch (call.operation()) {
                case "SendMessageBatch" -> "SendMessage";
                case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
                case "DeleteMessageBatch" -> "DeleteMessage";
                default -> call.operation();
            };
            out.add(new Need("sqs:" + action, arn, null));
        }
        return out;
    }
}
