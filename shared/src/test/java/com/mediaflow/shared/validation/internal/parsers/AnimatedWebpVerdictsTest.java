package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.shared.error.CodecException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what {@link AnimatedWebp} makes of animated WebP files (libwebp_anim's lossy, lossy+ALPH and
 * lossless output, written out once into {@code AnimatedWebpVerdictsTest/}, and the WebP fuzz seeds)
 * and of seeded mutants of each (half anywhere, half in the first 128 bytes): whether it is
 * animated, the frame count under a MAX_FRAMES of 3, and the opened file's canvas, ANIM fields and
 * every frame's timing, opacity and a CRC-32 of the composited canvas, or the typed error and its
 * message. A refactoring must keep every line of {@code verdicts.txt}; see {@link Verdicts}.
 */
class AnimatedWebpVerdictsTest {
    private static final int MUTATIONS = 42;

    @TempDir
    Path tmp;

    @Test
    void everyAnimatedWebpAndItsMutants_keepTheirRecordedVerdicts() throws IOException {
        // given
        Map<String, byte[]> inputs = Verdicts.inputs(Map.of(
                "recorded", Verdicts.PARSERS.resolve("AnimatedWebpVerdictsTest"),
                "seed", Verdicts.PARSERS.resolve("AnimatedWebpFuzzTestInputs/parse"),
                "webp-seed", Verdicts.PARSERS.resolve("WebpParserFuzzTestInputs/parse")),
                ".webp");
        Path file = tmp.resolve("input.webp");

        // when
        var actual = Verdicts.lines(inputs, MUTATIONS, data -> IntStream.range(0, Math.min(128, data.length)).toArray(),
                data -> verdict(file, data));

        // then
        Verdicts.assertSameAsRecorded(Verdicts.PARSERS.resolve("AnimatedWebpVerdictsTest/verdicts.txt"), actual, 300);
    }

    private static String verdict(Path file, byte[] data) {
        try {
            Files.write(file, data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!AnimatedWebp.isAnimated(file)) {
            return "still";
        }
        StringBuilder sb = new StringBuilder("animated");
        sb.append(" count(max 3)=");
        try {
            sb.append(AnimatedWebp.frameCount(file, 3));
        } catch (RuntimeException e) {
            sb.append(error(e, file));
        }
        try (AnimatedWebp webp = AnimatedWebp.open(file, 100, 4_000_000)) {
            sb.append(" open=").append(webp.width()).append('x').append(webp.height())
                    .append(" frames=").append(webp.frameCount()).append(" loops=").append(webp.loopCount())
                    .append(" background=").append(Integer.toHexString(webp.backgroundColor()))
                    .append(" durations=").append(Arrays.toString(webp.durationsMs()));
            while (webp.hasNext()) {
                AnimatedWebp.Composited c = webp.next();
                sb.append(" [").append(c.index()).append(" t=").append(c.timestampMs()).append(" d=")
                        .append(c.durationMs()).append(c.opaque() ? " opaque" : " alpha").append(" crc=")
                        .append(Long.toHexString(crc(c))).append(']');
            }
        } catch (RuntimeException e) {
            sb.append(" ").append(error(e, file));
        }
        return sb.toString();
    }

    private static long crc(AnimatedWebp.Composited c) {
        ByteBuffer buf = ((ByteBuffer) c.image().image[0]).duplicate();
        CRC32 crc = new CRC32();
        byte[] row = new byte[c.image().imageWidth * 4];
        for (int y = 0; y < c.image().imageHeight; y++) {
            buf.position(y * c.image().imageStride);
            buf.get(row);
            crc.update(row);
        }
        return crc.getValue();
    }

    private static String error(RuntimeException e, Path file) {
        String kind = e instanceof CodecException ? "CodecException" : "THREW " + e.getClass().getName();
        return kind + " " + Verdicts.oneLine(e.getMessage()).replace(file.toAbsolutePath().toString(), "<file>");
    }
}
