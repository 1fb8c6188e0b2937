package com.mediaflow.shared.codec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VideoLadderTest {

    private static final List<Rung> RUNGS = VideoSettings.DEFAULTS.rungs();

    private static List<String> sizes(List<Target> ts) {
        return ts.stream().map(t -> t.name() + "=" + t.width() + "x" + t.height()).toList();
    }

    @Test
    void plan_1080pLandscape_allThreeRungs() {
        assertThat(sizes(VideoLadder.plan(1920, 1080, RUNGS)))
                .containsExactly("360p=640x360", "720p=1280x720", "1080p=1920x1080");
    }

    @Test
    void plan_1080pPortrait_shortSideSetsTheRung() {
        assertThat(sizes(VideoLadder.plan(1080, 1920, RUNGS)))
                .containsExactly("360p=360x640", "720p=720x1280", "1080p=1080x1920");
    }

    @Test
    void plan_4k_stopsAtTheLargestRung() {
        assertThat(sizes(VideoLadder.plan(3840, 2160, RUNGS)))
                .containsExactly("360p=640x360", "720p=1280x720", "1080p=1920x1080");
    }

    @Test
    void plan_between720And1080_neverUpscales() {
        assertThat(sizes(VideoLadder.plan(1600, 900, RUNGS)))
                .containsExactly("360p=640x360", "720p=1280x720");
    }

    @Test
    void plan_exactly360_oneRung() {
        assertThat(sizes(VideoLadder.plan(640, 360, RUNGS))).containsExactly("360p=640x360");
    }

    @ParameterizedTest
    @CsvSource({
        "320, 240, 240p=320x240",
        "321, 241, 240p=320x240",
        "240, 320, 240p=240x320",
        "2, 2, 2p=2x2",
        "3, 3, 2p=2x2",
        "358, 1000, 358p=358x1000"})
    void plan_belowSmallestRung_oneRenditionAtOwnEvenSize(int w, int h, String expected) {
        assertThat(sizes(VideoLadder.plan(w, h, RUNGS))).containsExactly(expected);
        assertThat(VideoLadder.plan(w, h, RUNGS).get(0).rung().name()).isEqualTo("360p");
    }

    @ParameterizedTest
    @CsvSource({
        // odd and unusual sizes: aspect kept, both sides even
        "1921, 1081, 1080p=1920x1080",
        "1919, 1081, 1080p=1918x1080",
        "1279, 719, 360p=640x360",
        "1440, 1080, 1080p=1440x1080",
        "720, 1280, 720p=720x1280",
        "1000, 1000, 720p=720x720",
        "4000, 400, 360p=3600x360",
        "853, 480, 360p=640x360"})
    void plan_oddSizes_evenDimensionsAndAspectKept(int w, int h, String expectedLast) {
        List<Target> ts = VideoLadder.plan(w, h, RUNGS);
        assertThat(sizes(ts).get(ts.size() - 1)).isEqualTo(expectedLast);
        for (Target t : ts) {
            assertThat(t.width() % 2).isZero();
            assertThat(t.height() % 2).isZero();
            assertThat(Math.min(t.width(), t.height())).isEqualTo(t.rung().shortSide());
            double aspect = (double) w / h;
            assertThat((double) t.width() / t.height()).isCloseTo(aspect,
                    org.assertj.core.data.Offset.offset(aspect * 2.0 / Math.min(t.width(),
                            t.height()) + 0.01));
        }
    }

    @Test
    void plan_unsortedRungs_smallestFirst() {
        List<Rung> reversed = List.of(RUNGS.get(2), RUNGS.get(0), RUNGS.get(1));
        assertThat(sizes(VideoLadder.plan(1280, 720, reversed)))
                .containsExactly("360p=640x360", "720p=1280x720");
    }

    @Test
    void plan_invalidInput_rejected() {
        assertThatThrownBy(() -> VideoLadder.plan(1, 100, RUNGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1x100");
        assertThatThrownBy(() -> VideoLadder.plan(100, 100, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rung("odd", 361, 23, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("361");
        assertThatThrownBy(() -> new Rung("../x", 360, 23, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaults_matchTheIssue() {
        VideoSettings d = VideoSettings.DEFAULTS;
        assertThat(d.rungs()).containsExactly(new Rung("360p", 360, 26, 1000, 2000),
                new Rung("720p", 720, 24, 3000, 6000), new Rung("1080p", 1080, 23, 6000, 12000));
        assertThat(d.preset()).isEqualTo("veryfast");
        assertThat(d.gopSeconds()).isEqualTo(2);
        assertThat(d.audioBitrateKbps()).isEqualTo(128);
    }
}
