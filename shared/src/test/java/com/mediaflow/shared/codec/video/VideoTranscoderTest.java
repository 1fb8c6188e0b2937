package com.mediaflow.shared.codec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mediaflow.shared.codec.SyntheticMedia;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;

class VideoTranscoderTest {

    /** Test ladder: small rungs so the 320x240 sources produce two renditions quickly. */
    private static final VideoSettings SMALL = new VideoSettings(List.of(
            new Rung("120p", 120, 28, 400, 800), new Rung("240p", 240, 26, 800, 1600)),
            "veryfast", 2, 96, 1);

    @TempDir
    Path tmp;

    @Test
    void transcode_h264WithAudio_h264HighAacFaststartLadder() throws Exception {
        // given: 320x240, 15 fps, 2 s, stereo AAC
        Path src = VideoFixtures.record(tmp.resolve("h264-aac-320x240-2s.mp4"),
                VideoFixtures.Spec.of("mp4", "libx264", AV_PIX_FMT_YUV420P, 320, 240, 15, 30)
                        .audio("aac", 44_100), null);
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
}
