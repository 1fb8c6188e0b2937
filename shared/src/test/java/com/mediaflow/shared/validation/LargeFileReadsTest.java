package com.mediaflow.shared.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.io.FileByteSource;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validating a large video reads its headers and indexes, never its media data: proven by
 * counting the bytes the structural pass fetches from a real ~60 MB MP4 (lossless H.264 of noise,
 * so the media data is as large as it looks).
 */
class LargeFileReadsTest {
    @TempDir
    static Path tmp;

    static Path large;

    @BeforeAll
    static void makeLargeMp4() {
        large = SyntheticMedia.noiseMp4(tmp.resolve("h264-lossless-noise-640x480-120f.mp4"), 640, 480, 120, 42);
    }

    @Test
    void structuralPass_overLargeMp4_readsOnlyAFewPercent() throws Exception {
        long size = Files.size(large);
        assertThat(size).as("the test file must really be large").isGreaterThan(40_000_000L);

        try (FileByteSource source = new FileByteSource(large)) {
            StructureValidator.Result result = new StructureValidator(Limits.DEFAULTS).validate(source, "video/mp4", large.getFileName().toString());

            assertThat(result.verdict().accepted()).as(result.verdict().reasons().toString()).isTrue();
            assertThat(result.verdict().detected()).isEqualTo(MediaFormat.MP4);
            assertThat(result.structure().width()).isEqualTo(640);
            assertThat(source.bytesRead()).as("bytes read of " + size).isLessThan(size / 50);
        }
    }
}
