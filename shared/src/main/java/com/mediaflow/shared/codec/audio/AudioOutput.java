package com.mediaflow.shared.codec.audio;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One audio rendition written to disk, as its own container reports it after writing.
 *
 * @param name file name, "audio.m4a" or "audio.ogg"
 * @param file where it was written
 * @param contentType "audio/mp4" or "audio/ogg"
 * @param codec FFmpeg codec name, "aac" or "opus"
 * @param sampleRate Hz (Opus is always 48000)
 * @param channels 1 or 2
 * @param durationSeconds the container's duration of the written file
 * @param bytes file size
 */
public record AudioOutput(String name, Path file, String contentType, String codec,
        int sampleRate, int channels, double durationSeconds, long bytes) {

    public static final String M4A = "audio.m4a";
    public static final String OGG = "audio.ogg";

    public AudioOutput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(codec, "codec");
    }
}
