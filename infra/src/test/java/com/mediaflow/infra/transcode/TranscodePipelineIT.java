package com.mediaflow.infra.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.infra.stack.StackFixture;
import com.mediaflow.shared.codec.MediaProbe;
import com.mediaflow.shared.codec.ProbeResult;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.Manifest;
import com.mediaflow.shared.model.MediaStatus;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.Receipt;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads through the whole pipeline, functions running on the embedded stack with two workers
 * per queue, and the parallel path's threshold lowered to 10 s so a 20 s clip takes it.
 */
class TranscodePipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static StackFixture fx;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(true, Map.of(Config.SEGMENT_THRESHOLD_SECONDS, "10", Config.SEGMENT_SECONDS, "5"));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static Manifest process(Path file, String key, String type) {
        fx.upload(file, key, type);
        Receipt r = fx.awaitReceipt(key, WAIT);
        return fx.awaitTerminal(r.mediaId(), WAIT);
    }

    private static List<Output> outputs(Manifest m, String kind) {
        return m.outputs().stream().filter(o -> o.kind().equals(kind)).toList();
    }

    @Test
    void portraitPhoneVideo_becomesUprightH264_withAudioMeasured() throws Exception {
        Path clip = SyntheticMedia.mp4(dir.resolve("h264-aac-320x240-2s-rot90.mp4"), 320, 240, 2, 15, true, 90);

        Manifest m = process(clip, "video/portrait.mp4", "video/mp4");

        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        assertThat(m.steps()).containsKeys("thumbnail", "metadata", "transcode");
        Output video = outputs(m, "video").get(0);
        assertThat(video.width()).isEqualTo(240);
        assertThat(video.height()).isEqualTo(320);
        ProbeResult p = MediaProbe.probe(fx.store.download(fx.media, video.key(), dir.resolve("portrait-out.mp4")));
        assertThat(p.videoCodec()).isEqualTo("h264");
        assertThat(p.displayWidth()).isEqualTo(240);
        assertThat(p.durationSeconds()).isCloseTo(2.0, Offset.offset(1.5 / 15));
        @SuppressWarnings("unchecked")
        Map<String, Object> audio = (Map<String, Object>) m.metadata().get("audio");
        assertThat(audio).containsKeys("loudnessLufs", "waveform", "durationSeconds");
        assertHls(m, List.of("240x320"), 2.0);
    }

    @Test
    void longVideo_takesTheParallelPath_andTheManifestShowsSegmentProgress() throws Exception {
        Path clip = SyntheticMedia.mp4(dir.resolve("h264-aac-320x240-20s.mp4"), 320, 240, 20, 15, true, 0);
        Set<String> seen = new ConcurrentSkipListSet<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    fx.store.list(fx.media, "media/").stream().filter(k -> k.endsWith("/manifest.json")).forEach(k ->
                            fx.store.getJson(fx.media, k, Manifest.class).ifPresent(man -> seen.addAll(man.progress().values())));
                    Thread.sleep(50);
                } catch (InterruptedException | RuntimeException e) {
                    return; // interrupted (a GET aborted by the interrupt surfaces as a StorageException)
                }
            }
        });
        watcher.start();
        Manifest m;
        try {
            m = process(clip, "video/long.mp4", "video/mp4");
        } finally {
            watcher.interrupt();
            watcher.join();
        }

        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        @SuppressWarnings("unchecked")
        Map<String, Object> video = (Map<String, Object>) m.metadata().get("video");
        assertThat(video).containsEntry("path", "parallel").containsEntry("segments", 4);
        assertThat(seen).as("progress lines seen in the manifest while it was PROCESSING").anyMatch(s -> s.matches("segments \\d/4"));
        Output out = outputs(m, "video").get(0);
        ProbeResult p = MediaProbe.probe(fx.store.download(fx.media, out.key(), dir.resolve("long-out.mp4")));
        assertThat(p.durationSeconds()).isCloseTo(20.0, Offset.offset(1.5 / 15));
        assertThat(p.audioCodec()).isEqualTo("aac");
        assertHls(m, List.of("320x240"), 20.0);
    }

    /**
     * The manifest lists the HLS master playlist and one media playlist per rung; every URI they name
     * is in the media bucket, and the segments add up to the video.
     */
    private static void assertHls(Manifest m, List<String> resolutions, double seconds) throws Exception {
        List<Output> hls = outputs(m, "hls");
        assertThat(hls).allSatisfy(o -> assertThat(o.contentType()).isEqualTo("application/vnd.apple.mpegurl"));
        assertThat(hls).hasSize(1 + resolutions.size());
        Output master = hls.get(0);
        assertThat(master.key()).isEqualTo("media/" + m.mediaId() + "/transcode/hls/master.m3u8");
        String base = master.key().substring(0, master.key().lastIndexOf('/') + 1);
        List<String> lines = Files.readAllLines(fx.store.download(fx.media, master.key(), dir.resolve(m.mediaId() + "-master.m3u8")));
        assertThat(lines).startsWith("#EXTM3U", "#EXT-X-VERSION:7");
        assertThat(lines).filteredOn(l -> l.startsWith("#EXT-X-STREAM-INF:"))
                .extracting(l -> l.replaceAll(".*RESOLUTION=([0-9x]+).*", "$1")).containsExactlyElementsOf(resolutions);
        List<String> media = lines.stream().filter(l -> !l.isEmpty() && !l.startsWith("#")).map(u -> base + u).toList();
        assertThat(hls.subList(1, hls.size())).extracting(Output::key).containsExactlyElementsOf(media);
        for (String key : media) {
            String dirKey = key.substring(0, key.lastIndexOf('/') + 1);
            List<String> playlist = Files.readAllLines(fx.store.download(fx.media, key, dir.resolve(m.mediaId() + "-media.m3u8")));
            assertThat(playlist).contains("#EXT-X-MAP:URI=\"init.mp4\"", "#EXT-X-ENDLIST");
            List<String> named = new ArrayList<>(List.of(key, dirKey + "init.mp4"));
            double total = 0;
            for (String l : playlist) {
                if (l.startsWith("#EXTINF:")) {
                    total += Double.parseDouble(l.substring(8, l.indexOf(',')));
                } else if (!l.isEmpty() && !l.startsWith("#")) {
                    named.add(dirKey + l);
                }
            }
            assertThat(total).isCloseTo(seconds, Offset.offset(1.5 / 15));
            assertThat(fx.keys(fx.media, dirKey)).as("what %s names is stored", key).containsExactlyInAnyOrderElementsOf(named);
        }
    }

    @Test
    void voiceNote_getsAacAndOpusRenditions_loudnessAndWaveform() throws Exception {
        Path wav = dir.resolve("pcm16-48k-mono-2s-sine.wav");
        writeSineWav(wav, 48_000, 2.0, 0.5);

        Manifest m = process(wav, "voice/note.wav", "audio/wav");

        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        assertThat(outputs(m, "audio")).extracting(Output::contentType).containsExactlyInAnyOrder("audio/mp4", "audio/ogg");
        ProbeResult opus = MediaProbe.probe(fx.store.download(fx.media,
                outputs(m, "audio").stream().filter(o -> o.contentType().equals("audio/ogg")).findFirst().orElseThrow().key(),
                dir.resolve("note.ogg")));
        assertThat(opus.audioCodec()).isEqualTo("opus");
        @SuppressWarnings("unchecked")
        Map<String, Object> audio = (Map<String, Object>) m.metadata().get("audio");
        // a mono sine at 0.5 (-6 dBFS) reads -6 - 3 (mono) = about -9 LUFS
        assertThat(((Number) audio.get("loudnessLufs")).doubleValue()).isCloseTo(-9.0, Offset.offset(0.5));
        assertThat((List<?>) audio.get("waveform")).hasSize(64);
        assertThat(((Number) audio.get("durationSeconds")).doubleValue()).isCloseTo(2.0, Offset.offset(0.05));
    }

    private static void writeSineWav(Path out, int rate, double seconds, double amplitude) throws java.io.IOException {
        int n = (int) (rate * seconds);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + n * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + n * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(n * 2);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * 1000 * i / rate)));
        }
        java.nio.file.Files.write(out, b.array());
    }

    @Test
    void animatedGif_becomesASilentLoopingMp4() {
        Path gif = SyntheticMedia.animatedGif(dir.resolve("gif-96x64-12frames.gif"), 96, 64, 12);

        Manifest m = process(gif, "anim/loop.gif", "image/gif");

        assertThat(m.status()).isEqualTo(MediaStatus.READY);
        Output video = outputs(m, "video").get(0);
        ProbeResult p = MediaProbe.probe(fx.store.download(fx.media, video.key(), dir.resolve("gif-out.mp4")));
        assertThat(p.videoCodec()).isEqualTo("h264");
        assertThat(p.audioCodec()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) m.metadata().get("video");
        assertThat(meta).containsEntry("loop", true);
    }

    @Test
    void animatedWebp_isReady_withThumbnails_metadata_andALoopingMp4() {
        Path webp = SyntheticMedia.animatedWebp(dir.resolve("webp-anim-96x64-8frames.webp"), 96, 64, 8, 10,
                SyntheticMedia.WebpEncoding.LOSSY, (frame, i) -> {
                    java.nio.ByteBuffer px = (java.nio.ByteBuffer) frame.image[0];
                    for (int y = 0; y < frame.imageHeight; y++) {
                        for (int x = 0; x < frame.imageWidth; x++) {
                            int o = y * frame.imageStride + x * 4;
                            boolean on = ((x + 8 * i) / 12 + y / 12) % 2 == 0;
                            px.put(o, (byte) (on ? 230 : 30)).put(o + 1, (byte) (on ? 120 : 60)).put(o + 2, (byte) 90)
                                    .put(o + 3, (byte) 255);
                        }
                    }
                });

        Manifest m = process(webp, "anim/sticker.webp", "image/webp");

        assertThat(m.status()).as("reasons: %s", m.reasons()).isEqualTo(MediaStatus.READY);
        assertThat(m.steps()).containsKeys("thumbnail", "metadata", "transcode");
        assertThat(outputs(m, "thumbnail")).isNotEmpty();
        assertThat(m.metadata()).containsEntry("frameCount", 8);
        @SuppressWarnings("unchecked")
        Map<String, Object> video = (Map<String, Object>) m.metadata().get("video");
        assertThat(video).containsEntry("loop", true);
        assertThat(outputs(m, "video")).hasSize(1);
    }

    @Test
    void stillImages_neverReachTheTranscodeStep() throws Exception {
        Path jpeg = SyntheticMedia.jpeg(dir.resolve("jpeg-64x48.jpg"), 64, 48, 0);

        Manifest m = process(jpeg, "still/photo.jpg", "image/jpeg");

        assertThat(m.steps()).doesNotContainKey("transcode");
        assertThat(outputs(m, "video")).isEmpty();
    }
}
