package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.shared.error.CodecException;
import java.nio.file.Path;

/**
 * Animated WebP decoding as production runs it: only what {@link WebpParser} accepted reaches
 * {@link AnimatedWebp}, which re-wraps each frame for FFmpeg's still decoder and composites it.
 * On any input it yields frames or throws its typed CodecException; the frames (and so FFmpeg's
 * decoder) are driven to the end. Seeds: the WebP parser's, incl. a two-frame animation. Fuzz with
 * {@code shared/fuzz AnimatedWebpFuzzTest MINUTES}.
 */
public class AnimatedWebpFuzzTest {
    private static final Path FILE = FuzzSupport.scratchFile(".webp");

    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (FuzzSupport.parse(new WebpParser(), data, "WEBP") == null) {
            return; // validation refused it: no decoder ever sees it
        }
        FuzzSupport.write(FILE, data);
        if (!AnimatedWebp.isAnimated(FILE)) {
            return;
        }
        try (AnimatedWebp webp = AnimatedWebp.open(FILE, FuzzSupport.LIMITS.maxFrames(), 4_000_000)) {
            while (webp.hasNext()) {
                webp.next();
            }
        } catch (CodecException expected) {
            // the decoder's one typed exception
        }
    }
}
