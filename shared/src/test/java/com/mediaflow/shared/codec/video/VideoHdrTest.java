package com.mediaflow.shared.codec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDR sources come out as SDR that looks like the SDR original: the same pattern encoded once as
 * SDR and once as PQ BT.2020 10-bit HEVC must transcode to pictures of about the same
 * brightness and saturation, while showing the PQ pixels as if they were SDR (no tone mapping)
 * does not. Like HDR10 masters, the clip declares its peak (MaxCLL 100 nits), which sets the
 * tone curve's peak.
 */
class VideoHdrTest {

    private static final VideoSettings ONE_RUNG = new VideoSettings(List.of(
            new Rung("240p", 240, 24, 1000, 2000)), "veryfast", 2, 96, 1);

    /**
     * SDR BT.601 limited range (what the recorder writes, untagged) to PQ with SDR white at 100
     * nits, BT.2020 primaries and matrix, 10 bits.
     */
    static final String TO_PQ = "zscale=tin=bt709:min=170m:pin=bt709:rin=tv:npl=100"
            + ":t=smpte2084:m=2020_ncl:p=bt2020:r=tv,format=yuv420p10le";

    /** Mean luma may differ by this much (0-255 scale) from the SDR transcode. */
    static final double LUMA_TOLERANCE = 15;
    /** Mean saturation must be at least this fraction of the SDR transcode's. */
    static final double MIN_SATURATION_RATIO = 0.8;

    @TempDir
    Path tmp;

    @Test
    void transcode_pqHdr_looksLikeTheSdrOriginal() throws Exception {
        // given
        Path sdr = VideoFixtures.record(tmp.resolve("h264-sdr-320x240.mp4"),
                VideoFixtures.Spec.of("mp4", "libx264", AV_PIX_FMT_YUV420P, 320, 240, 15, 15)
                        .options(Map.of("crf", "12")));
        Path hdr = VideoFixtures.refilter(sdr, tmp.resolve("hevc-pq-bt2020-10bit-320x240.mp4"),
                VideoFixtures.Spec.of("mp4", "libx265", AV_PIX_FMT_YUV420P10LE, 320, 240, 15, 15)
                        .options(Map.of("preset", "ultrafast", "crf", "12", "x265-params",
                                "colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"
                                        + ":range=limited:max-cll=100,50:log-level=error")),
                TO_PQ);
        assertThat(Mp4Inspector.probe(hdr).colorTransfer()).isEqualTo("smpte2084");

        // when
        VideoTranscoder transcoder = new VideoTranscoder(ONE_RUNG);
        TranscodeResult fromSdr = transcoder.transcode(sdr, tmp.resolve("sdr"), false,
                TranscodeProgress.NONE);
        TranscodeResult fromHdr = transcoder.transcode(hdr, tmp.resolve("hdr"), false,
                TranscodeProgress.NONE);

        // then
        assertThat(fromSdr.hdrToneMapped()).isFalse();
        assertThat(fromHdr.hdrToneMapped()).isTrue();
        double[] want = VideoFixtures.meanLumaAndSaturation(fromSdr.outputs().get(0).file());
        double[] got = VideoFixtures.meanLumaAndSaturation(fromHdr.outputs().get(0).file());
        double[] naive = VideoFixtures.meanLumaAndSaturation(hdr);
        System.out.printf("HDR test: SDR luma %.1f sat %.3f; tone-mapped luma %.1f sat %.3f;"
                + " naive luma %.1f sat %.3f%n", want[0], want[1], got[0], got[1], naive[0],
                naive[1]);
        assertThat(looksAlike(got, want)).as("tone-mapped HDR vs SDR: luma %.1f vs %.1f, "
                + "saturation %.3f vs %.3f", got[0], want[0], got[1], want[1]).isTrue();
        assertThat(looksAlike(naive, want)).as("naive PQ-as-SDR vs SDR: luma %.1f vs %.1f, "
                + "saturation %.3f vs %.3f", naive[0], want[0], naive[1], want[1]).isFalse();
    }

    private static boolean looksAlike(double[] lumaSat, double[] reference) {
        return Math.abs(lumaSat[0] - reference[0]) <= LUMA_TOLERANCE
                && lumaSat[1] >= reference[1] * MIN_SATURATION_RATIO;
    }
}
