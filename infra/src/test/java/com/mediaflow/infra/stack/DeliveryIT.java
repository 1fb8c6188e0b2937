package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.codec.OnDemandRender;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.testkit.Corpus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery on the embedded stack over real HTTP, as CloudFront serves it on AWS: a photo goes
 * through the pipeline, then its renditions come from {@code deliveryUrl/media/...} (the stored
 * bytes, immutable), and signed on-demand sizes from {@code deliveryUrl/r/...} through the render
 * function, which writes each render back to S3 (another instance then reads it from there).
 */
class DeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static StackFixture fx;
    private static String mediaId;
    private static Manifest manifest;
    private static RenderUrls urls;

    @TempDir
    Path dir;

    @BeforeAll
    static void readyPhoto() throws Exception {
        fx = StackFixture.start(true);
        urls = new RenderUrls(fx.stack.renderSecret());
        String key = "uploads/delivery/Landscape_6.jpg"; // stored 1200x1800, EXIF orientation 6: upright 1800x1200
        String etag = fx.upload(Corpus.file("exif-orientation/Landscape_6.jpg"), key, "image/jpeg");
        Receipt r = fx.awaitFinalReceipt(key, etag, WAIT);
        assertThat(r.status()).as(fx.diagnosis(key, etag)).isEqualTo(MediaStatus.READY);
        mediaId = r.mediaId();
        manifest = fx.store.getJson(fx.media, Keys.manifest(mediaId), Manifest.class).orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(fx.stack.deliveryUrl() + path)).timeout(Duration.ofSeconds(60)).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] stored(String key) {
        return fx.stack.s3().getObjectAsBytes(b -> b.bucket(fx.media).key(key)).asByteArray();
    }

    @Test
    void everyRendition_isServedAsStored_withItsTypeAndTheImmutableCacheControl() throws Exception {
        assertThat(manifest.outputs()).isNotEmpty();
        for (Output o : manifest.outputs()) {
            HttpResponse<byte[]> r = get("/" + o.key());

            assertThat(r.statusCode()).as(o.key()).isEqualTo(200);
            assertThat(r.body()).as(o.key()).isEqualTo(stored(o.key()));
            assertThat(r.headers().firstValue("Content-Type")).as(o.key()).hasValue(o.contentType());
            assertThat(r.headers().firstValue("Cache-Control")).as(o.key()).hasValue(ObjectStore.IMMUTABLE);
        }
    }

    @Test
    void whatCloudFrontMayNotRead_is403_andAMissingRendition404() throws Exception {
        assertThat(get("/" + Keys.original(mediaId)).statusCode()).isEqualTo(403);
        assertThat(get("/" + Keys.manifest(mediaId)).statusCode()).isEqualTo(403);
        assertThat(get("/media/" + mediaId + "/thumbnail/../original").statusCode()).isEqualTo(403);
        assertThat(get("/media/" + mediaId + "/thumbnail/nothing.jpg").statusCode()).isEqualTo(404);
    }

    @Test
    void aSignedRender_isRenderedAtItsSize_storedInS3_thenServedFromMemory_andAnotherInstanceReadsItFromS3() throws Exception {
        String path = urls.path(mediaId, 320, 256, "cover", "jpg");
        String key = "media/" + mediaId + "/render/320x256-cover.jpg";

        HttpResponse<byte[]> first = get(path);

        assertThat(first.statusCode()).as(new String(first.body())).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue(ObjectStore.IMMUTABLE);
        assertThat(first.headers().firstValue("X-Render-Source")).hasValue("rendered");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(first.body()));
        assertThat(img.getWidth()).isEqualTo(320);
        assertThat(img.getHeight()).isEqualTo(256);
        assertThat(stored(key)).as("written back to S3").isEqualTo(first.body());
        assertThat(fx.stack.s3().headObject(b -> b.bucket(fx.media).key(key)).cacheControl()).isEqualTo(ObjectStore.IMMUTABLE);
        assertThat(get("/" + key).body()).as("the stored render, through the /media/ path").isEqualTo(first.body());

        HttpResponse<byte[]> second = get(path);
        assertThat(second.headers().firstValue("X-Render-Source")).hasValue("memory");
        assertThat(second.body()).isEqualTo(first.body());

        // another execution environment (a cold one elsewhere): the render is a GET from S3, not a new render
        FunctionHost other = fx.stack.host("RenderFunction");
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(APIGatewayV2HTTPEvent.RequestContext.Http
                        .builder().withMethod("GET").withPath(path).build()).build()).build();
        APIGatewayV2HTTPResponse elsewhere = (APIGatewayV2HTTPResponse) other.invoke(event);
        assertThat(elsewhere.getStatusCode()).isEqualTo(200);
        assertThat(elsewhere.getHeaders()).containsEntry("X-Render-Source", "stored");
        assertThat(java.util.Base64.getDecoder().decode(elsewhere.getBody())).isEqualTo(first.body());
        assertThat(fx.stack.metrics().lines()).as("the render function's cache metrics")
                .anyMatch(l -> l.contains("RenderCacheHits")).anyMatch(l -> l.contains("RenderStoredHits"));
    }

    @Test
    void aContainWebp_fitsInsideItsBox() throws Exception {
        HttpResponse<byte[]> r = get(urls.path(mediaId, 512, 512, "contain", "webp"));

        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/webp");
        OnDemandRender.Pixels p = OnDemandRender.decode(Files.write(dir.resolve("r.webp"), r.body()));
        assertThat(p.width()).as("upright 1800x1200 fitted in 512x512").isEqualTo(512);
        assertThat(p.height()).isEqualTo(341);
    }

    @Test
    void aBadSignature_is403_anUnknownId404_aSizeNotAllowedOrAboveTheDisplay400() throws Exception {
        String good = urls.path(mediaId, 256, 256, "cover", "webp");
        HttpResponse<byte[]> tampered = get(good.replace("/256x256/", "/512x256/"));
        HttpResponse<byte[]> otherKey = get(new RenderUrls("another-secret-that-is-long-enough-1234").path(mediaId, 256, 256, "cover", "webp"));
        HttpResponse<byte[]> unknown = get(urls.path("0".repeat(64), 256, 256, "cover", "webp"));
        HttpResponse<byte[]> notAllowed = get(urls.path(mediaId, 300, 256, "cover", "webp"));
        HttpResponse<byte[]> above = get(urls.path(mediaId, 2048, 2048, "cover", "webp"));
        HttpResponse<byte[]> badFit = get(urls.path(mediaId, 256, 256, "fill", "webp"));

        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(new String(tampered.body())).contains("BAD_SIGNATURE");
        assertThat(otherKey.statusCode()).isEqualTo(403);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new String(unknown.body())).contains("has no READY manifest");
        assertThat(notAllowed.statusCode()).isEqualTo(400);
        assertThat(new String(notAllowed.body())).contains("width 300 is not an allowed size");
        assertThat(above.statusCode()).isEqualTo(400);
        assertThat(new String(above.body())).contains("above the display size 1800x1200");
        assertThat(badFit.statusCode()).isEqualTo(400);
        assertThat(tampered.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(fx.keys(fx.media, "media/" + mediaId + "/render/")).noneMatch(k -> k.contains("2048") || k.contains("300x"));
    }
}
