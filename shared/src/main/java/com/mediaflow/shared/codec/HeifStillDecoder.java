package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import org.bytedeco.javacv.Frame;

/**
 * HEIC always, and AVIF when FFmpeg has a software AV1 decoder: FFmpeg's HEIF demuxer returns one
 * tile or an auxiliary picture of phone HEICs, so {@link HeifDecoder} assembles the primary image
 * itself. Its {@code clap}/{@code irot}/{@code imir} are applied by the decoder and are
 * authoritative: the EXIF orientation in a HEIC's Exif item repeats them, so it is not applied again.
 */
final class HeifStillDecoder implements StillDecoder {

    static boolean decodesAsHeif(Path source) {
        return HeifDecoder.isHeif(source) && (!HeifDecoder.isAvif(source) || HeifDecoder.canDecodeAv1());
    }

    @Override
    public Optional<DecodedStill> decode(Path source, String file, int exifOrientation, IntBinaryOperator largestNeed) {
        if (!decodesAsHeif(source)) {
            return Optional.empty();
        }
        Frame upright = HeifDecoder.decodePrimary(source);
        return Optional.of(new DecodedStill(upright, AV_PIX_FMT_RGBA, false, Transform.NONE,
                new int[] {upright.imageWidth, upright.imageHeight}, upright::close));
    }
}
