package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaProbeTest {

    @TempDir
    Path tmp;

    @Test
    void probe_syntheticMp4_reportsH264AacAndTimings() {
        // given
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-aac-320x240-1s.mp4"), 320, 240, 1.0, 15,
                true, 0);

        // when
        ProbeResult p = MediaProbe.probe(mp4);

        // then
        assertThat(p.format()).contains("mp4");
        assertThat(p.videoCodec()).isEqualTo("h264");
        assertThat(p.audioCodec()).isEqualTo("aac");
        assertThat(p.width()).isEqualTo(320);
        assertThat(p.height()).isEqualTo(240);
        assertThat(p.durationSeconds()).isCloseTo(1.0, within(0.1));
        assertThat(p.frameRate()).isCloseTo(15.0, within(0.01));
        assertThat(p.frameCount()).isEqualTo(15);
        assertThat(p.rotation()).isZero();
        assertThat(p.audioChannels()).isEqualTo(1);
        assertThat(p.sampleRate()).isEqualTo(44_100);
    }

    @ParameterizedTest(name = "display rotation {0}")
    @ValueSource(ints = {90, 180, 270})
    void probe_rotatedMp4_reportsClockwiseRotationAndStoredSize(int rotation) {
        // given
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-320x240-rot" + rotation + ".mp4"), 320,
                240, 0.4, 10, false, rotation);

        // when
        ProbeResult p = MediaProbe.probe(mp4);

        // then
        assertThat(p.rotation()).isEqualTo(rotation);
        assertThat(p.width()).isEqualTo(320);
        assertThat(p.height()).isEqualTo(240);
        assertThat(p.displayWidth()).isEqualTo(rotation == 180 ? 320 : 240);
        assertThat(p.displayHeight()).isEqualTo(rotation == 180 ? 240 : 320);
    }

    @Test
    void probe_videoWithoutAudio_hasNoAudioFields() {
        Path mp4 = SyntheticMedia.mp4(tmp.resolve("h264-160x120-silent.mp4"), 160, 120, 0.4, 10,
                false, 0);

        ProbeResult p = MediaProbe.probe(mp4);

        assertThat(p.hasVideo()).isTrue();
        assertThat(p.hasAudio()).isFalse();
        assertThat(p.audioCodec()).isNull();
        assertThat(p.audioChannels()).isNull();
        assertThat(p.sampleRate()).isNull();
    }

    @Test
    void probe_jpeg_reportsMjpegSizeAndNoDuration() {
        // given
        Path jpeg = SyntheticMedia.jpeg(tmp.resolve("jpeg-200x100.jpg"), 200, 100, 6);

        // when
        ProbeResult p = MediaProbe.probe(jpeg);

        // then stored size, no rotation from the EXIF tag (that is ExifReader's business)
        assertThat(p.videoCodec()).isEqualTo("mjpeg");
        assertThat(p.width()).isEqualTo(200);
        assertThat(p.height()).isEqualTo(100);
        assertThat(p.durationSeconds()).isNull();
        assertThat(p.frameRate()).isNull();
        assertThat(p.audioCodec()).isNull();
        assertThat(p.frameCount()).isEqualTo(1);
        assertThat(p.rotation()).isZero();
    }

    @Test
    void probe_pngByContent_reportsPng() throws Exception {
        // given a corpus PNG copied under a name without extension: detection by content
        Path png = Files.copy(Corpus.dir().resolve("pngsuite/png/basn6a16.png"),
                tmp.resolve("upload-0001"));

        // when
        ProbeResult p = MediaProbe.probe(png);

        // then
        assertThat(p.videoCodec()).isEqualTo("png");
        assertThat(p.format()).isEqualTo("png_pipe");
        assertThat(p.width()).isEqualTo(32);
        assertThat(p.height()).isEqualTo(32);
        assertThat(p.durationSeconds()).isNull();
    }

    @Test
    void probe_unreadableFile_throwsCodecExceptionNamingIt() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.mp4"), "not media at all");
        Path missing = tmp.resolve("missing.mov");

        assertThatThrownBy(() -> MediaProbe.probe(text)).isInstanceOf(CodecException.class)
                .hasMessageContaining(text.toString());
        assertThatThrownBy(() -> MediaProbe.probe(missing)).isInstanceOf(CodecException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void clockwiseRotation_normalisesDisplayMatrixAngles() {
        assertThat(MediaProbe.clockwiseRotation(0.0)).isZero();
        assertThat(MediaProbe.clockwiseRotation(-90.0)).isEqualTo(90);
        assertThat(MediaProbe.clockwiseRotation(90.0)).isEqualTo(270);
        assertThat(MediaProbe.clockwiseRotation(180.0)).isEqualTo(180);
        assertThat(MediaProbe.clockwiseRotation(-180.0)).isEqualTo(180);
        assertThat(MediaProbe.clockwiseRotation(-89.99)).isEqualTo(90);
        assertThat(MediaProbe.clockwiseRotation(Double.NaN)).isZero();
    }
}
