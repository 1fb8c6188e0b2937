package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import com.mediaflow.shared.codec.FfmpegSupport;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * One rendition: a recorder, its contiguous frame buffer, and the worker thread that
 * alone drives the recorder once started. The decoding thread {@link #send sends} it
 * filtered frames and audio in the order they are to be recorded.
 */
final class RungEncoder implements Runnable {
    /** Work queued per rung between decoding and encoding: bounds the frames held in memory. */
    private static final int QUEUE_FRAMES = 8;

    final Target target;
    private final Path file;
    private final FFmpegFrameRecorder recorder;
    private final BytePointer picture;
    private final ByteBuffer pictureBuffer;
    private final int pictureSize;
    private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private Thread worker;
    private volatile boolean aborted;
    private VideoOutput output;
    private long lastTick = Long.MIN_VALUE;
    private long frames;
    private long dropped;
    private boolean started;
    /** The source, for messages. */
    private final String path;
    /** The encoder time base's rate: frame times are rounded to ticks of 1/gridFps. */
    private final double gridFps;
    /** The first failure of any rung's worker, shared by the rungs of one transcode. */
    private final AtomicReference<Throwable> failure;

    /**
     * @param audioChannels 0 for a silent output
     * @param failure where the first failure of any rung of this transcode is kept
     */
    RungEncoder(VideoTranscoder transcoder, Target target, Path file, String path, int audioChannels, int sampleRate,
            double gridFps, double realFps, AtomicReference<Throwable> failure) {
        this.target = target;
        this.file = file;
        this.path = path;
        this.gridFps = gridFps;
        this.failure = failure;
        int w = target.width();
        int h = target.height();
        pictureSize = av_image_get_buffer_size(AV_PIX_FMT_YUV420P, w, h, 1);
        picture = new BytePointer(pictureSize);
        pictureBuffer = picture.asBuffer();
        recorder = new FFmpegFrameRecorder(file.toFile(), w, h, audioChannels);
        transcoder.configure(recorder, target.rung(), gridFps, realFps, sampleRate);
        try {
            recorder.start();
            started = true;
        } catch (FrameRecorder.Exception e) {
            picture.close();
            releaseQuietly();
            deleteQuietly(); // e.g. a header that could not be written in full
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("avio_open")) {
                throw new StorageException("Cannot create " + file + " for " + path
                        + ": " + msg, e);
            }
            throw new CodecException("Cannot start the H.264/AAC encoder for " + file
                    + " (" + w + "x" + h + ") from " + path + ": " + msg, e);
        }
    }

    void startWorker() {
        worker = new Thread(this, "mediaflow-encode-" + target.name());
        worker.setDaemon(true); // never outlives transcode(): stopWorker() joins it
        worker.start();
    }

    /**
     * Queues work for this rung's worker, waiting while its queue is full. Takes
     * ownership of a video frame: freed here if it cannot be queued.
     *
     * @throws RuntimeException the first failure of any worker, as it was thrown there
     */
    void send(Work work) {
        try {
            while (true) {
                rethrowFailure();
                if (!worker.isAlive()) {
                    rethrowFailure(); // it may have failed since the check above
                    throw new IllegalStateException("The encoder thread of " + file
                            + " stopped before the end of " + path);
                }
                if (queue.offer(work, 50, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.free();
            throw new StorageException("Interrupted while transcoding " + path
                    + " to " + file, e);
        } catch (RuntimeException | Error e) {
            work.free();
            throw e;
        }
    }

    /** The worker: records queued work in order until {@link Work#END} or an abort. */
    @Override
    public void run() {
        try {
            while (!aborted) {
                Work work = queue.take();
                if (work == Work.END) {
                    output = finish();
                    return;
                }
                try {
                    if (work.frame() != null) {
                        video(work.frame());
                    } else {
                        audio(work.sampleRate(), work.channels(), work.samples());
                    }
                } finally {
                    work.free();
                }
            }
        } catch (InterruptedException e) {
            // aborted by stopWorker(): the decoding thread is already failing
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Waits for the worker to write the file. */
    VideoOutput awaitOutput() {
        joinWorker();
        rethrowFailure();
        if (output == null) {
            throw new IllegalStateException("The encoder thread of " + file
                    + " ended without finishing it");
        }
        return output;
    }

    /** Stops and joins the worker (if still running) and frees the frames it left. */
    void stopWorker() {
        if (worker == null) {
            return;
        }
        if (worker.isAlive()) {
            aborted = true;
            worker.interrupt();
        }
        joinWorker();
        for (Work w; (w = queue.poll()) != null; ) {
            w.free();
        }
    }

    private void joinWorker() {
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the worker ends promptly; wait for it regardless
                aborted = true;
                worker.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void video(AVFrame f) {
        if (f.width() != target.width() || f.height() != target.height()
                || f.format() != AV_PIX_FMT_YUV420P) {
            throw new CodecException("Filter graph for " + path + " produced "
                    + f.width() + "x" + f.height() + " " + FfmpegSupport.pixelFormatName(
                    f.format()) + ", expected " + target.width() + "x" + target.height()
                    + " yuv420p");
        }
        long tick = Math.round(f.pts() * gridFps / 1e6);
        if (tick <= lastTick) {
            dropped++; // same encoder tick as the previous frame (as -fps_mode vfr)
            return;
        }
        lastTick = tick;
        int copied = av_image_copy_to_buffer(picture, pictureSize, f.data(), f.linesize(),
                AV_PIX_FMT_YUV420P, f.width(), f.height(), 1);
        VideoFilterGraph.check(copied, "copy a " + target.name() + " frame", path);
        try {
            recorder.setFrameNumber((int) tick);
            recorder.recordImage(f.width(), f.height(), Frame.DEPTH_UBYTE, 1, f.width(),
                    AV_PIX_FMT_YUV420P, pictureBuffer);
        } catch (FrameRecorder.Exception e) {
            throw encodeFailure("frame " + frames, e);
        }
        frames++;
    }

    void audio(int sampleRate, int channels, Buffer samples) {
        try {
            recorder.recordSamples(sampleRate, channels, samples);
        } catch (FrameRecorder.Exception e) {
            throw encodeFailure("the audio", e);
        }
    }

    /**
     * The output side failed. Writing the muxed packets (JavaCV's
     * {@code av_interleaved_write_frame}) fails on a full or broken disk: retryable, a
     * {@link StorageException}. The encoder refusing decoded frames is kept permanent.
     */
    RuntimeException encodeFailure(String what, FrameRecorder.Exception e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("write_frame") || msg.contains("avio")) {
            return new StorageException("Cannot write " + what + " of " + file + " from "
                    + path + ": " + msg, e);
        }
        return new CodecException("Cannot encode " + what + " of " + file + " from " + path
                + ": " + msg, e);
    }

    VideoOutput finish() {
        try {
            recorder.stop();
            started = false;
        } catch (FrameRecorder.Exception e) {
            throw new StorageException("Cannot finish " + file + " from " + path + ": "
                    + e.getMessage(), e);
        }
        try {
            double seconds = (lastTick + 1) / gridFps;
            return new VideoOutput(target.name(), file, target.width(), target.height(),
                    seconds, frames, Files.size(file));
        } catch (IOException e) {
            throw new StorageException("Cannot read the size of " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Releases the encoder; after a failure also deletes the partial file. */
    void close(boolean failed) {
        try {
            if (started) {
                recorder.stop();
            }
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            // already failing or finished: nothing more to report
        } finally {
            picture.close();
            if (failed) {
                deleteQuietly();
            }
        }
    }

    private void releaseQuietly() {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            // already failing: the caller sees the original failure
        }
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort; the caller sees the original failure
        }
    }

    /**
     * Throws, in the calling thread, the first failure of a rung's worker: the same
     * {@link CodecException} or {@link StorageException} the encoder raised there.
     */
    private void rethrowFailure() {
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }


    /**
     * One item for a rung's worker: a filtered video frame (owned by the item until recorded),
     * or audio samples, or {@link #END}.
     */
    record Work(AVFrame frame, int sampleRate, int channels, FloatBuffer samples) {
        static final Work END = new Work(null, 0, 0, null);

        static Work video(AVFrame frame) {
            return new Work(frame, 0, 0, null);
        }

        static Work audio(int sampleRate, int channels, FloatBuffer samples) {
            return new Work(null, sampleRate, channels, samples);
        }

        /** Releases the frame's reference (to the filter graph's buffer pool). */
        void free() {
            if (frame != null) {
                av_frame_free(frame);
            }
        }
    }
}
