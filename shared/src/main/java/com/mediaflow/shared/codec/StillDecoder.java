package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one kind of still picture into packed pixels for {@link StillRenderer}. {@link #CHAIN}
 * is the order {@link Thumbnailer} asks them in: HEIF (our own item reader), animated WebP, plain
 * JPEG through libjpeg-turbo, plain PNG through FFmpeg's decoder without the demuxer, and FFmpeg's grabber, which takes every file the others leave.
 */
interface StillDecoder {

    /** Asked in this order; the last takes every file. */
    List<StillDecoder> CHAIN = List.of(new HeifStillDecoder(), new AnimatedWebpStillDecoder(),
            new TurboJpegStillDecoder(), new PngStillDecoder(), new FfmpegStillDecoder());

    /**
     * @param exifOrientation EXIF Orientation 1-8 (0 or anything else: none); decoders of formats
     *     with their own transforms (HEIF) ignore it
     * @param largestNeed the longest side the renditions need of a picture of {@code w x h}, so
     *     that a decoder that can scale while decoding decodes no more than that
     * @return the decoded picture, or empty when this decoder does not take the file (another will)
     * @throws com.mediaflow.shared.error.CodecException when it takes the file and cannot decode it
     */
    Optional<DecodedStill> decode(Path source, String file, int exifOrientation, IntBinaryOperator largestNeed);

    /**
     * A decoded picture in its stored orientation.
     *
     * @param pixelFormat the layout of {@code frame}: packed RGBA, planar GBRP (libjpeg-turbo), or packed
     *     0BGR (libjpeg-turbo through Leptonica)
     * @param alpha whether the picture has transparency worth keeping
     * @param upright the transform that makes it upright
     * @param stored the full stored size {w, h}; the frame may be smaller when decoded at scale
     * @param resources what holds the frame's memory, closed after rendering
     */
    record DecodedStill(Frame frame, int pixelFormat, boolean alpha, Transform upright, int[] stored,
                        AutoCloseable resources) implements AutoCloseable {

        /** The layout {@link StillRenderer} reads: an opaque RGBA buffer is read as RGB0. */
        int renderFormat() {
            return pixelFormat == AV_PIX_FMT_RGBA && !alpha ? AV_PIX_FMT_RGB0 : pixelFormat;
        }

        @Override
        public void close() {
            try {
                resources.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(StillDecoder.class).warn("Cannot release a decoded picture: {}", e.toString());
            }
        }
    }
}
