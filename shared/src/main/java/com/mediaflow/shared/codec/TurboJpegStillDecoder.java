package com.mediaflow.shared.codec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ordinary JPEG (YCbCr or grey, 8-bit) decoded by libjpeg-turbo ({@link TurboJpeg}) to planar
 * GBRP (packed 0BGR through Leptonica) at the largest DCT reduction (1/2, 1/4, 1/8, like libvips' shrink-on-load) that still covers
 * the largest rendition. It leaves every other file, and any JPEG libjpeg-turbo refuses or warns
 * about, to FFmpeg.
 */
final class TurboJpegStillDecoder implements StillDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(TurboJpegStillDecoder.class);
    /** JPEG files above this size are left to FFmpeg, which streams them instead of holding them. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    @Override
    public Optional<DecodedStill> decode(Path source, String file, int exifOrientation, IntBinaryOperator largestNeed) {
        if (!TurboJpeg.available()) {
            return Optional.empty();
        }
        BytePointer jpeg = TurboJpeg.read(source, MAX_BYTES);
        if (jpeg == null) {
            return Optional.empty();
        }
        TurboJpeg.Decoded decoded = null;
        try {
            TurboJpeg.Header header = TurboJpeg.header(jpeg);
            if (header == null) {
                return Optional.empty();
            }
            int w = header.width();
            int h = header.height();
            int reduction = TurboJpeg.reductionFor(w, h, largestNeed.applyAsInt(w, h));
            decoded = TurboJpeg.decode(jpeg, w, h, reduction, header.components());
            if (decoded == null) {
                LOG.debug("libjpeg-turbo refused {}; decoding it with FFmpeg", file);
                return Optional.empty();
            }
            LOG.debug("{}: {}x{} decoded at 1/{} by libjpeg-turbo", file, w, h, reduction);
            TurboJpeg.Decoded owned = decoded;
            BytePointer bytes = jpeg;
            DecodedStill still = new DecodedStill(decoded.frame(), decoded.pixelFormat(), false, Transform.ofExif(exifOrientation),
                    new int[] {w, h}, () -> {
                        try (bytes; owned) {
                            // the decoded pixels first, then the file's bytes
                        }
                    });
            decoded = null;
            jpeg = null;
            return Optional.of(still);
        } finally {
            if (decoded != null) {
                decoded.close();
            }
            if (jpeg != null) {
                jpeg.close();
            }
        }
    }
}
