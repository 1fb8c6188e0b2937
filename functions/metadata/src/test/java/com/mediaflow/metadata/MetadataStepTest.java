package com.mediaflow.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.codec.HeifDecoder;
import com.mediaflow.shared.codec.still.HeifFixtures;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.format.MediaCategory;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.StepMessage;
import com.mediaflow.shared.pipeline.MediaStep;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStepTest {

    private static final String ID = "0".repeat(64);

    @TempDir
    Path tmp;

    private final MetadataStep step = new MetadataStep(Config.of(Map.of()));

    private MediaStep.Output run(Path file, String type) {
        MediaStep.Output out = step.process(new StepMessage(ID, "metadata", MediaFormat.byMimeType(type).orElseThrow(), MediaCategory.IMAGE,
                "media", "media/" + ID + "/original"), file);
        assertThat(out.renditions()).isEmpty();
        return out;
    }

    private Map<String, Object> metadataOf(Path file, String type) {
        MediaStep.Output out = run(file, type);
        assertThat(out.warnings()).as("warnings for %s", file).isEmpty();
        return out.metadata();
    }

    @Test
    void process_rotatedJpeg_givesUprightSizeEightBitSrgbAndNoHash() {
        Map<String, Object> upright = metadataOf(Corpus.file("exif-orientation/Landscape_1.jpg"),
                "image/jpeg");

        Map<String, Object> meta = metadataOf(Corpus.file("exif-orientation/Landscape_6.jpg"),
                "image/jpeg");

        assertThat(upright).containsEntry("width", 1800).containsEntry("height", 1200);
        assertThat(meta).containsEntry("width", 1800)
                .containsEntry("height", 1200)
                .containsEntry("orientation", 6)
                .containsEntry("codec", "mjpeg")
                .containsEntry("bitDepth", 8)
                .containsEntry("colorSpace", "sRGB")
                .containsEntry("hasAlpha", false)
                .containsEntry("frameCount", 1)
                .containsEntry("gpsPresent", false)
                .doesNotContainKey("perceptualHash"); // the thumbnail step's, from its decode
    }

    @Test
    void process_orientationsFiveToEight_swapTheStoredSize() {
        for (int orientation = 5; orientation <= 8; orientation++) {
            // the Portrait set is stored 1800x1200 with orientations 5-8, shown 1200x1800
            assertThat(metadataOf(Corpus.file("exif-orientation/Portrait_" + orientation + ".jpg"),
                    "image/jpeg")).as("Portrait_%d.jpg", orientation)
                    .containsEntry("width", 1200).containsEntry("height", 1800)
                    .containsEntry("orientation", orientation);
        }
    }

    @Test
    void process_iphoneHeic_reportsTheFullPictureCameraAndTimeAndNeverCoordinates() {
        Path heic = Corpus.file("heic/IMG_5195.HEIC");

        Map<String, Object> meta = metadataOf(heic, "image/heic");

        assertThat(meta).containsEntry("width", 2566) // not FFmpeg's one 512x512 tile
                .containsEntry("height", 3313)
                .containsEntry("codec", "hevc")
                .containsEntry("bitDepth", 8)
                .containsEntry("cameraMake", "Apple")
                .containsEntry("cameraModel", "iPhone 11 Pro Max")
                .containsEntry("captureTime", "2021-04-11T15:47:53")
                .containsEntry("gpsPresent", true)
                .containsEntry("colorSpace", "Display P3")
                .containsEntry("hasAlpha", false)
                .containsEntry("frameCount", 1);
        assertThat(meta.keySet()).noneMatch(k -> k.toLowerCase().contains("latitude")
                || k.toLowerCase().contains("longitude") || k.equalsIgnoreCase("gps"));
        try (Frame decoded = HeifDecoder.decodePrimary(heic)) {
            assertThat(meta).as("the size of the picture the thumbnail step decodes")
                    .containsEntry("width", decoded.imageWidth)
                    .containsEntry("height", decoded.imageHeight);
        }
    }

    @Test
    void process_gridHeicTurnedByIrot_reportsWhatTheThumbnailStepDecodes() {
        Path turned = HeifFixtures.withIrot(Corpus.file("heic/IMG_5195.HEIC"), 3,
                tmp.resolve("heic-grid-irot270-3313x2566.heic"));

        Map<String, Object> meta = metadataOf(turned, "image/heic");

        try (Frame decoded = HeifDecoder.decodePrimary(turned)) {
            assertThat(meta).containsEntry("width", decoded.imageWidth)
                    .containsEntry("height", decoded.imageHeight)
                    .containsEntry("width", 3313).containsEntry("height", 2566);
        }
    }

    @Test
    void process_heifWhoseItemsCannotBeRead_recordsAWarningInsteadOfRefusingIt() {
        Path broken = HeifFixtures.withCorruptMeta(Corpus.file("heic/samplefilehub.heif"),
                tmp.resolve("heif-meta-cut.heif"));

        MediaStep.Output out = run(broken, "image/heic");

        assertThat(out.metadata()).containsEntry("mimeType", "image/heic")
                .containsEntry("colorSpace", "sRGB").doesNotContainKeys("width", "height");
        assertThat(out.warnings()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ReasonCode.PROPERTIES_INCOMPLETE);
            assertThat(r.rejects()).as("a warning, not a quarantine").isFalse();
            assertThat(r.message()).contains("expected");
        });
    }

    @Test
    void process_sixteenBitPng_reportsSixteenBitsWithoutAlpha() {
        Map<String, Object> meta = metadataOf(Corpus.file("pngsuite/png/basn2c16.png"), "image/png");

        assertThat(meta).containsEntry("bitDepth", 16).containsEntry("hasAlpha", false)
                .containsEntry("colorSpace", "sRGB").containsEntry("codec", "png");
    }

    @Test
    void process_pngWithAlphaChannel_reportsAlpha() {
        assertThat(metadataOf(Corpus.file("pngsuite/png/basn6a08.png"), "image/png"))
                .containsEntry("hasAlpha", true).containsEntry("bitDepth", 8);
        assertThat(metadataOf(Corpus.file("pngsuite/png/tbbn3p08.png"), "image/png"))
                .as("a palette with tRNS").containsEntry("hasAlpha", true);
        assertThat(metadataOf(Corpus.file("pngsuite/png/basn2c08.png"), "image/png"))
                .containsEntry("hasAlpha", false);
    }

    @Test
    void process_animatedGif_countsItsFrames() {
        Path gif = SyntheticMedia.animatedGif(tmp.resolve("gif-animated-3frames-64x48.gif"), 64,
                48, 3);

        Map<String, Object> meta = metadataOf(gif, "image/gif");

        assertThat(meta).containsEntry("frameCount", 3).containsEntry("width", 64)
                .containsEntry("height", 48).containsEntry("codec", "gif");
    }

    @Test
    void process_stills_needNoFfmpegClassAtAll() throws Exception {
        // given the step loaded where no org.bytedeco class (JavaCV, FFmpeg, JavaCPP) can be
        try (Isolated isolated = new Isolated()) {
            for (String[] still : new String[][] {{"heic/IMG_5195.HEIC", "image/heic"},
                    {"exif-orientation/Portrait_6.jpg", "image/jpeg"},
                    {"pngsuite/png/basn6a16.png", "image/png"}}) {
                // when it describes a still
                Map<?, ?> meta = isolated.process(Corpus.file(still[0]), still[1], "image");
                Map<String, Object> copy = new java.util.TreeMap<>();
                meta.forEach((k, v) -> copy.put((String) k, v));

                // then it works, and never even asked for one
                assertThat(copy).containsKeys("width", "height", "bitDepth", "colorSpace");
            }
            assertThat(isolated.loader.refused).isEmpty();

            // while a video, which still goes through FFmpeg's probe, does ask
            Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-64x48-0.5s.mp4"), 64, 48, 0.5, 10,
                    false, 0);
            assertThatThrownBy(() -> isolated.process(mp4, "video/mp4", "video"))
                    .hasRootCauseInstanceOf(ClassNotFoundException.class);
            assertThat(isolated.loader.refused).anyMatch(n -> n.startsWith("org.bytedeco."));
        }
    }

    /** The metadata step and everything it uses, loaded again by a loader that refuses org.bytedeco. */
    private static final class Isolated implements AutoCloseable {
        final NoFfmpegLoader loader = new NoFfmpegLoader();
        private final Object step;
        private final Class<?> messageType;

        Isolated() throws ReflectiveOperationException {
            Class<?> config = loader.loadClass(Config.class.getName());
            step = loader.loadClass(MetadataStep.class.getName()).getConstructor(config)
                    .newInstance(config.getMethod("of", Map.class).invoke(null, Map.of()));
            messageType = loader.loadClass(StepMessage.class.getName());
        }

        /** The message's format and category by their names in JSON, as this loader's enums. */
        Map<?, ?> process(Path file, String type, String category) throws Exception {
            Object format = ((java.util.Optional<?>) loader.loadClass(MediaFormat.class.getName())
                    .getMethod("byMimeType", String.class).invoke(null, type)).orElseThrow();
            Object kind = loader.loadClass(MediaCategory.class.getName()).getMethod("fromId", String.class)
                    .invoke(null, category);
            Object message = messageType.getConstructor(String.class, String.class, format.getClass(), kind.getClass(),
                    String.class, String.class).newInstance(ID, "metadata", format, kind, "media", "media/" + ID + "/original");
            try {
                Object out = step.getClass().getMethod("process", messageType, Path.class)
                        .invoke(step, message, file);
                return (Map<?, ?>) out.getClass().getMethod("metadata").invoke(out);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void close() throws Exception {
            loader.close();
        }
    }

    /** The test class path without the parent's application classes, refusing org.bytedeco. */
    private static final class NoFfmpegLoader extends URLClassLoader {
        final List<String> refused = Collections.synchronizedList(new ArrayList<>());

        NoFfmpegLoader() {
            super(testClassPath(), ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.bytedeco.")) {
                refused.add(name);
                throw new ClassNotFoundException(name + " (FFmpeg is not available here)");
            }
            return super.loadClass(name, resolve);
        }

        private static URL[] testClassPath() {
            String path = System.getProperty("surefire.test.class.path",
                    System.getProperty("java.class.path"));
            return Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isBlank())
                    .map(s -> {
                        try {
                            return Path.of(s).toUri().toURL();
                        } catch (MalformedURLException e) {
                            throw new IllegalArgumentException(s, e);
                        }
                    }).toArray(URL[]::new);
        }
    }

    private MediaStep.Output document(Path file, MediaFormat type) {
        return step.process(new StepMessage(ID, "metadata", type, MediaCategory.DOCUMENT, "media", "media/" + ID + "/original"),
                file);
    }

    @Test
    void process_pdf_givesPagesTitleAuthorSizeAndText() {
        Path pdf = com.mediaflow.testkit.PdfFixtures.textPages(tmp.resolve("ten.pdf"), 10, "Annual report", "Jane Doe");

        MediaStep.Output out = document(pdf, MediaFormat.PDF);

        assertThat(out.warnings()).isEmpty();
        assertThat(out.renditions()).isEmpty();
        assertThat(out.metadata()).containsEntry("mimeType", "application/pdf").containsEntry("pageCount", 10)
                .containsEntry("title", "Annual report").containsEntry("author", "Jane Doe")
                .containsEntry("encrypted", false).containsEntry("textPresent", true)
                .containsEntry("pageWidthPoints", 595.28).containsEntry("pageHeightPoints", 841.89)
                .doesNotContainKey("preview");
    }

    @Test
    void process_pdfAboveThePageLimit_keepsItsMetadataWithAWarning() {
        Path pdf = com.mediaflow.testkit.PdfFixtures.textPages(tmp.resolve("four.pdf"), 4, "Four", null);
        MetadataStep limited = new MetadataStep(Config.of(Map.of(Config.MAX_PDF_PAGES, "3")));

        MediaStep.Output out = limited.process(new StepMessage(ID, "metadata", MediaFormat.PDF, MediaCategory.DOCUMENT,
                "media", "media/" + ID + "/original"), pdf);

        assertThat(out.metadata()).containsEntry("pageCount", 4).containsEntry("title", "Four")
                .doesNotContainKey("textPresent");
        assertThat(out.warnings()).extracting(r -> r.code()).containsExactly(ReasonCode.PDF_PAGE_LIMIT);
    }

    @Test
    void process_ownerPasswordPdf_isEncryptedAndRead() {
        Path pdf = com.mediaflow.testkit.PdfFixtures.encrypted(tmp.resolve("owner.pdf"), "", "owner", "Owner only");

        MediaStep.Output out = document(pdf, MediaFormat.PDF);

        assertThat(out.warnings()).isEmpty();
        assertThat(out.metadata()).containsEntry("encrypted", true).containsEntry("title", "Owner only")
                .containsEntry("pageCount", 1);
    }
}
