package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

class FfmpegSupportTest {

    @Test
    void errorText_isFfmpegsMessageAndCode_withoutTheRestOfItsBuffer() {
        FfmpegSupport.init();
        int code = avutil.AVERROR_INVALIDDATA();

        // the text goes into quarantine reasons: no NULs, no bytes of native memory after them
        assertThat(FfmpegSupport.errorText(code))
                .isEqualTo("Invalid data found when processing input (" + code + ")");
    }
}
