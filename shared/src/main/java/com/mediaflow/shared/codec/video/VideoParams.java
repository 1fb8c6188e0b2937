package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.javacpp.BytePointer;
import com.mediaflow.shared.error.CodecException;

/** The codec parameters that must match for packets to share one MP4 track. */
record VideoParams(String codec, int width, int height, String pixelFormat,
        int profile, int level, String aspect, String colour, byte[] extradata) {
    /** Throws unless every segment's video has the first one's codec parameters. */
    static void checkSameParameters(List<Path> segments) {
        VideoParams reference = null;
        for (int i = 0; i < segments.size(); i++) {
            VideoParams p;
            try (PacketFiles.Input in = PacketFiles.open(segments.get(i))) {
                p = VideoParams.of(in.stream(VideoPackets.videoStream(in)).codecpar());
            }
            if (reference == null) {
                reference = p;
            } else if (!p.equals(reference)) {
                throw new CodecException("Cannot stitch segment " + i + " (" + segments.get(i)
                        + ") after segment 0 (" + segments.get(0) + ") without re-encoding: "
                        + "expected identical codec parameters, found " + p.difference(reference));
            }
        }
    }


    static VideoParams of(AVCodecParameters cp) {
        BytePointer name = avcodec_get_name(cp.codec_id());
        BytePointer pix = av_get_pix_fmt_name(cp.format());
        byte[] extra = new byte[Math.max(0, cp.extradata_size())];
        if (extra.length > 0) {
            cp.extradata().position(0).get(extra);
        }
        return new VideoParams(name == null ? "id " + cp.codec_id() : name.getString(),
                cp.width(), cp.height(), pix == null ? "none" : pix.getString(),
                cp.profile(), cp.level(),
                cp.sample_aspect_ratio().num() + ":" + cp.sample_aspect_ratio().den(),
                cp.color_range() + "/" + cp.color_primaries() + "/" + cp.color_trc() + "/"
                        + cp.color_space(), extra);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoParams p && difference(p) == null;
    }

    @Override
    public int hashCode() {
        return codec.hashCode() * 31 + width * 17 + height;
    }

    /** What differs from {@code ref}, as "width 160, expected 320"; null when nothing. */
    String difference(VideoParams ref) {
        if (!codec.equals(ref.codec)) {
            return "codec " + codec + ", expected " + ref.codec;
        }
        if (width != ref.width || height != ref.height) {
            return "size " + width + "x" + height + ", expected " + ref.width + "x"
                    + ref.height;
        }
        if (!pixelFormat.equals(ref.pixelFormat)) {
            return "pixel format " + pixelFormat + ", expected " + ref.pixelFormat;
        }
        if (profile != ref.profile || level != ref.level) {
            return "profile/level " + profile + "/" + level + ", expected " + ref.profile
                    + "/" + ref.level;
        }
        if (!aspect.equals(ref.aspect)) {
            return "sample aspect " + aspect + ", expected " + ref.aspect;
        }
        if (!colour.equals(ref.colour)) {
            return "colour range/primaries/transfer/matrix " + colour + ", expected "
                    + ref.colour;
        }
        if (!Arrays.equals(extradata, ref.extradata)) {
            return "extradata (SPS/PPS) " + HexFormat.of().formatHex(extradata)
                    + ", expected " + HexFormat.of().formatHex(ref.extradata);
        }
        return null;
    }
}
