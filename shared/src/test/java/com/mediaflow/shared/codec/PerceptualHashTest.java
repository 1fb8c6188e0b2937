package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.testkit.Corpus;
import com.mediaflow.testkit.SyntheticMedia;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PerceptualHashTest {

    /** Near duplicates: the corpus pictures differ only in the digit drawn on them. */
    private static final int NEAR = 10;
    /** Different pictures. */
    private static final int FAR = 20;

    @TempDir
    Path tmp;

    private static String hashOf(String name) {
        Path file = Corpus.dir().resolve("exif-orientation/" + name + ".jpg");
        return PerceptualHash.of(file, ExifReader.read(file).orientation());
    }

    @ParameterizedTest(name = "{0}_{1}.jpg")
    @CsvSource({
        "Landscape, 0", "Landscape, 2", "Landscape, 3", "Landscape, 4", "Landscape, 5",
        "Landscape, 6", "Landscape, 7", "Landscape, 8",
        "Portrait, 0", "Portrait, 2", "Portrait, 3", "Portrait, 4", "Portrait, 5",
        "Portrait, 6", "Portrait, 7", "Portrait, 8",
    })
    void of_orientedCorpusJpeg_isNearItsUprightReferenceAndFarFromTheOtherSet(String set,
            int digit) {
        String other = set.equals("Landscape") ? "Portrait" : "Landscape";

        String hash = hashOf(set + "_" + digit);

        assertThat(PerceptualHash.hammingDistance(hash, hashOf(set + "_1")))
                .as("%s_%d vs %s_1", set, digit, set).isLessThanOrEqualTo(NEAR);
        assertThat(PerceptualHash.hammingDistance(hash, hashOf(other + "_1")))
                .as("%s_%d vs %s_1", set, digit, other).isGreaterThanOrEqualTo(FAR);
    }

    @ParameterizedTest(name = "{0}_{1}.jpg with orientation ignored")
    @CsvSource({"Landscape, 3", "Landscape, 6", "Landscape, 8", "Portrait, 3", "Portrait, 6",
        "Portrait, 8"})
    void of_rotatedJpegReadWithoutItsOrientation_isFarFromTheUprightReference(String set,
            int digit) {
        // the check can fail: the stored (not upright) pixels hash far from the upright picture
        Path file = Corpus.dir().resolve("exif-orientation/" + set + "_" + digit + ".jpg");

        String sideways = PerceptualHash.of(file, 1);

        assertThat(PerceptualHash.hammingDistance(sideways, hashOf(set + "_1")))
                .isGreaterThanOrEqualTo(FAR);
    }

    @Test
    void of_differentSyntheticImage_isFarFromBothCorpusPictures() {
        Path synthetic = SyntheticMedia.jpeg(tmp.resolve("pattern-320x240.jpg"), 320, 240, 0);

        String hash = PerceptualHash.of(synthetic, 1);

        assertThat(PerceptualHash.hammingDistance(hash, hashOf("Landscape_1")))
                .isGreaterThanOrEqualTo(FAR);
        assertThat(PerceptualHash.hammingDistance(hash, hashOf("Portrait_1")))
                .isGreaterThanOrEqualTo(FAR);
    }

    @Test
    void of_sameFileTwice_isSixteenHexDigitsAndStable() {
        String first = hashOf("Landscape_6");
        String second = hashOf("Landscape_6");

        assertThat(first).matches("[0-9a-f]{16}").isEqualTo(second);
        assertThat(PerceptualHash.hammingDistance(first, second)).isZero();
    }

    @Test
    void of_iphoneHeic_hashesTheAssembledPrimaryImage() {
        Path heic = Corpus.dir().resolve("heic/IMG_5195.HEIC");

        String hash = PerceptualHash.of(heic, 1);

        assertThat(hash).matches("[0-9a-f]{16}");
        assertThat(PerceptualHash.hammingDistance(hash, hashOf("Landscape_1")))
                .isGreaterThanOrEqualTo(FAR);
    }

    @Test
    void hash_brighterCopyIsEqualAndOppositeGradientsAreFarApart() {
        double[] down = new double[32 * 32];
        double[] brighter = new double[32 * 32];
        double[] up = new double[32 * 32];
        for (int i = 0; i < down.length; i++) {
            down[i] = (i / 32) * 6 + (i % 32) + ((i * 7919) % 13);
            brighter[i] = down[i] + 20;
            up[i] = 255 - down[i];
        }

        assertThat(PerceptualHash.hash(brighter)).isEqualTo(PerceptualHash.hash(down));
        assertThat(Long.bitCount(PerceptualHash.hash(down) ^ PerceptualHash.hash(up)))
                .isGreaterThanOrEqualTo(FAR);
    }

    @Test
    void hammingDistance_countsDifferingBitsAndRejectsMalformedHashes() {
        assertThat(PerceptualHash.hammingDistance("0000000000000000", "ffffffffffffffff"))
                .isEqualTo(64);
        assertThat(PerceptualHash.hammingDistance("8000000000000001", "0000000000000000"))
                .isEqualTo(2);
        assertThatThrownBy(() -> PerceptualHash.hammingDistance("abc", "0000000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 hex");
        assertThatThrownBy(() -> PerceptualHash.hammingDistance("000000000000000g",
                "0000000000000000")).isInstanceOf(IllegalArgumentException.class);
    }
}
