package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_CONTENT_LIGHT_LEVEL;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_MASTERING_DISPLAY_METADATA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_side_data;

import java.util.List;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVContentLightMetadata;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;
import org.bytedeco.ffmpeg.avutil.AVMasteringDisplayMetadata;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** What the source transcode reads from FFmpeg's structures and writes as filter graph text: HDR peak, branches, durations. */
final class VideoStreams {

    /** The HDR to SDR chain: linear light, hable tone curve, BT.709 primaries/transfer/matrix. */
    static final String TONEMAP_CHAIN = "zscale=t=linear:npl=100%s,format=gbrpf32le,"
            + "zscale=p=bt709,tonemap=tonemap=hable:desat=0:peak=%s,zscale=t=bt709:m=bt709:r=tv";

    /**
     * Peak brightness assumed when an HDR source declares none, in nits: 1000, the usual HDR10
     * mastering peak and HLG's nominal display peak. (FFmpeg's own default for PQ, 10000 nits,
     * makes typical content much too dark.)
     */
    static final double DEFAULT_HDR_PEAK_NITS = 1000;

    private VideoStreams() {
    }

    /**
     * The content's peak in nits from the frame's HDR metadata: MaxCLL, else the mastering
     * display's maximum luminance, else {@link #DEFAULT_HDR_PEAK_NITS}.
     */
    static double peakNits(AVFrame frame) {
        AVFrameSideData cll = av_frame_get_side_data(frame, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
        if (cll != null && !cll.isNull() && cll.size() >= 8) {
            int maxCll = new AVContentLightMetadata(cll.data()).MaxCLL();
            if (maxCll > 0) {
                return Math.max(100, maxCll);
            }
        }
        AVFrameSideData md = av_frame_get_side_data(frame,
                AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
        if (md != null && !md.isNull()) {
            AVMasteringDisplayMetadata m = new AVMasteringDisplayMetadata(md.data());
            if (m.has_luminance() != 0 && m.max_luminance().den() > 0
                    && m.max_luminance().num() > 0) {
                return Math.max(100, rate(m.max_luminance()));
            }
        }
        return DEFAULT_HDR_PEAK_NITS;
    }

    /** The filter branches after rotation/tone mapping: split, scale each to its target. */
    static String describeBranches(List<Target> targets) {
        if (targets.size() == 1) {
            return scale(targets.get(0)) + "[out0]";
        }
        StringBuilder sb = new StringBuilder("split=").append(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            sb.append("[s").append(i).append(']');
        }
        for (int i = 0; i < targets.size(); i++) {
            sb.append(";[s").append(i).append(']').append(scale(targets.get(i)))
                    .append("[out").append(i).append(']');
        }
        return sb.toString();
    }

    private static String scale(Target t) {
        return "scale=" + t.width() + ":" + t.height() + ":flags=bicubic,format=yuv420p,setsar=1";
    }

    /**
     * The video track's own duration: the stream's duration (MP4/MOV track header) or Matroska's
     * per-track DURATION tag ("00:00:02.000000000"); 0 when neither is known. The container's
     * duration is not used: it spans every track, and audio may legitimately run longer.
     */
    static double streamDuration(AVStream st) {
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
            return st.duration() * rate(st.time_base());
        }
        AVDictionaryEntry tag = av_dict_get(st.metadata(), "DURATION", null, 0);
        String value = tag == null || tag.isNull() ? null : tag.value().getString();
        if (value == null || !value.matches("\\d{1,4}:\\d{2}:\\d{2}(\\.\\d{1,9})?")) {
            return 0;
        }
        String[] hms = value.split(":");
        return Integer.parseInt(hms[0]) * 3600.0 + Integer.parseInt(hms[1]) * 60.0
                + Double.parseDouble(hms[2]);
    }

    static double rate(AVRational r) {
        return r == null || r.num() <= 0 || r.den() <= 0 ? 0 : (double) r.num() / r.den();
    }

    /** The stream JavaCV decodes: the first video stream with a known codec. */
    static AVStream videoStream(FFmpegFrameGrabber g) {
        AVFormatContext fc = g.getFormatContext();
        for (int i = 0; fc != null && i < fc.nb_streams(); i++) {
            AVStream st = fc.streams(i);
            if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO
                    && st.codecpar().codec_id() != AV_CODEC_ID_NONE) {
                return st;
            }
        }
        return null;
    }
}
