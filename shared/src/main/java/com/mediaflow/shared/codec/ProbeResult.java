package com.mediaflow.shared.codec;

/**
 * What FFmpeg reports about a media file, from its headers (no full decode). Fields that do not
 * apply are null: no video stream means no width, height, video codec, frame rate or rotation;
 * no audio stream means no audio codec, channels or sample rate; still images have no duration.
 *
 * @param format FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "image2", "png_pipe"
 * @param width stored width of the first video stream (not rotated)
 * @param height stored height of the first video stream (not rotated)
 * @param durationSeconds container duration; null for still images or when unknown
 * @param videoCodec FFmpeg codec name, e.g. "h264", "hevc", "mjpeg", "png"
 * @param audioCodec FFmpeg codec name, e.g. "aac", "opus"
 * @param frameRate average frame rate of videos; null for still images or when unknown
 * @param rotation clockwise degrees (0, 90, 180, 270) a player rotates the picture by, from the
 *     display matrix; 0 when there is none
 * @param audioChannels channel count of the first audio stream
 * @param sampleRate sample rate in Hz of the first audio stream
 * @param frameCount video frames as declared by the container (or estimated from duration and
 *     frame rate); 1 for still images; null when unknown
 * @param pixelFormat FFmpeg's pixel format name of the first video stream as the decoder
 *     reports it, e.g. "yuvj420p", "rgba", "pal8", "gray16be"; null without video or unknown
 * @param bitDepth bits per colour component of that pixel format (8, 10, 16, ...; 1 for
 *     "monob"); null when unknown
 */
public record ProbeResult(String format, Integer width, Integer height, Double durationSeconds,
        String videoCodec, String audioCodec, Double frameRate, Integer rotation,
        Integer audioChannels, Integer sampleRate, Integer frameCount, String pixelFormat,
        Integer bitDepth) {

    public boolean hasVideo() {
        return videoCodec != null;
    }

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** Width as displayed, i.e. swapped with height for 90/270 rotations; null without video. */
    public Integer displayWidth() {
        return rotation != null && rotation % 180 != 0 ? height : width;
    }

    /** Height as displayed, i.e. swapped with width for 90/270 rotations; null without video. */
    public Integer displayHeight() {
        return rotation != null && rotation % 180 != 0 ? width : height;
    }
}
