package com.mediaflow.testkit;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_GIF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_WEBP;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes small, real media files with FFmpeg (through JavaCV) for tests, the CLI demo and
 * benchmarks. Output depends only on the arguments (and the FFmpeg build): the picture is a
 * deterministic test pattern, never random. Part of the test kit: never in a function's package.
 *
 * <p>The pattern is deliberately asymmetric so orientation mistakes show: a white block sits in
 * the top-left quadrant, a dark disc in the bottom-right one, over an RGB gradient with a little
 * hashed noise. In videos a coloured square and a diagonal band move, so frames differ; every
 * frame is well above black (mean luma around 110).
 */
public final class SyntheticMedia {

    private static final int AUDIO_SAMPLE_RATE = 44_100;

    private SyntheticMedia() {
    }

    /**
     * A baseline JPEG (4:2:0, full range) with the test pattern stored as-is.
     *
     * @param exifOrientation 0 writes no EXIF at all; 1-8 inserts a minimal APP1 Exif segment
     *     right after SOI whose IFD0 holds only the Orientation tag (0x0112) with that value. The
     *     pixels are not rotated: a viewer that honours EXIF shows them transformed.
     */
    public static Path jpeg(Path out, int w, int h, int exifOrientation) {
        checkSize(w, h, out);
        if (exifOrientation < 0 || exifOrientation > 8) {
            throw new IllegalArgumentException("EXIF orientation must be 0 (none) or 1-8, found "
                    + exifOrientation);
        }
        byte[] jpeg;
        try (Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            paint(frame, 3, 0, false);
            jpeg = StillEncoder.encode(frame, AV_PIX_FMT_RGB24, AV_CODEC_ID_MJPEG,
                    AV_PIX_FMT_YUVJ420P, StillEncoder.JPEG_QUALITY_90_QSCALE, out);
        }
        if (exifOrientation > 0) {
            jpeg = withExifOrientation(jpeg, exifOrientation);
        }
        return write(out, jpeg);
    }

    /**
     * An 8-bit RGBA PNG: the test pattern in saturated colours under a horizontal alpha ramp, from
     * fully transparent (alpha 0) in the left column to opaque (255) in the right one. Transparent
     * pixels keep their colour, so a renderer that ignores alpha shows colour, not white.
     */
    public static Path pngWithAlpha(Path out, int w, int h) {
        checkSize(w, h, out);
        byte[] png;
        try (Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 4)) {
            paint(frame, 4, 0, true);
            png = StillEncoder.encode(frame, AV_PIX_FMT_RGBA, AV_CODEC_ID_PNG,
                    AV_PIX_FMT_RGBA, 0, out);
        }
        return write(out, png);
    }

    /**
     * An MP4 (H.264 yuv420p via libx264, single-threaded so the bytes are reproducible, plus an
     * optional mono 440 Hz AAC sine), {@code movflags +faststart}, with a moving pattern.
     *
     * @param displayRotation 0, 90, 180 or 270: the clockwise rotation a player must apply,
     *     written as the stream's display matrix (what phones do; the legacy {@code rotate} tag
     *     meant the same, and ffprobe prints the negative, e.g. "rotation=-90" for 90). The
     *     stored pixels stay {@code w x h}; shared's {@code MediaProbe} reports the same value back.
     */
    public static Path mp4(Path out, int w, int h, double seconds, int fps, boolean withAudio,
            int displayRotation) {
        checkSize(w, h, out);
        if (w % 2 != 0 || h % 2 != 0) {
            throw new IllegalArgumentException("yuv420p needs even dimensions, found " + w + "x"
                    + h);
        }
        if (!(seconds > 0) || fps <= 0) {
            throw new IllegalArgumentException("Expected seconds > 0 and fps > 0, found "
                    + seconds + " s at " + fps + " fps");
        }
        if (displayRotation % 90 != 0 || displayRotation < 0 || displayRotation >= 360) {
            throw new IllegalArgumentException("Display rotation must be 0, 90, 180 or 270, found "
                    + displayRotation);
        }
        av_log_set_level(AV_LOG_ERROR);
        createParent(out);
        int frames = Math.max(1, (int) Math.round(seconds * fps));
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h,
                withAudio ? 1 : 0);
                Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            h264Mp4(rec, fps);
            if (displayRotation != 0) {
                // JavaCV's argument is the display matrix angle, counter-clockwise (what
                // getDisplayRotation returns and ffprobe prints as "rotation"): negate.
                rec.setDisplayRotation(-displayRotation);
            }
            if (withAudio) {
                rec.setAudioCodec(AV_CODEC_ID_AAC);
                rec.setAudioChannels(1);
                rec.setSampleRate(AUDIO_SAMPLE_RATE);
                rec.setAudioBitrate(64_000);
            }
            rec.start();
            long samplesWritten = 0;
            for (int i = 0; i < frames; i++) {
                paint(frame, 3, i, false);
                rec.record(frame, AV_PIX_FMT_RGB24);
                if (withAudio) {
                    long until = (long) AUDIO_SAMPLE_RATE * (i + 1) / fps;
                    rec.recordSamples(AUDIO_SAMPLE_RATE, 1, sine(samplesWritten, until));
                    samplesWritten = until;
                }
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new SyntheticMediaException("Cannot write synthetic MP4 " + out + " (" + w + "x" + h
                    + ", " + frames + " frames, audio " + withAudio + "): expected FFmpeg to "
                    + "encode H.264/AAC, found: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * An animated GIF of {@code frames} frames of the moving test pattern (FFmpeg's gif encoder,
     * rgb8 palette, 10 frames a second, looping). Every frame differs, so none is dropped.
     */
    public static Path animatedGif(Path out, int w, int h, int frames) {
        return animatedGif(out, w, h, frames, (frame, i) -> paint(frame, 3, i * 4, false));
    }

    /** Paints frame number {@code index} into a packed RGB24 frame. */
    @FunctionalInterface
    public interface Painter {
        void paint(Frame rgb24, int index);
    }

    /** As {@link #animatedGif(Path, int, int, int)}, with the caller's pictures. */
    public static Path animatedGif(Path out, int w, int h, int frames, Painter painter) {
        checkSize(w, h, out);
        if (frames <= 0) {
            throw new IllegalArgumentException("Expected at least one frame, found " + frames);
        }
        av_log_set_level(AV_LOG_ERROR);
        createParent(out);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0);
                Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("gif");
            rec.setVideoCodec(AV_CODEC_ID_GIF);
            rec.setPixelFormat(AV_PIX_FMT_RGB8);
            rec.setFrameRate(10);
            recordPainted(rec, frame, AV_PIX_FMT_RGB24, frames, painter);
        } catch (FrameRecorder.Exception e) {
            throw new SyntheticMediaException("Cannot write synthetic GIF " + out + " (" + w + "x" + h + ", "
                    + frames + " frames): expected FFmpeg to encode GIF, found: " + e.getMessage(), e);
        }
        return out;
    }

    /** How {@link #animatedWebp} encodes its frames. */
    public enum WebpEncoding {
        /** VP8, no alpha */
        LOSSY,
        /** VP8 with an ALPH chunk per frame */
        LOSSY_ALPHA,
        /** VP8L (alpha kept exactly) */
        LOSSLESS
    }

    /**
     * An animated WebP written by FFmpeg's libwebp_anim encoder, looping forever, each frame
     * shown {@code 1000 / fps} ms. The painter fills packed RGBA frames. libwebp stores only the
     * rectangle that changed from one frame to the next (an offset sub-frame, blended or not),
     * and merges consecutive identical frames into one.
     */
    public static Path animatedWebp(Path out, int w, int h, int frames, int fps,
            WebpEncoding encoding, Painter painter) {
        checkSize(w, h, out);
        if (frames <= 0 || fps <= 0) {
            throw new IllegalArgumentException("Expected frames > 0 and fps > 0, found " + frames
                    + " frames at " + fps + " fps");
        }
        av_log_set_level(AV_LOG_ERROR);
        createParent(out);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0);
                Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 4)) {
            rec.setFormat("webp");
            rec.setVideoCodec(AV_CODEC_ID_WEBP);
            rec.setVideoCodecName("libwebp_anim");
            rec.setPixelFormat(switch (encoding) {
                case LOSSY -> AV_PIX_FMT_YUV420P;
                case LOSSY_ALPHA -> AV_PIX_FMT_YUVA420P;
                case LOSSLESS -> AV_PIX_FMT_BGRA;
            });
            if (encoding == WebpEncoding.LOSSLESS) {
                rec.setVideoOption("lossless", "1");
            } else {
                rec.setVideoQuality(90);
            }
            rec.setFrameRate(fps);
            rec.setVideoOption("loop", "0");
            recordPainted(rec, frame, AV_PIX_FMT_RGBA, frames, painter);
        } catch (FrameRecorder.Exception e) {
            throw new SyntheticMediaException("Cannot write synthetic animated WebP " + out + " (" + w + "x"
                    + h + ", " + frames + " frames, " + encoding + "): expected FFmpeg's "
                    + "libwebp_anim encoder, found: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * A silent H.264 MP4 (as {@link #mp4(Path, int, int, double, int, boolean, int)}) of the
     * caller's pictures: for tests that need a particular sequence (black openings,
     * fades, title cards).
     */
    public static Path mp4(Path out, int w, int h, int frames, int fps, Painter painter) {
        checkSize(w, h, out);
        if (w % 2 != 0 || h % 2 != 0 || frames <= 0 || fps <= 0) {
            throw new IllegalArgumentException("Expected even dimensions, frames > 0 and fps > 0,"
                    + " found " + w + "x" + h + ", " + frames + " frames at " + fps + " fps");
        }
        av_log_set_level(AV_LOG_ERROR);
        createParent(out);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0);
                Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            h264Mp4(rec, fps);
            recordPainted(rec, frame, AV_PIX_FMT_RGB24, frames, painter);
        } catch (FrameRecorder.Exception e) {
            throw new SyntheticMediaException("Cannot write synthetic MP4 " + out + " (" + w + "x" + h
                    + ", " + frames + " frames): expected FFmpeg to encode H.264, found: "
                    + e.getMessage(), e);
        }
        return out;
    }

    /**
     * A 16-bit PCM WAV, mono, of a tone that rises and falls like speech: a 220 Hz voice with
     * harmonics under a syllable-like envelope (four "words" a second, short pauses), at
     * {@code peak} of full scale. Deterministic.
     */
    public static Path voiceNoteWav(Path out, int sampleRate, double seconds, double peak) {
        if (!(seconds > 0) || sampleRate < 8000 || !(peak > 0 && peak <= 1)) {
            throw new IllegalArgumentException("Expected seconds > 0, sampleRate >= 8000 and 0 < peak <= 1, found "
                    + seconds + " s, " + sampleRate + " Hz, peak " + peak);
        }
        createParent(out);
        int n = (int) Math.round(sampleRate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + n * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + n * 2)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(n * 2);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double syllable = Math.max(0, Math.sin(Math.PI * 4 * t)); // 4 bumps a second, silent between
            double pitch = 220 * (1 + 0.08 * Math.sin(2 * Math.PI * 0.7 * t));
            double phase = 2 * Math.PI * pitch * t;
            double voice = 0.6 * Math.sin(phase) + 0.25 * Math.sin(2 * phase) + 0.15 * Math.sin(3 * phase);
            b.putShort((short) Math.round(32767 * peak * syllable * voice));
        }
        try {
            Files.write(out, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * A large MP4 whose media data is as big as it looks: lossless H.264 of random noise, no
     * audio. For tests and benchmarks that must show a reader never touches the media data.
     * About 0.5 MB a frame at 640x480.
     */
    public static Path noiseMp4(Path out, int w, int h, int frames, long seed) {
        checkSize(w, h, out);
        av_log_set_level(AV_LOG_ERROR);
        createParent(out);
        java.util.Random random = new java.util.Random(seed);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0);
                Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(30);
            rec.setVideoOption("preset", "ultrafast");
            rec.setVideoOption("crf", "0");
            rec.start();
            byte[] row = new byte[w * 3];
            for (int f = 0; f < frames; f++) {
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < h; y++) {
                    random.nextBytes(row);
                    buf.position(y * frame.imageStride);
                    buf.put(row);
                }
                buf.rewind();
                rec.record(frame);
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new SyntheticMediaException("Cannot write noise MP4 " + out + " (" + w + "x" + h + ", " + frames
                    + " frames): expected FFmpeg to encode lossless H.264, found: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * MP4 with H.264 yuv420p (libx264 veryfast, crf 23, one thread so the bytes are
     * reproducible), a key frame every second, {@code +faststart}.
     */
    private static void h264Mp4(FFmpegFrameRecorder rec, int fps) {
        rec.setFormat("mp4");
        rec.setVideoCodec(AV_CODEC_ID_H264);
        rec.setPixelFormat(AV_PIX_FMT_YUV420P);
        rec.setFrameRate(fps);
        rec.setGopSize(fps);
        rec.setVideoOption("preset", "veryfast");
        rec.setVideoOption("crf", "23");
        rec.setVideoOption("threads", "1");
        rec.setOption("movflags", "+faststart");
    }

    /** Starts the recorder, records {@code frames} painted frames of {@code pixFmt}, stops it. */
    private static void recordPainted(FFmpegFrameRecorder rec, Frame frame, int pixFmt, int frames,
            Painter painter) throws FrameRecorder.Exception {
        rec.start();
        for (int i = 0; i < frames; i++) {
            painter.paint(frame, i);
            rec.record(frame, pixFmt);
        }
        rec.stop();
    }

    // --- pattern -------------------------------------------------------------------------

    /** Paints the pattern for frame number {@code t} into a packed RGB24 or RGBA frame. */
    private static void paint(Frame frame, int channels, int t, boolean alphaRamp) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int stride = frame.imageStride;
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        byte[] row = new byte[w * channels];
        int moving = w / 8 + 1;
        int mx = w == 0 ? 0 : (t * Math.max(1, w / 30)) % Math.max(1, w - moving);
        int my = h / 2 - moving / 2;
        double cx = w * 0.72;
        double cy = h * 0.72;
        double r2 = Math.pow(Math.min(w, h) * 0.15, 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 40 + 200 * x / Math.max(1, w - 1);
                int g = 40 + 180 * y / Math.max(1, h - 1);
                int b = 90 + ((x + y + 4 * t) % 64) * 2;
                if (x >= w / 16 && x < w / 4 && y >= h / 16 && y < h / 3) {
                    r = 250; g = 250; b = 250;                       // top-left marker
                }
                double dx = x - cx;
                double dy = y - cy;
                if (dx * dx + dy * dy < r2) {
                    r = 20; g = 30; b = 60;                          // bottom-right disc
                }
                if (x >= mx && x < mx + moving && y >= my && y < my + moving) {
                    r = 230; g = 40; b = 40;                         // moving square
                }
                if (Math.floorMod(x - y - 3 * t, Math.max(8, w / 4)) < 3) {
                    r = r / 2; g = g / 2 + 60; b = b / 2;            // moving diagonal band
                }
                int n = noise(x, y, t);
                int o = x * channels;
                row[o] = clamp(r + n);
                row[o + 1] = clamp(g + n);
                row[o + 2] = clamp(b + n);
                if (channels == 4) {
                    row[o + 3] = alphaRamp
                            ? (byte) (255 * x / Math.max(1, w - 1))
                            : (byte) 255;
                }
            }
            buf.position(y * stride);
            buf.put(row);
        }
        buf.position(0);
    }

    /** Deterministic noise in [-8, 8] from a small integer hash. */
    private static int noise(int x, int y, int t) {
        int v = x * 374_761_393 + y * 668_265_263 + t * 1_274_126_177;
        v = (v ^ (v >>> 13)) * 1_103_515_245;
        v ^= v >>> 16;
        return (v & 0xff) % 17 - 8;
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }

    private static ShortBuffer sine(long from, long until) {
        int n = (int) (until - from);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double time = (double) (from + i) / AUDIO_SAMPLE_RATE;
            s[i] = (short) Math.round(0.3 * Short.MAX_VALUE * Math.sin(2 * Math.PI * 440 * time));
        }
        return ShortBuffer.wrap(s);
    }

    // --- EXIF writer ------------------------------------------------------------------------

    /**
     * Inserts {@code FFE1 <len> "Exif\0\0" <big-endian TIFF with one IFD0 entry>} after SOI. The
     * TIFF: header {@code MM 002A 00000008}, IFD0 with one entry (tag 0x0112, type SHORT, count 1,
     * value left-justified in the 4-byte field) and a zero next-IFD offset.
     */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new SyntheticMediaException("Cannot add EXIF: expected a JPEG starting with SOI FFD8, "
                    + "found " + (jpeg.length < 2 ? jpeg.length + " bytes"
                    : String.format("%02X%02X", jpeg[0], jpeg[1])));
        }
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4); // big-endian by default
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 0x002A).putInt(8);
        tiff.putShort((short) 1);                                 // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);
        tiff.putShort((short) orientation).putShort((short) 0);   // value + padding
        tiff.putInt(0);                                           // no next IFD
        byte[] header = {'E', 'x', 'i', 'f', 0, 0};
        int segmentLength = 2 + header.length + tiff.capacity();
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + segmentLength);
        out.put(jpeg, 0, 2);                                      // SOI
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) segmentLength);
        out.put(header).put(tiff.array());
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    // --- helpers ----------------------------------------------------------------------------

    private static void checkSize(int w, int h, Path out) {
        if (w <= 0 || h <= 0 || (long) w * h > 100_000_000L) {
            throw new IllegalArgumentException("Expected 1..100 MP dimensions for " + out
                    + ", found " + w + "x" + h);
        }
    }

    private static Path write(Path out, byte[] bytes) {
        createParent(out);
        try {
            Files.write(out, bytes);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out, e);
        }
    }

    private static void createParent(Path out) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + parent, e);
            }
        }
    }
}
