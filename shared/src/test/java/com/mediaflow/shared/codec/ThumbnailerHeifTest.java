package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.testkit.Corpus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Renditions of HEIF photos go through {@link HeifDecoder}, not FFmpeg's HEIF demuxer. */
class ThumbnailerHeifTest {

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);
    private static final RenditionPlan PLAN =
            new RenditionPlan(List.of(320, 640, 1280), 160, 2048, 80, 1024);

    private static Path heic(String name) {
        return Corpus.dir().resolve("heic").resolve(name);
    }

    @Test
    void renditions_iphoneHeic_areUprightAtThePhotosAspectAndMatchHeifConvert() {
        // given the iPhone grid, 2566x3313 after its transforms, and a bogus EXIF orientation
        // that must be ignored (HEIF's own transforms are authoritative)
        Path photo = heic("IMG_5195.HEIC");

        // when
        ImageRenditions made = THUMBNAILER.imageRenditions(photo, 6, PLAN);

        // then
        assertThat(sizes(made)).containsExactly(
                Map.entry("thumb-square-160.jpg", "160x160"),
                Map.entry("thumb-320.jpg", "248x320"),
                Map.entry("thumb-640.jpg", "496x640"),
                Map.entry("thumb-1280.jpg", "991x1280"),
                Map.entry("display.jpg", "1586x2048"),
                Map.entry("display.webp", "1586x2048"),
                Map.entry("placeholder.jpg", "25x32"));
        for (String name : List.of("thumb-320.jpg", "display.jpg")) {
            TestImages.Rgb jpeg = TestImages.decode(ThumbnailerRenditionsTest.named(made, name).bytes());
            assertThat(jpeg.width() + "x" + jpeg.height()).isEqualTo(ThumbnailerRenditionsTest
                    .named(made, name).width() + "x" + ThumbnailerRenditionsTest.named(made, name).height());
            double diff = HeifDecoderTest.difference(jpeg.argb(), jpeg.width(), jpeg.height(),
                    HeifDecoderTest.reference("IMG_5195-heif-convert-64.png"));
            System.out.printf("HEIF IMG_5195 %s: mean luma difference to heif-convert %.2f%n", name, diff);
            assertThat(diff).as(name + " against heif-convert").isLessThan(HeifDecoderTest.MAX_DIFFERENCE);
            assertThat(HeifDecoderTest.meanSaturation(jpeg.argb())).as(name + " saturation")
                    .isGreaterThan(0.15);
        }
    }

    @Test
    void renditions_singleImageHeif_keepItsAspectAndColour() {
        ImageRenditions made = THUMBNAILER.imageRenditions(heic("samplefilehub.heif"), 1, PLAN);

        assertThat(sizes(made)).containsEntry("thumb-320.jpg", "320x213")
                .containsEntry("display.jpg", "640x426");
        TestImages.Rgb jpeg = TestImages.decode(ThumbnailerRenditionsTest.named(made, "display.jpg").bytes());
        double diff = HeifDecoderTest.difference(jpeg.argb(), jpeg.width(), jpeg.height(),
                HeifDecoderTest.reference("samplefilehub-heif-convert-64.png"));
        System.out.printf("HEIF samplefilehub display.jpg: mean luma difference to heif-convert %.2f%n", diff);
        assertThat(diff).isLessThan(HeifDecoderTest.MAX_DIFFERENCE);
    }

    private static Map<String, String> sizes(ImageRenditions made) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Rendition r : made.renditions()) {
            out.put(r.name(), r.width() + "x" + r.height());
        }
        return out;
    }
}
