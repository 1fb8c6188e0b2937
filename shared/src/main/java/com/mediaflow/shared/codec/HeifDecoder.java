package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.format.Detector;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.internal.isobmff.HeifFile;
import com.mediaflow.shared.internal.isobmff.HeifItems;
import com.mediaflow.shared.internal.isobmff.HeifItems.Item;
import com.mediaflow.shared.internal.isobmff.HeifPicture;
import com.mediaflow.shared.validation.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

/**
 * Decodes the primary image of a HEIF (HEIC) or AVIF file the way libheif does, instead of
 * through FFmpeg's HEIF demuxer (which returns one tile or an auxiliary image of phone HEICs).
 *
 * <p>Our own item reader ({@link HeifFile}, the one validation uses) finds the primary item, its grid and its
 * transformative properties; FFmpeg's decoders only decode coded images:
 * <ol>
 *   <li>{@code hvc1} (HEVC; the {@code hvcC} record is the decoder's extradata, the item data is
 *       length-prefixed NAL units) or {@code av01} (AV1 through libdav1d or libaom): one packet,
 *       one picture;
 *   <li>{@code grid}: every {@code dimg} tile (row-major), each with its own configuration
 *       record, decoded in one decoder context per configuration and converted straight into
 *       its place on the canvas, which is the grid's output size (right and bottom tiles are
 *       clipped);
 *   <li>YUV to RGBA with swscale, using the range and matrix the bitstream declares (VUI), else
 *       the item's {@code colr nclx}, else full-range BT.601 (libheif's default);
 *   <li>then the item's transformative properties ({@link HeifTransforms}) in their
 *       {@code ipma} order, which the spec fixes as {@code clap}, {@code irot}, {@code imir}.
 * </ol>
 *
 * <p>Not handled (yet): alpha auxiliary images ({@code auxl} with an alpha URN) and depth maps
 * are ignored, so the result is always opaque; ICC profiles ({@code colr prof}) are not applied;
 * {@code iden} and {@code iovl} derived images, and item data in other items (construction
 * method 2), are refused with a {@link CodecException}, as validation refuses them (both check
 * the picture with {@link HeifPicture}).
 *
 * <p>Thread-safe: every call has its own decoder and swscale contexts.
 */
public final class HeifDecoder {

    /** Linux {@code AVERROR(EAGAIN)}. */
    private static final int AVERROR_EAGAIN = -11;
    /** {@code FF_THREAD_FRAME | FF_THREAD_SLICE} from avcodec.h. */
    private static final int THREAD_FRAME_AND_SLICE = 1 | 2;
    private static final int MAX_DECODER_THREADS = 8;

    private HeifDecoder() {
    }

    /** Whether the file's content (its {@code ftyp}) says HEIF/HEIC or AVIF. */
    public static boolean isHeif(Path file) {
        return format(file).map(f -> f == MediaFormat.HEIC || f == MediaFormat.AVIF).orElse(false);
    }

    /** Whether the file's content says AVIF. */
    public static boolean isAvif(Path file) {
        return format(file).map(f -> f == MediaFormat.AVIF).orElse(false);
    }

    /** Whether the bundled FFmpeg has a software AV1 decoder for AVIF items. */
    public static boolean canDecodeAv1() {
        FfmpegSupport.init();
        return av1Decoder() != null;
    }

    private static Optional<MediaFormat> format(Path file) {
        byte[] head = new byte[4096];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(Detector.detect(head, n));
    }

    /**
     * The primary image, upright, as a packed RGBA frame (alpha always 255). The caller closes it.
     *
     * @throws CodecException naming the file, the item and what failed
     */
    public static Frame decodePrimary(Path file) {
        return decodePrimary(file, Limits.DEFAULTS);
    }

    /** As {@link #decodePrimary(Path)}, with these limits for the canvas size. */
    public static Frame decodePrimary(Path file, Limits limits) {
        FfmpegSupport.init();
        String name = file.toString();
        try (HeifFile heif = HeifFile.open(file)) {
            // the checks validation made: the same reader, the same limits
            HeifPicture picture = heif.picture(limits.maxPixels());
            Item primary = picture.primary();
            Frame canvas = new Frame((int) picture.width(), (int) picture.height(), Frame.DEPTH_UBYTE, 4);
            try {
                new Tiles(name, heif, picture.tiles(), picture.columns(), (int) picture.tileWidth(),
                        (int) picture.tileHeight(), canvas, primary).decode();
                Frame upright = HeifTransforms.apply(canvas, primary.properties(), name, primary.id());
                if (upright != canvas) {
                    canvas.close();
                }
                return upright;
            } catch (RuntimeException e) {
                canvas.close();
                throw e;
            }
        }
    }

    private static AVCodec av1Decoder() {
        AVCodec c = avcodec_find_decoder_by_name("libdav1d");
        return c != null ? c : avcodec_find_decoder_by_name("libaom-av1");
    }

    /** Decodes coded images (one, or a grid's tiles) into their places on an RGBA canvas. */
    private static final class Tiles {
        private final String file;
        private final HeifFile heif;
        private final List<Item> tiles;
        private final int columns;
        private final int tileW;
        private final int tileH;
        private final Frame canvas;
        private final Item owner;
        private final BytePointer canvasData;
        private final Map<String, SwsContext> scalers = new HashMap<>();
        private final boolean[] done;
        private int doneCount;

        Tiles(String file, HeifFile heif, List<Item> tiles, int columns, int tileW, int tileH, Frame canvas,
                Item owner) {
            this.file = file;
            this.heif = heif;
            this.tiles = tiles;
            this.columns = columns;
            this.tileW = tileW;
            this.tileH = tileH;
            this.canvas = canvas;
            this.owner = owner;
            this.canvasData = new BytePointer((ByteBuffer) canvas.image[0]);
            this.done = new boolean[tiles.size()];
        }

        void decode() {
            AVCodecContext ctx = null;
            byte[] config = null;
            AVPacket pkt = av_packet_alloc();
            AVFrame frame = av_frame_alloc();
            try {
                for (int i = 0; i < tiles.size(); i++) {
                    Item tile = tiles.get(i);
                    byte[] tileConfig = config(tile);
                    if (ctx == null || !Arrays.equals(config, tileConfig)) {
                        if (ctx != null) {
                            drain(ctx, frame, true, tile);
                            avcodec_free_context(ctx);
                            ctx = null;
                        }
                        ctx = open(tile, tileConfig);
                        config = tileConfig;
                    }
                    byte[] data = heif.data(tile);
                    check(av_new_packet(pkt, data.length), tile, "allocate a packet of "
                            + data.length + " bytes");
                    pkt.data().put(data);
                    pkt.pts(i).dts(i);
                    int ret = avcodec_send_packet(ctx, pkt);
                    av_packet_unref(pkt);
                    check(ret, tile, "send its " + data.length + " bytes to the decoder");
                    drain(ctx, frame, false, tile);
                }
                if (ctx != null) {
                    drain(ctx, frame, true, tiles.get(tiles.size() - 1));
                }
                if (doneCount != tiles.size()) {
                    int missing = 0;
                    while (done[missing]) {
                        missing++;
                    }
                    throw new CodecException("Cannot decode HEIF " + file + ": item "
                            + tiles.get(missing).id() + " (tile " + missing + " of item " + owner.id()
                            + ") gave no picture; " + doneCount + " of " + tiles.size() + " decoded");
                }
            } finally {
                if (ctx != null) {
                    avcodec_free_context(ctx);
                }
                av_packet_free(pkt);
                av_frame_free(frame);
                for (SwsContext s : scalers.values()) {
                    sws_freeContext(s);
                }
            }
        }

        private byte[] config(Item tile) {
            if (tile.type().equals("hvc1")) {
                return tile.property(HeifItems.Hvcc.class).map(HeifItems.Hvcc::record)
                        .orElseThrow(() -> new CodecException("Cannot decode HEIF " + file + ": item "
                                + tile.id() + " ('hvc1') has no 'hvcC' (decoder configuration)"));
            }
            return tile.property(HeifItems.Av1c.class).map(HeifItems.Av1c::record)
                    .orElseThrow(() -> new CodecException("Cannot decode HEIF " + file + ": item "
                            + tile.id() + " ('av01') has no 'av1C' (decoder configuration)"));
        }

        private AVCodecContext open(Item tile, byte[] config) {
            boolean hevc = tile.type().equals("hvc1");
            AVCodec codec = hevc ? avcodec_find_decoder(AV_CODEC_ID_HEVC) : av1Decoder();
            if (codec == null) {
                throw new CodecException("Cannot decode HEIF " + file + ": item " + tile.id()
                        + " needs an " + (hevc ? "HEVC" : "AV1 (libdav1d or libaom-av1)")
                        + " decoder, and the bundled FFmpeg has none");
            }
            AVCodecContext ctx = avcodec_alloc_context3(codec);
            if (ctx == null) {
                throw new CodecException("Cannot decode HEIF " + file + ": item " + tile.id()
                        + ": avcodec_alloc_context3 failed");
            }
            try {
                BytePointer extradata = new BytePointer(av_mallocz(config.length + AV_INPUT_BUFFER_PADDING_SIZE))
                        .capacity(config.length + AV_INPUT_BUFFER_PADDING_SIZE);
                extradata.put(config);
                ctx.extradata(extradata).extradata_size(config.length); // freed with the context
                int threads = Math.min(Math.min(tiles.size(), MAX_DECODER_THREADS),
                        Runtime.getRuntime().availableProcessors());
                ctx.thread_count(Math.max(1, threads)).thread_type(THREAD_FRAME_AND_SLICE);
                check(avcodec_open2(ctx, codec, (PointerPointer<?>) null), tile,
                        "open the " + codec.name().getString() + " decoder with its "
                                + config.length + "-byte configuration record");
                return ctx;
            } catch (RuntimeException e) {
                avcodec_free_context(ctx);
                throw e;
            }
        }

        /** Receives every picture the decoder has ready (all of them when flushing). */
        private void drain(AVCodecContext ctx, AVFrame frame, boolean flush, Item last) {
            if (flush) {
                int ret = avcodec_send_packet(ctx, null);
                if (ret < 0 && ret != AVERROR_EOF) {
                    check(ret, last, "flush the decoder");
                }
            }
            while (true) {
                int ret = avcodec_receive_frame(ctx, frame);
                if (ret == AVERROR_EAGAIN || ret == AVERROR_EOF) {
                    return;
                }
                check(ret, last, "decode");
                try {
                    paste(frame);
                } finally {
                    av_frame_unref(frame);
                }
            }
        }

        private void paste(AVFrame frame) {
            long index = frame.pts();
            if (index < 0 || index >= tiles.size() || done[(int) index]) {
                throw new CodecException("Cannot decode HEIF " + file + ": the decoder returned a picture "
                        + "for tile " + index + " of item " + owner.id() + ", expected one per tile 0.."
                        + (tiles.size() - 1));
            }
            int i = (int) index;
            Item tile = tiles.get(i);
            if (frame.width() != tileW || frame.height() != tileH) {
                throw new CodecException("Cannot decode HEIF " + file + ": item " + tile.id()
                        + " decoded to " + frame.width() + "x" + frame.height() + ", expected " + tileW
                        + "x" + tileH + " as its 'ispe' says");
            }
            int x0 = (i % columns) * tileW;
            int y0 = (i / columns) * tileH;
            int visW = Math.min(tileW, canvas.imageWidth - x0);
            int visH = Math.min(tileH, canvas.imageHeight - y0);
            if (visW > 0 && visH > 0) {
                SwsContext sws = scaler(frame, tile, visW, visH);
                long stride = canvas.imageStride;
                BytePointer dst = new BytePointer(canvasData).position(y0 * stride + x0 * 4L);
                try (PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(dst, null, null, null);
                        IntPointer dstStride = new IntPointer((int) stride, 0, 0, 0)) {
                    int rows = sws_scale(sws, frame.data(), frame.linesize(), 0, visH, dstPlanes, dstStride);
                    if (rows != visH) {
                        throw new CodecException("Cannot decode HEIF " + file + ": converting item "
                                + tile.id() + " to RGBA gave " + rows + " rows, expected " + visH);
                    }
                }
            }
            done[i] = true;
            doneCount++;
        }

        private SwsContext scaler(AVFrame frame, Item tile, int w, int h) {
            HeifItems.Nclx nclx = tile.property(HeifItems.Nclx.class)
                    .or(() -> owner.property(HeifItems.Nclx.class)).orElse(null);
            int matrix = frame.colorspace();
            if (matrix < 1 || matrix > 10 || matrix == 2) { // RGB, unspecified, or not YUV
                matrix = nclx != null && nclx.matrix() >= 1 && nclx.matrix() <= 10 && nclx.matrix() != 2
                        ? nclx.matrix() : SWS_CS_ITU601;
            }
            boolean full;
            if (frame.color_range() == AVCOL_RANGE_JPEG) {
                full = true;
            } else if (frame.color_range() == AVCOL_RANGE_MPEG) {
                full = false;
            } else {
                full = nclx == null || nclx.fullRange();
            }
            String key = frame.format() + "/" + w + "x" + h + "/" + matrix + "/" + full;
            SwsContext sws = scalers.get(key);
            if (sws == null) {
                sws = sws_getContext(w, h, frame.format(), w, h, AV_PIX_FMT_RGBA, SWS_BILINEAR, null, null,
                        (DoublePointer) null);
                if (sws == null) {
                    throw new CodecException("Cannot decode HEIF " + file + ": swscale cannot convert item "
                            + tile.id() + " from " + FfmpegSupport.pixelFormatName(frame.format())
                            + " to RGBA");
                }
                scalers.put(key, sws);
                sws_setColorspaceDetails(sws, sws_getCoefficients(matrix), full ? 1 : 0,
                        sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
            }
            return sws;
        }

        private void check(int ret, Item tile, String action) {
            if (ret < 0) {
                throw new CodecException("Cannot decode HEIF " + file + ": item " + tile.id() + " ('"
                        + tile.type() + "'" + (tile == owner ? "" : ", a tile of item " + owner.id())
                        + "): cannot " + action + ", FFmpeg returned " + FfmpegSupport.errorText(ret));
            }
        }
    }
}
