package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt;

import com.mediaflow.shared.codec.still.StillProperties;
import com.mediaflow.shared.codec.still.StillPropertiesReader;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our header-only still properties against what FFmpeg's probe says, on every valid PngSuite
 * file and the EXIF orientation photos: the metadata step reported FFmpeg's view before, and
 * keeps it. Each disagreement is listed with its reason, and must be that one.
 */
class StillPropertiesDifferentialTest {

    /** What FFmpeg's probe said, as the metadata step used to turn it into properties. */
    private record Ffmpeg(int width, int height, Integer bitDepth, boolean alpha, String pixelFormat) {
        static Ffmpeg of(Path file, ExifInfo exif) {
            ProbeResult probe = MediaProbe.probe(file);
            int pixFmt = probe.pixelFormat() == null ? -1 : av_get_pix_fmt(probe.pixelFormat());
            boolean alpha = FfmpegSupport.hasAlphaChannel(pixFmt)
                    || (FfmpegSupport.isPalette(pixFmt) && exif.transparentPalette());
            boolean turned = exif.orientation() >= 5 && exif.orientation() <= 8;
            return new Ffmpeg(turned ? probe.height() : probe.width(),
                    turned ? probe.width() : probe.height(), probe.bitDepth(), alpha,
                    probe.pixelFormat());
        }
    }

    @Test
    void stills_agreeWithFfmpegsProbe_butForGreyPngsBelowEightBits() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Corpus.dir().resolve("pngsuite/png"))) {
            s.filter(p -> !p.getFileName().toString().startsWith("x")).sorted().forEach(files::add);
        }
        for (int i = 1; i <= 8; i++) {
            files.add(Corpus.dir().resolve("exif-orientation/Landscape_" + i + ".jpg"));
            files.add(Corpus.dir().resolve("exif-orientation/Portrait_" + i + ".jpg"));
        }
        List<String> unexplained = new ArrayList<>();
        int expanded = 0;
        for (Path file : files) {
            ExifInfo exif = ExifReader.read(file);
            StillProperties ours = StillPropertiesReader.read(file, exif, Limits.DEFAULTS);
            Ffmpeg theirs = Ffmpeg.of(file, exif);
            String name = file.getFileName().toString();
            boolean theirGrey = theirs.pixelFormat().startsWith("gray")
                    || theirs.pixelFormat().startsWith("ya") || theirs.pixelFormat().startsWith("mono");
            if (ours.width() != theirs.width() || ours.height() != theirs.height()
                    || ours.hasAlpha() != theirs.alpha() || !ours.warnings().isEmpty()
                    || "gray".equals(ours.colorSpace()) != theirGrey) {
                unexplained.add(name + ": ours " + ours + ", FFmpeg's " + theirs);
            } else if (!ours.bitDepth().equals(theirs.bitDepth())) {
                // FFmpeg's PNG decoder expands 2- and 4-bit grey to 8-bit "gray"; we report the
                // file's own IHDR depth, as for 1-bit ("monob") and 16-bit grey
                if (name.matches(".*[ni]0g0[24]\\.png")
                        && ours.bitDepth() < 8 && theirs.bitDepth() == 8
                        && "gray".equals(ours.colorSpace())) {
                    expanded++;
                } else {
                    unexplained.add(name + ": bit depth ours " + ours.bitDepth() + ", FFmpeg's "
                            + theirs.bitDepth() + " (" + theirs.pixelFormat() + ")");
                }
            }
        }

        assertThat(unexplained).isEmpty();
        assertThat(expanded).as("2- and 4-bit grey PngSuite files, reported at their own depth")
                .isEqualTo(17);
    }
}
