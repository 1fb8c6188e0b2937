package com.mediaflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mediaflow.shared.aws.ObjectStore;
import com.mediaflow.shared.codec.OnDemandRender;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.testkit.SyntheticMedia;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendersTest {
    private static final String BUCKET = "media";
    private static final String ID = RenderRequestTest.ID;
    private static final List<Integer> SIZES = List.of(64, 128, 256, 320, 512, 640, 1024);
    private final RenderUrls urls = new RenderUrls(RenderRequestTest.SECRET);
    private final MemoryS3 s3 = new MemoryS3();
    @TempDir
    Path dir;

    @BeforeEach
    void aReadyPhoto() throws Exception {
        String display = "media/" + ID + "/thumbnail/display.jpg";
        s3.objects.put(BUCKET + "/" + display, Files.readAllBytes(SyntheticMedia.jpeg(dir.resolve("d.jpg"), 800, 600, 1)));
        Manifest m = new Manifest(ID, MediaStatus.READY, com.mediaflow.shared.format.MediaFormat.JPEG, com.mediaflow.shared.format.MediaCategory.IMAGE, 1000, new Manifest.Location(BUCKET, "media/" + ID
                + "/original"), Map.of(), List.of(), List.of(new Output("display", display, "image/jpeg", 800, 600, 1000L)), Map.of());
        s3.objects.put(BUCKET + "/media/" + ID + "/manifest.json", Json.bytes(m));
    }

    private Renders renders(long cacheBytes) {
        return renders(cacheBytes, Duration.ZERO);
    }

    private Renders renders(long cacheBytes, Duration revalidate) {
        return new Renders(new ObjectStore(s3), BUCKET, urls, SIZES, 85, 80, dir.resolve("work"), cacheBytes, revalidate);
    }

    @Test
    void aMiss_rendersTheSize_storesIt_thenMemory_thenAnotherInstanceReadsItFromS3() throws Exception {
        Renders r = renders(64L << 20);
        Renders.Answer first = r.serve(urls.path(ID, 320, 256, "cover", "jpg"));

        assertThat(first.source()).isEqualTo(Renders.Source.RENDERED);
        assertThat(first.contentType()).isEqualTo("image/jpeg");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(first.bytes()));
        assertThat(img.getWidth()).isEqualTo(320);
        assertThat(img.getHeight()).isEqualTo(256);
        String key = BUCKET + "/media/" + ID + "/render/320x256-cover.jpg";
        assertThat(s3.objects.get(key)).isEqualTo(first.bytes());
        assertThat(s3.cacheControl.get(key)).isEqualTo(ObjectStore.IMMUTABLE);

        int gets = s3.gets;
        Renders.Answer second = r.serve(urls.path(ID, 320, 256, "cover", "jpg"));
        assertThat(second.source()).isEqualTo(Renders.Source.MEMORY);
        assertThat(second.bytes()).isEqualTo(first.bytes());
        assertThat(s3.gets).as("a memory hit reads no bytes from S3").isEqualTo(gets);

        Renders.Answer elsewhere = renders(64L << 20).serve(urls.path(ID, 320, 256, "cover", "jpg"));
        assertThat(elsewhere.source()).isEqualTo(Renders.Source.STORED);
        assertThat(elsewhere.bytes()).isEqualTo(first.bytes());
    }

    @Test
    void aRenderInMemory_ofAnItemDeletedSince_is404() {
        Renders r = renders(64L << 20);
        r.serve(urls.path(ID, 320, 256, "cover", "jpg"));
        // DELETE /uploads/{id} removed the item's last upload: every object under media/<id>/ is gone
        s3.objects.keySet().removeIf(k -> k.startsWith(BUCKET + "/media/" + ID + "/"));

        RenderError gone = catchThrowableOfType(RenderError.class, () -> r.serve(urls.path(ID, 320, 256, "cover", "jpg")));

        assertThat(gone.status()).isEqualTo(404);
        assertThat(s3.objects.keySet()).noneMatch(k -> k.contains("/render/"));
    }

    @Test
    void aRenderInMemory_isServedWithoutS3_withinTheRevalidationWindow_thenCheckedAgain() throws Exception {
        Renders r = renders(64L << 20, Duration.ofMillis(300));
        r.serve(urls.path(ID, 320, 256, "cover", "jpg"));
        int heads = s3.heads;
        int gets = s3.gets;
        for (int i = 0; i < 5; i++) {
            assertThat(r.serve(urls.path(ID, 320, 256, "cover", "jpg")).source()).isEqualTo(Renders.Source.MEMORY);
        }
        assertThat(s3.heads).as("no HEAD within the window").isEqualTo(heads);
        assertThat(s3.gets).isEqualTo(gets);
        s3.objects.keySet().removeIf(k -> k.startsWith(BUCKET + "/media/" + ID + "/"));
        assertThat(r.serve(urls.path(ID, 320, 256, "cover", "jpg")).source())
                .as("deleted inside the window: still served from memory until the window ends").isEqualTo(Renders.Source.MEMORY);

        Thread.sleep(400);

        RenderError gone = catchThrowableOfType(RenderError.class, () -> r.serve(urls.path(ID, 320, 256, "cover", "jpg")));
        assertThat(gone.status()).as("after the window the stored copy is checked, found gone").isEqualTo(404);
        assertThat(s3.heads).isGreaterThan(heads);
        assertThat(r.cache().contains("out:" + RenderUrls.signedPart(ID, 320, 256, "cover", "jpg"))).isFalse();
    }

    @Test
    void contain_fitsInsideTheBox_andWebpDecodesToThatSize_fromTheCachedSource() throws Exception {
        Renders r = renders(64L << 20);
        Renders.Answer a = r.serve(urls.path(ID, 256, 256, "contain", "webp"));
        assertThat(a.contentType()).isEqualTo("image/webp");
        Path f = Files.write(dir.resolve("a.webp"), a.bytes());
        OnDemandRender.Pixels p = OnDemandRender.decode(f);
        assertThat(p.width()).isEqualTo(256);
        assertThat(p.height()).isEqualTo(192);

        long misses = r.cache().misses();
        r.serve(urls.path(ID, 128, 128, "cover", "webp"));
        assertThat(r.cache().hits()).as("the decoded source came from the cache").isGreaterThanOrEqualTo(1);
        assertThat(r.cache().misses()).as("only the render's own name missed").isEqualTo(misses + 1);
    }

    @Test
    void anAvif_isAnAv1StillThatDecodesBackAtItsSize() throws Exception {
        Renders.Answer a = renders(64L << 20).serve(urls.path(ID, 320, 256, "cover", "avif"));

        assertThat(a.contentType()).isEqualTo("image/avif");
        assertThat(new String(a.bytes(), 4, 8, java.nio.charset.StandardCharsets.US_ASCII)).as("ftyp brand").isEqualTo("ftypavif");
        OnDemandRender.Pixels p = OnDemandRender.decode(Files.write(dir.resolve("a.avif"), a.bytes()));
        assertThat(p.width()).isEqualTo(320);
        assertThat(p.height()).isEqualTo(256);
        assertThat(s3.objects).containsKey(BUCKET + "/media/" + ID + "/render/320x256-cover.avif");
    }

    @Test
    void unknownMedia_is404_andAboveTheDisplaySize_is400() {
        String other = "f".repeat(64);
        RenderError unknown = catchThrowableOfType(RenderError.class, () -> renders(0).serve(urls.path(other, 64, 64, "cover", "jpg")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.getMessage()).contains("has no READY manifest");

        RenderError above = catchThrowableOfType(RenderError.class, () -> renders(0).serve(urls.path(ID, 1024, 512, "cover", "jpg")));
        assertThat(above.status()).isEqualTo(400);
        assertThat(above.getMessage()).contains("size 1024x512 is above the display size 800x600");
        assertThat(s3.objects.keySet()).noneMatch(k -> k.contains("/render/"));
    }
}
