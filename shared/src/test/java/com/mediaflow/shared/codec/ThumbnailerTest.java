package com.mediaflow.shared.codec;

import static com.mediaflow.shared.codec.TestImages.decode;
import static com.mediaflow.shared.codec.TestImages.similarity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB48BE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ThumbnailerTest {

    /** Correct orientations score >= 0.99 on the corpus, every wrong one <= 0.86. */
    private static final double SIMILAR = 0.95;

    private static final Thumbnailer THUMBNAILER = new Thumbnailer(85);
    private static final Map<String, TestImages.Rgb> REFERENCES = new HashMap<>();

    @TempDir
    Path tmp;

    // --- EXIF orientation against the corpus ----------------------------------------------

    static Stream<Arguments> corpusOrientations() {
        return Stream.of("Landscape", "Portrait")
                .flatMap(set -> IntStream.rangeClosed(0, 8).mapToObj(o -> Arguments.of(set, o)));
    }

    @ParameterizedTest(name = "{0}_{1}.jpg")
    @MethodSource("corpusOrientations")
    void thumbnail_exifOrientedCorpusFile_looksLikeOrientation1(String set, int orientation) {
        // given the corpus photo stored with this orientation, and its upright _1 twin
        TestImages.Rgb reference = reference(set);

        // when
        Rendition r = THUMBNAILER.imageThumbnails(corpusPhoto(set, orientation), orientation,
                List.of(64)).get(0);

        // then
        TestImages.Rgb got = decode(r.bytes());
        assertThat(new int[] {got.width(), got.height()})
                .containsExactly(reference.width(), reference.height());
        assertThat(similarity(reference, got))
                .as("%s_%d.jpg with orientation %d vs %s_1.jpg", set, orientation, orientation,
                        set)
                .isGreaterThan(SIMILAR);
    }

    @Test
    void thumbnail_eachOrientation_onlyItsOwnTransformMatches() {
        // given every Landscape file 1-8, thumbnailed with every transform 1-8
        TestImages.Rgb reference = reference("Landscape");
        List<String> matches = new ArrayList<>();

        // when
        for (int stored = 1; stored <= 8; stored++) {
            for (int applied = 1; applied <= 8; applied++) {
                Rendition r = THUMBNAILER.imageThumbnails(corpusPhoto("Landscape", stored),
                        applied, List.of(64)).get(0);
                if (similarity(reference, decode(r.bytes())) > SIMILAR) {
                    matches.add(stored + "->" + applied);
                }
            }
        }

        // then the verified mapping is the identity: file N is upright only under transform N
        assertThat(matches).containsExactly("1->1", "2->2", "3->3", "4->4", "5->5", "6->6",
                "7->7", "8->8");
    }

    @Test
    void similarity_wronglyOrientedRendition_scoresBelowThreshold() {
        // given correctly oriented thumbnails of the _6 photos
        for (String set : List.of("Landscape", "Portrait")) {
            TestImages.Rgb reference = reference(set);
            TestImages.Rgb right = decode(THUMBNAILER.imageThumbnails(corpusPhoto(set, 6), 6,
                    List.of(64)).get(0).bytes());
            TestImages.Rgb upsideDown = decode(THUMBNAILER.imageThumbnails(corpusPhoto(set, 6), 8,
                    List.of(64)).get(0).bytes());
            TestImages.Rgb mirrored = decode(THUMBNAILER.imageThumbnails(corpusPhoto(set, 2), 1,
                    List.of(64)).get(0).bytes());

            // then the measure that accepts them rejects the same picture turned or mirrored
            assertThat(similarity(reference, right)).isGreaterThan(SIMILAR);
            assertThat(similarity(reference.rotated180(), right)).isLessThan(SIMILAR);
            assertThat(similarity(reference, upsideDown)).isLessThan(SIMILAR);
            assertThat(similarity(reference, mirrored)).isLessThan(SIMILAR);
        }
    }

    @Test
    void thumbnail_rotatedJpeg_isUpright() {
        // given a landscape pattern whose white marker is stored top-left, tagged orientation 6
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-exif-orientation6-320x240.jpg"), 320,
                240, 6);

        // when
        Rendition r = THUMBNAILER.imageThumbnails(jpeg, 6, List.of(160)).get(0);

        // then it is portrait, rotated 90 degrees clockwise: the marker is now top-right
        TestImages.Rgb got = decode(r.bytes());
        assertThat(new int[] {r.width(), r.height(), got.width(), got.height()})
                .containsExactly(120, 160, 120, 160);
        assertThat(got.meanLuma(0.70, 0.09, 0.90, 0.22)).as("marker, top-right").isGreaterThan(200);
        assertThat(got.meanLuma(0.10, 0.09, 0.30, 0.22)).as("top-left").isLessThan(200);
    }

    // --- sizes --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}x{1} in box {2} -> {3}x{4}")
    @CsvSource({
        "640, 480, 320, 320, 240",
        "480, 640, 320, 240, 320",
        "1000, 333, 320, 320, 107",
        "333, 1000, 320, 107, 320",
        "100, 60, 64, 64, 38",
        "100, 60, 100, 100, 60",
        "100, 60, 320, 100, 60",
        "7, 5, 2048, 7, 5",
    })
    void thumbnail_fitsBoxKeepingAspect_neverUpscaling(int w, int h, int box, int ew, int eh) {
        // given
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-" + w + "x" + h + ".jpg"), w, h, 0);

        // when
        Rendition r = THUMBNAILER.imageThumbnails(jpeg, 1, List.of(box)).get(0);

        // then the reported size is the real one
        TestImages.Rgb got = decode(r.bytes());
        assertThat(new int[] {r.width(), r.height(), got.width(), got.height()})
                .containsExactly(ew, eh, ew, eh);
    }

    @Test
    void thumbnail_severalBoxes_oneRenditionPerBoxInOrder() {
        // given
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-800x600.jpg"), 800, 600, 0);

        // when
        List<Rendition> rs = THUMBNAILER.imageThumbnails(jpeg, 1, List.of(64, 1024, 320));

        // then
        assertThat(rs).extracting(Rendition::name)
                .containsExactly("thumb-64.jpg", "thumb-1024.jpg", "thumb-320.jpg");
        assertThat(rs).extracting(Rendition::kind).containsOnly("thumbnail");
        assertThat(rs).extracting(Rendition::contentType).containsOnly("image/jpeg");
        assertThat(rs).extracting(Rendition::width).containsExactly(64, 800, 320);
        assertThat(rs).extracting(Rendition::height).containsExactly(48, 600, 240);
        // the 64 px one is cascaded from the 320 px one: still the same picture
        TestImages.Rgb direct = decode(THUMBNAILER.imageThumbnails(jpeg, 1, List.of(64)).get(0)
                .bytes());
        assertThat(similarity(direct, decode(rs.get(0).bytes()))).isGreaterThan(0.98);
    }

    @Test
    void thumbnail_largeJpeg_reducedDecodeMatchesFullDecode() {
        // given a JPEG large enough for FFmpeg's lowres (DCT-domain) decoding at 320 px
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-2400x1800.jpg"), 2400, 1800, 0);
        assertThat(FfmpegStills.lowresFor(AV_CODEC_ID_MJPEG, 2400, 1800, 320)).isEqualTo(2);

        // when: alone (lowres 2), and next to a full-size box (no lowres)
        Rendition reduced = THUMBNAILER.imageThumbnails(jpeg, 1, List.of(320)).get(0);
        Rendition full = THUMBNAILER.imageThumbnails(jpeg, 1, List.of(320, 4000)).get(0);

        // then
        assertThat(new int[] {reduced.width(), reduced.height()}).containsExactly(320, 240);
        assertThat(similarity(decode(full.bytes()), decode(reduced.bytes()))).isGreaterThan(0.97);
    }

    @Test
    void lowresFor_onlyForDecodersThatScaleAndOnlyWithMargin() {
        assertThat(FfmpegStills.lowresFor(AV_CODEC_ID_MJPEG, 4000, 3000, 320)).isEqualTo(3);
        assertThat(FfmpegStills.lowresFor(AV_CODEC_ID_MJPEG, 4000, 3000, 1024)).isEqualTo(1);
        assertThat(FfmpegStills.lowresFor(AV_CODEC_ID_MJPEG, 4000, 3000, 2048)).isZero();
        assertThat(FfmpegStills.lowresFor(AV_CODEC_ID_PNG, 4000, 3000, 64)).isZero();
    }

    // --- formats ------------------------------------------------------------------------------

    @Test
    void thumbnail_pngWithAlpha_isFlattenedOntoWhite() {
        // given an RGBA PNG, fully transparent (but coloured) on the left, opaque on the right
        Path png = SyntheticMedia.pngWithAlpha(tmp.resolve("rgba-alpha-ramp-320x240.png"), 320,
                240);

        // when
        Rendition r = THUMBNAILER.imageThumbnails(png, 1, List.of(100)).get(0);

        // then the transparent corner is white, the opaque side keeps its colour
        TestImages.Rgb got = decode(r.bytes());
        for (int y : new int[] {0, got.height() / 2, got.height() - 1}) {
            assertThat(List.of(got.red(0, y), got.green(0, y), got.blue(0, y)))
                    .as("left column, row %d", y)
                    .allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(245));
        }
        int x = got.width() - 2;
        int y = got.height() - 2;
        assertThat(got.green(x, y)).as("opaque bottom-right is not white").isLessThan(230);
    }

    @Test
    void thumbnail_pngSuite_everyValidFileRenders() throws IOException {
        // given every PngSuite file not starting with x (x* are deliberately corrupt)
        List<Path> files;
        try (Stream<Path> s = Files.list(Corpus.dir().resolve("pngsuite/png"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".png"))
                    .filter(p -> !p.getFileName().toString().startsWith("x"))
                    .sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(150);
        List<String> failures = new ArrayList<>();

        // when
        for (Path file : files) {
            try {
                Rendition r = THUMBNAILER.imageThumbnails(file, 1, List.of(16)).get(0);
                TestImages.Rgb got = decode(r.bytes());
                if (got.width() != r.width() || got.height() != r.height()
                        || Math.max(r.width(), r.height()) > 32) {
                    failures.add(file.getFileName() + ": " + r);
                }
            } catch (CodecException e) {
                failures.add(file.getFileName() + ": " + e.getMessage());
            }
        }

        // then
        assertThat(failures).isEmpty();
    }

    static Stream<Arguments> otherFormats() {
        return Stream.of(
                Arguments.of("gif", "gif", AV_PIX_FMT_RGB8),
                Arguments.of("webp", "libwebp", AV_PIX_FMT_YUV420P),
                Arguments.of("bmp", "bmp", AV_PIX_FMT_BGR24),
                Arguments.of("tiff", "tiff", AV_PIX_FMT_RGB24),
                Arguments.of("png", "png", AV_PIX_FMT_RGB48BE));
    }

    @ParameterizedTest(name = "{0} ({2})")
    @MethodSource("otherFormats")
    void thumbnail_otherImageFormats_decodeAndLookLikeTheSource(String ext, String encoder,
            int pixelFormat) throws Exception {
        // given the same pattern as a JPEG and re-encoded by FFmpeg in another format
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-160x120.jpg"), 160, 120, 0);
        Path other = tmp.resolve("pattern-160x120." + ext);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(jpeg.toString())) {
            g.setPixelFormat(AV_PIX_FMT_RGB24);
            g.start();
            Frame f = g.grabImage();
            Files.write(other, FfmpegSupport.encodeStill(f, AV_PIX_FMT_RGB24, encoder,
                    pixelFormat, 0, other));
        }

        // when
        Rendition fromOther = THUMBNAILER.imageThumbnails(other, 1, List.of(80)).get(0);
        Rendition fromJpeg = THUMBNAILER.imageThumbnails(jpeg, 1, List.of(80)).get(0);

        // then
        assertThat(new int[] {fromOther.width(), fromOther.height()}).containsExactly(80, 60);
        assertThat(similarity(decode(fromJpeg.bytes()), decode(fromOther.bytes())))
                .isGreaterThan(0.93);
    }

    // --- quality and failures -----------------------------------------------------------------

    @Test
    void thumbnail_higherQuality_makesLargerFiles() {
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("pattern-640x480.jpg"), 640, 480, 0);

        int low = new Thumbnailer(40).imageThumbnails(jpeg, 1, List.of(320)).get(0).bytes().length;
        int high = new Thumbnailer(95).imageThumbnails(jpeg, 1, List.of(320)).get(0).bytes().length;

        assertThat(high).isGreaterThan(low * 2);
    }

    @Test
    void qscaleForQuality_followsLibjpegScale() {
        assertThat(FfmpegSupport.qscaleForQuality(100)).isEqualTo(1);
        assertThat(FfmpegSupport.qscaleForQuality(95)).isEqualTo(1);
        assertThat(FfmpegSupport.qscaleForQuality(90)).isEqualTo(2);
        assertThat(FfmpegSupport.qscaleForQuality(85)).isEqualTo(4);
        assertThat(FfmpegSupport.qscaleForQuality(75)).isEqualTo(6);
        assertThat(FfmpegSupport.qscaleForQuality(50)).isEqualTo(12);
        assertThat(FfmpegSupport.qscaleForQuality(1)).isEqualTo(31);
        assertThatThrownBy(() -> new Thumbnailer(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-100").hasMessageContaining("found 0");
        assertThatThrownBy(() -> new Thumbnailer(101))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thumbnail_garbageFile_throwsCodecExceptionNamingIt() throws IOException {
        // given
        Path garbage = Files.write(tmp.resolve("not-an-image.jpg"),
                "this is plain text, not a JPEG".getBytes());
        Path truncated = tmp.resolve("truncated.png");
        Path png = SyntheticMedia.pngWithAlpha(tmp.resolve("whole.png"), 64, 64);
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(png), 40));

        // when / then
        assertThatThrownBy(() -> THUMBNAILER.imageThumbnails(garbage, 1, List.of(64)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> THUMBNAILER.imageThumbnails(truncated, 1, List.of(64)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(truncated.toString());
        assertThatThrownBy(() -> THUMBNAILER.imageThumbnails(tmp.resolve("missing.jpg"), 1,
                List.of(64)))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("missing.jpg");
    }

    @Test
    void thumbnail_invalidBox_isRejected() {
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("p.jpg"), 32, 32, 0);
        assertThatThrownBy(() -> THUMBNAILER.imageThumbnails(jpeg, 1, List.of(64, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[64, 0]");
    }

    // --- helpers ------------------------------------------------------------------------------

    private static Path corpusPhoto(String set, int orientation) {
        return Corpus.dir().resolve("exif-orientation/" + set + "_" + orientation + ".jpg");
    }

    private static synchronized TestImages.Rgb reference(String set) {
        return REFERENCES.computeIfAbsent(set, s -> decode(THUMBNAILER.imageThumbnails(
                corpusPhoto(s, 1), 1, List.of(64)).get(0).bytes()));
    }
}
