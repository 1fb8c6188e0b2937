package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_0BGR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GBRP;
import static org.bytedeco.leptonica.global.leptonica.L_SEVERITY_NONE;
import static org.bytedeco.leptonica.global.leptonica.pixConvert8To32;
import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixGetDepth;
import static org.bytedeco.leptonica.global.leptonica.pixGetHeight;
import static org.bytedeco.leptonica.global.leptonica.pixGetWidth;
import static org.bytedeco.leptonica.global.leptonica.pixGetWpl;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemJpeg;
import static org.bytedeco.leptonica.global.leptonica.readHeaderMemJpeg;
import static org.bytedeco.leptonica.global.leptonica.setMsgSeverity;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.Frame;
import org.bytedeco.leptonica.PIX;
import org.bytedeco.leptonica.global.leptonica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding with libjpeg-turbo (SIMD IDCT and colour conversion), reached through the
 * libjpeg-turbo statically linked into Leptonica's JavaCPP preset, with DCT scaling: a 1/2, 1/4
 * or 1/8 size picture costs a fraction of the full-size IDCT, upsampling and colour conversion.
 * FFmpeg's mjpeg decoder (with {@code lowres}) does the same job at about 1.3x the time, so the
 * thumbnail path decodes ordinary JPEGs here and leaves everything else to FFmpeg.
 *
 * <p>Only the plain cases: YCbCr (or RGB) and greyscale JPEGs, baseline or progressive.
 * CMYK/YCCK files, anything libjpeg-turbo refuses (12-bit samples, for one) or warns about
 * (truncated, corrupt data) and a missing native library all answer null, and the caller
 * decodes with FFmpeg instead, which keeps its own handling of them. Leptonica's error messages
 * are switched off (a refusal here is not an error); libjpeg's own warnings, such as "Premature
 * end of JPEG file", still reach stderr.
 */
final class TurboJpeg {

    private static final Logger LOG = LoggerFactory.getLogger(TurboJpeg.class);

    /** DCT scaling denominators libjpeg-turbo decodes with its fast reduced IDCTs, largest first. */
    private static final int[] REDUCTIONS = {8, 4, 2};

    private static final boolean AVAILABLE = load();

    /** Results of {@link #decodeGbr}, as mediaflow_jpeg.c defines them. */
    static final int SHIM_OK = 0;
    static final int SHIM_REFUSED = 1;
    static final int SHIM_WARNED = 2;
    static final int SHIM_SIZE = 3;
    static final int SHIM_ARGS = 4;

    /** Whether libmediaflowjpeg (the direct decode, see {@link JpegShim}) loaded; else Leptonica decodes. */
    private static final boolean SHIM = AVAILABLE && JpegShim.load(TurboJpeg.class);

    private TurboJpeg() {
    }

    private static boolean load() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return false; // the 0BGR view of Leptonica's pixel words below assumes it
        }
        try {
            Loader.load(leptonica.class);
            setMsgSeverity(L_SEVERITY_NONE);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("libjpeg-turbo (Leptonica's JavaCPP natives) cannot be loaded, JPEGs are "
                    + "decoded with FFmpeg: {}", e.toString());
            return false;
        }
    }

    /** Whether the natives loaded (the function packages ship them; a missing one is logged). */
    static boolean available() {
        return AVAILABLE;
    }

    /** Whether JPEGs are decoded by libmediaflowjpeg (true wherever the project ships it) rather than Leptonica. */
    static boolean direct() {
        return SHIM;
    }

    /**
     * libmediaflowjpeg's decode (shared/src/main/c/mediaflow_jpeg.c): the {@code length} bytes at
     * {@code src} decoded at 1/{@code reduction} size into the planes G, B, R (FFmpeg's gbrp) of
     * {@code height} rows of {@code stride} bytes, plane p at {@code dst + p * planeBytes}; it
     * zeroes each row's padding and each plane's tail. {@code width x height} must be libjpeg's
     * output size. Touches no Java object.
     *
     * @return {@link #SHIM_OK}, or why not: {@link #SHIM_REFUSED}, {@link #SHIM_WARNED},
     *     {@link #SHIM_SIZE}, {@link #SHIM_ARGS}
     */
    static native int decodeGbr(long src, long length, int reduction, long dst, int width, int height, int stride,
            long planeBytes);

    /**
     * libmediaflowjpeg's encode: {@code height} rows of {@code width} packed R, G, B pixels,
     * {@code stride} bytes apart from {@code src}, as a baseline JPEG of libjpeg quality
     * {@code quality} (4:2:0, optimised Huffman tables); null when libjpeg stopped with an error or
     * an argument is out of range.
     */
    static native byte[] encodeRgb(long src, int width, int height, int stride, int quality);

    /**
     * The JPEG of a packed RGB24 frame at libjpeg quality {@code quality} (1-100), by libjpeg-turbo;
     * null when libmediaflowjpeg is not loaded or refuses it (the caller encodes with FFmpeg).
     */
    static byte[] encodeRgb24(Frame frame, int quality) {
        if (!SHIM || frame.image == null || frame.image.length != 1 || !(frame.image[0] instanceof ByteBuffer buf)
                || !buf.isDirect() || frame.imageDepth != Frame.DEPTH_UBYTE) {
            return null;
        }
        try (BytePointer pixels = new BytePointer(buf)) {
            return encodeRgb(pixels.address() + pixels.position(), frame.imageWidth, frame.imageHeight, frame.imageStride, quality);
        }
    }

    /**
     * The whole file in native memory ({@code capacity()} bytes, closed by the caller) when it
     * starts with a JPEG's SOI marker and holds at most {@code maxBytes}; null otherwise, and
     * when it cannot be read (FFmpeg opens it next and reports what is wrong). Read straight into
     * native memory: no copy on the Java heap.
     */
    static BytePointer read(Path file, long maxBytes) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < 4 || size > maxBytes) {
                return null;
            }
            BytePointer data = new BytePointer(size);
            boolean jpeg = false;
            try {
                ByteBuffer buf = data.asByteBuffer();
                while (buf.hasRemaining() && in.read(buf) >= 0) {
                    // read on
                }
                jpeg = !buf.hasRemaining() && (buf.get(0) & 0xff) == 0xff
                        && (buf.get(1) & 0xff) == 0xd8 && (buf.get(2) & 0xff) == 0xff;
            } finally {
                if (!jpeg) {
                    data.close();
                }
            }
            return jpeg ? data : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Size and colour components of a JPEG this class decodes, from its header.
     *
     * @param components 3 (YCbCr or RGB) or 1 (grey)
     */
    record Header(int width, int height, int components) {
    }

    /**
     * The header of {@code jpeg} (all of the file, {@code capacity()} bytes) when this class can
     * decode it; null when the natives are missing, the header does not parse, or the picture is
     * CMYK/YCCK or has another component count.
     */
    static Header header(BytePointer jpeg) {
        if (!AVAILABLE) {
            return null;
        }
        try (IntPointer w = new IntPointer(1); IntPointer h = new IntPointer(1);
                IntPointer spp = new IntPointer(1); IntPointer ycck = new IntPointer(1);
                IntPointer cmyk = new IntPointer(1)) {
            if (readHeaderMemJpeg(jpeg, jpeg.capacity(), w, h, spp, ycck, cmyk) != 0
                    || w.get() <= 0 || h.get() <= 0 || ycck.get() != 0 || cmyk.get() != 0
                    || (spp.get() != 3 && spp.get() != 1)) {
                return null;
            }
            return new Header(w.get(), h.get(), spp.get());
        }
    }

    /**
     * The DCT scaling denominator (8, 4, 2, else 1) for a {@code width x height} JPEG whose
     * longest side must stay at least {@code need} pixels: the largest whose output (libjpeg
     * rounds up) still covers it, so the final scaler only ever shrinks.
     */
    static int reductionFor(int width, int height, long need) {
        long longest = Math.max(width, height);
        for (int r : REDUCTIONS) {
            if ((longest + r - 1) / r >= need) {
                return r;
            }
        }
        return 1;
    }

    /**
     * Decodes {@code jpeg} at 1/{@code reduction} size (libjpeg rounds the size up), with
     * libmediaflowjpeg (planar GBRP) where it loaded and through Leptonica (packed 0BGR)
     * otherwise: the same libjpeg-turbo and settings, the same pixels. The frame views the native
     * picture: use it only until the result is closed.
     *
     * @param width the JPEG's width, from {@link #header}
     * @param height its height
     * @param reduction 1, 2, 4 or 8
     * @return the picture, or null when libjpeg-turbo refuses the data or warns about it
     */
    static Decoded decode(BytePointer jpeg, int width, int height, int reduction, int components) {
        if (!AVAILABLE) {
            return null;
        }
        return SHIM ? decodeDirect(jpeg, width, height, reduction) : decodeLeptonica(jpeg, reduction, components);
    }

    /**
     * The decode through libmediaflowjpeg straight into planar G, B, R (FFmpeg's gbrp, what its
     * scalers work on) laid out as FFmpeg's own frames are ({@link StillGraph#PADDED}: 64-byte
     * aligned rows and planes, zero padding and tails), which the rendition graphs then read in
     * place.
     */
    static Decoded decodeDirect(BytePointer jpeg, int width, int height, int reduction) {
        int w = (width + reduction - 1) / reduction;
        int h = (height + reduction - 1) / reduction;
        int align = StillGraph.PADDING;
        long stride = (w + align - 1L) / align * align;
        long planeBytes = stride * h + align;
        if (3 * planeBytes + align > Integer.MAX_VALUE) {
            return null;
        }
        BytePointer block = new BytePointer(3 * planeBytes + align); // room to start on a 64-byte boundary
        long skew = -block.address() & (align - 1);
        int status = decodeGbr(jpeg.address() + jpeg.position(), jpeg.capacity() - jpeg.position(), reduction,
                block.address() + skew, w, h, (int) stride, planeBytes);
        if (status != SHIM_OK) {
            block.close();
            if (status == SHIM_SIZE || status == SHIM_ARGS) {
                LOG.warn("libmediaflowjpeg answered {} for a {}x{} JPEG at 1/{}: expected a {}x{} picture",
                        status == SHIM_SIZE ? "another output size" : "bad arguments", width, height, reduction, w, h);
            }
            return null;
        }
        ByteBuffer all = block.capacity(3 * planeBytes + align).asByteBuffer(); // from the block's start
        Buffer[] planes = new Buffer[3];
        for (int p = 0; p < 3; p++) {
            int at = (int) (skew + p * planeBytes);
            planes[p] = all.duplicate().position(at).limit(at + (int) planeBytes).slice();
        }
        Frame frame = new Frame();
        frame.imageWidth = w;
        frame.imageHeight = h;
        frame.imageDepth = Frame.DEPTH_UBYTE;
        frame.imageChannels = 1;
        frame.imageStride = (int) stride;
        frame.image = planes;
        frame.opaque = StillGraph.PADDED;
        return new Decoded(frame, AV_PIX_FMT_GBRP, block::close);
    }

    /** The decode through Leptonica's {@code pixReadMemJpeg}, repacked by Leptonica into its pixel words. */
    static Decoded decodeLeptonica(BytePointer jpeg, int reduction, int components) {
        PIX pix = pixReadMemJpeg(jpeg, jpeg.capacity(), 0, reduction, (IntPointer) null, 0);
        if (pix == null || pix.isNull()) {
            return null;
        }
        if (pixGetDepth(pix) == 8 && components == 1) {
            PIX rgb = pixConvert8To32(pix);
            pixDestroy(pix);
            if (rgb == null || rgb.isNull()) {
                return null;
            }
            pix = rgb;
        }
        if (pixGetDepth(pix) != 32) {
            pixDestroy(pix);
            return null;
        }
        // Leptonica keeps a pixel as the word R<<24|G<<16|B<<8|A: on a little-endian machine the
        // bytes A, B, G, R, which FFmpeg reads as 0BGR.
        Frame frame = new Frame();
        frame.imageWidth = pixGetWidth(pix);
        frame.imageHeight = pixGetHeight(pix);
        frame.imageDepth = Frame.DEPTH_UBYTE;
        frame.imageChannels = 4;
        frame.imageStride = pixGetWpl(pix) * 4;
        frame.image = new Buffer[] {pix.createBuffer()};
        PIX owned = pix;
        return new Decoded(frame, AV_PIX_FMT_0BGR, () -> pixDestroy(owned));
    }

    /** A decoded picture, owned: {@link #frame()} views its pixels until {@link #close()}. */
    static final class Decoded implements AutoCloseable {
        private final Frame frame;
        private final int pixelFormat;
        private Runnable release;

        private Decoded(Frame frame, int pixelFormat, Runnable release) {
            this.frame = frame;
            this.pixelFormat = pixelFormat;
            this.release = release;
        }

        /** The picture in {@link #pixelFormat()}, {@code imageStride} in bytes. */
        Frame frame() {
            return frame;
        }

        /**
         * FFmpeg's name for the layout: planar GBRP (three planes G, B, R) from libmediaflowjpeg,
         * packed 0BGR (bytes X, B, G, R; X undefined) from Leptonica.
         */
        int pixelFormat() {
            return pixelFormat;
        }

        @Override
        public void close() {
            if (release != null) {
                frame.image = null;
                release.run();
                release = null;
            }
        }
    }
}
