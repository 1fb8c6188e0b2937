package com.mediaflow.shared.codec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_AAC_LOW;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.assertj.core.data.Offset;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.mediaflow.shared.error.CodecException;

/**
 * Split, per-segment encode, stitch and check, on a real 20 s H.264 (with B-frames) + AAC clip.
 * The per-segment encoder here is a test-local stand-in for VideoTranscoder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentStitchTest {

    private static final int FPS = 15;
    private static final String CLOSED_GOP =
            "keyint=30:min-keyint=30:scenecut=0:open-gop=0:stitchable=1";

    @TempDir
    static Path dir;

    private Path source;
    private List<Segment> segments;
    private List<Path> encoded;
    private long splitMillis;
    private long encodeMillis;

    @BeforeAll
    void makeSourceSplitAndEncode() {
        source = SyntheticMedia.mp4(dir.resolve("h264-aac-320x240-15fps-20s.mp4"), 320, 240, 20,
                FPS, true, 0);
        long t0 = System.nanoTime();
        segments = Segmenter.split(source, 5.0, dir.resolve("segments"));
        splitMillis = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        encoded = new ArrayList<>();
        for (Segment s : segments) {
            encoded.add(encodeStandIn(s.file(), dir.resolve("enc-" + s.index() + ".mp4"), 320,
                    240));
        }
        encodeMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void split_20sAt5s_fourKeyframeSegmentsCopiedByteForByte() throws Exception {
        List<Long> sourceCrcs = videoPacketCrcs(source);
        assertThat(hasReorderedFrames(source)).as("libx264 default source has B-frames").isTrue();

        List<Double> keyframes = keyframeSeconds(source);
        List<Double> expectedStarts = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            double boundary = 5.0 * k;
            expectedStarts.add(keyframes.stream().filter(t -> t >= boundary - 1e-9).findFirst()
                    .orElseThrow());
        }
        assertThat(segments).hasSize(4);
        assertThat(segments).extracting(Segment::startSeconds)
                .as("first keyframe at or after each 5 s, keyframes at %s", keyframes)
                .containsExactlyElementsOf(expectedStarts);
        for (int i = 0; i < 4; i++) {
            double end = i < 3 ? expectedStarts.get(i + 1) : 20.0;
            assertThat(segments.get(i).durationSeconds())
                    .isCloseTo(end - expectedStarts.get(i), Offset.offset(1e-9));
        }
        assertThat(segments.stream().mapToLong(Segment::frames).sum())
                .isEqualTo(sourceCrcs.size()).isEqualTo(decodedFrames(source)).isEqualTo(300);

        List<Long> segmentCrcs = new ArrayList<>();
        for (Segment s : segments) {
            try (PacketFiles.Input in = PacketFiles.open(s.file())) {
                assertThat(in.ctx.nb_streams()).as("video only").isEqualTo(1);
                assertThat(in.bestStream(AVMEDIA_TYPE_AUDIO)).isEqualTo(-1);
            }
            List<Long> crcs = videoPacketCrcs(s.file());
            assertThat(crcs).hasSize((int) s.frames());
            assertThat(firstPacketIsKey(s.file())).isTrue();
            assertThat(minVideoPts(s.file())).as("re-based to 0").isZero();
            assertThat(decodedFrames(s.file())).as("decodes alone").isEqualTo(s.frames());
            segmentCrcs.addAll(crcs);
        }
        assertThat(segmentCrcs).as("stream copy: every packet byte-identical, in order")
                .isEqualTo(sourceCrcs);
    }

    @Test
    void split_sparseKeyframes_segmentsLongerThanTarget() {
        Path sparse = encode(source, dir.resolve("h264-keyint7s.mp4"), 320, 240,
                "keyint=105:min-keyint=105:scenecut=0");

        List<Segment> parts = Segmenter.split(sparse, 5.0, dir.resolve("sparse"));

        assertThat(parts).extracting(Segment::startSeconds).containsExactly(0.0, 7.0, 14.0);
        assertThat(parts).extracting(Segment::frames).containsExactly(105L, 105L, 90L);
    }

    @Test
    void split_streamWithoutKeyframeAtStart_refusedAndNothingWritten() throws IOException {
        Path headless = dir.resolve("h264-no-leading-keyframe.mkv");
        copyVideoDroppingFirstPacket(source, headless);
        Path out = dir.resolve("headless-segments");

        assertThatThrownBy(() -> Segmenter.split(headless, 5.0, out))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("keyframe").hasMessageContaining(headless.toString());
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void stitch_segmentsWithSourceAudio_matchesSourceAndDecodes() throws Exception {
        Path out = dir.resolve("stitched.mp4");
        long t0 = System.nanoTime();
        StitchResult r = Stitcher.stitch(encoded, starts(segments), source, 128, out);
        long stitchMillis = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        SyncCheck check = StitchCheck.verify(source, out);
        long checkMillis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(check.ok()).as(check.detail()).isTrue();
        assertThat(check.frameDiff()).isZero();
        assertThat(Math.abs(check.durationDiffSeconds())).isLessThanOrEqualTo(1.0 / FPS);
        assertThat(Math.abs(check.avOffsetSeconds())).isLessThanOrEqualTo(1.0 / FPS);
        assertThat(r.frames()).isEqualTo(300);
        assertThat(r.videoDurationSeconds()).isCloseTo(20.0, Offset.offset(1e-6));
        assertThat(r.audioDurationSeconds()).isCloseTo(20.0, Offset.offset(0.1));
        assertThat(moovBeforeMdat(out)).as("faststart").isTrue();
        try (PacketFiles.Input in = PacketFiles.open(out)) {
            AVStream a = in.stream(in.bestStream(AVMEDIA_TYPE_AUDIO));
            assertThat(a.codecpar().codec_id()).isEqualTo(AV_CODEC_ID_AAC);
            assertThat(a.codecpar().profile()).isEqualTo(AV_PROFILE_AAC_LOW);
            assertThat(in.stream(in.bestStream(AVMEDIA_TYPE_VIDEO)).codecpar().codec_id())
                    .isEqualTo(AV_CODEC_ID_H264);
        }
        assertThat(videoDtsStrictlyRising(out)).isTrue();
        assertThat(decodedFrames(out)).as("every frame decodes").isEqualTo(300);
        assertThat(videoPacketCrcs(out)).as("no re-encode: the segments' packets, in order")
                .isEqualTo(concatCrcs(encoded));

        System.out.printf("segment timings (20 s, 320x240, %d fps): split %d ms, stand-in encode"
                + " of 4 segments %d ms, stitch %d ms, check %d ms%n", FPS, splitMillis,
                encodeMillis, stitchMillis, checkMillis);
    }

    @Test
    void stitch_withoutAudioSource_videoOnlyAndCheckSaysAudioMissing() {
        Path out = dir.resolve("silent.mp4");

        StitchResult r = Stitcher.stitch(encoded, starts(segments), null, 128, out);

        assertThat(r.audioDurationSeconds()).isZero();
        try (PacketFiles.Input in = PacketFiles.open(out)) {
            assertThat(in.bestStream(AVMEDIA_TYPE_AUDIO)).isEqualTo(-1);
        }
        SyncCheck check = StitchCheck.verify(source, out);
        assertThat(check.ok()).isFalse();
        assertThat(check.detail()).contains("audio missing");
    }

    @Test
    void encodeAudioOnce_thenPacketCopyStitch_sameResultAsEncodingInTheStitch() throws Exception {
        Path m4a = dir.resolve("audio/audio.m4a");
        long t0 = System.nanoTime();
        EncodedAudio aac = Stitcher.encodeAudio(source, 128, m4a).orElseThrow();
        long encodeAudioMillis = (System.nanoTime() - t0) / 1_000_000;
        Path copied = dir.resolve("stitched-copy.mp4");
        t0 = System.nanoTime();
        StitchResult r = Stitcher.stitch(encoded, starts(segments), m4a, copied);
        long copyMillis = (System.nanoTime() - t0) / 1_000_000;
        Path live = dir.resolve("stitched-live.mp4");
        t0 = System.nanoTime();
        StitchResult old = Stitcher.stitch(encoded, starts(segments), source, 128, live);
        long liveMillis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(aac.file()).isEqualTo(m4a);
        assertThat(aac.startSeconds()).as("source audio starts with its video").isZero();
        assertThat(aac.durationSeconds()).isEqualTo(old.audioDurationSeconds());
        assertThat(aac.channels()).isBetween(1, 2);
        try (PacketFiles.Input in = PacketFiles.open(m4a)) {
            assertThat(in.ctx.nb_streams()).as("audio only").isEqualTo(1);
            AVStream a = in.stream(0);
            assertThat(a.codecpar().codec_id()).isEqualTo(AV_CODEC_ID_AAC);
            assertThat(a.codecpar().profile()).isEqualTo(AV_PROFILE_AAC_LOW);
            assertThat(a.codecpar().sample_rate()).isEqualTo(aac.sampleRate());
        }

        SyncCheck check = StitchCheck.verify(source, copied);
        SyncCheck oldCheck = StitchCheck.verify(source, live);
        assertThat(check.ok()).as(check.detail()).isTrue();
        assertThat(check.frameDiff()).isZero();
        assertThat(Math.abs(check.durationDiffSeconds())).isLessThanOrEqualTo(1.0 / FPS);
        assertThat(Math.abs(check.avOffsetSeconds())).isLessThanOrEqualTo(1.0 / FPS);
        assertThat(check.avOffsetSeconds()).as("same A/V timing as the old path")
                .isEqualTo(oldCheck.avOffsetSeconds());
        assertThat(check.durationDiffSeconds()).isEqualTo(oldCheck.durationDiffSeconds());
        assertThat(r.frames()).isEqualTo(old.frames()).isEqualTo(300);
        assertThat(r.videoDurationSeconds()).isEqualTo(old.videoDurationSeconds());
        assertThat(r.audioDurationSeconds()).isCloseTo(old.audioDurationSeconds(),
                Offset.offset(1e-9));
        assertThat(videoPacketCrcs(copied)).isEqualTo(concatCrcs(encoded));
        assertThat(audioPackets(copied)).as("same AAC packets at the same times as the old path")
                .isNotEmpty().isEqualTo(audioPackets(live));
        assertThat(packetCrcs(copied, AVMEDIA_TYPE_AUDIO))
                .as("no re-encode: the .m4a's packets byte for byte, in order")
                .isEqualTo(packetCrcs(m4a, AVMEDIA_TYPE_AUDIO));
        assertThat(moovBeforeMdat(copied)).as("faststart").isTrue();
        assertThat(audioInterleavedWithinOneSecond(copied)).isTrue();

        Path m4a64 = dir.resolve("audio/audio-64k.m4a");
        Stitcher.encodeAudio(source, 64, m4a64).orElseThrow();
        Path copied64 = Stitcher.stitch(encoded, starts(segments), m4a64,
                dir.resolve("stitched-copy-64k.mp4")).file();
        assertThat(packetCrcs(copied64, AVMEDIA_TYPE_AUDIO))
                .as("the audio is whatever file is given, copied")
                .isEqualTo(packetCrcs(m4a64, AVMEDIA_TYPE_AUDIO))
                .isNotEqualTo(packetCrcs(m4a, AVMEDIA_TYPE_AUDIO));
        assertThat(decodedFrames(copied)).isEqualTo(300);

        System.out.printf("audio timings (20 s, AAC 128 kb/s): encodeAudio %d ms, stitch with"
                + " packet-copied audio %d ms, stitch encoding the audio (old) %d ms%n",
                encodeAudioMillis, copyMillis, liveMillis);
    }

    @Test
    void encodeAudio_audioStartingAfterTheVideo_keepsItsDelayThroughThePacketCopy() {
        Path late = dir.resolve("h264-aac-audio-late-0.5s.mkv");
        remuxShiftingAudio(source, late, 0.5);
        Path m4a = dir.resolve("late-audio.m4a");

        EncodedAudio aac = Stitcher.encodeAudio(late, 128, m4a).orElseThrow();
        Path copied = dir.resolve("late-copy.mp4");
        Stitcher.stitch(encoded, starts(segments), m4a, copied);
        Path live = dir.resolve("late-live.mp4");
        Stitcher.stitch(encoded, starts(segments), late, 128, live);

        // Matroska cannot mark the source AAC's 1024 priming samples as skipped, so the copy
        // plays them: its audio starts 1024 samples before the 0.5 s shift
        assertThat(aac.startSeconds()).isCloseTo(0.5 - 1024.0 / aac.sampleRate(),
                Offset.offset(0.001));
        SyncCheck check = StitchCheck.verify(late, copied);
        assertThat(check.ok()).as(check.detail()).isTrue();
        assertThat(check.avOffsetSeconds()).isEqualTo(StitchCheck.verify(late, live).avOffsetSeconds());
        assertThat(audioPackets(copied)).isNotEmpty().isEqualTo(audioPackets(live));
    }

    @Test
    void encodeAudio_sourceWithoutAudio_emptyAndNothingWritten() {
        Path silent = SyntheticMedia.mp4(dir.resolve("h264-320x240-2s-silent.mp4"), 320, 240, 2,
                FPS, false, 0);
        Path m4a = dir.resolve("silent-audio.m4a");

        assertThat(Stitcher.encodeAudio(silent, 128, m4a)).isEmpty();
        assertThat(m4a).doesNotExist();
    }

    @Test
    void stitch_preEncodedAudioNotAac_refusedAndNothingWritten() throws IOException {
        Path wav = dir.resolve("pcm16-48k-mono-1s.wav");
        writeSilentWav(wav, 48_000, 1.0);
        Path out = dir.resolve("pcm-audio.mp4");

        assertThatThrownBy(() -> Stitcher.stitch(encoded, starts(segments), wav, out))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("expected AAC, found pcm_s16le")
                .hasMessageContaining(wav.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void stitch_preEncodedAudioWithoutAudioStream_refused() {
        Path out = dir.resolve("no-audio-stream.mp4");

        assertThatThrownBy(() -> Stitcher.stitch(encoded, starts(segments), encoded.get(0), out))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("found no audio stream")
                .hasMessageContaining(encoded.get(0).toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void stitch_preEncodedAudioNull_videoOnly() {
        Path out = dir.resolve("copy-silent.mp4");

        StitchResult r = Stitcher.stitch(encoded, starts(segments), null, out);

        assertThat(r.audioDurationSeconds()).isZero();
        assertThat(r.frames()).isEqualTo(300);
        try (PacketFiles.Input in = PacketFiles.open(out)) {
            assertThat(in.ctx.nb_streams()).isEqualTo(1);
            assertThat(in.bestStream(AVMEDIA_TYPE_AUDIO)).isEqualTo(-1);
        }
    }

    @Test
    void check_droppedSegment_frameCountFails() {
        Path out = dir.resolve("dropped.mp4");
        List<Path> files = List.of(encoded.get(0), encoded.get(2), encoded.get(3));
        List<Double> at = List.of(0.0, segments.get(2).startSeconds(),
                segments.get(3).startSeconds());

        Stitcher.stitch(files, at, source, 128, out);
        SyncCheck check = StitchCheck.verify(source, out);

        assertThat(check.ok()).isFalse();
        assertThat(check.frameDiff()).isEqualTo(-segments.get(1).frames());
        assertThat(check.detail()).contains("frame count");
    }

    @Test
    void check_lastSegmentShiftedLater_durationFails() {
        Path out = dir.resolve("gap.mp4");
        List<Double> at = new ArrayList<>(starts(segments));
        at.set(3, at.get(3) + 0.5);

        Stitcher.stitch(encoded, at, source, 128, out);
        SyncCheck check = StitchCheck.verify(source, out);

        assertThat(check.ok()).isFalse();
        assertThat(check.frameDiff()).isZero();
        assertThat(check.durationDiffSeconds()).isCloseTo(0.5, Offset.offset(0.01));
        assertThat(check.detail()).contains("duration");
    }

    @Test
    void check_videoDelayedAgainstAudio_syncFails() {
        Path out = dir.resolve("late-video.mp4");
        List<Double> at = starts(segments).stream().map(s -> s + 0.5).toList();

        Stitcher.stitch(encoded, at, source, 128, out);
        SyncCheck check = StitchCheck.verify(source, out);

        assertThat(check.ok()).isFalse();
        assertThat(check.frameDiff()).isZero();
        assertThat(Math.abs(check.avOffsetSeconds())).isGreaterThan(0.4);
        assertThat(check.detail()).contains("A/V sync");
    }

    @Test
    void stitch_overlappingStart_throwsAndWritesNothing() {
        Path out = dir.resolve("overlap.mp4");
        List<Double> at = new ArrayList<>(starts(segments));
        at.set(2, at.get(2) - 1.0);

        assertThatThrownBy(() -> Stitcher.stitch(encoded, at, source, 128, out))
                .isInstanceOf(CodecException.class).hasMessageContaining("overlap");
        assertThat(out).doesNotExist();
    }

    @Test
    void stitch_segmentOfOtherResolution_throwsAndWritesNothing() {
        Path small = encodeStandIn(segments.get(1).file(), dir.resolve("enc-1-160x120.mp4"), 160,
                120);
        Path out = dir.resolve("mixed.mp4");
        List<Path> files = List.of(encoded.get(0), small, encoded.get(2), encoded.get(3));

        assertThatThrownBy(() -> Stitcher.stitch(files, starts(segments), source, 128, out))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("size 160x120, expected 320x240")
                .hasMessageContaining(small.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void stitch_segmentWithOtherEncoderSettings_throwsOnHeaders() {
        Path cavlc = encode(segments.get(2).file(), dir.resolve("enc-2-cavlc.mp4"), 320, 240,
                CLOSED_GOP + ":cabac=0");
        Path out = dir.resolve("mixed-settings.mp4");
        List<Path> files = List.of(encoded.get(0), encoded.get(1), cavlc, encoded.get(3));

        assertThatThrownBy(() -> Stitcher.stitch(files, starts(segments), source, 128, out))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("expected identical codec parameters")
                .hasMessageContaining("segment 2");
        assertThat(out).doesNotExist();
    }

    // --- test-local stand-in for VideoTranscoder ----------------------------------------------

    /**
     * TEST-LOCAL STAND-IN for VideoTranscoder: decodes a segment and encodes it with libx264,
     * yuv420p, no audio, closed GOPs with identical settings, so it starts with an IDR.
     */
    private static Path encodeStandIn(Path segment, Path out, int w, int h) {
        return encode(segment, out, w, h, CLOSED_GOP);
    }

    private static Path encode(Path in, Path out, int w, int h, String x264Params) {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in.toFile())) {
            g.setPixelFormat(AV_PIX_FMT_YUV420P);
            g.start();
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
                r.setFormat("mp4");
                r.setVideoCodec(AV_CODEC_ID_H264);
                r.setPixelFormat(AV_PIX_FMT_YUV420P);
                r.setFrameRate(FPS);
                r.setVideoOption("preset", "veryfast");
                r.setVideoOption("crf", "23");
                r.setVideoOption("threads", "1");
                r.setVideoOption("x264-params", x264Params);
                r.start();
                Frame f;
                while ((f = g.grabImage()) != null) {
                    r.record(f, AV_PIX_FMT_YUV420P);
                }
                r.stop();
            }
            g.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stand-in encode of " + in + " failed", e);
        }
        return out;
    }

    // --- probes ---------------------------------------------------------------------------------

    private static List<Double> starts(List<Segment> segs) {
        return segs.stream().map(Segment::startSeconds).toList();
    }

    private static List<Long> concatCrcs(List<Path> files) {
        List<Long> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(videoPacketCrcs(f));
        }
        return all;
    }

    /** CRC-32 of every video packet's payload, in file order. */
    private static List<Long> videoPacketCrcs(Path file) {
        return packetCrcs(file, AVMEDIA_TYPE_VIDEO);
    }

    /** CRC-32 of every packet's payload of the best stream of that type, in file order. */
    private static List<Long> packetCrcs(Path file, int mediaType) {
        List<Long> crcs = new ArrayList<>();
        forEachPacket(file, mediaType, pkt -> crcs.add(crc(pkt)));
        return crcs;
    }

    private static long crc(AVPacket pkt) {
        byte[] b = new byte[pkt.size()];
        pkt.data().position(0).get(b);
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    /** The audio packets as muxed: timestamps, duration, payload CRC. */
    private record Pkt(long pts, long dts, long duration, long crc) {
    }

    private static List<Pkt> audioPackets(Path file) {
        List<Pkt> all = new ArrayList<>();
        forEachPacket(file, AVMEDIA_TYPE_AUDIO,
                pkt -> all.add(new Pkt(pkt.pts(), pkt.dts(), pkt.duration(), crc(pkt))));
        return all;
    }

    /** True when, in file order, no packet's DTS is more than 1 s behind the latest one. */
    private static boolean audioInterleavedWithinOneSecond(Path file) {
        try (PacketFiles.Input in = PacketFiles.open(file)) {
            AVPacket pkt = PacketFiles.packet();
            double latest = Double.NEGATIVE_INFINITY;
            try {
                while (in.read(pkt)) {
                    double t = PacketFiles.seconds(pkt.dts(),
                            in.stream(pkt.stream_index()).time_base());
                    if (t < latest - 1.0) {
                        return false;
                    }
                    latest = Math.max(latest, t);
                }
            } finally {
                PacketFiles.free(pkt);
            }
            return true;
        }
    }

    private static void writeSilentWav(Path out, int rate, double seconds) throws IOException {
        int n = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + n * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + n * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(n * 2);
        Files.write(out, b.array());
    }

    private static boolean hasReorderedFrames(Path file) {
        long[] last = {Long.MIN_VALUE};
        boolean[] reordered = {false};
        forEachVideoPacket(file, pkt -> {
            reordered[0] |= pkt.pts() < last[0];
            last[0] = pkt.pts();
        });
        return reordered[0];
    }

    private static boolean videoDtsStrictlyRising(Path file) {
        long[] last = {Long.MIN_VALUE};
        boolean[] rising = {true};
        forEachVideoPacket(file, pkt -> {
            rising[0] &= pkt.dts() > last[0];
            last[0] = pkt.dts();
        });
        return rising[0];
    }

    /** Source times (from the first video frame) of the keyframes, in presentation order. */
    private static List<Double> keyframeSeconds(Path file) {
        List<Long> pts = new ArrayList<>();
        forEachVideoPacket(file, pkt -> {
            if ((pkt.flags() & AV_PKT_FLAG_KEY) != 0) {
                pts.add(pkt.pts());
            }
        });
        try (PacketFiles.Input in = PacketFiles.open(file)) {
            var tb = in.stream(in.bestStream(AVMEDIA_TYPE_VIDEO)).time_base();
            return pts.stream().map(p -> PacketFiles.seconds(p - pts.get(0), tb)).toList();
        }
    }

    private static boolean firstPacketIsKey(Path file) {
        boolean[] first = {true};
        boolean[] key = {false};
        forEachVideoPacket(file, pkt -> {
            if (first[0]) {
                key[0] = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
                first[0] = false;
            }
        });
        return key[0];
    }

    private static long minVideoPts(Path file) {
        long[] min = {Long.MAX_VALUE};
        forEachVideoPacket(file, pkt -> min[0] = Math.min(min[0], pkt.pts()));
        return min[0];
    }

    private static void forEachVideoPacket(Path file, java.util.function.Consumer<AVPacket> f) {
        forEachPacket(file, AVMEDIA_TYPE_VIDEO, f);
    }

    private static void forEachPacket(Path file, int mediaType,
            java.util.function.Consumer<AVPacket> f) {
        try (PacketFiles.Input in = PacketFiles.open(file)) {
            int v = in.bestStream(mediaType);
            AVPacket pkt = PacketFiles.packet();
            try {
                while (in.read(pkt)) {
                    if (pkt.stream_index() == v) {
                        f.accept(pkt);
                    }
                }
            } finally {
                PacketFiles.free(pkt);
            }
        }
    }

    /** Decodes every video frame with JavaCV; any decoder error fails the test. */
    private static long decodedFrames(Path file) throws Exception {
        long n = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            while (g.grabImage() != null) {
                n++;
            }
            g.stop();
        }
        return n;
    }

    /** True when the top-level 'moov' box comes before 'mdat' (movflags +faststart). */
    private static boolean moovBeforeMdat(Path mp4) throws IOException {
        byte[] bytes = Files.readAllBytes(mp4);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        long pos = 0;
        while (pos + 8 <= bytes.length) {
            long size = Integer.toUnsignedLong(buf.getInt((int) pos));
            String type = new String(bytes, (int) pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (size == 1) {
                size = buf.getLong((int) pos + 8);
            }
            if (type.equals("moov")) {
                return true;
            }
            if (type.equals("mdat") || size < 8) {
                return false;
            }
            pos += size;
        }
        return false;
    }

    /** Copies {@code in} to Matroska with every audio packet {@code seconds} later. */
    private static void remuxShiftingAudio(Path in, Path out, double seconds) {
        try (PacketFiles.Input src = PacketFiles.open(in)) {
            int n = src.ctx.nb_streams();
            AVFormatContext oc = PacketFiles.create(out, "matroska");
            AVPacket pkt = PacketFiles.packet();
            try {
                for (int i = 0; i < n; i++) {
                    AVStream ost = avformat_new_stream(oc, null);
                    avcodec_parameters_copy(ost.codecpar(), src.stream(i).codecpar());
                    ost.codecpar().codec_tag(0);
                }
                PacketFiles.check(avformat_write_header(oc, (AVDictionary) null), "write", out);
                while (src.read(pkt)) {
                    AVStream ist = src.stream(pkt.stream_index());
                    if (ist.codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                        long shift = PacketFiles.ticks(seconds, ist.time_base());
                        pkt.pts(pkt.pts() + shift).dts(pkt.dts() + shift);
                    }
                    org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts(pkt, ist.time_base(),
                            oc.streams(pkt.stream_index()).time_base());
                    pkt.pos(-1);
                    PacketFiles.check(av_interleaved_write_frame(oc, pkt), "write", out);
                }
                PacketFiles.check(av_write_trailer(oc), "finish", out);
            } finally {
                PacketFiles.free(pkt);
                PacketFiles.close(oc);
            }
        }
    }

    /** Copies the video of {@code in} to Matroska without its first packet (the keyframe). */
    private static void copyVideoDroppingFirstPacket(Path in, Path out) {
        try (PacketFiles.Input src = PacketFiles.open(in)) {
            int v = src.bestStream(AVMEDIA_TYPE_VIDEO);
            AVFormatContext oc = PacketFiles.create(out, "matroska");
            AVPacket pkt = PacketFiles.packet();
            try {
                AVStream ost = avformat_new_stream(oc, null);
                avcodec_parameters_copy(ost.codecpar(), src.stream(v).codecpar());
                ost.codecpar().codec_tag(0);
                PacketFiles.check(avformat_write_header(oc, (AVDictionary) null), "write", out);
                boolean first = true;
                while (src.read(pkt)) {
                    if (pkt.stream_index() != v) {
                        continue;
                    }
                    if (first) {
                        first = false;
                        continue;
                    }
                    pkt.stream_index(0);
                    org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts(pkt,
                            src.stream(v).time_base(), ost.time_base());
                    PacketFiles.check(av_write_frame(oc, pkt), "write", out);
                }
                PacketFiles.check(av_write_trailer(oc), "finish", out);
            } finally {
                PacketFiles.free(pkt);
                PacketFiles.close(oc);
            }
        }
    }
}
