package com.mediaflow.shared.codec.audio;

import static com.mediaflow.shared.codec.audio.Signals.Segment.silence;
import static com.mediaflow.shared.codec.audio.Signals.Segment.sine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_AAC_LOW;

import com.mediaflow.testkit.SyntheticMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.model.Json;

/**
 * Every input format through {@link AudioTranscoder}: real files written by FFmpeg in the test,
 * renditions decoded back and checked for codec, AAC profile, rate, channels and length.
 *
 * <p>Why durations get 50 ms of slack: AAC codes 1024-sample frames (21-23 ms) and Opus 20 ms
 * frames, so an encoder pads the last frame; MP4 trims only the start (edit list), and MP3 and
 * AAC sources carry their own priming and padding. 50 ms allows about two frames of drift and
 * still catches a lost or doubled second.
 */
class AudioTranscoderTest {

    private static final double TOLERANCE_SECONDS = 0.05;
    private static final double SOURCE_SECONDS = 3.0;

    @TempDir
    Path dir;

    private final AudioTranscoder transcoder = new AudioTranscoder(AudioSettings.DEFAULTS);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,             muxer, encoder,    rate,  ch, aac rate, expected LUFS
        "mp3-stereo-44k.mp3, mp3,   libmp3lame, 44100, 2,  44100,    -23.0",
        "aac-stereo-48k.m4a, ipod,  aac,        48000, 2,  48000,    -23.0",
        "opus-mono-48k.ogg,  ogg,   libopus,    48000, 1,  48000,    -26.0",
        "vorbis-stereo-44k.ogg, ogg, vorbis,    44100, 2,  44100,    -23.0",
        "pcm16-mono-22k.wav, wav,   pcm_s16le,  22050, 1,  44100,    -26.0",
        "flac-stereo-96k.flac, flac, flac,      96000, 2,  48000,    -23.0",
    })
    void process_everyInputFormat_givesAacLcM4aAndOpusOgg(String name, String muxer,
            String encoder, int rate, int channels, int aacRate, double expectedLufs)
            throws IOException {
        // given: 3 s of a 1 kHz sine at -23 dBFS (mono reads 3 LU lower: one channel)
        Path source = AudioFixtures.record(dir.resolve(name), muxer, encoder, rate, channels,
                sine(SOURCE_SECONDS, -23));
        Path out = dir.resolve("out");

        // when
        AudioResult result = transcoder.process(source, out);

        // then: the analysis describes the source
        AudioAnalysis a = result.analysis();
        assertThat(a.sampleRate()).isEqualTo(rate);
        assertThat(a.channels()).isEqualTo(channels);
        assertThat(a.durationSeconds()).isCloseTo(SOURCE_SECONDS, within(TOLERANCE_SECONDS));
        assertThat(a.integratedLufs()).isCloseTo(expectedLufs, within(0.5));
        assertThat(a.waveform()).hasSize(64).allSatisfy(v ->
                assertThat(v).isCloseTo(Signals.amplitude(-23), within(0.02)));

        // and: audio.m4a is AAC-LC at 44.1 or 48 kHz as the source, moov first
        assertThat(result.outputs()).extracting(AudioOutput::name)
                .containsExactly("audio.m4a", "audio.ogg");
        AudioOutput m4a = result.outputs().get(0);
        AudioFixtures.Decoded aac = AudioFixtures.decode(m4a.file());
        assertThat(aac.format()).contains("mp4");
        assertThat(aac.codec()).isEqualTo("aac");
        assertThat(aac.profile()).as("AAC profile").isEqualTo(AV_PROFILE_AAC_LOW);
        assertThat(aac.sampleRate()).isEqualTo(aacRate);
        assertThat(aac.channels()).isEqualTo(channels);
        assertThat(aac.seconds()).isCloseTo(a.durationSeconds(), within(TOLERANCE_SECONDS));
        assertThat(m4a).extracting(AudioOutput::contentType, AudioOutput::codec,
                AudioOutput::sampleRate, AudioOutput::channels)
                .containsExactly("audio/mp4", "aac", aacRate, channels);
        assertThat(m4a.durationSeconds()).isCloseTo(a.durationSeconds(),
                within(TOLERANCE_SECONDS));
        assertThat(m4a.bytes()).isEqualTo(Files.size(m4a.file()));
        assertMoovBeforeMdat(m4a.file());
        // 128 kbit/s for 3 s is about 48 kB; allow the encoder's rate control its slack
        assertThat(m4a.bytes()).isBetween(30_000L, 70_000L);

        // and: audio.ogg is Opus at 48 kHz
        AudioOutput ogg = result.outputs().get(1);
        AudioFixtures.Decoded opus = AudioFixtures.decode(ogg.file());
        assertThat(opus.format()).isEqualTo("ogg");
        assertThat(opus.codec()).isEqualTo("opus");
        assertThat(opus.sampleRate()).isEqualTo(48_000);
        assertThat(opus.channels()).isEqualTo(channels);
        assertThat(opus.seconds()).isCloseTo(a.durationSeconds(), within(TOLERANCE_SECONDS));
        assertThat(ogg).extracting(AudioOutput::contentType, AudioOutput::codec,
                AudioOutput::sampleRate, AudioOutput::channels)
                .containsExactly("audio/ogg", "opus", 48_000, channels);
        assertThat(ogg.durationSeconds()).isCloseTo(a.durationSeconds(),
                within(TOLERANCE_SECONDS));

        // and: the renditions carry the same loudness (end to end through real encoders)
        assertThat(transcoder.analyze(m4a.file()).orElseThrow().integratedLufs())
                .isCloseTo(expectedLufs, within(0.5));
        assertThat(transcoder.analyze(ogg.file()).orElseThrow().integratedLufs())
                .isCloseTo(expectedLufs, within(0.5));
    }

    @Test
    void process_surround_isDownmixedToStereo() {
        Path wav = AudioFixtures.record(dir.resolve("pcm16-5.1-48k.wav"), "wav", "pcm_s16le",
                48_000, 6, sine(2, -23));

        AudioResult r = transcoder.process(wav, dir.resolve("out"));

        assertThat(r.analysis().channels()).isEqualTo(6);
        // BS.1770 weights for 5.1: L, R, C 1.0, LFE 0, surrounds 1.41 each: the same sine in
        // all six reads 10*log10(3 + 2*1.41) = 7.65 LU above one channel (-26.0)
        assertThat(r.analysis().integratedLufs()).isCloseTo(-18.35, within(0.3));
        assertThat(r.outputs()).extracting(AudioOutput::channels).containsExactly(2, 2);
        assertThat(AudioFixtures.decode(r.outputs().get(0).file()).channels()).isEqualTo(2);
        assertThat(AudioFixtures.decode(r.outputs().get(1).file()).channels()).isEqualTo(2);
    }

    @Test
    void analyze_videoWithAac_measuresItsAudioTrack() {
        // given: H.264 + mono AAC, a 440 Hz sine at 0.3 of full scale (SyntheticMedia's tone)
        Path video = SyntheticMedia.mp4(dir.resolve("h264-aac-64x48-2s.mp4"), 64, 48, 2.0, 10,
                true, 0);
        Double expected = Signals.lufs(44_100, 1,
                new Signals.Segment(2.0, 20 * Math.log10(0.3), 440));

        // when
        AudioAnalysis a = transcoder.analyze(video).orElseThrow();

        // then
        assertThat(a.durationSeconds()).isCloseTo(2.0, within(TOLERANCE_SECONDS));
        assertThat(a.sampleRate()).isEqualTo(44_100);
        assertThat(a.channels()).isEqualTo(1);
        assertThat(a.integratedLufs()).isCloseTo(expected, within(0.5));
        // the first bucket is left out: the AAC encoder overshoots on the tone's abrupt onset
        assertThat(a.waveform().subList(1, 64))
                .allSatisfy(v -> assertThat(v).isCloseTo(0.3, within(0.03)));
        assertThat(dir.resolve("audio.m4a")).doesNotExist();
    }

    @Test
    void process_videoWithAac_transcodesItsAudioTrack() {
        Path video = SyntheticMedia.mp4(dir.resolve("h264-aac-64x48-2s.mp4"), 64, 48, 2.0, 10,
                true, 0);

        AudioResult r = transcoder.process(video, dir.resolve("out"));

        assertThat(r.outputs()).extracting(AudioOutput::codec).containsExactly("aac", "opus");
        assertThat(r.outputs()).allSatisfy(o -> assertThat(o.durationSeconds())
                .isCloseTo(r.analysis().durationSeconds(), within(TOLERANCE_SECONDS)));
    }

    @Test
    void videoLongerThanItsAudio_isNotMistakenForTruncated() {
        Path video = AudioFixtures.videoLongerThanAudio(dir.resolve("h264-3s-aac-1s.mp4"), 3.0,
                1.0);

        AudioAnalysis a = transcoder.analyze(video).orElseThrow();

        assertThat(a.durationSeconds()).isCloseTo(1.0, within(TOLERANCE_SECONDS));
        assertThat(a.integratedLufs()).isCloseTo(-26.0, within(0.5));
    }

    @Test
    void videoWithoutAudio_analyzeIsEmpty_processFailsAndWritesNothing() throws IOException {
        Path video = SyntheticMedia.mp4(dir.resolve("h264-64x48-1s.mp4"), 64, 48, 1.0, 10,
                false, 0);
        Path out = dir.resolve("out");

        assertThat(transcoder.analyze(video)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> transcoder.process(video, out))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(video.toString())
                .hasMessageContaining("expected an audio stream, found none");
        assertThat(listing(out)).isEmpty();
    }

    @Test
    void loudThenQuietWav_waveformIsHighThenLow() {
        Path wav = AudioFixtures.record(dir.resolve("pcm16-mono-48k-loud-quiet.wav"), "wav",
                "pcm_s16le", 48_000, 1, sine(2, 20 * Math.log10(0.8)), sine(2, -20));

        AudioAnalysis a = transcoder.analyze(wav).orElseThrow();

        assertThat(a.waveform().subList(0, 32)).containsOnly(0.8);
        assertThat(a.waveform().subList(32, 64)).containsOnly(0.1);
    }

    @Test
    void silentFile_hasNoLoudnessAndAFlatWaveform_inSmallJson() {
        Path wav = AudioFixtures.record(dir.resolve("pcm16-stereo-44k-silence.wav"), "wav",
                "pcm_s16le", 44_100, 2, silence(2));

        AudioResult r = transcoder.process(wav, dir.resolve("out"));

        assertThat(r.analysis().integratedLufs()).isNull();
        assertThat(r.analysis().waveform()).hasSize(64).containsOnly(0.0);
        assertThat(r.analysis().toMetadata()).containsOnlyKeys("durationSeconds", "waveform",
                "sampleRate", "channels");
        String json = Json.write(r.analysis().toMetadata());
        assertThat(json).isEqualTo("{\"channels\":2,\"durationSeconds\":2.0,\"sampleRate\":44100,"
                + "\"waveform\":[" + String.join(",", java.util.Collections.nCopies(64, "0.0"))
                + "]}");
        assertThat(r.outputs()).hasSize(2);
    }

    @Test
    void metadata_ofATone_isRoundedAndSmall() {
        Path m4a = AudioFixtures.record(dir.resolve("aac-stereo-48k.m4a"), "ipod", "aac", 48_000,
                2, sine(1, -6), sine(1, -30));

        AudioAnalysis a = transcoder.analyze(m4a).orElseThrow();
        String json = Json.write(a.toMetadata());

        assertThat(a.integratedLufs() * 10).isCloseTo(Math.rint(a.integratedLufs() * 10),
                within(1e-9));
        // 64 values of at most 4 characters plus commas, and the other four keys
        assertThat(json.length()).isLessThan(450);
        assertThat(json).contains("\"loudnessLufs\":" + a.integratedLufs());
    }

    @Test
    void truncatedM4a_isCodecException_andWritesNothing() throws IOException {
        Path whole = AudioFixtures.record(dir.resolve("aac-stereo-48k.m4a"), "ipod", "aac",
                48_000, 2, sine(SOURCE_SECONDS, -23));
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated-mdat.m4a"),
                Arrays.copyOf(bytes, bytes.length / 2));
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> transcoder.process(truncated, out))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageContaining("truncated");
        assertThat(listing(out)).isEmpty();
    }

    @Test
    void garbage_isCodecException() throws IOException {
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        Path garbage = Files.write(dir.resolve("noise.mp3"), noise);

        assertThatThrownBy(() -> transcoder.process(garbage, dir.resolve("out")))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> transcoder.analyze(garbage))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void missingFile_isStorageException() {
        Path missing = dir.resolve("missing.wav");

        assertThatThrownBy(() -> transcoder.process(missing, dir.resolve("out")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aacRate_follows44100FamilyElse48000() {
        assertThat(AudioTranscoder.aacSampleRate(22_050)).isEqualTo(44_100);
        assertThat(AudioTranscoder.aacSampleRate(88_200)).isEqualTo(44_100);
        assertThat(AudioTranscoder.aacSampleRate(16_000)).isEqualTo(48_000);
        assertThat(AudioTranscoder.aacSampleRate(96_000)).isEqualTo(48_000);
    }

    private static java.util.List<Path> listing(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return java.util.List.of();
        }
        try (var s = Files.list(folder)) {
            return s.toList();
        }
    }

    /** +faststart: the top-level 'moov' box comes before 'mdat'. */
    private static void assertMoovBeforeMdat(Path mp4) throws IOException {
        byte[] b = Files.readAllBytes(mp4);
        StringBuilder order = new StringBuilder();
        long pos = 0;
        while (pos + 8 <= b.length) {
            long size = ((b[(int) pos] & 0xffL) << 24) | ((b[(int) pos + 1] & 0xff) << 16)
                    | ((b[(int) pos + 2] & 0xff) << 8) | (b[(int) pos + 3] & 0xff);
            String type = new String(b, (int) pos + 4, 4, StandardCharsets.ISO_8859_1);
            order.append(type).append(' ');
            if (size < 8) {
                break;
            }
            pos += size;
        }
        String boxes = order.toString();
        assertThat(boxes).contains("moov").contains("mdat");
        assertThat(boxes.indexOf("moov")).as("box order: %s", boxes)
                .isLessThan(boxes.indexOf("mdat"));
    }
}
