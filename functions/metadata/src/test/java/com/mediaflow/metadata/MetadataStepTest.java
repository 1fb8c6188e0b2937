package com.mediaflow.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.codec.PerceptualHash;
import com.mediaflow.shared.codec.SyntheticMedia;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStepTest {

    private static final String ID = "0".repeat(64);

    @TempDir
    Path tmp;

    private final MetadataStep step = new MetadataStep(Config.of(Map.of()));

    /** The public corpus; fails (never skips) when the property or the folder is missing. */
    private static Path corpus(String relative) {
        String property = System.getProperty("mediaflow.corpus");
        assertThat(property).as("system property mediaflow.corpus (set by the parent pom to the repository's corpus/)")
                .isNotBlank();
        Path file = Path.of(property).resolve(relative);
        assertThat(file).as("corpus file %s (under the repository's corpus/ at the project root)", file).isRegularFile();
        return file;
    }

    private Map<String, Object> metadataOf(Path file, String type) {
        MediaStep.Output out = step.process(new StepMessage(ID, "metadata", type, "image",
                "media", "media/" + ID + "/original"), file);
        assertThat(out.renditions()).isEmpty();
        return out.metadata();
    }

    @Test
    void process_rotatedJpeg_givesUprightSizeEightBitSrgbAndTheUprightPicturesHash() {
        Map<String, Object> upright = metadataOf(corpus("exif-orientation/Landscape_1.jpg"),
                "image/jpeg");

        Map<String, Object> meta = metadataOf(corpus("exif-orientation/Landscape_6.jpg"),
                "image/jpeg");

        assertThat(meta).containsEntry("width", upright.get("width"))
                .containsEntry("height", upright.get("height"))
                .containsEntry("orientation", 6)
                .containsEntry("bitDepth", 8)
                .containsEntry("colorSpace", "sRGB")
                .containsEntry("hasAlpha", false)
                .containsEntry("frameCount", 1)
                .containsEntry("gpsPresent", false);
        assertThat((String) meta.get("perceptualHash")).matches("[0-9a-f]{16}");
        assertThat(PerceptualHash.hammingDistance((String) meta.get("perceptualHash"),
                (String) upright.get("perceptualHash"))).isLessThanOrEqualTo(10);
        Map<String, Object> portrait = metadataOf(corpus("exif-orientation/Portrait_6.jpg"),
                "image/jpeg");
        assertThat(PerceptualHash.hammingDistance((String) meta.get("perceptualHash"),
                (String) portrait.get("perceptualHash"))).isGreaterThanOrEqualTo(20);
    }

    @Test
    void process_iphoneHeic_keepsCameraAndTimeReportsDisplayP3AndNeverStoresCoordinates() {
        Map<String, Object> meta = metadataOf(corpus("heic/IMG_5195.HEIC"), "image/heic");

        assertThat(meta).containsEntry("cameraMake", "Apple")
                .containsEntry("cameraModel", "iPhone 11 Pro Max")
                .containsEntry("captureTime", "2021-04-11T15:47:53")
                .containsEntry("gpsPresent", true)
                .containsEntry("colorSpace", "Display P3")
                .containsEntry("hasAlpha", false)
                .containsKey("perceptualHash");
        assertThat(meta.keySet()).noneMatch(k -> k.toLowerCase().contains("latitude")
                || k.toLowerCase().contains("longitude") || k.equalsIgnoreCase("gps"));
    }

    @Test
    void process_sixteenBitPng_reportsSixteenBitsWithoutAlpha() {
        Map<String, Object> meta = metadataOf(corpus("pngsuite/png/basn2c16.png"), "image/png");

        assertThat(meta).containsEntry("bitDepth", 16).containsEntry("hasAlpha", false)
                .containsEntry("colorSpace", "sRGB");
    }

    @Test
    void process_pngWithAlphaChannel_reportsAlpha() {
        assertThat(metadataOf(corpus("pngsuite/png/basn6a08.png"), "image/png"))
                .containsEntry("hasAlpha", true).containsEntry("bitDepth", 8);
        assertThat(metadataOf(corpus("pngsuite/png/basn2c08.png"), "image/png"))
                .containsEntry("hasAlpha", false);
    }

    @Test
    void process_animatedGif_countsItsFrames() {
        Path gif = SyntheticMedia.animatedGif(tmp.resolve("gif-animated-3frames-64x48.gif"), 64,
                48, 3);

        Map<String, Object> meta = metadataOf(gif, "image/gif");

        assertThat(meta).containsEntry("frameCount", 3).containsEntry("width", 64)
                .containsEntry("height", 48);
        assertThat((String) meta.get("perceptualHash")).matches("[0-9a-f]{16}");
    }
}
