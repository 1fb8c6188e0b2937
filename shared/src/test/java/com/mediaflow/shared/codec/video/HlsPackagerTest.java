package com.mediaflow.shared.codec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HLS packaging of a real ladder: the playlists parsed tag by tag, the fMP4 boxes read, FFmpeg's
 * own hls demuxer opening the master and decoding every variant, and the packets compared with the
 * MP4 renditions' (nothing re-encoded).
 */
class HlsPackagerTest {

    private static final VideoSettings SMALL = new VideoSettings(List.of(
            new Rung("120p", 120, 28, 400, 800), new Rung("240p", 240, 26, 800, 1600)),
            "veryfast", 2, 96, 1);
    private static final int FPS = 15;
    private static final Pattern ATTR = Pattern.compile("([A-Z-]+)=(\"[^\"]*\"|[^,]*)");

    @TempDir
    static Path tmp;
    static TranscodeResult ladder;
    static HlsPackage hls;

    @BeforeAll
    static void packageALadder() throws Exception {
        // 13 s at 15 fps with AAC: with 6 s segments, two full ones and a short last one
        Path src = VideoFixtures.record(tmp.resolve("src.mp4"),
                VideoFixtures.Spec.of("mp4", "libx264", AV_PIX_FMT_YUV420P, 320, 240, FPS, 13 * FPS)
                        .audio("aac", 44_100));
        ladder = new VideoTranscoder(SMALL).transcode(src, tmp.resolve("out"), true, TranscodeProgress.NONE);
        hls = HlsPackager.pack(ladder.outputs(), tmp.resolve("hls"));
    }

    @Test
    void master_listsEveryRungWithMeasuredBandwidthCodecsResolutionAndFrameRate() throws Exception {
        List<String> lines = Files.readAllLines(hls.master());
        assertThat(lines.subList(0, 3)).containsExactly("#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS");
        List<Map<String, String>> infs = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int i = 3; i < lines.size(); i += 2) {
            assertThat(lines.get(i)).startsWith("#EXT-X-STREAM-INF:");
            infs.add(attributes(lines.get(i).substring("#EXT-X-STREAM-INF:".length())));
            uris.add(lines.get(i + 1));
        }
        assertThat(uris).containsExactly("120p/index.m3u8", "240p/index.m3u8");
        for (int i = 0; i < 2; i++) {
            VideoOutput mp4 = ladder.outputs().get(i);
            Map<String, String> inf = infs.get(i);
            Path media = hls.master().resolveSibling(uris.get(i));
            List<Segment> segments = segments(media);
            double peak = segments.stream().mapToDouble(s -> s.bytes * 8 / s.seconds).max().orElseThrow();
            long bytes = segments.stream().mapToLong(s -> s.bytes).sum();
            double seconds = segments.stream().mapToDouble(s -> s.seconds).sum();
            assertThat(Long.parseLong(inf.get("BANDWIDTH"))).as("BANDWIDTH vs the peak segment").isGreaterThanOrEqualTo((long) Math.ceil(peak))
                    .isLessThan((long) Math.ceil(peak) + 2);
            assertThat(Long.parseLong(inf.get("AVERAGE-BANDWIDTH"))).isCloseTo((long) (bytes * 8 / seconds), within(2L))
                    .isLessThanOrEqualTo(Long.parseLong(inf.get("BANDWIDTH")));
            assertThat(inf.get("RESOLUTION")).isEqualTo(mp4.width() + "x" + mp4.height());
            assertThat(inf.get("FRAME-RATE")).isEqualTo("15.000");
            // libx264 High (0x64), no constraint flags, level from the encoder (1.1 to 1.3 for these sizes)
            assertThat(inf.get("CODECS")).matches("\"avc1\\.6400(0b|0c|0d),mp4a\\.40\\.2\"");
        }
    }

    @Test
    void mediaPlaylists_fmp4VodWithKeyframeSegmentsAddingUpToTheVideo() throws Exception {
        for (VideoOutput mp4 : ladder.outputs()) {
            Path media = hls.master().resolveSibling(mp4.name() + "/index.m3u8");
            String text = Files.readString(media);
            assertThat(text).startsWith("#EXTM3U\n").contains("#EXT-X-VERSION:7\n", "#EXT-X-PLAYLIST-TYPE:VOD\n",
                    "#EXT-X-INDEPENDENT-SEGMENTS\n", "#EXT-X-MAP:URI=\"init.mp4\"\n").endsWith("#EXT-X-ENDLIST\n");
            Matcher td = Pattern.compile("#EXT-X-TARGETDURATION:(\\d+)\n").matcher(text);
            assertThat(td.find()).isTrue();
            List<Segment> segments = segments(media);
            assertThat(segments).extracting(s -> s.uri).containsExactly("00000.m4s", "00001.m4s", "00002.m4s");
            double total = segments.stream().mapToDouble(s -> s.seconds).sum();
            assertThat(total).as("segments add up to the rendition").isCloseTo(mp4.durationSeconds(), within(1.0 / FPS));
            assertThat(segments.get(0).seconds).isCloseTo(6.0, within(0.01));
            assertThat(segments.get(1).seconds).isCloseTo(6.0, within(0.01));
            for (Segment s : segments) {
                assertThat(Math.round(s.seconds)).isLessThanOrEqualTo(Long.parseLong(td.group(1)));
            }
            // the init segment: ftyp and a moov with mvex (fragmented), no media
            Path init = media.resolveSibling("init.mp4");
            Map<String, ByteBuffer> top = boxes(ByteBuffer.wrap(Files.readAllBytes(init)));
            assertThat(top.keySet()).containsExactly("ftyp", "moov");
            assertThat(boxes(top.get("moov")).keySet()).contains("mvhd", "trak", "mvex");
            for (Segment s : segments) {
                Map<String, ByteBuffer> seg = boxes(ByteBuffer.wrap(Files.readAllBytes(media.resolveSibling(s.uri))));
                assertThat(seg.keySet()).as(s.uri).contains("moof", "mdat").doesNotContain("moov");
                assertThat(boxes(seg.get("moof")).keySet()).contains("mfhd", "traf");
            }
        }
    }

    @Test
    void master_ffmpegOpensItAndDecodesEveryVariantAtItsSize() {
        Map<String, Integer> frames = new LinkedHashMap<>();
        try (PacketFiles.Input in = PacketFiles.open(hls.master())) {
            Map<Integer, AVCodecContext> decoders = new LinkedHashMap<>();
            for (int i = 0; i < in.ctx.nb_streams(); i++) {
                if (in.stream(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                    decoders.put(i, PacketFiles.openDecoder(in, i));
                }
            }
            assertThat(decoders).hasSize(2);
            AVPacket pkt = PacketFiles.packet();
            AVFrame frame = av_frame_alloc();
            try {
                while (in.read(pkt)) {
                    AVCodecContext dec = decoders.get(pkt.stream_index());
                    if (dec != null) {
                        avcodec_send_packet(dec, pkt);
                        while (avcodec_receive_frame(dec, frame) >= 0) {
                            frames.merge(frame.width() + "x" + frame.height(), 1, Integer::sum);
                        }
                    }
                }
                for (AVCodecContext dec : decoders.values()) {
                    avcodec_send_packet(dec, null);
                    while (avcodec_receive_frame(dec, frame) >= 0) {
                        frames.merge(frame.width() + "x" + frame.height(), 1, Integer::sum);
                    }
                    avcodec_free_context(dec);
                }
            } finally {
                av_frame_free(frame);
                PacketFiles.free(pkt);
            }
        }
        assertThat(frames).containsOnly(Map.entry("160x120", 13 * FPS), Map.entry("320x240", 13 * FPS));
    }

    @Test
    void variants_carryTheRenditionsPacketsByteForByte() throws Exception {
        for (VideoOutput mp4 : ladder.outputs()) {
            List<String> fromMp4 = packets(mp4.file());
            List<String> fromHls = packets(hls.master().resolveSibling(mp4.name() + "/index.m3u8"));
            assertThat(fromMp4).hasSize(13 * FPS);
            assertThat(fromHls).as("video packets (size:sha256) of %s", mp4.name()).isEqualTo(fromMp4);
        }
    }

    @Test
    void variants_keepTheRenditionsAudioVideoAlignment() {
        for (VideoOutput mp4 : ladder.outputs()) {
            double[] fromMp4 = starts(mp4.file());
            double[] fromHls = starts(hls.master().resolveSibling(mp4.name() + "/index.m3u8"));
            assertThat(fromHls[1] - fromHls[0]).as("audio start - video start of %s, s", mp4.name())
                    .isCloseTo(fromMp4[1] - fromMp4[0], within(0.001));
        }
    }

    @Test
    void pack_twice_sameFilesSameBytes() throws Exception {
        HlsPackage again = HlsPackager.pack(ladder.outputs(), tmp.resolve("hls-again"));
        assertThat(again.files()).extracting(HlsPackage.File::name)
                .containsExactlyElementsOf(hls.files().stream().map(HlsPackage.File::name).toList());
        for (int i = 0; i < hls.files().size(); i++) {
            assertThat(Files.readAllBytes(again.files().get(i).file())).as(hls.files().get(i).name())
                    .isEqualTo(Files.readAllBytes(hls.files().get(i).file()));
        }
        try (Stream<Path> all = Files.walk(tmp.resolve("hls"))) {
            assertThat(all.filter(Files::isRegularFile).count()).as("every file written is listed").isEqualTo(hls.files().size());
        }
        assertThat(hls.files()).filteredOn(HlsPackage.File::listed).extracting(HlsPackage.File::name)
                .containsExactly("master.m3u8", "120p/index.m3u8", "240p/index.m3u8");
    }

    private record Segment(String uri, double seconds, long bytes) {
    }

    private static List<Segment> segments(Path media) throws Exception {
        List<Segment> out = new ArrayList<>();
        double extinf = -1;
        for (String line : Files.readAllLines(media)) {
            if (line.startsWith("#EXTINF:")) {
                extinf = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                assertThat(extinf).as("#EXTINF before " + line).isPositive();
                out.add(new Segment(line, extinf, Files.size(media.resolveSibling(line))));
                extinf = -1;
            }
        }
        return out;
    }

    private static Map<String, String> attributes(String list) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher a = ATTR.matcher(list);
        while (a.find()) {
            m.put(a.group(1), a.group(2));
        }
        return m;
    }

    /** The boxes directly inside {@code b} (whose position is at the first child), by type. */
    private static Map<String, ByteBuffer> boxes(ByteBuffer b) {
        Map<String, ByteBuffer> m = new LinkedHashMap<>();
        ByteBuffer in = b.slice();
        while (in.remaining() >= 8) {
            long size = Integer.toUnsignedLong(in.getInt(in.position()));
            byte[] type = new byte[4];
            in.get(in.position() + 4, type);
            assertThat(size).as("box size").isBetween(8L, (long) in.remaining());
            ByteBuffer body = in.slice(in.position() + 8, (int) size - 8);
            m.putIfAbsent(new String(type, StandardCharsets.US_ASCII), body);
            in.position(in.position() + (int) size);
        }
        assertThat(in.remaining()).as("trailing bytes").isZero();
        return m;
    }

    /** The earliest presentation time of the video and of the audio stream, in seconds, as FFmpeg reads them. */
    private static double[] starts(Path file) {
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE};
        try (PacketFiles.Input in = PacketFiles.open(file)) {
            int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
            int a = in.bestStream(org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO);
            assertThat(a).as("audio in %s", file).isNotNegative();
            AVPacket pkt = PacketFiles.packet();
            try {
                while (in.read(pkt)) {
                    int which = pkt.stream_index() == v ? 0 : pkt.stream_index() == a ? 1 : -1;
                    if (which >= 0) {
                        min[which] = Math.min(min[which], PacketFiles.seconds(PacketFiles.pts(pkt, file),
                                in.stream(pkt.stream_index()).time_base()));
                    }
                }
            } finally {
                PacketFiles.free(pkt);
            }
        }
        return min;
    }

    /** The first video stream's packets of a file, as "size:sha256", in decode order. */
    private static List<String> packets(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (PacketFiles.Input in = PacketFiles.open(file)) {
            int v = in.bestStream(AVMEDIA_TYPE_VIDEO);
            AVPacket pkt = PacketFiles.packet();
            try {
                while (in.read(pkt)) {
                    if (pkt.stream_index() == v) {
                        byte[] data = new byte[pkt.size()];
                        new BytePointer(pkt.data()).capacity(pkt.size()).get(data);
                        out.add(pkt.size() + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
                    }
                }
            } finally {
                PacketFiles.free(pkt);
            }
        }
        return out;
    }
}
