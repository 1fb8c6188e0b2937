package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avfilter;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.leptonica.global.leptonica;
import org.junit.jupiter.api.Test;

class NativesTest {
    @Test
    void load_loadsEveryPresetTheCodecsUse() {
        Natives.load();

        // each call goes into its native library: it would throw UnsatisfiedLinkError had one not loaded
        assertThat(avcodec.avcodec_version()).isPositive();
        assertThat(avformat.avformat_version()).isPositive();
        assertThat(avfilter.avfilter_version()).isPositive();
        assertThat(swscale.swscale_version()).isPositive();
        assertThat(leptonica.getLeptonicaVersion().getString()).startsWith("leptonica-");
    }
}
