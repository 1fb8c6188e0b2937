package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import com.mediaflow.shared.codec.AnimatedWebp;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * The animated WebP path of {@link VideoTranscoder#transcodeAnimatedWebp}: {@link AnimatedWebp} decodes and
 * composites each frame, flattened onto white; each rung's recorder scales it with swscale and encodes it
 * with the transcoder's libx264 options. Its timing rules are on that method.
 */
final class AnimatedWebpTranscode {
    private AnimatedWebpTranscode() {
    }

    static TranscodeResult transcode(VideoTranscoder transcoder, List<Rung> rungs, Path source, Path outDir,
            long maxFrames, long maxPixels, TranscodeProgress progress) {
        TranscodeProgress listener = progress == null ? TranscodeProgress.NONE : progress;
        String path = VideoTranscoder.prepare(source, outDir);
        try (AnimatedWebp webp = AnimatedWebp.open(source, maxFrames, maxPixels);
                Frame rgb = new Frame(webp.width(), webp.height(), Frame.DEPTH_UBYTE, 3)) {
            int[] durations = playbackDurations(webp.durationsMs());
            double fps = animationFps(durations);
            List<Target> targets = VideoLadder.plan(webp.width(), webp.height(), rungs);
            List<FFmpegFrameRecorder> recorders = new ArrayList<>();
            boolean finished = false;
            try {
                for (Target t : targets) {
                    Path file = outDir.resolve(t.name() + ".mp4");
                    FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), t.width(),
                            t.height(), 0);
                    recorders.add(r);
                    transcoder.configure(r, t.rung(), fps, fps, 0);
                    r.setImageScalingFlags(SWS_BICUBIC);
                    r.start();
                }
                long ms = 0;
                long lastTick = -1;
                long frames = 0;
                while (webp.hasNext()) {
                    AnimatedWebp.Composited c = webp.next();
                    flattenOntoWhite(c.image(), rgb);
                    long tick = Math.round(ms * fps / 1000);
                    if (tick > lastTick) {
                        recordAll(recorders, targets, rgb, tick, path);
                        lastTick = tick;
                        frames++;
                    }
                    ms += durations[c.index()];
                    listener.update(Math.min(1.0, (c.index() + 1.0) / webp.frameCount()));
                }
                long endTick = Math.max(lastTick + 1, Math.round(ms * fps / 1000));
                if (endTick - 1 > lastTick) {
                    recordAll(recorders, targets, rgb, endTick - 1, path);
                    frames++;
                }
                List<VideoOutput> outputs = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    Target t = targets.get(i);
                    recorders.get(i).stop();
                    Path file = outDir.resolve(t.name() + ".mp4");
                    outputs.add(new VideoOutput(t.name(), file, t.width(), t.height(),
                            endTick / fps, frames, Files.size(file)));
                }
                finished = true;
                listener.update(1.0);
                return new TranscodeResult(outputs, 0, false, true, false, ms / 1000.0,
                        webp.frameCount());
            } catch (FrameRecorder.Exception e) {
                throw new CodecException("Cannot encode animated WebP " + path + " to H.264 ("
                        + webp.width() + "x" + webp.height() + ", " + webp.frameCount()
                        + " frames): " + e.getMessage(), e);
            } catch (IOException e) {
                throw new StorageException("Cannot read the size of an output of " + path + ": "
                        + e.getMessage(), e);
            } finally {
                for (int i = 0; i < recorders.size(); i++) {
                    try {
                        recorders.get(i).release();
                    } catch (FrameRecorder.Exception e) {
                        // already failing or finished: nothing more to report
                    }
                    if (!finished) {
                        try {
                            Files.deleteIfExists(outDir.resolve(targets.get(i).name() + ".mp4"));
                        } catch (IOException e) {
                            // best effort; the caller sees the original failure
                        }
                    }
                }
            }
        }
    }

    /** Durations as players show them: 10 ms or less plays as 100 ms (browsers' rule). */
    static int[] playbackDurations(int[] storedMs) {
        int[] out = new int[storedMs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = storedMs[i] <= 10 ? 100 : storedMs[i];
        }
        return out;
    }

    /** 1000 / gcd of the durations, clamped to 1-60 fps: exact ticks for regular timing. */
    static double animationFps(int[] durationsMs) {
        int g = 0;
        for (int d : durationsMs) {
            g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(d)).intValue();
        }
        return g == 0 ? VideoTranscoder.DEFAULT_FPS : Math.max(1, Math.min(60, 1000.0 / g));
    }

    /** Composites a packed RGBA frame onto white into a packed RGB24 frame of the same size. */
    private static void flattenOntoWhite(Frame rgba, Frame rgb) {
        ByteBuffer src = (ByteBuffer) rgba.image[0];
        ByteBuffer dst = (ByteBuffer) rgb.image[0];
        for (int y = 0; y < rgba.imageHeight; y++) {
            int s = y * rgba.imageStride;
            int d = y * rgb.imageStride;
            for (int x = 0; x < rgba.imageWidth; x++, s += 4, d += 3) {
                int a = src.get(s + 3) & 0xff;
                for (int c = 0; c < 3; c++) {
                    int v = ((src.get(s + c) & 0xff) * a + 255 * (255 - a) + 127) / 255;
                    dst.put(d + c, (byte) v);
                }
            }
        }
    }

    private static void recordAll(List<FFmpegFrameRecorder> recorders, List<Target> targets,
            Frame rgb, long tick, String path) {
        for (int i = 0; i < recorders.size(); i++) {
            try {
                recorders.get(i).setFrameNumber((int) tick);
                recorders.get(i).record(rgb, AV_PIX_FMT_RGB24);
            } catch (FrameRecorder.Exception e) {
                throw new CodecException("Cannot encode tick " + tick + " of the "
                        + targets.get(i).name() + " rendition of animated WebP " + path + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
