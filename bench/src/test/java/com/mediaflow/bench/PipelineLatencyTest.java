package com.mediaflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PipelineLatencyTest {

    private static String emf(String step, String metrics) {
        return "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]},\"Stage\":\"dev\",\"Step\":\"" + step + "\"," + metrics + "}";
    }

    @Test
    void stageLines_mapEachStepsMetricsToTheirRows_inPipelineOrder_renditionsUnderTheDecode() throws Exception {
        PipelineLatency.StageLines lines = new PipelineLatency.StageLines();
        lines.add(List.of(
                emf("finalize", "\"QueueWait\":[1,3],\"ItemDuration\":[40,60],\"UploadToReadyLatency\":900,\"ItemsProcessed\":2"),
                emf("thumbnail", "\"QueueWait\":2,\"ItemDuration\":700,\"DecodeDuration\":200,\"RenditionDuration.display.webp\":300,"
                        + "\"RenditionDuration.thumb-320.jpg\":7,\"DownloadDuration\":5,\"ProcessDuration\":600,\"StoreDuration\":80"),
                emf("validate", "\"QueueWait\":0,\"ItemDuration\":150,\"CopyDuration\":20,\"BytesIn\":1000"),
                "{\"_aws\":{},\"Stage\":\"dev\",\"Step\":\"validate\",\"ReasonCode\":\"X\",\"Quarantines\":1}",
                emf("metadata", "\"QueueWait\":4,\"ItemDuration\":90,\"DownloadDuration\":3,\"ProcessDuration\":70,\"StoreDuration\":0")));
        LatencyTable out = new LatencyTable();
        out.stage(PipelineLatency.READY);
        lines.into(out);

        assertThat(out.stages()).containsExactly(PipelineLatency.READY, "queue: S3 event -> validate", "validate (whole item)",
                "  copy to the media bucket", "queue: validate -> thumbnail", "thumbnail (whole item)",
                "  thumbnail: download the original", "  thumbnail: decode, renditions, pHash", "    decode",
                "    display.webp (scale + encode)", "    thumb-320.jpg (scale + encode)", PipelineLatency.StageLines.OTHER_WORK,
                "  thumbnail: PUT the renditions",
                "queue: validate -> metadata", "metadata (whole item)", "  metadata: download the original", "  metadata: its work",
                "queue: step -> finalize (each step's message)", "finalize (each message)",
                "UploadToReadyLatency (finalize's clock, to the READY receipt)");
        assertThat(out.samples("queue: step -> finalize (each step's message)")).containsExactly(1.0, 3.0);
        assertThat(out.samples("finalize (each message)")).containsExactly(40.0, 60.0);
        assertThat(out.samples("    decode")).containsExactly(200.0);
        assertThat(out.samples("  copy to the media bucket")).containsExactly(20.0);
        assertThat(out.samples("queue: validate -> metadata")).containsExactly(4.0);
        assertThat(out.samples(PipelineLatency.StageLines.OTHER_WORK)).as("600 - 200 - 300 - 7").containsExactly(93.0);
        assertThat(out.count(PipelineLatency.READY)).isZero();
    }

    @Test
    void failures_sumEveryStepsItemsFailed() throws Exception {
        assertThat(PipelineLatency.StageLines.failures(List.of(emf("validate", "\"ItemsFailed\":0,\"ItemsProcessed\":1"),
                emf("thumbnail", "\"ItemsFailed\":1,\"ItemsProcessed\":0"), emf("finalize", "\"ItemsFailed\":1")))).isEqualTo(2);
        assertThat(PipelineLatency.StageLines.failures(List.of(emf("validate", "\"ItemsFailed\":0")))).isZero();
    }

    @Test
    void withComment_changesTheBytes_notThePicture() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", jpeg);
        byte[] plain = jpeg.toByteArray();

        byte[] a = PipelineLatency.PhotoVariants.withComment(plain, "upload 1");
        byte[] b = PipelineLatency.PhotoVariants.withComment(plain, "upload 2");

        assertThat(a).isNotEqualTo(b).isNotEqualTo(plain).hasSize(plain.length + 4 + "upload 1".length());
        BufferedImage before = ImageIO.read(new ByteArrayInputStream(plain));
        BufferedImage after = ImageIO.read(new ByteArrayInputStream(a));
        assertThat(after.getWidth()).isEqualTo(64);
        for (int y = 0; y < 48; y += 7) {
            for (int x = 0; x < 64; x += 9) {
                assertThat(after.getRGB(x, y)).isEqualTo(before.getRGB(x, y));
            }
        }
        assertThatThrownBy(() -> PipelineLatency.PhotoVariants.withComment(new byte[] {1, 2, 3}, "x"))
                .hasMessageContaining("expected a JPEG");
    }
}
