package com.mediaflow.shared.codec.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_count;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

/**
 * Packages the MP4 renditions of a video as HLS, without re-encoding: for each rendition an fMP4
 * (CMAF) media playlist, its init segment and its media segments, cut by FFmpeg's {@code hls} muxer
 * ({@code hls_segment_type=fmp4}) from the rendition's own packets, byte for byte; and one master
 * playlist over them all.
 *
 * <p>Layout under {@code outDir}: {@code master.m3u8}, and per rendition {@code <name>/index.m3u8},
 * {@code <name>/init.mp4}, {@code <name>/00000.m4s}, ... The URIs in the playlists are relative, so
 * the folder can be served from anywhere.
 *
 * <p>Segments start at keyframes: the muxer cuts at the first keyframe at or after each multiple of
 * {@link #TARGET_SECONDS}. The ladder's closed GOPs of {@code VIDEO_GOP_SECONDS} (2 s by default)
 * put a keyframe at least that often, so the segments are 6 to 8 s (a scene cut adds keyframes,
 * never removes one); the last one is what is left.
 *
 * <p>The master playlist is written here, from what was packaged: {@code BANDWIDTH} is the peak
 * bit rate of any one media segment (bytes x 8 / its {@code #EXTINF}), {@code AVERAGE-BANDWIDTH}
 * all media segments' bytes x 8 over their total duration, {@code CODECS} comes from the streams
 * (the avcC's profile, constraint flags and level, and the AAC object type), {@code RESOLUTION}
 * from the rendition and {@code FRAME-RATE} from its average frame rate.
 *
 * <p>Deterministic: the muxers run bit-exact (no library version string, no wall-clock times), so
 * packaging the same renditions twice gives the same files, byte for byte.
 */
public final class HlsPackager {
    /** The master playlist's file name under the output folder. */
    public static final String MASTER = "master.m3u8";
    /** A rendition's media playlist, under its folder. */
    public static final String MEDIA_PLAYLIST = "index.m3u8";
    /** The target segment length, the HLS authoring guide's 6 s. */
    public static final int TARGET_SECONDS = 6;
    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    public static final String INIT_TYPE = "video/mp4";
    public static final String SEGMENT_TYPE = "video/iso.segment";

    private HlsPackager() {
    }

    /**
     * @param renditions the MP4 renditions, smallest first (the master lists them in this order)
     * @param outDir an empty or absent folder
     * @return the files written, the master playlist first
     * @throws CodecException a rendition cannot be read or packaged
     * @throws StorageException a file cannot be written
     */
    public static HlsPackage pack(List<VideoOutput> renditions, Path outDir) {
        if (renditions.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one rendition to package, found none");
        }
        List<HlsPackage.Variant> variants = new ArrayList<>();
        List<HlsPackage.File> files = new ArrayList<>();
        for (VideoOutput r : renditions) {
            Path dir = outDir.resolve(r.name());
            HlsPackage.Variant v = packOne(r, dir);
            variants.add(v);
            files.add(new HlsPackage.File(r.name() + "/" + MEDIA_PLAYLIST, dir.resolve(MEDIA_PLAYLIST),
                    PLAYLIST_TYPE, true, r.width(), r.height()));
            files.add(new HlsPackage.File(r.name() + "/init.mp4", dir.resolve("init.mp4"), INIT_TYPE, false,
                    r.width(), r.height()));
            for (String s : v.segments()) {
                files.add(new HlsPackage.File(r.name() + "/" + s, dir.resolve(s), SEGMENT_TYPE, false,
                        r.width(), r.height()));
            }
        }
        Path master = outDir.resolve(MASTER);
        write(master, master(variants));
        VideoOutput top = renditions.get(renditions.size() - 1);
        files.add(0, new HlsPackage.File(MASTER, master, PLAYLIST_TYPE, true, top.width(), top.height()));
        return new HlsPackage(master, variants, files);
    }

    /** The master playlist's text for these variants. */
    static String master(List<HlsPackage.Variant> variants) {
        StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (HlsPackage.Variant v : variants) {
            m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidth())
                    .append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidth())
                    .append(",CODECS=\"").append(v.codecs()).append('"')
                    .append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
            if (v.frameRate() > 0) {
                m.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", v.frameRate()));
            }
            m.append('\n').append(v.name()).append('/').append(MEDIA_PLAYLIST).append('\n');
        }
        return m.toString();
    }

    private static HlsPackage.Variant packOne(VideoOutput r, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("Cannot create the HLS folder " + dir + ": " + e.getMessage(), e);
        }
        Path playlist = dir.resolve(MEDIA_PLAYLIST);
        String codecs;
        double frameRate;
        try (PacketFiles.Input in = PacketFiles.open(r.file())) {
            int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
            if (v < 0) {
                throw new CodecException("Cannot package " + r.file() + " as HLS: expected a video stream, found none");
            }
            int a = in.bestStream(AVMEDIA_TYPE_AUDIO);
            codecs = videoCodec(in.stream(v).codecpar(), r.file()) + (a < 0 ? "" : "," + audioCodec(in.stream(a).codecpar()));
            AVRational fr = in.stream(v).avg_frame_rate();
            frameRate = fr.num() > 0 && fr.den() > 0 ? fr.num() / (double) fr.den() : 0;
            remux(in, v, a, dir, playlist);
        }
        return measure(r, dir, playlist, codecs, frameRate);
    }

    /** Copies the video (and audio) packets of {@code in} into the hls muxer, unchanged. */
    private static void remux(PacketFiles.Input in, int v, int a, Path dir, Path playlist) {
        AVFormatContext oc = PacketFiles.create(playlist, "hls");
        AVDictionary opts = PacketFiles.options(
                "hls_time", Integer.toString(TARGET_SECONDS),
                "hls_playlist_type", "vod",
                "hls_list_size", "0",
                "hls_segment_type", "fmp4",
                "hls_fmp4_init_filename", "init.mp4",
                "hls_segment_filename", dir.resolve("%05d.m4s").toString(),
                "hls_flags", "independent_segments",
                "fflags", "+bitexact"); // no library version, no wall-clock times: the same bytes every run
        AVPacket pkt = PacketFiles.packet();
        try {
            int[] map = new int[in.ctx.nb_streams()];
            java.util.Arrays.fill(map, -1);
            int next = 0;
            for (int i : a < 0 ? new int[] {v} : new int[] {v, a}) {
                AVStream ist = in.stream(i);
                AVStream ost = avformat_new_stream(oc, null);
                PacketFiles.check(avcodec_parameters_copy(ost.codecpar(), ist.codecpar()),
                        "copy the codec parameters of stream " + i + " of " + in.file + " to", playlist);
                ost.codecpar().codec_tag(0);
                ost.time_base(ist.time_base());
                map[i] = next++;
            }
            PacketFiles.check(avformat_write_header(oc, opts), "write the HLS header of", playlist);
            if (av_dict_count(opts) > 0) {
                throw new IllegalStateException("The hls muxer did not take " + av_dict_count(opts)
                        + " of its options: expected this FFmpeg build's hls muxer to know them all");
            }
            while (in.read(pkt)) {
                int o = map[pkt.stream_index()];
                if (o < 0) {
                    continue;
                }
                av_packet_rescale_ts(pkt, in.stream(pkt.stream_index()).time_base(), oc.streams(o).time_base());
                pkt.stream_index(o);
                pkt.pos(-1);
                PacketFiles.check(av_interleaved_write_frame(oc, pkt), "write a packet of " + in.file + " to", playlist);
            }
            PacketFiles.check(av_write_trailer(oc), "finish", playlist);
        } finally {
            PacketFiles.free(pkt);
            av_dict_free(opts);
            PacketFiles.close(oc);
        }
    }

    /** Reads the media playlist back: its segments, their durations and sizes give the bit rates. */
    private static HlsPackage.Variant measure(VideoOutput r, Path dir, Path playlist, String codecs, double frameRate) {
        List<String> lines;
        try {
            lines = Files.readAllLines(playlist, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("Cannot read the media playlist " + playlist + ": " + e.getMessage(), e);
        }
        List<String> segments = new ArrayList<>();
        double peak = 0;
        double seconds = 0;
        long bytes = 0;
        double extinf = -1;
        for (String line : lines) {
            if (line.startsWith("#EXTINF:")) {
                extinf = Double.parseDouble(line.substring(8, line.indexOf(',') < 0 ? line.length() : line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                if (extinf <= 0) {
                    throw new CodecException("Cannot read " + playlist + ": expected #EXTINF with a positive duration "
                            + "before segment " + line + ", found " + extinf);
                }
                long size = size(dir.resolve(line));
                segments.add(line);
                peak = Math.max(peak, size * 8 / extinf);
                seconds += extinf;
                bytes += size;
                extinf = -1;
            }
        }
        if (segments.isEmpty()) {
            throw new CodecException("Cannot package " + r.file() + " as HLS: expected segments in " + playlist + ", found none");
        }
        return new HlsPackage.Variant(r.name(), r.width(), r.height(), codecs, frameRate, (long) Math.ceil(peak),
                (long) Math.ceil(bytes * 8 / seconds), seconds, List.copyOf(segments));
    }

    /** RFC 6381 name of an H.264 stream, "avc1.PPCCLL", from its avcC (profile, constraint flags, level). */
    static String videoCodec(AVCodecParameters p, Path file) {
        if (p.codec_id() != avcodec.AV_CODEC_ID_H264) {
            throw new CodecException("Cannot package " + file + " as HLS: expected H.264, found codec id " + p.codec_id());
        }
        if (p.extradata_size() >= 4 && p.extradata().get(0) == 1) {
            return String.format(Locale.ROOT, "avc1.%02x%02x%02x", p.extradata().get(1) & 0xff,
                    p.extradata().get(2) & 0xff, p.extradata().get(3) & 0xff);
        }
        throw new CodecException("Cannot package " + file + " as HLS: expected an avcC configuration record, "
                + "found " + p.extradata_size() + " bytes of extradata not starting with version 1");
    }

    /** RFC 6381 name of an AAC stream: "mp4a.40." and the MPEG-4 audio object type (2 for AAC-LC). */
    static String audioCodec(AVCodecParameters p) {
        if (p.codec_id() != avcodec.AV_CODEC_ID_AAC) {
            throw new CodecException("Cannot package audio as HLS: expected AAC, found codec id " + p.codec_id());
        }
        int profile = p.profile() >= 0 ? p.profile() : avcodec.AV_PROFILE_AAC_LOW;
        return "mp4a.40." + (profile + 1);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new StorageException("Cannot read the size of HLS segment " + f + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path f, String text) {
        try {
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("Cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
