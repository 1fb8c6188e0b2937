package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_linesize;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import com.mediaflow.shared.codec.FfmpegSupport;

/**
 * Writes the small test videos of the transcoder tests with FFmpeg through JavaCV, and measures
 * decoded pictures. The pattern: saturated colour bars in the middle, a white block top-left, a
 * dark block bottom-right (so a wrong rotation shows), a square moving left to right.
 */
final class VideoFixtures {

    private VideoFixtures() {
    }

    /** What to write: container, codecs, size, timing. */
    record Spec(String format, String videoCodec, int pixelFormat, int width, int height,
            int fps, int frames, long[] timestampsUs, String audioCodec, int sampleRate,
            Map<String, String> videoOptions, int displayRotation) {

        static Spec of(String format, String videoCodec, int pixelFormat, int w, int h, int fps,
                int frames) {
            return new Spec(format, videoCodec, pixelFormat, w, h, fps, frames, null, null, 0,
                    Map.of(), 0);
        }

        Spec audio(String codec, int rate) {
            return new Spec(format, videoCodec, pixelFormat, width, height, fps, frames,
                    timestampsUs, codec, rate, videoOptions, displayRotation);
        }

        Spec options(Map<String, String> options) {
            return new Spec(format, videoCodec, pixelFormat, width, height, fps, frames,
                    timestampsUs, audioCodec, sampleRate, options, displayRotation);
        }

        Spec timestamps(long[] us) {
            return new Spec(format, videoCodec, pixelFormat, width, height, fps, us.length, us,
                    audioCodec, sampleRate, videoOptions, displayRotation);
        }
    }

    /** Records {@code spec} to {@code out}; frames are painted in RGB24, converted by the recorder. */
    static Path record(Path out, Spec spec) throws Exception {
        FfmpegSupport.init();
        int w = spec.width();
        int h = spec.height();
        int channels = spec.audioCodec() == null ? 0 : 2;
        try (FFmpegFrameRecorder rec = recorder(out, spec, channels);
                Frame rgb = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            rec.start();
            long samplesWritten = 0;
            for (int i = 0; i < spec.frames(); i++) {
                paint(rgb, i);
                if (spec.timestampsUs() != null) {
                    rec.setTimestamp(spec.timestampsUs()[i]);
                }
                rec.record(rgb, AV_PIX_FMT_RGB24);
                if (channels > 0) {
                    long nextUs = spec.timestampsUs() == null || i + 1 >= spec.frames()
                            ? (i + 1) * 1_000_000L / spec.fps()
                            : spec.timestampsUs()[i + 1];
                    long until = nextUs * spec.sampleRate() / 1_000_000L;
                    rec.recordSamples(spec.sampleRate(), channels,
                            sine(samplesWritten, until, spec.sampleRate(), channels));
                    samplesWritten = until;
                }
            }
            rec.stop();
        }
        return out;
    }

    /**
     * Re-encodes the video of {@code src} per {@code spec} after passing every decoded frame
     * through the filter graph {@code graph} (one input, one output in
     * {@code spec.pixelFormat()}); no audio.
     */
    static Path refilter(Path src, Path out, Spec spec, String graph) throws Exception {
        FfmpegSupport.init();
        int w = spec.width();
        int h = spec.height();
        int size = av_image_get_buffer_size(spec.pixelFormat(), w, h, 1);
        AVFrame filtered = av_frame_alloc();
        VideoFilterGraph filter = null;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(src.toFile());
                FFmpegFrameRecorder rec = recorder(out, spec, 0);
                BytePointer packed = new BytePointer(size)) {
            g.setImageMode(FrameGrabber.ImageMode.RAW);
            g.start();
            rec.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                AVFrame decoded = (AVFrame) f.opaque;
                if (filter == null) {
                    filter = new VideoFilterGraph(String.format(
                            "video_size=%dx%d:pix_fmt=%d:time_base=1/1000000:pixel_aspect=1/1"
                                    + ":colorspace=%d:range=%d",
                            decoded.width(), decoded.height(), decoded.format(),
                            decoded.colorspace(), decoded.color_range()),
                            "[in]" + graph + "[out0]", 1, out.toString());
                }
                decoded.pts(f.timestamp);
                filter.push(decoded, out.toString());
                while (filter.pull(0, filtered, out.toString())) {
                    av_image_copy_to_buffer(packed, size, filtered.data(), filtered.linesize(),
                            spec.pixelFormat(), w, h, 1);
                    av_frame_unref(filtered);
                    // the recorder takes plane 0's row size from stride x depth / 8
                    rec.recordImage(w, h, Frame.DEPTH_UBYTE, 1,
                            av_image_get_linesize(spec.pixelFormat(), w, 0),
                            spec.pixelFormat(), packed.asBuffer());
                }
            }
            rec.stop();
        } finally {
            av_frame_free(filtered);
            if (filter != null) {
                filter.close();
            }
        }
        return out;
    }

    private static FFmpegFrameRecorder recorder(Path out, Spec spec, int channels) {
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), spec.width(),
                spec.height(), channels);
        rec.setFormat(spec.format());
        rec.setVideoCodecName(spec.videoCodec());
        rec.setPixelFormat(spec.pixelFormat());
        rec.setFrameRate(spec.timestampsUs() == null ? spec.fps() : 1000);
        rec.setGopSize(spec.fps());
        rec.setVideoOption("threads", "1");
        spec.videoOptions().forEach(rec::setVideoOption);
        if (spec.displayRotation() != 0) {
            rec.setDisplayRotation(-spec.displayRotation());
        }
        if (channels > 0) {
            rec.setAudioCodecName(spec.audioCodec());
            rec.setSampleRate(spec.sampleRate());
            rec.setAudioChannels(channels);
            rec.setAudioBitrate(96_000);
        }
        return rec;
    }

    /** Paints frame {@code t} of the pattern into a packed RGB24 frame. */
    static void paint(Frame frame, int t) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        byte[] row = new byte[w * 3];
        int[][] bars = {{200, 40, 40}, {40, 190, 40}, {40, 60, 200}, {210, 200, 40},
            {40, 190, 200}, {200, 40, 190}};
        int sq = Math.max(4, w / 10);
        int sx = (t * Math.max(1, w / 40)) % Math.max(1, w - sq);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c;
                if (x < w / 4 && y < h / 4) {
                    c = new int[] {235, 235, 235};                  // white, top-left
                } else if (x >= 3 * w / 4 && y >= 3 * h / 4) {
                    c = new int[] {25, 25, 25};                     // dark, bottom-right
                } else if (y >= h / 3 && y < 2 * h / 3) {
                    c = bars[Math.min(bars.length - 1, x * bars.length / w)];
                } else {
                    int v = 60 + 120 * x / Math.max(1, w - 1);       // grey ramp
                    c = new int[] {v, v, v};
                }
                if (x >= sx && x < sx + sq && y >= h / 8 && y < h / 8 + sq) {
                    c = new int[] {240, 120, 20};                   // moving square
                }
                row[3 * x] = (byte) c[0];
                row[3 * x + 1] = (byte) c[1];
                row[3 * x + 2] = (byte) c[2];
            }
            buf.position(y * frame.imageStride);
            buf.put(row);
        }
        buf.position(0);
    }

    private static ShortBuffer sine(long from, long until, int rate, int channels) {
        int n = (int) Math.max(0, until - from);
        short[] s = new short[n * channels];
        for (int i = 0; i < n; i++) {
            short v = (short) Math.round(0.3 * Short.MAX_VALUE
                    * Math.sin(2 * Math.PI * 440 * (from + i) / rate));
            for (int c = 0; c < channels; c++) {
                s[i * channels + c] = v;
            }
        }
        return ShortBuffer.wrap(s);
    }

    /** A decoded picture as packed RGB (0xRRGGBB per pixel). */
    record Rgb(int width, int height, int[] pixels) {

        double meanLuma() {
            double sum = 0;
            for (int p : pixels) {
                sum += 0.2126 * (p >> 16 & 0xff) + 0.7152 * (p >> 8 & 0xff) + 0.0722 * (p & 0xff);
            }
            return sum / pixels.length;
        }

        /** Mean HSV saturation, 0..1. */
        double meanSaturation() {
            double sum = 0;
            for (int p : pixels) {
                int r = p >> 16 & 0xff;
                int g = p >> 8 & 0xff;
                int b = p & 0xff;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                sum += max == 0 ? 0 : (double) (max - min) / max;
            }
            return sum / pixels.length;
        }

        /** Mean absolute difference per channel against a picture of the same size. */
        double meanAbsDiff(Rgb o) {
            if (o.width != width || o.height != height) {
                throw new IllegalArgumentException(width + "x" + height + " vs " + o.width + "x"
                        + o.height);
            }
            long sum = 0;
            for (int i = 0; i < pixels.length; i++) {
                int a = pixels[i];
                int b = o.pixels[i];
                sum += Math.abs((a >> 16 & 0xff) - (b >> 16 & 0xff))
                        + Math.abs((a >> 8 & 0xff) - (b >> 8 & 0xff))
                        + Math.abs((a & 0xff) - (b & 0xff));
            }
            return sum / (3.0 * pixels.length);
        }

        /** This picture turned 90 degrees clockwise. */
        Rgb rotatedClockwise() {
            int[] out = new int[pixels.length];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[x * height + (height - 1 - y)] = pixels[y * width + x];
                }
            }
            return new Rgb(height, width, out);
        }
    }

    /** Decodes video frame {@code index} (0-based) to RGB the plain way (stored pixels). */
    static Rgb frame(Path file, int index) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(AV_PIX_FMT_RGB24);
            g.start();
            Frame f = null;
            for (int i = 0; i <= index; i++) {
                f = g.grabImage();
                if (f == null) {
                    throw new IllegalStateException(file + " has only " + i + " frames");
                }
            }
            return toRgb(f);
        }
    }

    /** Presentation times of every video frame, in microseconds, in decoding order. */
    static java.util.List<Long> timestampsUs(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setImageMode(FrameGrabber.ImageMode.RAW);
            g.start();
            java.util.List<Long> out = new java.util.ArrayList<>();
            Frame f;
            while ((f = g.grabImage()) != null) {
                out.add(f.timestamp);
            }
            return out;
        }
    }

    /** Mean luma and saturation over every decoded frame: {luma, saturation}. */
    static double[] meanLumaAndSaturation(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(AV_PIX_FMT_RGB24);
            g.setImageMode(FrameGrabber.ImageMode.COLOR);
            g.start();
            double luma = 0;
            double sat = 0;
            int n = 0;
            Frame f;
            while ((f = g.grabImage()) != null) {
                Rgb rgb = toRgb(f);
                luma += rgb.meanLuma();
                sat += rgb.meanSaturation();
                n++;
            }
            return new double[] {luma / n, sat / n};
        }
    }

    private static Rgb toRgb(Frame f) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        ByteBuffer b = (ByteBuffer) f.image[0];
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = y * f.imageStride + 3 * x;
                px[y * w + x] = (b.get(o) & 0xff) << 16 | (b.get(o + 1) & 0xff) << 8
                        | (b.get(o + 2) & 0xff);
            }
        }
        return new Rgb(w, h, px);
    }
}
