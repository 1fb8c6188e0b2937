package com.mediaflow.shared.codec;

import org.bytedeco.javacpp.Loader;

/**
 * Loads every native library the codecs use, in one thread and in dependency order.
 *
 * <p>JavaCPP loads a preset's library from the static initialiser of its {@code global} class,
 * under a lock of its own, and a preset's initialiser loads the presets it depends on first. Two
 * threads that start on different presets at the same moment (avcodec here, avutil there) can
 * each hold one lock and wait for the other's: a deadlock, seen when the embedded stack cold-starts
 * several functions in one JVM while a test makes media. A Lambda function loads its natives in
 * its one initialisation thread, so this matters where several functions share a JVM: the
 * embedded stack calls {@link #load()} before its first poller starts.
 */
public final class Natives {
    private Natives() {
    }

    /**
     * Loads avutil, swresample, swscale, avcodec, avformat, avfilter and Leptonica (with its
     * libjpeg-turbo), each once per JVM; later calls return at once.
     *
     * @return the milliseconds it took
     */
    public static long load() {
        long t0 = System.nanoTime();
        Loader.load(org.bytedeco.ffmpeg.global.avutil.class);
        Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
        Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
        Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
        Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
        Loader.load(org.bytedeco.ffmpeg.global.avfilter.class);
        Loader.load(org.bytedeco.leptonica.global.leptonica.class);
        FfmpegSupport.init();
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
