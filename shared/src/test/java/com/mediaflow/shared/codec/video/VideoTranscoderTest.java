package com.mediaflow.shared.codec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;

import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.MediaflowException;
import com.mediaflow.shared.error.StorageException;

class VideoTranscoderTest {

    /** Test ladder: small rungs so the 320x240 sources produce two renditions quickly. */
    private static final VideoSettings SMALL = new VideoSettings(List.of(
            new Rung("120p", 120, 28, 400, 800), new Rung("240p", 240, 26, 800, 1600)),
            "veryfast", 2, 96, 1);

    @TempDir
    Path tmp;

    @Test
    void cliVideoArguments_nameTheProfile_asTheFfmpegClisLibx264OptionTakesIt() {
        // the benchmark's anchor: libx264's own -profile option refuses a number ("invalid profile: 100")
        List<String> args = new VideoTranscoder(SMALL).cliVideoArguments(SMALL.rungs().get(0), 30);

        assertThat(args).containsSubsequence("-c:v", "libx264", "-g", "60", "-profile", "high");
        assertThat(args.get(args.indexOf("-profile") + 1)).isEqualTo("high");
    }

    @Test
    void transcode_h264WithAudio_h264HighAacFaststartLadder() throws Exception {
        // given: 320x240, 15 fps, 2 s, stereo AAC
        Path src = VideoFixtures.record(tmp.resolve("h264-aac-320x240-2s.mp4"),
                VideoFixtures.Spec.of("mp4", "libx264", AV_PIX_FMT_YUV420P, 320, 240, 15, 30)
                        .audio("aac", 44_100));
        List<Double> progress = new ArrayList<>();

        // when
        TranscodeResult r = new VideoTranscoder(SMALL).transcode(src, tmp.resolve("out"), true,
                progress::add);

        // then
        assertThat(r.outputs()).extracting(VideoOutput::name).containsExactly("120p", "240p");
        assertThat(r.hasAudio()).isTrue();
        assertThat(r.animated()).isFalse();
        assertThat(r.rotationApplied()).isZero();
        assertThat(r.framesDecoded()).isEqualTo(30);
        assertThat(r.sourceDurationSeconds()).isCloseTo(2.0, within(1 / 15.0));
        assertThat(progress).isNotEmpty().last().isEqualTo(1.0);
        assertThat(progress).isSorted();
        double frame = 1 / 15.0;
        for (VideoOutput o : r.outputs()) {
            assertThat(o.file()).hasFileName(o.name() + ".mp4").exists();
            assertThat(o.bytes()).isEqualTo(Files.size(o.file()));
            assertThat(Mp4Inspector.faststart(o.file())).as("moov before mdat").isTrue();
            Mp4Inspector.Info i = Mp4Inspector.probe(o.file());
            assertThat(i.videoCodec()).isEqualTo("h264");
            assertThat(i.videoProfile()).isEqualTo("High");
            assertThat(i.pixelFormat()).isEqualTo("yuv420p");
            assertThat(new int[] {i.width(), i.height()}).containsExactly(o.width(), o.height());
            assertThat(i.videoDurationSeconds()).isCloseTo(2.0, within(frame));
            assertThat(i.videoFrames()).isEqualTo(30);
            assertThat(i.audioCodec()).isEqualTo("aac");
            assertThat(i.audioProfile()).isEqualTo("LC");
            assertThat(i.audioDurationSeconds()).isCloseTo(i.videoDurationSeconds(),
                    within(frame));
            assertThat(i.rotation()).isZero();
        }
        assertThat(r.outputs().get(0)).extracting(VideoOutput::width, VideoOutput::height)
                .containsExactly(160, 120);
        assertThat(r.outputs().get(1)).extracting(VideoOutput::width, VideoOutput::height)
                .containsExactly(320, 240);
    }

    @Test
    void transcode_portraitPhoneVideo_pixelsRotatedUprightNoRotationLeft() throws Exception {
        // given: stored 320x240, display matrix says "turn 90 degrees clockwise"
        Path src = SyntheticMedia.mp4(tmp.resolve("h264-320x240-rotate90-2s.mp4"), 320, 240,
                2.0, 15, true, 90);

        // when
        TranscodeResult r = new VideoTranscoder(SMALL).transcode(src, tmp.resolve("out"), true,
                TranscodeProgress.NONE);

        // then: portrait outputs, no display matrix, and the picture is the upright source
        assertThat(r.rotationApplied()).isEqualTo(90);
        assertThat(r.outputs()).extracting(VideoOutput::width, VideoOutput::height)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(120, 160),
                        org.assertj.core.groups.Tuple.tuple(240, 320));
        VideoOutput full = r.outputs().get(1);
        Mp4Inspector.Info info = Mp4Inspector.probe(full.file());
        assertThat(info.rotation()).isZero();
        assertThat(new int[] {info.width(), info.height()}).containsExactly(240, 320);
        VideoFixtures.Rgb upright = VideoFixtures.frame(src, 0).rotatedClockwise();
        VideoFixtures.Rgb got = VideoFixtures.frame(full.file(), 0);
        double diff = got.meanAbsDiff(upright);
        double wrongWay = got.meanAbsDiff(upright.rotatedClockwise().rotatedClockwise());
        assertThat(diff).as("mean abs difference to the upright source").isLessThan(6);
        assertThat(wrongWay).as("the same check against the picture upside down")
                .isGreaterThan(20);
    }

    @Test
    void transcode_hevc10bit_decodesAndDithersTo8bit() throws Exception {
        Path src = VideoFixtures.record(tmp.resolve("hevc-main10-320x240-2s.mp4"),
                VideoFixtures.Spec.of("mp4", "libx265", AV_PIX_FMT_YUV420P10LE, 320, 240, 15, 30)
                        .options(Map.of("preset", "ultrafast", "x265-params", "log-level=error"))
                        .audio("aac", 48_000));
        assertThat(Mp4Inspector.probe(src).pixelFormat()).isEqualTo("yuv420p10le");

        TranscodeResult r = new VideoTranscoder(SMALL).transcode(src, tmp.resolve("out"), true,
                TranscodeProgress.NONE);

        assertThat(r.hdrToneMapped()).isFalse();
        VideoOutput full = r.outputs().get(1);
        Mp4Inspector.Info i = Mp4Inspector.probe(full.file());
        assertThat(i.pixelFormat()).isEqualTo("yuv420p");
        assertThat(i.videoProfile()).isEqualTo("High");
        assertThat(i.videoFrames()).isEqualTo(30);
        assertThat(VideoFixtures.frame(full.file(), 10).meanAbsDiff(VideoFixtures.frame(src, 10)))
                .isLessThan(6);
    }

    @Test
    void transcode_vp9OpusWebm_toH264Aac() throws Exception {
        Path src = VideoFixtures.record(tmp.resolve("vp9-opus-320x240-2s.webm"),
                VideoFixtures.Spec.of("webm", "libvpx-vp9", AV_PIX_FMT_YUV420P, 320, 240, 15, 30)
                        .options(Map.of("deadline", "realtime", "cpu-used", "8"))
                        .audio("libopus", 48_000));

        TranscodeResult r = new VideoTranscoder(SMALL).transcode(src, tmp.resolve("out"), true,
                TranscodeProgress.NONE);

        assertThat(r.hasAudio()).isTrue();
        for (VideoOutput o : r.outputs()) {
            Mp4Inspector.Info i = Mp4Inspector.probe(o.file());
            assertThat(i.videoCodec()).isEqualTo("h264");
            assertThat(i.audioCodec()).isEqualTo("aac");
            assertThat(i.videoDurationSeconds()).isCloseTo(2.0, within(1 / 15.0));
            assertThat(i.audioDurationSeconds()).isCloseTo(i.videoDurationSeconds(),
                    within(1 / 15.0));
        }
    }

    @Test
    void transcode_variableFrameRate_keepsTimestampsAndDuration() throws Exception {
        // given: 24 frames at irregular intervals (40..120 ms), 1 ms time base, with audio
        long[] ts = new long[24];
        int[] steps = {40, 120, 55, 80, 40, 100, 65};
        for (int i = 1; i < ts.length; i++) {
            ts[i] = ts[i - 1] + steps[i % steps.length] * 1000L;
        }
        Path src = VideoFixtures.record(tmp.resolve("h264-vfr-320x240.mkv"),
                VideoFixtures.Spec.of("matroska", "libx264", AV_PIX_FMT_YUV420P, 320, 240, 15, 0)
                        .timestamps(ts).audio("aac", 48_000));
        double srcSeconds = Mp4Inspector.probe(src).videoDurationSeconds();

        TranscodeResult r = new VideoTranscoder(SMALL).transcode(src, tmp.resolve("out"), true,
                TranscodeProgress.NONE);

        VideoOutput full = r.outputs().get(1);
        Mp4Inspector.Info i = Mp4Inspector.probe(full.file());
        double longestFrame = 0.120;
        assertThat(i.videoFrames()).isEqualTo(24);
        assertThat(i.videoDurationSeconds()).isCloseTo(srcSeconds, within(longestFrame));
        assertThat(i.audioDurationSeconds()).isCloseTo(i.videoDurationSeconds(),
                within(longestFrame));
        // every frame is shown when the source shows it, not at a regular pace
        List<Long> want = VideoFixtures.timestampsUs(src);
        List<Long> got = VideoFixtures.timestampsUs(full.file());
        assertThat(got).hasSameSizeAs(want);
        for (int k = 0; k < want.size(); k++) {
            assertThat(got.get(k)).as("frame %d", k).isCloseTo(want.get(k), within(2_000L));
        }
        assertThat(VideoFixtures.frame(full.file(), 15).meanAbsDiff(VideoFixtures.frame(src, 15)))
                .isLessThan(6);
    }

    @Test
    void transcode_animatedGif_silentLoopingMp4() throws Exception {
        Path gif = SyntheticMedia.animatedGif(tmp.resolve("anim-320x240-20f.gif"), 320, 240, 20);

        TranscodeResult r = new VideoTranscoder(SMALL).transcode(gif, tmp.resolve("out"), true,
                TranscodeProgress.NONE);

        assertThat(r.animated()).isTrue();
        assertThat(r.hasAudio()).isFalse();
        assertThat(r.framesDecoded()).isEqualTo(20);
        for (VideoOutput o : r.outputs()) {
            Mp4Inspector.Info i = Mp4Inspector.probe(o.file());
            assertThat(i.videoCodec()).isEqualTo("h264");
            assertThat(i.audioCodec()).isNull();
            assertThat(i.videoFrames()).isEqualTo(20);
            assertThat(i.videoDurationSeconds()).isCloseTo(2.0, within(0.1));
            assertThat(Mp4Inspector.faststart(o.file())).isTrue();
        }
    }

    @Test
    void transcode_videoOnly_noAudioTrackForSegments() throws Exception {
        Path src = SyntheticMedia.mp4(tmp.resolve("h264-aac-320x240-1s.mp4"), 320, 240, 1.0, 15,
                true, 0);

        TranscodeResult r = new VideoTranscoder(SMALL).transcode(src,
                List.of(new Target("seg", 160, 120, SMALL.rungs().get(0))), tmp.resolve("out"),
                false, TranscodeProgress.NONE);

        assertThat(r.hasAudio()).isFalse();
        assertThat(r.outputs()).singleElement().extracting(VideoOutput::name).isEqualTo("seg");
        Mp4Inspector.Info i = Mp4Inspector.probe(r.outputs().get(0).file());
        assertThat(i.audioCodec()).isNull();
        assertThat(i.videoFrames()).isEqualTo(15);
    }

    @Test
    void transcode_truncatedVideo_codecExceptionAndNoOutput() throws Exception {
        Path src = SyntheticMedia.mp4(tmp.resolve("h264-320x240-3s.mp4"), 320, 240, 3.0, 15,
                false, 0);
        byte[] bytes = Files.readAllBytes(src);
        Path truncated = Files.write(tmp.resolve("truncated-mdat.mp4"),
                java.util.Arrays.copyOf(bytes, bytes.length / 3));
        Path out = tmp.resolve("out");

        assertThatThrownBy(() -> new VideoTranscoder(SMALL).transcode(truncated, out, true,
                TranscodeProgress.NONE))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("truncated-mdat.mp4")
                .hasMessageContaining("truncated");
        assertThat(out.toFile().list()).isEmpty();
        assertThat(encoderThreads()).isEmpty();
    }

    @Test
    void transcode_outputCannotBeWritten_failsNamingItAndLeavesNothing() throws Exception {
        // given: the 240p rendition cannot be written (a link to /dev/full: every write fails)
        Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
        Path src = SyntheticMedia.mp4(tmp.resolve("h264-aac-320x240-1s.mp4"), 320, 240, 1.0, 15,
                true, 0);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createSymbolicLink(out.resolve("240p.mp4"), Path.of("/dev/full"));

        // when / then: the encoder's error; no partial file, no encoder thread left
        assertThatThrownBy(() -> new VideoTranscoder(SMALL).transcode(src, out, true,
                TranscodeProgress.NONE))
                .isInstanceOf(MediaflowException.class)
                .hasMessageContaining("240p.mp4");
        assertThat(out.toFile().list()).isEmpty();
        assertThat(encoderThreads()).isEmpty();
    }

    @Test
    void transcode_failsWhileEncoding_workersStoppedAndNothingLeft() throws Exception {
        // given: a caller whose progress listener fails at its first report (the first
        // decoded frame: the encoder threads are running)
        Path src = SyntheticMedia.mp4(tmp.resolve("h264-aac-320x240-2s.mp4"), 320, 240, 2.0, 15,
                true, 0);
        Path out = tmp.resolve("out");
        TranscodeProgress failing = p -> {
            if (p < 1.0) {
                throw new StorageException("heartbeat lost at " + p, null);
            }
        };

        // when / then: that failure, as raised; both encoder threads stopped, files deleted
        assertThatThrownBy(() -> new VideoTranscoder(SMALL).transcode(src, out, true, failing))
                .isInstanceOf(StorageException.class).hasMessageContaining("heartbeat lost");
        assertThat(out.toFile().list()).isEmpty();
        assertThat(encoderThreads()).isEmpty();
    }

    /** The transcoder's encoder threads still alive in this JVM. */
    private static List<String> encoderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("mediaflow-encode-")).toList();
    }

    @Test
    void transcode_garbage_codecException() throws Exception {
        Path junk = Files.write(tmp.resolve("garbage.mp4"), new byte[4096]);

        assertThatThrownBy(() -> new VideoTranscoder(SMALL).transcode(junk, tmp.resolve("out"),
                true, TranscodeProgress.NONE))
                .isInstanceOf(CodecException.class).hasMessageContaining("garbage.mp4");
    }

    @Test
    void transcode_missingSource_storageException() {
        assertThatThrownBy(() -> new VideoTranscoder(SMALL).transcode(tmp.resolve("nope.mp4"),
                tmp.resolve("out"), true, TranscodeProgress.NONE))
                .isInstanceOf(StorageException.class).hasMessageContaining("nope.mp4");
    }
}
