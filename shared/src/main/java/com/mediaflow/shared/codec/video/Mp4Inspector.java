package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_profile_name;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avutil.av_color_transfer_name;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

import com.mediaflow.shared.codec.FfmpegSupport;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * Checks a transcoded MP4: whether it is "faststart" (moov before mdat, so playback can begin
 * before the download ends), and what its tracks are (codec, profile, size, per-track duration,
 * frame count, rotation). Used by the tests and by the pipeline to verify outputs.
 */
final class Mp4Inspector {

    /** Top-level boxes read at most; real files have fewer than ten. */
    private static final int MAX_TOP_LEVEL_BOXES = 10_000;

    private Mp4Inspector() {
    }

    /**
     * True when the top-level 'moov' box comes before the first 'mdat' box. Reads only box
     * headers (8 or 16 bytes each, at most {@value #MAX_TOP_LEVEL_BOXES} of them).
     *
     * @throws CodecException the top-level box structure is broken
     * @throws StorageException the file cannot be read
     */
    public static boolean faststart(Path mp4) {
        try (FileChannel ch = FileChannel.open(mp4, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(16);
            for (int i = 0; i < MAX_TOP_LEVEL_BOXES && pos + 8 <= size; i++) {
                header.clear().limit(8);
                readFully(ch, header, pos);
                long boxSize = header.getInt(0) & 0xffffffffL;
                String type = new String(header.array(), 4, 4,
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                int headerSize = 8;
                if (boxSize == 1) {
                    if (pos + 16 > size) {
                        break;
                    }
                    header.clear().limit(16);
                    readFully(ch, header, pos);
                    boxSize = header.getLong(8);
                    headerSize = 16;
                } else if (boxSize == 0) {
                    boxSize = size - pos;
                }
                if (boxSize < headerSize || boxSize > size - pos) {
                    throw new CodecException("MP4 box '" + type + "' at offset " + pos
                            + " declares " + boxSize + " bytes, expected " + headerSize + ".."
                            + (size - pos) + " (" + mp4 + ")");
                }
                if (type.equals("moov")) {
                    return true;
                }
                if (type.equals("mdat")) {
                    return false;
                }
                pos += boxSize;
            }
            return false;
        } catch (IOException e) {
            throw new StorageException("Cannot read " + mp4 + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long at = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at offset " + at);
            }
            at += n;
        }
    }

    /**
     * What an MP4's first video and first audio track hold, from the container (no decoding).
     * Fields of a missing track are null.
     *
     * @param videoCodec e.g. "h264"
     * @param videoProfile e.g. "High"
     * @param pixelFormat e.g. "yuv420p"
     * @param width stored width
     * @param height stored height
     * @param rotation clockwise degrees from the display matrix, 0 when there is none
     * @param videoDurationSeconds the video track's duration (track header, or Matroska's
     *     per-track DURATION tag)
     * @param videoFrames the video track's sample count
     * @param colorTransfer e.g. "bt709", "smpte2084"; null when not tagged
     * @param audioCodec e.g. "aac"
     * @param audioProfile e.g. "LC"
     * @param audioDurationSeconds the audio track's duration
     */
    public record Info(String videoCodec, String videoProfile, String pixelFormat, Integer width,
            Integer height, int rotation, Double videoDurationSeconds, Long videoFrames,
            String colorTransfer, String audioCodec, String audioProfile,
            Double audioDurationSeconds) {
    }

    /**
     * @throws CodecException FFmpeg cannot open the file
     */
    public static Info probe(Path file) {
        FfmpegSupport.init();
        String path = file.toAbsolutePath().toString();
        AVFormatContext fc = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        int ret = avformat_open_input(fc, path, null, options);
        if (ret < 0) {
            throw new CodecException("Cannot open " + path + ": expected a media file, FFmpeg "
                    + "returned " + FfmpegSupport.errorText(ret));
        }
        try {
            ret = avformat_find_stream_info(fc, (org.bytedeco.javacpp.PointerPointer<?>) null);
            if (ret < 0) {
                throw new CodecException("Cannot read the streams of " + path + ": FFmpeg "
                        + "returned " + FfmpegSupport.errorText(ret));
            }
            AVStream video = null;
            AVStream audio = null;
            for (int i = 0; i < fc.nb_streams(); i++) {
                AVStream st = fc.streams(i);
                int type = st.codecpar().codec_type();
                if (type == AVMEDIA_TYPE_VIDEO && video == null) {
                    video = st;
                } else if (type == AVMEDIA_TYPE_AUDIO && audio == null) {
                    audio = st;
                }
            }
            AVCodecParameters vp = video == null ? null : video.codecpar();
            AVCodecParameters ap = audio == null ? null : audio.codecpar();
            return new Info(
                    vp == null ? null : FfmpegSupport.codecName(vp.codec_id()),
                    vp == null ? null : profile(vp),
                    vp == null || vp.format() < 0 ? null
                            : FfmpegSupport.pixelFormatName(vp.format()),
                    vp == null ? null : vp.width(),
                    vp == null ? null : vp.height(),
                    video == null ? 0 : rotation(vp),
                    duration(video),
                    video == null || video.nb_frames() <= 0 ? null : video.nb_frames(),
                    vp == null ? null : transfer(vp.color_trc()),
                    ap == null ? null : FfmpegSupport.codecName(ap.codec_id()),
                    ap == null ? null : profile(ap),
                    duration(audio));
        } finally {
            avformat_close_input(fc);
        }
    }

    private static String profile(AVCodecParameters p) {
        BytePointer name = avcodec_profile_name(p.codec_id(), p.profile());
        return name == null || name.isNull() ? null : name.getString();
    }

    private static String transfer(int trc) {
        BytePointer name = av_color_transfer_name(trc);
        String s = name == null || name.isNull() ? null : name.getString();
        return s == null || s.equals("unknown") || s.equals("reserved") ? null : s;
    }

    private static int rotation(AVCodecParameters p) {
        AVPacketSideData sd = av_packet_side_data_get(p.coded_side_data(),
                p.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < 36) {
            return 0;
        }
        return MediaProbe.clockwiseRotation(av_display_rotation_get(new IntPointer(sd.data())));
    }

    private static Double duration(AVStream st) {
        double seconds = st == null ? 0 : VideoStreams.streamDuration(st);
        return seconds > 0 ? seconds : null;
    }
}
