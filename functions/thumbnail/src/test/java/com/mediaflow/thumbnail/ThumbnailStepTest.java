package com.mediaflow.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.codec.ExifReader;
import com.mediaflow.shared.codec.PerceptualHash;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.codec.Rendition;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.PdfFixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The thumbnail step's perceptual hash comes from the decode its renditions are made from, and is
 * the value {@link PerceptualHash#of} (the metadata step's former, separate decode) gives.
 */
class ThumbnailStepTest {

    private static final String ID = "0".repeat(64);

    @TempDir
    Path tmp;

    private final ThumbnailStep step = new ThumbnailStep(Config.of(Map.of()));

    private MediaStep.Output process(Path file, MediaFormat type, MediaCategory category) {
        return step.process(new StepMessage(ID, "thumbnail", type, category, "media",
                "media/" + ID + "/original"), file);
    }

    private static String todaysHash(Path file) {
        return PerceptualHash.of(file, ExifReader.read(file).orientation());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heic/IMG_5195.HEIC", "heic/samplefilehub.heif",
        "pngsuite/png/basn6a08.png", "pngsuite/png/basn2c16.png", "pngsuite/png/tbbn3p08.png",
        "pngsuite/png/basn0g04.png", "exif-orientation/Landscape_1.jpg",
        "exif-orientation/Landscape_6.jpg", "exif-orientation/Landscape_8.jpg"})
    void process_still_putsTodaysPerceptualHashInItsMetadata(String relative) {
        Path file = Corpus.file(relative);

        MediaStep.Output out = process(file, MediaFormat.byFileName(relative).orElseThrow(), MediaCategory.IMAGE);

        assertThat(out.metadata()).containsEntry("perceptualHash", todaysHash(file))
                .containsKey("placeholder");
        assertThat(out.renditions()).isNotEmpty();
    }

    @Test
    void process_animatedGif_hashesTheStillItsThumbnailsShow() {
        Path gif = SyntheticMedia.animatedGif(tmp.resolve("gif-animated-3frames-64x48.gif"), 64,
                48, 3);

        assertThat(process(gif, MediaFormat.GIF, MediaCategory.IMAGE).metadata())
                .containsEntry("perceptualHash", todaysHash(gif));
    }

    /**
     * The one known difference: PerceptualHash.of decodes a JPEG with FFmpeg at 1/8 scale, the
     * step with libjpeg-turbo at the scale its largest rendition needs; the area-scaled 32x32
     * luma then differs slightly, and a coefficient next to the median can flip (2 bits of 64
     * for the Portrait set, none for the Landscape set).
     */
    @ParameterizedTest(name = "Portrait_{0}.jpg")
    @ValueSource(ints = {1, 3, 6, 8})
    void process_jpeg_hashIsTodaysWithinTwoBits(int orientation) {
        Path file = Corpus.file("exif-orientation/Portrait_" + orientation + ".jpg");

        String hash = (String) process(file, MediaFormat.JPEG, MediaCategory.IMAGE).metadata()
                .get("perceptualHash");

        assertThat(hash).matches("[0-9a-f]{16}");
        assertThat(PerceptualHash.hammingDistance(hash, todaysHash(file))).isLessThanOrEqualTo(2);
    }

    @Test
    void process_pdf_rendersTheFirstPageThroughTheImageRenditions() throws java.io.IOException {
        Path pdf = PdfFixtures.textAndPicturePages(tmp.resolve("ten.pdf"), 10, "Ten pages", 200);

        MediaStep.Output out = process(pdf, MediaFormat.PDF, MediaCategory.DOCUMENT);

        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsEntry("preview", "rendered").containsKey("placeholder")
                .doesNotContainKey("perceptualHash");
        assertThat(out.renditions()).extracting(Rendition::name)
                .contains("thumb-square-160.jpg", "thumb-320.jpg", "thumb-640.jpg", "thumb-1280.jpg", "display.jpg",
                        "display.webp");
        int portraitWidth2048 = (int) Math.round(2048 * PdfFixtures.A4_WIDTH / PdfFixtures.A4_HEIGHT);
        for (Rendition r : out.renditions()) {
            if (r.name().equals("display.jpg") || r.name().equals("display.webp")) {
                assertThat(r.height()).as(r.name()).isEqualTo(2048);
                assertThat(r.width()).as(r.name()).isBetween(portraitWidth2048 - 1, portraitWidth2048 + 1);
            }
            if (r.name().equals("thumb-320.jpg")) {
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(r.bytes()));
                assertThat(decoded.getHeight()).isEqualTo(320).isEqualTo(r.height());
                assertThat(decoded.getWidth()).isEqualTo(r.width()).isBetween(224, 228);
                assertThat(decoded.getRGB(2, 2) & 0xff).as("white paper in the corner").isGreaterThan(240);
            }
        }
    }

    @Test
    void process_pdfAboveThePageLimit_noRenditionsPreviewNoneAndAWarning() {
        Path pdf = PdfFixtures.textPages(tmp.resolve("four.pdf"), 4, null, null);
        ThumbnailStep limited = new ThumbnailStep(Config.of(Map.of(Config.MAX_PDF_PAGES, "3")));

        MediaStep.Output out = limited.process(new StepMessage(ID, "thumbnail", MediaFormat.PDF, MediaCategory.DOCUMENT,
                "media", "media/" + ID + "/original"), pdf);

        assertThat(out.renditions()).isEmpty();
        assertThat(out.metadata()).containsExactly(Map.entry("preview", "none"));
        assertThat(out.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ReasonCode.PDF_PAGE_LIMIT);
            assertThat(w.rejects()).isFalse();
        });
    }

    @Test
    void process_pdfWithAUserPassword_previewNone() {
        Path pdf = PdfFixtures.encrypted(tmp.resolve("locked.pdf"), "user", "owner", "Locked");

        MediaStep.Output out = process(pdf, MediaFormat.PDF, MediaCategory.DOCUMENT);

        assertThat(out.renditions()).isEmpty();
        assertThat(out.metadata()).containsEntry("preview", "none");
        assertThat(out.warnings()).extracting(w -> w.code()).containsExactly(ReasonCode.PDF_ENCRYPTED);
    }

    /** Office and text documents get no rendered preview here; they still say so. */
    @Test
    void process_otherDocument_noRenditionsAndPreviewNone() throws java.io.IOException {
        Path text = java.nio.file.Files.writeString(tmp.resolve("notes.txt"), "hello\n");

        MediaStep.Output out = process(text, MediaFormat.byFileName("notes.txt").orElseThrow(), MediaCategory.DOCUMENT);

        assertThat(out.renditions()).isEmpty();
        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsExactly(Map.entry("preview", "none"));
    }

    @Test
    void process_video_hasAPlaceholderButNoPerceptualHash() {
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-64x48-1s.mp4"), 64, 48, 1.0, 10, false, 0);

        assertThat(process(mp4, MediaFormat.MP4, MediaCategory.VIDEO).metadata()).containsKey("placeholder")
                .doesNotContainKey("perceptualHash");
    }
}
