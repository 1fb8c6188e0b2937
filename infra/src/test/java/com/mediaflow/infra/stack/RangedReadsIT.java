package com.mediaflow.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.io.S3ByteSource;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** On S3 the structural pass of a large video is a handful of ranged GETs, not a download. */
class RangedReadsIT {
    private static StackFixture fx;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        fx = StackFixture.start(false);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void structuralPass_onS3_fetchesOnlyHeadersAndIndexes() throws Exception {
        Path mp4 = SyntheticMedia.noiseMp4(tmp.resolve("h264-lossless-noise-640x480-90f.mp4"), 640, 480, 90, 7);
        long size = Files.size(mp4);
        assertThat(size).isGreaterThan(30_000_000L);
        String etag = fx.stack.s3().putObject(b -> b.bucket(fx.media).key("large.mp4"), RequestBody.fromFile(mp4)).eTag();

        try (S3ByteSource source = new S3ByteSource(fx.stack.s3(), fx.media, "large.mp4", etag, size)) {
            var result = new StructureValidator(Limits.DEFAULTS).validate(source, MediaFormat.MP4, "video/mp4", "large.mp4");

            assertThat(result.verdict().accepted()).as(result.verdict().reasons().toString()).isTrue();
            assertThat(source.bytesRead()).as("bytes fetched of " + size).isLessThan(size / 50);
            assertThat(source.requests()).as("ranged GETs").isLessThan(20);
        }
    }
}
