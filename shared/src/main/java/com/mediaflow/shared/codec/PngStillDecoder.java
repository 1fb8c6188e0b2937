package com.mediaflow.shared.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_from_data;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain (not animated) PNG decoded by FFmpeg's png decoder straight from the file's bytes, as
 * one packet, to packed RGBA: the same decoder and the same conversion as {@link FfmpegStillDecoder}'s
 * grabber, so the same pixels, without the demuxer. The grabber's {@code avformat_find_stream_info}
 * decodes a PNG once just to learn its pixel format, and then the picture is decoded again: this
 * decodes it once.
 *
 * <p>It takes a file that starts with PNG's signature and has no {@code acTL} chunk before its
 * first {@code IDAT} (APNG, whose representative frame FFmpeg's apng demuxer chooses, stays with
 * the grabber). Anything the decoder refuses is left to {@link FfmpegStillDecoder}, whose error is
 * the verdict.
 */
final class PngStillDecoder implements StillDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(PngStillDecoder.class);
    /** PNG files above this size are left to the grabber, which streams them instead of holding them. */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int ACTL = 0x6163544C;
    private static final int IDAT = 0x49444154;

    @Override
    public Optional<DecodedStill> decode(Path source, String file, int exifOrientation,
            IntBinaryOperator largestNeed) {
        FfmpegSupport.init();
        BytePointer data = read(source);
        if (data == null) {
            return Optional.empty();
        }
        AVPacket packet = null;
        AVCodecContext ctx = null;
        AVFrame decoded = null;
        AVFrame rgba = null;
        try {
            packet = av_packet_alloc();
            int size = (int) (data.capacity() - AV_INPUT_BUFFER_PADDING_SIZE);
            if (av_packet_from_data(packet, data, size) < 0) {
                return Optional.empty();
            }
            data = null; // the packet owns it now
            AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
            ctx = codec == null ? null : avcodec_alloc_context3(codec);
            if (ctx == null) {
                return Optional.empty();
            }
            ctx.thread_count(1);
            decoded = av_frame_alloc();
            if (avcodec_open2(ctx, codec, (AVDictionary) null) < 0
                    || avcodec_send_packet(ctx, packet) < 0
                    || avcodec_receive_frame(ctx, decoded) < 0) {
                LOG.debug("FFmpeg's png decoder refused {} as one packet; the grabber decodes it", file);
                return Optional.empty();
            }
            int w = decoded.width();
            int h = decoded.height();
            int nativeFormat = decoded.format();
            rgba = av_frame_alloc();
            rgba.format(AV_PIX_FMT_RGBA);
            rgba.width(w);
            rgba.height(h);
            if (w <= 0 || h <= 0 || av_frame_get_buffer(rgba, 1) < 0 || !toRgba(decoded, rgba)) {
                return Optional.empty();
            }
            Frame frame = new Frame();
            frame.imageWidth = w;
            frame.imageHeight = h;
            frame.imageDepth = Frame.DEPTH_UBYTE;
            frame.imageChannels = 4;
            frame.imageStride = rgba.linesize(0);
            frame.image = new Buffer[] {rgba.data(0).capacity((long) rgba.linesize(0) * h).asByteBuffer()};
            AVFrame owned = rgba;
            DecodedStill still = new DecodedStill(frame, AV_PIX_FMT_RGBA, FfmpegSupport.hasAlpha(nativeFormat),
                    Transform.ofExif(exifOrientation), new int[] {w, h}, () -> {
                        frame.image = null;
                        av_frame_free(owned);
                    });
            rgba = null;
            return Optional.of(still);
        } finally {
            if (rgba != null) {
                av_frame_free(rgba);
            }
            if (decoded != null) {
                av_frame_free(decoded);
            }
            if (ctx != null) {
                avcodec_free_context(ctx);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (data != null) {
                av_free(data);
            }
        }
    }

    /** The grabber's conversion: swscale at the same size, bilinear flags (which only the chroma of YUV would feel). */
    private static boolean toRgba(AVFrame decoded, AVFrame rgba) {
        SwsContext sws = sws_getContext(decoded.width(), decoded.height(), decoded.format(), rgba.width(),
                rgba.height(), AV_PIX_FMT_RGBA, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null) {
            return false;
        }
        try {
            return sws_scale_frame(sws, rgba, decoded) >= 0;
        } finally {
            sws_freeContext(sws);
        }
    }

    /**
     * The whole file in FFmpeg-allocated memory with the decoder's zeroed padding after it
     * ({@code capacity()} covers both), when it is a plain PNG of at most {@link #MAX_BYTES};
     * null otherwise and when it cannot be read (the grabber opens it next and says what is wrong).
     */
    static BytePointer read(Path file) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < 16 || size > MAX_BYTES || !startsWithSignature(in)) {
                return null; // a GIF, WebP, TIFF ... is not read whole only to be turned away
            }
            in.position(0);
            org.bytedeco.javacpp.Pointer raw = av_malloc(size + AV_INPUT_BUFFER_PADDING_SIZE);
            if (raw == null || raw.isNull()) {
                return null;
            }
            BytePointer data = new BytePointer(raw);
            data.capacity(size + AV_INPUT_BUFFER_PADDING_SIZE);
            boolean plain = false;
            try {
                ByteBuffer buf = data.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
                buf.limit((int) size);
                while (buf.hasRemaining() && in.read(buf) >= 0) {
                    // read on
                }
                if (!buf.hasRemaining()) {
                    buf.clear();
                    for (int i = (int) size; i < buf.capacity(); i++) {
                        buf.put(i, (byte) 0);
                    }
                    plain = isPlainPng(buf, (int) size);
                }
            } finally {
                if (!plain) {
                    av_free(data);
                }
            }
            return plain ? data : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean startsWithSignature(FileChannel in) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(8);
        while (head.hasRemaining() && in.read(head) >= 0) {
            // read on
        }
        return !head.hasRemaining() && head.getLong(0) == SIGNATURE;
    }

    /** PNG's signature, and no {@code acTL} among the chunks before the first {@code IDAT}. */
    static boolean isPlainPng(ByteBuffer buf, int size) {
        if (buf.getLong(0) != SIGNATURE) {
            return false;
        }
        long at = 8;
        while (at + 8 <= size) {
            long length = buf.getInt((int) at) & 0xFFFFFFFFL;
            int type = buf.getInt((int) at + 4);
            if (type == ACTL) {
                return false;
            }
            if (type == IDAT) {
                return true;
            }
            at += 12 + length;
        }
        return false; // no image data: the grabber reports it
    }
}
