package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import org.bytedeco.javacv.Frame;

/**
 * An animated WebP, which FFmpeg cannot decode as an animation: the best {@link FrameScore} among
 * its first frames, composited by {@link AnimatedWebp} (transparent where no frame painted).
 */
final class AnimatedWebpStillDecoder implements StillDecoder {

    @Override
    public Optional<DecodedStill> decode(Path source, String file, int exifOrientation, IntBinaryOperator largestNeed) {
        if (!AnimatedWebp.isAnimated(source)) {
            return Optional.empty();
        }
        FfmpegStills.Picked picked = FfmpegStills.animatedWebpStill(source, file);
        Frame still = picked.frame();
        return Optional.of(new DecodedStill(still, AV_PIX_FMT_RGBA, !AnimatedWebp.isOpaque(still),
                Transform.ofExif(exifOrientation), new int[] {still.imageWidth, still.imageHeight}, picked));
    }
}
