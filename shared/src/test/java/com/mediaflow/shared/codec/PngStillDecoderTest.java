package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.testkit.Corpus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PNG decoder without the demuxer against the grabber it stands in front of, on every
 * PngSuite file: the same pixels, size and transparency, or it leaves the file to the grabber.
 */
class PngStillDecoderTest {
    private static final java.util.function.IntBinaryOperator ANY = (w, h) -> Math.max(w, h);

    @TempDir
    Path dir;

    @Test
    void everyValidPngSuiteFile_decodesToTheGrabbersPixels() throws IOException {
        List<String> compared = new ArrayList<>();
        List<String> different = new ArrayList<>();
        for (Path file : pngSuite()) {
            String name = file.getFileName().toString();
            if (name.startsWith("x")) {
                continue; // corrupt files: below
            }
            Optional<StillDecoder.DecodedStill> ours = new PngStillDecoder().decode(file, name, 1, ANY);
            assertThat(ours).as(name).isPresent();
            try (StillDecoder.DecodedStill mine = ours.get();
                    StillDecoder.DecodedStill grabbers = new FfmpegStillDecoder().decode(file, file.toString(), 1, ANY).orElseThrow()) {
                String diff = difference(mine, grabbers);
                if (diff != null) {
                    different.add(name + ": " + diff);
                }
                compared.add(name);
            }
        }
        assertThat(different).isEmpty();
        assertThat(compared).hasSizeGreaterThan(150);
    }

    @Test
    void corruptPngSuiteFiles_areLeftToTheGrabber_orDecodeAsItDoes() throws IOException {
        int left = 0;
        for (Path file : pngSuite()) {
            String name = file.getFileName().toString();
            if (!name.startsWith("x")) {
                continue;
            }
            Optional<StillDecoder.DecodedStill> ours = new PngStillDecoder().decode(file, name, 1, ANY);
            if (ours.isEmpty()) {
                left++;
                continue;
            }
            // FFmpeg's decoder took it as one packet: the grabber must take it too, with the same pixels
            try (StillDecoder.DecodedStill mine = ours.get();
                    StillDecoder.DecodedStill grabbers = new FfmpegStillDecoder().decode(file, file.toString(), 1, ANY).orElseThrow()) {
                assertThat(difference(mine, grabbers)).as(name).isNull();
            }
        }
        assertThat(left).as("PngSuite's corrupt files (bad signature, CRC, missing IDAT ...) left to the grabber")
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void apngAndOtherFormats_areLeftToTheGrabber() throws IOException {
        // a PngSuite file with an acTL chunk (2 frames, looping) put after its IHDR
        byte[] png = Files.readAllBytes(Corpus.file("pngsuite/png/basn2c08.png"));
        ByteBuffer actl = ByteBuffer.allocate(20).putInt(8).putInt(0x6163544C).putInt(2).putInt(0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(actl.array(), 4, 12);
        actl.putInt((int) crc.getValue());
        byte[] animated = new byte[png.length + 20];
        System.arraycopy(png, 0, animated, 0, 33);
        System.arraycopy(actl.array(), 0, animated, 33, 20);
        System.arraycopy(png, 33, animated, 53, png.length - 33);
        Path apng = Files.write(dir.resolve("anim.png"), animated);
        Path jpeg = Corpus.file("exif-orientation/Landscape_1.jpg");
        assertThat(new PngStillDecoder().decode(apng, "anim.png", 1, ANY)).isEmpty();
        assertThat(new PngStillDecoder().decode(jpeg, "x.jpg", 1, ANY)).isEmpty();
    }

    @Test
    void isPlainPng_readsChunkHeadersUpToTheFirstIdat() {
        ByteBuffer png = ByteBuffer.allocate(64);
        png.putLong(0x89504E470D0A1A0AL).putInt(13).putInt(0x49484452).position(8 + 8 + 13 + 4);
        png.putInt(0).putInt(0x49444154);
        assertThat(PngStillDecoder.isPlainPng(png, png.position())).isTrue();
        png.putInt(8 + 8 + 13 + 4 + 4, 0x6163544C); // the same chunk named acTL
        assertThat(PngStillDecoder.isPlainPng(png, png.position())).isFalse();
        png.putLong(0, 0x89504E470D0A1A0BL);
        assertThat(PngStillDecoder.isPlainPng(png, png.position())).isFalse();
    }

    private static List<Path> pngSuite() throws IOException {
        try (Stream<Path> s = Files.list(Corpus.dir().resolve("pngsuite/png"))) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    /** Null when both give the same size, transparency, layout and RGBA bytes; else what differs. */
    private static String difference(StillDecoder.DecodedStill a, StillDecoder.DecodedStill b) {
        if (a.alpha() != b.alpha() || a.pixelFormat() != b.pixelFormat()
                || !Arrays.equals(a.stored(), b.stored()) || !a.upright().equals(b.upright())) {
            return "alpha " + a.alpha() + "/" + b.alpha() + ", format " + a.pixelFormat() + "/" + b.pixelFormat()
                    + ", size " + Arrays.toString(a.stored()) + "/" + Arrays.toString(b.stored());
        }
        Frame fa = a.frame();
        Frame fb = b.frame();
        if (fa.imageWidth != fb.imageWidth || fa.imageHeight != fb.imageHeight) {
            return "frame " + fa.imageWidth + "x" + fa.imageHeight + " against " + fb.imageWidth + "x" + fb.imageHeight;
        }
        ByteBuffer pa = (ByteBuffer) fa.image[0];
        ByteBuffer pb = (ByteBuffer) fb.image[0];
        for (int y = 0; y < fa.imageHeight; y++) {
            for (int x = 0; x < fa.imageWidth * 4; x++) {
                byte va = pa.get(y * fa.imageStride + x);
                byte vb = pb.get(y * fb.imageStride + x);
                if (va != vb) {
                    return "byte " + x + " of row " + y + ": " + (va & 0xff) + " against " + (vb & 0xff);
                }
            }
        }
        return null;
    }
}
